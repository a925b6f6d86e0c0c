import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { Storage } from '../../emulator/contracts.js';
import {
  createDirectoryStorage,
  createMemoryStorage,
  encodeFileName,
  writeFileAtomic,
} from '../../emulator/storage/index.js';

const dirs: string[] = [];
const tempDir = () => {
  const dir = mkdtempSync(join(tmpdir(), 's3bo-storage-'));
  dirs.push(dir);
  return dir;
};
afterAll(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

const implementations: [string, () => Storage][] = [
  ['memory', () => createMemoryStorage()],
  ['directory', () => createDirectoryStorage(tempDir())],
];

describe.each(implementations)('%s storage', (_name, create) => {
  it('round-trips docs, blobs and deletes', () => {
    const storage = create();
    storage.putDoc('s3control/jobs', 'job-1', { status: 'New', n: 1 });
    storage.putDoc('s3control/jobs', 'job/2 ü', { status: 'Active', n: 2 });
    storage.putBlob('blob-1', Buffer.from([0, 1, 2, 255]));
    expect(storage.getDoc('s3control/jobs', 'job-1')).toEqual({ status: 'New', n: 1 });
    expect(
      storage
        .listDocs<{ n: number }>('s3control/jobs')
        .map((doc) => doc.n)
        .sort(),
    ).toEqual([1, 2]);
    expect(storage.getBlob('blob-1')).toEqual(Buffer.from([0, 1, 2, 255]));
    storage.deleteDoc('s3control/jobs', 'job-1');
    storage.deleteBlob('blob-1');
    expect(storage.getDoc('s3control/jobs', 'job-1')).toBeUndefined();
    expect(storage.getBlob('blob-1')).toBeUndefined();
    expect(storage.listDocs('empty/namespace')).toEqual([]);
  });

  it('hands out copies, so callers cannot change stored docs by accident', () => {
    const storage = create();
    const doc = { list: [1] };
    storage.putDoc('ns', 'id', doc);
    doc.list.push(2);
    storage.getDoc<{ list: number[] }>('ns', 'id')!.list.push(3);
    expect(storage.getDoc('ns', 'id')).toEqual({ list: [1] });
  });
});

describe('directory storage', () => {
  it('survives a restart on the same directory', () => {
    // Prepare
    const dir = tempDir();
    const first = createDirectoryStorage(dir);
    const longKey = 'k'.repeat(1000);
    first.putDoc('s3/objects/bucket', longKey, { key: longKey });
    first.putDoc('s3/objects/bucket', 'Upper/Case', { key: 'Upper/Case' });
    first.putDoc('s3/objects/bucket', 'upper/case', { key: 'upper/case' });
    first.putBlob('body', Buffer.from('bytes'));
    first.appendLine('events/default.jsonl', '{"a":1}');
    first.appendLine('events/default.jsonl', '{"a":2}');
    // Act
    const second = createDirectoryStorage(dir);
    // Assess
    expect(second.getDoc('s3/objects/bucket', longKey)).toEqual({ key: longKey });
    expect(
      second
        .listDocs<{ key: string }>('s3/objects/bucket')
        .map((doc) => doc.key)
        .sort(),
    ).toEqual([longKey, 'Upper/Case', 'upper/case'].sort());
    expect(second.getBlob('body')?.toString()).toBe('bytes');
    expect(readFileSync(join(dir, 'events/default.jsonl'), 'utf8')).toBe('{"a":1}\n{"a":2}\n');
    expect(second.dataDir).toBe(dir);
  });

  it('lays files out as <namespace>/<encoded id>.json and blobs/<id>', () => {
    const dir = tempDir();
    const storage = createDirectoryStorage(dir);
    storage.putDoc('s3control/jobs', 'job-1', {});
    storage.putBlob('blob-1', Buffer.from('x'));
    expect(existsSync(join(dir, 's3control/jobs/job-1.json'))).toBe(true);
    expect(existsSync(join(dir, 'blobs/blob-1'))).toBe(true);
  });

  it('writes atomically: a temp file in the same directory, renamed into place', () => {
    const dir = tempDir();
    const storage = createDirectoryStorage(dir);
    storage.putDoc('ns', 'doc', { version: 1 });
    storage.putDoc('ns', 'doc', { version: 2 });
    // Only complete files remain; no temp file is left behind and the content is the last full write.
    expect(readdirSync(join(dir, 'ns'))).toEqual(['doc.json']);
    expect(JSON.parse(readFileSync(join(dir, 'ns/doc.json'), 'utf8'))).toEqual({
      id: 'doc',
      value: { version: 2 },
    });
  });

  it('ignores temp files an interrupted write left behind', () => {
    const dir = tempDir();
    const storage = createDirectoryStorage(dir);
    storage.putDoc('ns', 'doc', { ok: true });
    // An interrupted write leaves only its temp file: the visible doc keeps its previous content.
    writeFileAtomic(join(dir, 'ns/other.json.123.1.tmp'), '{"id":"other","val');
    const restarted = createDirectoryStorage(dir);
    expect(restarted.listDocs('ns')).toEqual([{ ok: true }]);
  });

  it('rejects namespaces that could escape the data directory', () => {
    const storage = createDirectoryStorage(tempDir());
    expect(() => storage.putDoc('../outside', 'id', {})).toThrow(/Invalid storage namespace/);
    expect(() => storage.appendLine('../log', 'x')).toThrow(/Invalid storage log name/);
  });
});

describe('encodeFileName', () => {
  it('is injective across case, separators and long ids', () => {
    const ids = ['a', 'A', 'a/b', 'a%2Fb', '.hidden', '..', 'x'.repeat(300), `${'x'.repeat(300)}y`];
    const names = ids.map(encodeFileName);
    expect(new Set(names.map((name) => name.toLowerCase())).size).toBe(ids.length);
    for (const name of names) {
      expect(name).toMatch(/^[a-z0-9_%~-][a-z0-9_.%~A-F-]*$/);
      expect(name.length).toBeLessThanOrEqual(120);
    }
  });
});

describe('directory storage under a concurrent reader', () => {
  it('never exposes a partially written doc', async () => {
    // Prepare: a reader thread re-reads the doc as fast as it can while this thread rewrites it.
    const { Worker } = await import('node:worker_threads');
    const dir = tempDir();
    const storage = createDirectoryStorage(dir);
    const big = (n: number) => ({ n, padding: 'x'.repeat(512 * 1024) });
    storage.putDoc('ns', 'doc', big(0));
    const reader = new Worker(
      `const { parentPort, workerData } = require('node:worker_threads');
       const fs = require('node:fs');
       let reads = 0, torn = 0, stop = false;
       parentPort.on('message', () => { stop = true; });
       (function loop() {
         for (let i = 0; i < 50; i++) {
           try { JSON.parse(fs.readFileSync(workerData, 'utf8')); reads++; } catch { torn++; }
         }
         if (stop) parentPort.postMessage({ reads, torn }); else setImmediate(loop);
       })();`,
      { eval: true, workerData: join(dir, 'ns/doc.json') },
    );
    // Act
    for (let n = 1; n <= 100; n++) storage.putDoc('ns', 'doc', big(n));
    const result = await new Promise<{ reads: number; torn: number }>((resolve) => {
      reader.once('message', resolve);
      reader.postMessage('stop');
    });
    await reader.terminate();
    // Assess
    expect(result.reads).toBeGreaterThan(0);
    expect(result.torn).toBe(0);
  });
});
