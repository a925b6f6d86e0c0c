import { createHash } from 'node:crypto';
import { Readable } from 'node:stream';
import {
  AbortMultipartUploadCommand,
  CompleteMultipartUploadCommand,
  CreateBucketCommand,
  CreateMultipartUploadCommand,
  GetObjectCommand,
  HeadObjectCommand,
  NoSuchUpload,
  PutObjectCommand,
  UploadPartCommand,
} from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type S3Harness, startS3Harness } from './harness.js';

let s3: S3Harness;
const Bucket = 'multipart';
const MiB = 1024 * 1024;

beforeAll(async () => {
  s3 = await startS3Harness();
  await s3.client.send(new CreateBucketCommand({ Bucket }));
});
afterAll(async () => {
  await s3.close();
});

const md5 = (bytes: Buffer) => createHash('md5').update(bytes).digest();

describe('multipart upload', () => {
  it('assembles parts and gives the object an md5-of-md5s-N ETag', async () => {
    // Prepare
    const part1 = Buffer.alloc(5 * MiB, 'a');
    const part2 = Buffer.from('tail');
    const { UploadId } = await s3.client.send(
      new CreateMultipartUploadCommand({ Bucket, Key: 'big.bin', Metadata: { kind: 'mpu' } }),
    );
    // Act
    const p1 = await s3.client.send(
      new UploadPartCommand({ Bucket, Key: 'big.bin', UploadId, PartNumber: 1, Body: part1 }),
    );
    const p2 = await s3.client.send(
      new UploadPartCommand({ Bucket, Key: 'big.bin', UploadId, PartNumber: 2, Body: part2 }),
    );
    const done = await s3.client.send(
      new CompleteMultipartUploadCommand({
        Bucket,
        Key: 'big.bin',
        UploadId,
        MultipartUpload: {
          Parts: [
            { PartNumber: 1, ETag: p1.ETag },
            { PartNumber: 2, ETag: p2.ETag },
          ],
        },
      }),
    );
    // Assess
    const expected = `"${createHash('md5')
      .update(Buffer.concat([md5(part1), md5(part2)]))
      .digest('hex')}-2"`;
    expect(done.ETag).toBe(expected);
    const head = await s3.client.send(new HeadObjectCommand({ Bucket, Key: 'big.bin' }));
    expect(head.ContentLength).toBe(part1.length + part2.length);
    expect(head.Metadata).toEqual({ kind: 'mpu' });
    const body = Buffer.from(
      await (
        await s3.client.send(new GetObjectCommand({ Bucket, Key: 'big.bin' }))
      ).Body!.transformToByteArray(),
    );
    expect(body.equals(Buffer.concat([part1, part2]))).toBe(true);
  });

  it('rejects too-small parts and forgets aborted uploads', async () => {
    const { UploadId } = await s3.client.send(new CreateMultipartUploadCommand({ Bucket, Key: 'small.bin' }));
    const p1 = await s3.client.send(
      new UploadPartCommand({ Bucket, Key: 'small.bin', UploadId, PartNumber: 1, Body: 'a' }),
    );
    const p2 = await s3.client.send(
      new UploadPartCommand({ Bucket, Key: 'small.bin', UploadId, PartNumber: 2, Body: 'b' }),
    );
    const complete = s3.client.send(
      new CompleteMultipartUploadCommand({
        Bucket,
        Key: 'small.bin',
        UploadId,
        MultipartUpload: {
          Parts: [
            { PartNumber: 1, ETag: p1.ETag },
            { PartNumber: 2, ETag: p2.ETag },
          ],
        },
      }),
    );
    await expect(complete).rejects.toMatchObject({ name: 'EntityTooSmall' });
    await s3.client.send(new AbortMultipartUploadCommand({ Bucket, Key: 'small.bin', UploadId }));
    await expect(
      s3.client.send(new UploadPartCommand({ Bucket, Key: 'small.bin', UploadId, PartNumber: 3, Body: 'c' })),
    ).rejects.toBeInstanceOf(NoSuchUpload);
  });
});

describe('streaming uploads', () => {
  it('decodes aws-chunked bodies with checksum trailers', async () => {
    // A stream of unknown length makes the SDK send aws-chunked framing with an x-amz-checksum-crc32 trailer.
    const chunks = [Buffer.from('streamed '), Buffer.from('body')];
    await s3.client.send(
      new PutObjectCommand({ Bucket, Key: 'stream.txt', Body: Readable.from(chunks), ContentLength: 13 }),
    );
    const out = await s3.client.send(
      new GetObjectCommand({ Bucket, Key: 'stream.txt', ChecksumMode: 'ENABLED' }),
    );
    expect(await out.Body!.transformToString()).toBe('streamed body');
    expect(out.ContentEncoding).toBeUndefined();
    // The CRC32 came in the trailer; S3 keeps it and the SDK validates it on the way back.
    expect(out.ChecksumCRC32).toBe('z7Y9bA==');
  });
});
