import { Readable } from 'node:stream';
import {
  GetObjectCommand,
  HeadObjectCommand,
  ListObjectsV2Command,
  NoSuchBucket,
  NoSuchKey,
  NotFound,
  PutObjectCommand,
  S3Client,
  S3ServiceException,
} from '@aws-sdk/client-s3';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import { createObjectStoreAdapter, unquoteEtag } from '../../../src/adapters/aws/s3.js';
import { ObjectNotFoundError, ServiceUnavailableError } from '../../../src/core/errors.js';
import type { ObjectListingPage } from '../../../src/core/ports.js';

const s3 = mockClient(S3Client);

async function readAll(stream: AsyncIterable<Uint8Array>): Promise<string> {
  const chunks: Uint8Array[] = [];
  for await (const chunk of stream) chunks.push(chunk);
  return Buffer.concat(chunks).toString('utf8');
}

describe('createObjectStoreAdapter', () => {
  beforeEach(() => {
    s3.reset();
  });

  describe('headObject', () => {
    it('returns the ETag without quotes, the version and the size', async () => {
      // Prepare
      s3.on(HeadObjectCommand, { Bucket: 'manifests', Key: 'in/m.csv', VersionId: 'v1' }).resolves({
        ETag: '"69f52a4e9f797e987155d9c8f5880897"',
        VersionId: 'v1',
        ContentLength: 128,
      });

      // Act
      const head = await createObjectStoreAdapter(new S3Client({})).headObject('manifests', 'in/m.csv', 'v1');

      // Assess
      expect(head).toEqual({ etag: '69f52a4e9f797e987155d9c8f5880897', versionId: 'v1', contentLength: 128 });
    });

    it('translates the bodiless 404 (NotFound) into ObjectNotFoundError', async () => {
      // Prepare
      const sdkError = new NotFound({ message: 'NotFound', $metadata: { httpStatusCode: 404 } });
      s3.on(HeadObjectCommand).rejects(sdkError);

      // Act
      const error = await createObjectStoreAdapter(new S3Client({}))
        .headObject('manifests', 'missing.csv')
        .catch((e: unknown) => e);

      // Assess
      expect(error).toBeInstanceOf(ObjectNotFoundError);
      expect(error).toMatchObject({ cause: sdkError });
      expect((error as Error).message).toBe('S3.HeadObject failed with NotFound (HTTP 404)');
    });
  });

  describe('getObjectStream', () => {
    it('returns the body as an async iterable of bytes', async () => {
      // Prepare
      s3.on(GetObjectCommand, { Bucket: 'reports', Key: 'r.csv' }).resolves({
        Body: Readable.from([Buffer.from('a,b\n'), Buffer.from('c,d\n')]) as never,
      });

      // Act
      const stream = await createObjectStoreAdapter(new S3Client({})).getObjectStream('reports', 'r.csv');

      // Assess
      expect(await readAll(stream)).toBe('a,b\nc,d\n');
    });

    it('translates NoSuchKey into ObjectNotFoundError', async () => {
      s3.on(GetObjectCommand).rejects(
        new NoSuchKey({ message: 'The specified key does not exist.', $metadata: {} }),
      );

      const error = await createObjectStoreAdapter(new S3Client({}))
        .getObjectStream('reports', 'gone.csv')
        .catch((e: unknown) => e);

      expect(error).toBeInstanceOf(ObjectNotFoundError);
    });

    it('translates a connection reset in the middle of the body', async () => {
      // Prepare
      const reset = Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' });
      async function* body() {
        yield Buffer.from('first chunk');
        throw reset;
      }
      s3.on(GetObjectCommand).resolves({ Body: Readable.from(body()) as never });

      // Act
      const stream = await createObjectStoreAdapter(new S3Client({})).getObjectStream('reports', 'r.csv');
      const error = await readAll(stream).catch((e: unknown) => e);

      // Assess
      expect(error).toBeInstanceOf(ServiceUnavailableError);
      expect((error as Error).message).toContain('S3.GetObject failed with ECONNRESET');
    });
  });

  it('putObject sends the body and content type and returns the head', async () => {
    // Prepare
    s3.on(PutObjectCommand).resolves({ ETag: '"abc123"', VersionId: 'v7' });

    // Act
    const head = await createObjectStoreAdapter(new S3Client({})).putObject(
      'manifests',
      'redrive/m.csv',
      'bucket,kéy\n',
      'text/csv',
    );

    // Assess
    expect(head).toEqual({ etag: 'abc123', versionId: 'v7', contentLength: 12 });
    expect(s3.commandCalls(PutObjectCommand)[0]?.args[0].input).toEqual({
      Bucket: 'manifests',
      Key: 'redrive/m.csv',
      Body: 'bucket,kéy\n',
      ContentType: 'text/csv',
    });
  });

  describe('listObjects', () => {
    const pagesOf = async (iterable: AsyncIterable<ObjectListingPage>) => {
      const pages: ObjectListingPage[] = [];
      for await (const page of iterable) pages.push(page);
      return pages;
    };

    it('follows the continuation token page by page, with the prefix and delimiter', async () => {
      // Prepare
      s3.on(ListObjectsV2Command, { ContinuationToken: undefined }).resolves({
        IsTruncated: true,
        NextContinuationToken: 't1',
        CommonPrefixes: [{ Prefix: 'inv/src/cfg/2026-11-25T00-00Z/' }],
      });
      s3.on(ListObjectsV2Command, { ContinuationToken: 't1' }).resolves({
        IsTruncated: false,
        Contents: [
          {
            Key: 'inv/src/cfg/top.txt',
            Size: 12,
            LastModified: new Date('2026-11-26T01:02:03Z'),
            StorageClass: 'GLACIER_IR',
          },
          { Key: 'inv/src/cfg/plain.txt', Size: 1, LastModified: new Date('2026-11-26T00:00:00Z') },
        ],
        CommonPrefixes: [{ Prefix: 'inv/src/cfg/data/' }],
      });

      // Act
      const pages = await pagesOf(
        createObjectStoreAdapter(new S3Client({})).listObjects('inventories', {
          prefix: 'inv/src/cfg/',
          delimiter: '/',
          maxPages: 10,
        }),
      );

      // Assess
      expect(pages).toEqual([
        { objects: [], commonPrefixes: ['inv/src/cfg/2026-11-25T00-00Z/'], truncated: true },
        {
          objects: [
            {
              key: 'inv/src/cfg/top.txt',
              size: 12,
              lastModified: '2026-11-26T01:02:03.000Z',
              storageClass: 'GLACIER_IR',
            },
            {
              key: 'inv/src/cfg/plain.txt',
              size: 1,
              lastModified: '2026-11-26T00:00:00.000Z',
              storageClass: 'STANDARD',
            },
          ],
          commonPrefixes: ['inv/src/cfg/data/'],
          truncated: false,
        },
      ]);
      expect(s3.commandCalls(ListObjectsV2Command).map((call) => call.args[0].input)).toEqual([
        { Bucket: 'inventories', Prefix: 'inv/src/cfg/', Delimiter: '/' },
        { Bucket: 'inventories', Prefix: 'inv/src/cfg/', Delimiter: '/', ContinuationToken: 't1' },
      ]);
    });

    it('requests no page beyond maxPages, and none before the consumer asks', async () => {
      // Prepare
      let next = 0;
      s3.on(ListObjectsV2Command).callsFake(() => ({
        IsTruncated: true,
        NextContinuationToken: `t${++next}`,
        Contents: [{ Key: `k${next}`, Size: 1, LastModified: new Date(0) }],
      }));
      const adapter = createObjectStoreAdapter(new S3Client({}));

      // Act
      const iterable = adapter.listObjects('big', { maxPages: 3 });
      const callsBeforeIteration = s3.commandCalls(ListObjectsV2Command).length;
      const pages = await pagesOf(iterable);

      // Assess
      expect(callsBeforeIteration).toBe(0);
      expect(pages).toHaveLength(3);
      expect(pages.at(-1)?.truncated).toBe(true);
      expect(s3.commandCalls(ListObjectsV2Command)).toHaveLength(3);
    });

    it('treats a truncated page that repeats its token as a malformed answer, not a loop', async () => {
      s3.on(ListObjectsV2Command).resolves({ IsTruncated: true, NextContinuationToken: 'same' });
      const pages = createObjectStoreAdapter(new S3Client({})).listObjects('b', { maxPages: 100 });

      const error = await pagesOf(pages).catch((e: unknown) => e);

      expect(error).toBeInstanceOf(ServiceUnavailableError);
      expect(s3.commandCalls(ListObjectsV2Command)).toHaveLength(2);
    });

    it('translates NoSuchBucket into ObjectNotFoundError', async () => {
      s3.on(ListObjectsV2Command).rejects(
        new NoSuchBucket({ message: 'The specified bucket does not exist', $metadata: {} }),
      );
      const error = await pagesOf(
        createObjectStoreAdapter(new S3Client({})).listObjects('gone', { maxPages: 1 }),
      ).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(ObjectNotFoundError);
    });
  });

  it('unquoteEtag leaves a bare ETag alone', () => {
    expect(unquoteEtag('abc')).toBe('abc');
    expect(unquoteEtag('"abc-2"')).toBe('abc-2');
  });
  describe('putObjectIfAbsent', () => {
    const serviceError = (name: string, httpStatusCode: number) =>
      new S3ServiceException({ name, $fault: 'client', message: name, $metadata: { httpStatusCode } });

    it('writes with If-None-Match: * and answers created', async () => {
      // Prepare
      s3.on(PutObjectCommand).resolves({ ETag: '"e"' });

      // Act
      const written = await createObjectStoreAdapter(new S3Client({})).putObjectIfAbsent(
        'state',
        'runs/a.json',
        '{}',
      );

      // Assess
      expect(written).toBe('created');
      expect(s3.commandCalls(PutObjectCommand)[0]!.args[0].input).toMatchObject({
        Bucket: 'state',
        Key: 'runs/a.json',
        IfNoneMatch: '*',
      });
    });

    it('answers exists when S3 refuses with 412 PreconditionFailed', async () => {
      // Prepare
      s3.on(PutObjectCommand).rejects(serviceError('PreconditionFailed', 412));

      // Act / Assess
      await expect(
        createObjectStoreAdapter(new S3Client({})).putObjectIfAbsent('state', 'runs/a.json', '{}'),
      ).resolves.toBe('exists');
    });

    it('makes a concurrent conditional write (409 ConditionalRequestConflict) a retryable error', async () => {
      // Prepare
      s3.on(PutObjectCommand).rejects(serviceError('ConditionalRequestConflict', 409));

      // Act / Assess
      await expect(
        createObjectStoreAdapter(new S3Client({})).putObjectIfAbsent('state', 'runs/a.json', '{}'),
      ).rejects.toBeInstanceOf(ServiceUnavailableError);
    });
  });
});
