import { createHash } from 'node:crypto';
import {
  CopyObjectCommand,
  CreateBucketCommand,
  DeleteObjectCommand,
  DeleteObjectsCommand,
  GetObjectAclCommand,
  GetObjectCommand,
  GetObjectTaggingCommand,
  HeadBucketCommand,
  HeadObjectCommand,
  ListObjectsV2Command,
  NoSuchBucket,
  NoSuchKey,
  NotFound,
  PutObjectAclCommand,
  PutObjectCommand,
  PutObjectTaggingCommand,
  paginateListObjectsV2,
  S3ServiceException,
} from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type S3Harness, startS3Harness } from './harness.js';

let s3: S3Harness;
const BUCKET = 'objects-bucket';

beforeAll(async () => {
  s3 = await startS3Harness();
  await s3.client.send(new CreateBucketCommand({ Bucket: BUCKET }));
});
afterAll(async () => {
  await s3.close();
});

const put = (Key: string, Body: string | Buffer = 'x', extra: Record<string, unknown> = {}) =>
  s3.client.send(new PutObjectCommand({ Bucket: BUCKET, Key, Body, ...extra }));
const getText = async (Key: string, extra: Record<string, unknown> = {}) => {
  const out = await s3.client.send(new GetObjectCommand({ Bucket: BUCKET, Key, ...extra }));
  return { out, text: await out.Body!.transformToString() };
};

describe('S3 objects through the real SDK', () => {
  it('puts and gets an object with metadata and an MD5 ETag', async () => {
    // Prepare
    const body = 'hello, emulator';
    // Act
    const written = await put('dir/hello.txt', body, {
      ContentType: 'text/plain',
      Metadata: { owner: 'team-a' },
    });
    const { out, text } = await getText('dir/hello.txt');
    // Assess
    const md5 = createHash('md5').update(body).digest('hex');
    expect(written.ETag).toBe(`"${md5}"`);
    expect(text).toBe(body);
    expect(out.ContentType).toBe('text/plain');
    expect(out.Metadata).toEqual({ owner: 'team-a' });
    expect(out.ContentLength).toBe(body.length);
  });

  it('serves byte ranges with 206 semantics', async () => {
    await put('range.txt', '0123456789');
    const { out, text } = await getText('range.txt', { Range: 'bytes=2-5' });
    expect(text).toBe('2345');
    expect(out.ContentRange).toBe('bytes 2-5/10');
    expect((await getText('range.txt', { Range: 'bytes=-3' })).text).toBe('789');
    expect((await getText('range.txt', { Range: 'bytes=7-' })).text).toBe('789');
    await expect(getText('range.txt', { Range: 'bytes=20-' })).rejects.toMatchObject({
      name: 'InvalidRange',
    });
  });

  it('answers HEAD with headers and no body', async () => {
    await put('head.bin', Buffer.alloc(1234, 7), { StorageClass: 'STANDARD_IA' });
    const head = await s3.client.send(new HeadObjectCommand({ Bucket: BUCKET, Key: 'head.bin' }));
    expect(head.ContentLength).toBe(1234);
    expect(head.StorageClass).toBe('STANDARD_IA');
    expect(head.LastModified).toBeInstanceOf(Date);
  });

  it('raises the SDK NoSuchKey class for a missing key and NotFound for HEAD', async () => {
    const missing = s3.client.send(new GetObjectCommand({ Bucket: BUCKET, Key: 'nope' }));
    await expect(missing).rejects.toBeInstanceOf(NoSuchKey);
    await expect(missing).rejects.toMatchObject({ $metadata: { httpStatusCode: 404 } });
    await expect(
      s3.client.send(new HeadObjectCommand({ Bucket: BUCKET, Key: 'nope' })),
    ).rejects.toBeInstanceOf(NotFound);
  });

  it('raises NoSuchBucket for a missing bucket', async () => {
    const error = await s3.client
      .send(new GetObjectCommand({ Bucket: 'no-such-bucket', Key: 'k' }))
      .catch((e) => e);
    expect(error).toBeInstanceOf(NoSuchBucket);
    await expect(s3.client.send(new HeadBucketCommand({ Bucket: 'no-such-bucket' }))).rejects.toBeInstanceOf(
      NotFound,
    );
  });

  it('keeps keys with spaces, unicode and reserved characters intact', async () => {
    const key = 'odd/ä b+c%20?&=#.txt';
    await put(key, 'odd');
    expect((await getText(key)).text).toBe('odd');
    const listed = await s3.client.send(new ListObjectsV2Command({ Bucket: BUCKET, Prefix: 'odd/' }));
    expect(listed.Contents?.map((c) => c.Key)).toEqual([key]);
  });

  it('lists with prefix, delimiter and continuation tokens', async () => {
    // Prepare
    const keys = ['list/a/1', 'list/a/2', 'list/b/1', 'list/c', 'list/d', 'list/e'];
    for (const key of keys) await put(key);
    // Act
    const byDelimiter = await s3.client.send(
      new ListObjectsV2Command({ Bucket: BUCKET, Prefix: 'list/', Delimiter: '/' }),
    );
    const pages: string[][] = [];
    for await (const page of paginateListObjectsV2(
      { client: s3.client, pageSize: 2 },
      { Bucket: BUCKET, Prefix: 'list/' },
    )) {
      pages.push((page.Contents ?? []).map((c) => c.Key!));
    }
    const delimitedPages: string[][] = [];
    for await (const page of paginateListObjectsV2(
      { client: s3.client, pageSize: 2 },
      { Bucket: BUCKET, Prefix: 'list/', Delimiter: '/' },
    )) {
      delimitedPages.push([
        ...(page.CommonPrefixes ?? []).map((p) => p.Prefix!),
        ...(page.Contents ?? []).map((c) => c.Key!),
      ]);
    }
    const afterStart = await s3.client.send(
      new ListObjectsV2Command({ Bucket: BUCKET, Prefix: 'list/', StartAfter: 'list/c' }),
    );
    // Assess
    expect(byDelimiter.CommonPrefixes?.map((p) => p.Prefix)).toEqual(['list/a/', 'list/b/']);
    expect(byDelimiter.Contents?.map((c) => c.Key)).toEqual(['list/c', 'list/d', 'list/e']);
    expect(byDelimiter.KeyCount).toBe(5);
    expect(pages).toEqual([
      ['list/a/1', 'list/a/2'],
      ['list/b/1', 'list/c'],
      ['list/d', 'list/e'],
    ]);
    expect(delimitedPages.flat().sort()).toEqual(['list/a/', 'list/b/', 'list/c', 'list/d', 'list/e']);
    expect(delimitedPages.map((page) => page.length)).toEqual([2, 2, 1]);
    expect(afterStart.Contents?.map((c) => c.Key)).toEqual(['list/d', 'list/e']);
  });

  it('URL-encodes listed keys with encoding-type=url', async () => {
    await put('enc/a b', 'x');
    const listed = await s3.client.send(
      new ListObjectsV2Command({ Bucket: BUCKET, Prefix: 'enc/', EncodingType: 'url' }),
    );
    expect(listed.EncodingType).toBe('url');
    expect(listed.Contents?.map((c) => c.Key)).toEqual(['enc/a+b']);
  });

  it('copies with REPLACE metadata, a new storage class and replaced tags', async () => {
    await put('copy/src.txt', 'copy me', { Metadata: { a: '1' }, ContentType: 'text/plain', Tagging: 'k=v' });
    const copied = await s3.client.send(
      new CopyObjectCommand({
        Bucket: BUCKET,
        Key: 'copy/dst ü.txt',
        CopySource: `${BUCKET}/${encodeURIComponent('copy/src.txt')}`,
        MetadataDirective: 'REPLACE',
        Metadata: { b: '2' },
        ContentType: 'application/json',
        StorageClass: 'STANDARD_IA',
        TaggingDirective: 'REPLACE',
        Tagging: 'x=y',
      }),
    );
    const { out, text } = await getText('copy/dst ü.txt');
    const tags = await s3.client.send(new GetObjectTaggingCommand({ Bucket: BUCKET, Key: 'copy/dst ü.txt' }));
    expect(copied.CopyObjectResult?.ETag).toBe(`"${createHash('md5').update('copy me').digest('hex')}"`);
    expect(text).toBe('copy me');
    expect(out.Metadata).toEqual({ b: '2' });
    expect(out.ContentType).toBe('application/json');
    expect(out.StorageClass).toBe('STANDARD_IA');
    expect(tags.TagSet).toEqual([{ Key: 'x', Value: 'y' }]);
  });

  it('copies metadata by default and refuses a no-op copy onto itself', async () => {
    await put('copy/keep.txt', 'keep', { Metadata: { a: '1' } });
    await s3.client.send(
      new CopyObjectCommand({ Bucket: BUCKET, Key: 'copy/kept.txt', CopySource: `/${BUCKET}/copy/keep.txt` }),
    );
    expect((await getText('copy/kept.txt')).out.Metadata).toEqual({ a: '1' });
    const self = s3.client.send(
      new CopyObjectCommand({ Bucket: BUCKET, Key: 'copy/keep.txt', CopySource: `${BUCKET}/copy/keep.txt` }),
    );
    await expect(self).rejects.toMatchObject({ name: 'InvalidRequest', $metadata: { httpStatusCode: 400 } });
  });

  it('puts, gets and rejects invalid object tags', async () => {
    await put('tagged.txt');
    const TagSet = [
      { Key: 'project', Value: 'blue & green' },
      { Key: 'empty', Value: '' },
    ];
    await s3.client.send(
      new PutObjectTaggingCommand({ Bucket: BUCKET, Key: 'tagged.txt', Tagging: { TagSet } }),
    );
    const tags = await s3.client.send(new GetObjectTaggingCommand({ Bucket: BUCKET, Key: 'tagged.txt' }));
    expect(tags.TagSet).toEqual(TagSet);
    const tooMany = Array.from({ length: 11 }, (_, i) => ({ Key: `k${i}`, Value: 'v' }));
    await expect(
      s3.client.send(
        new PutObjectTaggingCommand({ Bucket: BUCKET, Key: 'tagged.txt', Tagging: { TagSet: tooMany } }),
      ),
    ).rejects.toBeInstanceOf(S3ServiceException);
  });

  it('applies canned ACLs, grant headers and AccessControlPolicy bodies', async () => {
    await put('acl.txt', 'x', { ACL: 'public-read' });
    const publicRead = await s3.client.send(new GetObjectAclCommand({ Bucket: BUCKET, Key: 'acl.txt' }));
    expect(publicRead.Grants?.map((g) => [g.Grantee?.Type, g.Grantee?.URI, g.Permission])).toEqual([
      ['CanonicalUser', undefined, 'FULL_CONTROL'],
      ['Group', 'http://acs.amazonaws.com/groups/global/AllUsers', 'READ'],
    ]);
    await s3.client.send(
      new PutObjectAclCommand({
        Bucket: BUCKET,
        Key: 'acl.txt',
        GrantRead: 'uri="http://acs.amazonaws.com/groups/global/AuthenticatedUsers"',
      }),
    );
    const granted = await s3.client.send(new GetObjectAclCommand({ Bucket: BUCKET, Key: 'acl.txt' }));
    expect(granted.Grants?.map((g) => g.Grantee?.URI)).toEqual([
      'http://acs.amazonaws.com/groups/global/AuthenticatedUsers',
    ]);
    const owner = publicRead.Owner!;
    await s3.client.send(
      new PutObjectAclCommand({
        Bucket: BUCKET,
        Key: 'acl.txt',
        AccessControlPolicy: {
          Owner: owner,
          Grants: [{ Grantee: { Type: 'CanonicalUser', ID: owner.ID }, Permission: 'READ_ACP' }],
        },
      }),
    );
    const fromBody = await s3.client.send(new GetObjectAclCommand({ Bucket: BUCKET, Key: 'acl.txt' }));
    expect(fromBody.Grants).toEqual([
      { Grantee: { Type: 'CanonicalUser', ID: owner.ID }, Permission: 'READ_ACP' },
    ]);
    await expect(
      s3.client.send(
        new PutObjectAclCommand({ Bucket: BUCKET, Key: 'acl.txt', ACL: 'not-a-canned-acl' as 'private' }),
      ),
    ).rejects.toMatchObject({ name: 'InvalidArgument' });
  });

  it('deletes objects singly and in batches', async () => {
    await put('del/1');
    await put('del/2');
    await s3.client.send(new DeleteObjectCommand({ Bucket: BUCKET, Key: 'del/1' }));
    const batch = await s3.client.send(
      new DeleteObjectsCommand({
        Bucket: BUCKET,
        Delete: { Objects: [{ Key: 'del/2' }, { Key: 'del/never' }] },
      }),
    );
    expect(batch.Deleted?.map((d) => d.Key).sort()).toEqual(['del/2', 'del/never']);
    const left = await s3.client.send(new ListObjectsV2Command({ Bucket: BUCKET, Prefix: 'del/' }));
    expect(left.KeyCount).toBe(0);
  });

  it('sends an Object Created event shaped like the AWS example', async () => {
    s3.events.length = 0;
    await put('events/new.txt', 'hello');
    const [event] = s3.events;
    const detail = JSON.parse(event!.Detail);
    expect(event).toMatchObject({
      Source: 'aws.s3',
      DetailType: 'Object Created',
      Resources: [`arn:aws:s3:::${BUCKET}`],
    });
    expect(detail).toMatchObject({
      version: '0',
      bucket: { name: BUCKET },
      object: { key: 'events/new.txt', size: 5, etag: '5d41402abc4b2a76b9719d911017c592' },
      reason: 'PutObject',
    });
    expect(detail.object.sequencer).toMatch(/^[0-9A-F]{16,}$/);
  });
});
