import {
  CreateBucketCommand,
  GetObjectCommand,
  HeadObjectCommand,
  InvalidObjectState,
  PutObjectCommand,
  RestoreObjectCommand,
} from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type S3Harness, startS3Harness } from './harness.js';

let s3: S3Harness;
const BUCKET = 'archive-bucket';
// 5 emulated hours (Standard tier) pass in 0.25 real seconds.
const TIME_SCALE = 72_000;

beforeAll(async () => {
  s3 = await startS3Harness({ timeScale: TIME_SCALE });
  await s3.client.send(new CreateBucketCommand({ Bucket: BUCKET }));
});
afterAll(async () => {
  await s3.close();
});

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('archived objects and RestoreObject', () => {
  it('refuses reads until restored, then serves the restored copy and reports completion', async () => {
    // Prepare
    await s3.client.send(
      new PutObjectCommand({ Bucket: BUCKET, Key: 'cold.txt', Body: 'frozen', StorageClass: 'GLACIER' }),
    );
    const get = () => s3.client.send(new GetObjectCommand({ Bucket: BUCKET, Key: 'cold.txt' }));
    const restore = () =>
      s3.client.send(
        new RestoreObjectCommand({
          Bucket: BUCKET,
          Key: 'cold.txt',
          RestoreRequest: { Days: 2, GlacierJobParameters: { Tier: 'Standard' } },
        }),
      );
    s3.events.length = 0;

    // Act + Assess: archived
    const before = await get().catch((error) => error);
    expect(before).toBeInstanceOf(InvalidObjectState);
    expect(before.$metadata.httpStatusCode).toBe(403);
    expect(before.StorageClass).toBe('GLACIER');

    // Act + Assess: restore requested
    const accepted = await restore();
    expect(accepted.$metadata.httpStatusCode).toBe(202);
    const ongoing = await s3.client.send(new HeadObjectCommand({ Bucket: BUCKET, Key: 'cold.txt' }));
    expect(ongoing.Restore).toBe('ongoing-request="true"');
    expect(ongoing.StorageClass).toBe('GLACIER');
    await expect(restore()).rejects.toMatchObject({
      name: 'RestoreAlreadyInProgress',
      $metadata: { httpStatusCode: 409 },
    });
    await expect(get()).rejects.toBeInstanceOf(InvalidObjectState);

    // Act + Assess: restored after 5 emulated hours
    await sleep(400);
    const done = await s3.client.send(new HeadObjectCommand({ Bucket: BUCKET, Key: 'cold.txt' }));
    expect(done.Restore).toMatch(
      /^ongoing-request="false", expiry-date="\w{3}, \d{2} \w{3} \d{4} 00:00:00 GMT"$/,
    );
    expect(await (await get()).Body!.transformToString()).toBe('frozen');
    const again = await restore();
    expect(again.$metadata.httpStatusCode).toBe(200);

    const completed = s3.events.find((event) => event.DetailType === 'Object Restore Completed');
    expect(completed).toMatchObject({ Source: 'aws.s3', Resources: [`arn:aws:s3:::${BUCKET}`] });
    expect(JSON.parse(completed!.Detail)).toMatchObject({
      version: '0',
      bucket: { name: BUCKET },
      object: { key: 'cold.txt', size: 6 },
      'source-storage-class': 'GLACIER',
    });
  });

  it('refuses to restore an object that is not archived', async () => {
    await s3.client.send(new PutObjectCommand({ Bucket: BUCKET, Key: 'warm.txt', Body: 'warm' }));
    const restore = s3.client.send(
      new RestoreObjectCommand({ Bucket: BUCKET, Key: 'warm.txt', RestoreRequest: { Days: 1 } }),
    );
    await expect(restore).rejects.toBeInstanceOf(InvalidObjectState);
  });

  it('takes longer for Bulk restores from DEEP_ARCHIVE', async () => {
    await s3.client.send(
      new PutObjectCommand({ Bucket: BUCKET, Key: 'deep.txt', Body: 'deep', StorageClass: 'DEEP_ARCHIVE' }),
    );
    await s3.client.send(
      new RestoreObjectCommand({
        Bucket: BUCKET,
        Key: 'deep.txt',
        RestoreRequest: { Days: 1, GlacierJobParameters: { Tier: 'Bulk' } },
      }),
    );
    // 48 emulated hours = 2.4 s real: still ongoing after 0.4 s, when a Standard Glacier restore is done.
    await sleep(400);
    const head = await s3.client.send(new HeadObjectCommand({ Bucket: BUCKET, Key: 'deep.txt' }));
    expect(head.Restore).toBe('ongoing-request="true"');
  });
});
