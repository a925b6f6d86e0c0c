/**
 * Each S3 Batch Operations operation applied by the task runner to the REAL emulated S3 (S3Operations), field
 * by field, as the S3 API the operation stands for would apply it.
 */
import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { createEmulatorClock } from '../../../emulator/clock.js';
import type { ObjectRef } from '../../../emulator/contracts.js';
import { createS3Service, type S3Service } from '../../../emulator/s3/index.js';
import { targetKey } from '../../../emulator/s3control/s3-task.js';
import { createTaskExecutor } from '../../../emulator/s3control/task-runner.js';
import type { JobRecord, OperationParams, TaskOutcome } from '../../../emulator/s3control/types.js';
import { createMemoryStorage } from '../../../emulator/storage/index.js';

const ACCOUNT = '123456789012';

function startS3(): S3Service {
  return createS3Service({
    storage: createMemoryStorage(),
    clock: createEmulatorClock(1),
    accountId: ACCOUNT,
    region: 'us-east-1',
  });
}

/** Runs one task of `operation` on `ref`, as the engine does. */
function runTask(
  s3: S3Service,
  operation: Record<string, OperationParams>,
  ref: ObjectRef,
): Promise<TaskOutcome> {
  const record = { JobId: 'job-1', Operation: operation } as unknown as JobRecord;
  const execute = createTaskExecutor(record, {
    s3: s3.backend,
    lambda: { invoke: async () => ({}) },
    clock: createEmulatorClock(1),
    maxAttempts: 1,
  });
  return execute([ref.bucket, encodeURIComponent(ref.key), ref.versionId ?? null]);
}

describe('S3InitiateRestoreObject', () => {
  it.each([
    ['BULK', 'Bulk'],
    ['STANDARD', 'Standard'],
  ])(
    'maps GlacierJobTier %s to the S3 restore tier %s and keeps ExpirationInDays',
    async (jobTier, s3Tier) => {
      // Prepare
      const s3 = startS3();
      s3.backend.ensureBucket('cold');
      s3.backend.putObject('cold', 'a.txt', Buffer.from('a'), { storageClass: 'GLACIER' });
      // Act
      const outcome = await runTask(
        s3,
        { S3InitiateRestoreObject: { ExpirationInDays: 3, GlacierJobTier: jobTier } },
        { bucket: 'cold', key: 'a.txt' },
      );
      // Assess
      expect(outcome).toMatchObject({ succeeded: true, httpStatus: 200 });
      const { version } = s3.backend.resolve({ bucket: 'cold', key: 'a.txt' });
      expect(version.restore).toMatchObject({ tier: s3Tier, days: 3 });
      s3.close();
    },
  );
});

describe('targetKey (S3PutObjectCopy TargetKeyPrefix)', () => {
  it('puts the key in the prefix as a folder, without doubling a trailing slash', () => {
    expect(targetKey('copied', 'data/a.txt')).toBe('copied/data/a.txt');
    expect(targetKey('copied/', 'data/a.txt')).toBe('copied/data/a.txt');
    expect(targetKey(undefined, 'data/a.txt')).toBe('data/a.txt');
  });
});

describe('S3PutObjectCopy', () => {
  const copyTo = (fields: OperationParams = {}) => ({
    S3PutObjectCopy: { TargetResource: 'arn:aws:s3:::target', ...fields },
  });

  function seeded(options: { lockedTarget?: boolean } = {}): S3Service {
    const s3 = startS3();
    s3.backend.ensureBucket('source');
    s3.backend.createBucket('target', { objectLock: options.lockedTarget === true });
    s3.backend.putObject('source', 'a.txt', Buffer.from('a'), { metadata: { kept: 'yes' } });
    return s3;
  }

  it('fails with 412 PreconditionFailed when the source was not modified since ModifiedSinceConstraint', async () => {
    const s3 = seeded();
    const outcome = await runTask(s3, copyTo({ ModifiedSinceConstraint: '2999-01-01T00:00:00Z' }), {
      bucket: 'source',
      key: 'a.txt',
    });
    expect(outcome).toMatchObject({ succeeded: false, httpStatus: 412, errorCode: 'PreconditionFailed' });
    expect(() => s3.backend.headObject({ bucket: 'target', key: 'a.txt' })).toThrow(/does not exist/);
    s3.close();
  });

  it('fails with 412 when the source was modified after UnModifiedSinceConstraint', async () => {
    const s3 = seeded();
    const outcome = await runTask(s3, copyTo({ UnModifiedSinceConstraint: '2001-01-01T00:00:00Z' }), {
      bucket: 'source',
      key: 'a.txt',
    });
    expect(outcome).toMatchObject({ succeeded: false, httpStatus: 412, errorCode: 'PreconditionFailed' });
    s3.close();
  });

  it('copies the metadata without NewObjectMetadata and replaces it when NewObjectMetadata is given', async () => {
    const s3 = seeded();
    await runTask(s3, copyTo({ TargetKeyPrefix: 'kept' }), { bucket: 'source', key: 'a.txt' });
    await runTask(
      s3,
      copyTo({ TargetKeyPrefix: 'new', NewObjectMetadata: { UserMetadata: { Fresh: '1' } } }),
      {
        bucket: 'source',
        key: 'a.txt',
      },
    );
    expect(s3.backend.headObject({ bucket: 'target', key: 'kept/a.txt' }).metadata).toEqual({ kept: 'yes' });
    expect(s3.backend.headObject({ bucket: 'target', key: 'new/a.txt' }).metadata).toEqual({ fresh: '1' });
    s3.close();
  });

  it('refuses Object Lock fields on a bucket without Object Lock, and a mode without a date', async () => {
    const s3 = seeded();
    const ref = { bucket: 'source', key: 'a.txt' };
    const lock = { ObjectLockMode: 'GOVERNANCE', ObjectLockRetainUntilDate: '2099-01-01T00:00:00Z' };
    expect(await runTask(s3, copyTo(lock), ref)).toMatchObject({
      errorCode: 'InvalidRequest',
      httpStatus: 400,
    });
    expect(await runTask(s3, copyTo({ ObjectLockMode: 'GOVERNANCE' }), ref)).toMatchObject({
      errorCode: 'InvalidArgument',
    });
    s3.close();
  });

  it('refuses a canned ACL together with grants, and a KMS key id without SSEAlgorithm KMS', async () => {
    const s3 = seeded();
    const ref = { bucket: 'source', key: 'a.txt' };
    const grants = [{ Grantee: { TypeIdentifier: 'uri', Identifier: 'x' }, Permission: 'READ' }];
    expect(
      await runTask(s3, copyTo({ CannedAccessControlList: 'private', AccessControlGrants: grants }), ref),
    ).toMatchObject({ errorCode: 'InvalidRequest' });
    expect(await runTask(s3, copyTo({ SSEAwsKmsKeyId: 'key' }), ref)).toMatchObject({
      errorCode: 'InvalidArgument',
    });
    s3.close();
  });
});

describe('S3PutObjectRetention', () => {
  function locked(mode: 'GOVERNANCE' | 'COMPLIANCE'): S3Service {
    const s3 = startS3();
    s3.backend.createBucket('locked', { objectLock: true });
    s3.backend.putObject('locked', 'a.txt', Buffer.from('a'));
    s3.backend.putObjectRetention({ bucket: 'locked', key: 'a.txt' }, mode, '2099-01-01T00:00:00Z');
    return s3;
  }
  const shorten = (bypass: boolean) => ({
    S3PutObjectRetention: {
      BypassGovernanceRetention: bypass,
      Retention: { Mode: 'GOVERNANCE', RetainUntilDate: '2090-01-01T00:00:00Z' },
    },
  });
  const ref = { bucket: 'locked', key: 'a.txt' };

  it('shortens GOVERNANCE retention only with BypassGovernanceRetention', async () => {
    const s3 = locked('GOVERNANCE');
    expect(await runTask(s3, shorten(false), ref)).toMatchObject({
      errorCode: 'AccessDenied',
      httpStatus: 403,
    });
    expect(await runTask(s3, shorten(true), ref)).toMatchObject({ succeeded: true });
    expect(s3.backend.headObject(ref).objectLockRetainUntilDate).toBe('2090-01-01T00:00:00.000Z');
    s3.close();
  });

  it('never shortens or weakens COMPLIANCE retention, bypass or not', async () => {
    const s3 = locked('COMPLIANCE');
    expect(await runTask(s3, shorten(true), ref)).toMatchObject({ errorCode: 'AccessDenied' });
    expect(s3.backend.headObject(ref)).toMatchObject({
      objectLockMode: 'COMPLIANCE',
      objectLockRetainUntilDate: '2099-01-01T00:00:00.000Z',
    });
    s3.close();
  });
});

describe('S3ComputeObjectChecksum', () => {
  const sha256 = (bytes: Buffer) => createHash('sha256').update(bytes).digest();

  it('computes FULL_OBJECT and COMPOSITE checksums of a multipart object', async () => {
    const s3 = startS3();
    s3.backend.ensureBucket('data');
    const [part1, part2] = [Buffer.alloc(10, 1), Buffer.alloc(4, 2)];
    s3.backend.writeObject(
      'data',
      'multi',
      Buffer.concat([part1, part2]),
      { partsCount: 2, partSizes: [10, 4] },
      'CompleteMultipartUpload',
    );
    const ref = { bucket: 'data', key: 'multi' };
    const full = await runTask(s3, { S3ComputeObjectChecksum: { ChecksumAlgorithm: 'SHA256' } }, ref);
    const composite = await runTask(
      s3,
      { S3ComputeObjectChecksum: { ChecksumAlgorithm: 'SHA256', ChecksumType: 'COMPOSITE' } },
      ref,
    );
    expect(full.message).toBe(sha256(Buffer.concat([part1, part2])).toString('base64'));
    expect(composite.message).toBe(
      `${sha256(Buffer.concat([sha256(part1), sha256(part2)])).toString('base64')}-2`,
    );
    s3.close();
  });

  it('fails tasks with 501 NotImplemented for the xxHash algorithms', async () => {
    const s3 = startS3();
    s3.backend.ensureBucket('data');
    s3.backend.putObject('data', 'a', Buffer.from('a'));
    const outcome = await runTask(
      s3,
      { S3ComputeObjectChecksum: { ChecksumAlgorithm: 'XXHASH64' } },
      {
        bucket: 'data',
        key: 'a',
      },
    );
    expect(outcome).toMatchObject({ succeeded: false, httpStatus: 501, errorCode: 'NotImplemented' });
    s3.close();
  });
});
