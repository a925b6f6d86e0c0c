import {
  CreateBucketCommand,
  DeleteObjectCommand,
  GetBucketVersioningCommand,
  GetObjectCommand,
  GetObjectLegalHoldCommand,
  GetObjectRetentionCommand,
  GetObjectTaggingCommand,
  HeadObjectCommand,
  ListObjectsV2Command,
  ListObjectVersionsCommand,
  NoSuchKey,
  PutBucketVersioningCommand,
  PutObjectCommand,
  PutObjectLegalHoldCommand,
  PutObjectRetentionCommand,
  PutObjectTaggingCommand,
} from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type S3Harness, startS3Harness } from './harness.js';

let s3: S3Harness;

beforeAll(async () => {
  s3 = await startS3Harness();
});
afterAll(async () => {
  await s3.close();
});

const text = async (Bucket: string, Key: string, VersionId?: string) =>
  (await s3.client.send(new GetObjectCommand({ Bucket, Key, VersionId }))).Body!.transformToString();

describe('versioning', () => {
  it('keeps every version, reads any of them and hides the key behind a delete marker', async () => {
    // Prepare
    const Bucket = 'versioned';
    await s3.client.send(new CreateBucketCommand({ Bucket }));
    await s3.client.send(
      new PutBucketVersioningCommand({ Bucket, VersioningConfiguration: { Status: 'Enabled' } }),
    );
    // Act
    const v1 = await s3.client.send(new PutObjectCommand({ Bucket, Key: 'doc', Body: 'one' }));
    const v2 = await s3.client.send(new PutObjectCommand({ Bucket, Key: 'doc', Body: 'two' }));
    await s3.client.send(
      new PutObjectTaggingCommand({
        Bucket,
        Key: 'doc',
        VersionId: v1.VersionId,
        Tagging: { TagSet: [{ Key: 'old', Value: 'yes' }] },
      }),
    );
    const deleted = await s3.client.send(new DeleteObjectCommand({ Bucket, Key: 'doc' }));
    // Assess
    expect((await s3.client.send(new GetBucketVersioningCommand({ Bucket }))).Status).toBe('Enabled');
    expect(v1.VersionId).toBeTruthy();
    expect(v2.VersionId).not.toBe(v1.VersionId);
    expect(await text(Bucket, 'doc', v1.VersionId)).toBe('one');
    expect(await text(Bucket, 'doc', v2.VersionId)).toBe('two');
    const tags = await s3.client.send(
      new GetObjectTaggingCommand({ Bucket, Key: 'doc', VersionId: v1.VersionId }),
    );
    expect(tags.TagSet).toEqual([{ Key: 'old', Value: 'yes' }]);
    expect(deleted.DeleteMarker).toBe(true);
    await expect(text(Bucket, 'doc')).rejects.toBeInstanceOf(NoSuchKey);
    expect((await s3.client.send(new ListObjectsV2Command({ Bucket }))).KeyCount).toBe(0);
    const versions = await s3.client.send(new ListObjectVersionsCommand({ Bucket }));
    expect(versions.Versions?.map((v) => v.VersionId)).toEqual([v2.VersionId, v1.VersionId]);
    expect(versions.DeleteMarkers?.map((m) => [m.VersionId, m.IsLatest])).toEqual([
      [deleted.VersionId, true],
    ]);
    await expect(
      s3.client.send(new GetObjectCommand({ Bucket, Key: 'doc', VersionId: 'missingversion' })),
    ).rejects.toMatchObject({
      name: 'NoSuchVersion',
    });

    // Removing the delete marker brings the object back.
    await s3.client.send(new DeleteObjectCommand({ Bucket, Key: 'doc', VersionId: deleted.VersionId }));
    expect(await text(Bucket, 'doc')).toBe('two');
    const head = await s3.client.send(new HeadObjectCommand({ Bucket, Key: 'doc' }));
    expect(head.VersionId).toBe(v2.VersionId);
  });

  it('replaces the object in an unversioned bucket and reports no version id', async () => {
    const Bucket = 'unversioned';
    await s3.client.send(new CreateBucketCommand({ Bucket }));
    const first = await s3.client.send(new PutObjectCommand({ Bucket, Key: 'k', Body: 'a' }));
    await s3.client.send(new PutObjectCommand({ Bucket, Key: 'k', Body: 'b' }));
    expect(first.VersionId).toBeUndefined();
    expect(await text(Bucket, 'k')).toBe('b');
    const versions = await s3.client.send(new ListObjectVersionsCommand({ Bucket }));
    expect(versions.Versions?.map((v) => v.VersionId)).toEqual(['null']);
  });

  it('applies legal holds and retention only on Object Lock buckets, and they block permanent deletes', async () => {
    const plain = 'no-lock';
    await s3.client.send(new CreateBucketCommand({ Bucket: plain }));
    await s3.client.send(new PutObjectCommand({ Bucket: plain, Key: 'k', Body: 'a' }));
    await expect(
      s3.client.send(new PutObjectLegalHoldCommand({ Bucket: plain, Key: 'k', LegalHold: { Status: 'ON' } })),
    ).rejects.toMatchObject({ name: 'InvalidRequest' });

    const Bucket = 'with-lock';
    await s3.client.send(new CreateBucketCommand({ Bucket, ObjectLockEnabledForBucket: true }));
    const put = await s3.client.send(new PutObjectCommand({ Bucket, Key: 'k', Body: 'a' }));
    await s3.client.send(new PutObjectLegalHoldCommand({ Bucket, Key: 'k', LegalHold: { Status: 'ON' } }));
    const until = new Date(Date.now() + 86_400_000);
    await s3.client.send(
      new PutObjectRetentionCommand({
        Bucket,
        Key: 'k',
        Retention: { Mode: 'GOVERNANCE', RetainUntilDate: until },
      }),
    );
    expect(
      (await s3.client.send(new GetObjectLegalHoldCommand({ Bucket, Key: 'k' }))).LegalHold?.Status,
    ).toBe('ON');
    const retention = await s3.client.send(new GetObjectRetentionCommand({ Bucket, Key: 'k' }));
    expect(retention.Retention?.Mode).toBe('GOVERNANCE');
    expect(retention.Retention?.RetainUntilDate?.getTime()).toBe(until.getTime());
    await expect(
      s3.client.send(new DeleteObjectCommand({ Bucket, Key: 'k', VersionId: put.VersionId })),
    ).rejects.toMatchObject({ name: 'AccessDenied' });
  });
});
