import { describe, expect, it } from 'vitest';
import {
  buildManifestContent,
  encodeManifestKey,
  executionNameFor,
  manifestKeyFor,
} from '../../../../src/core/triggers/trigger-manifest.js';

describe('encodeManifestKey', () => {
  it.each([
    ['uploads/red flower.jpg', 'uploads/red%20flower.jpg'],
    ['a,b.jpg', 'a%2Cb.jpg'],
    ['c++/x+y.jpg', 'c%2B%2B/x%2By.jpg'],
    ['quote"d\nline.jpg', 'quote%22d%0Aline.jpg'],
    ['fotos/árvore.jpg', 'fotos/%C3%A1rvore.jpg'],
    ['100%.jpg', '100%25.jpg'],
  ])('encodes %j so decoding gives the key back and the CSV field stays whole', (key, encoded) => {
    expect(encodeManifestKey(key)).toBe(encoded);
    expect(decodeURIComponent(encodeManifestKey(key))).toBe(key);
  });
});

describe('buildManifestContent', () => {
  const t = '2026-12-01T10:00:00.000Z';

  it('writes Bucket,Key rows without a header when no object has a version', () => {
    const content = buildManifestContent([
      { b: 'photos', k: 'uploads/a b.jpg', t },
      { b: 'photos', k: 'uploads/c.jpg', t },
    ]);

    expect(content.csv).toBe('photos,uploads/a%20b.jpg\nphotos,uploads/c.jpg\n');
    expect(content.fields).toEqual(['Bucket', 'Key']);
    expect(content.rows).toBe(2);
  });

  it('adds the VersionId column when an object has one, with null for the others', () => {
    const content = buildManifestContent([
      { b: 'photos', k: 'a.jpg', v: 'v1', t },
      { b: 'other', k: 'b.jpg', t },
    ]);

    expect(content.csv).toBe('photos,a.jpg,v1\nother,b.jpg,null\n');
    expect(content.fields).toEqual(['Bucket', 'Key', 'VersionId']);
  });

  it('derives the hash from the content alone: same objects, same hash; another object, another', () => {
    const one = buildManifestContent([{ b: 'photos', k: 'a.jpg', t }]);
    const again = buildManifestContent([{ b: 'photos', k: 'a.jpg', t: '2027-01-01T00:00:00.000Z' }]);
    const other = buildManifestContent([{ b: 'photos', k: 'b.jpg', t }]);

    expect(again.hash).toBe(one.hash);
    expect(other.hash).not.toBe(one.hash);
    expect(one.hash).toMatch(/^[0-9a-f]{64}$/);
    expect(manifestKeyFor('thumbs', one.hash)).toBe(`triggers/thumbs/manifests/${one.hash}.csv`);
  });
});

describe('executionNameFor', () => {
  const hash = 'ab'.repeat(32);

  it('is trigger-<name>-<first 40 hex of the hash>', () => {
    expect(executionNameFor('thumbs', hash)).toBe(`trigger-thumbs-${hash.slice(0, 40)}`);
  });

  it('stays within Step Functions 80 characters for a 40-character trigger name', () => {
    const name = executionNameFor('a'.repeat(40), hash);

    expect(name.length).toBe(80);
    expect(name).toMatch(/^trigger-a{40}-[0-9a-f]{31}$/);
  });
});
