/** CopyObject's request fields through the real SDK: preconditions, encryption, redirect, lock, checksum, ACL. */
import { createHash } from 'node:crypto';
import {
  CopyObjectCommand,
  CreateBucketCommand,
  GetObjectAclCommand,
  HeadObjectCommand,
  PutObjectCommand,
  PutObjectRetentionCommand,
  type S3ServiceException,
} from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type S3Harness, startS3Harness } from './harness.js';

let s3: S3Harness;

beforeAll(async () => {
  s3 = await startS3Harness();
  await s3.client.send(new CreateBucketCommand({ Bucket: 'source' }));
  await s3.client.send(new CreateBucketCommand({ Bucket: 'locked', ObjectLockEnabledForBucket: true }));
  await s3.client.send(new PutObjectCommand({ Bucket: 'source', Key: 'a.txt', Body: 'hello' }));
});
afterAll(async () => {
  await s3.close();
});

const copy = (extra: Partial<ConstructorParameters<typeof CopyObjectCommand>[0]> = {}) =>
  s3.client.send(
    new CopyObjectCommand({ Bucket: 'locked', Key: 'copy.txt', CopySource: 'source/a.txt', ...extra }),
  );

async function errorOf(promise: Promise<unknown>): Promise<S3ServiceException> {
  try {
    await promise;
  } catch (error) {
    return error as S3ServiceException;
  }
  throw new Error('expected the call to fail');
}

describe('CopyObject fields', () => {
  it('answers 412 PreconditionFailed when x-amz-copy-source-if-(un)modified-since does not hold', async () => {
    const unmodified = await errorOf(copy({ CopySourceIfUnmodifiedSince: new Date('2001-01-01T00:00:00Z') }));
    const modified = await errorOf(copy({ CopySourceIfModifiedSince: new Date('2999-01-01T00:00:00Z') }));
    expect([unmodified.name, unmodified.$metadata.httpStatusCode]).toEqual(['PreconditionFailed', 412]);
    expect([modified.name, modified.$metadata.httpStatusCode]).toEqual(['PreconditionFailed', 412]);
  });

  it('stores encryption, redirect, Object Lock fields, a new checksum and the ACL on the copy', async () => {
    // Act
    await copy({
      ServerSideEncryption: 'aws:kms',
      SSEKMSKeyId: 'alias/data',
      BucketKeyEnabled: true,
      WebsiteRedirectLocation: '/elsewhere.html',
      ObjectLockMode: 'GOVERNANCE',
      ObjectLockRetainUntilDate: new Date('2099-01-01T00:00:00Z'),
      ObjectLockLegalHoldStatus: 'ON',
      ChecksumAlgorithm: 'SHA256',
      ACL: 'public-read',
      CopySourceIfUnmodifiedSince: new Date('2999-01-01T00:00:00Z'),
    });
    // Assess
    const head = await s3.client.send(
      new HeadObjectCommand({ Bucket: 'locked', Key: 'copy.txt', ChecksumMode: 'ENABLED' }),
    );
    expect(head).toMatchObject({
      ServerSideEncryption: 'aws:kms',
      SSEKMSKeyId: 'alias/data',
      BucketKeyEnabled: true,
      WebsiteRedirectLocation: '/elsewhere.html',
      ObjectLockMode: 'GOVERNANCE',
      ObjectLockRetainUntilDate: new Date('2099-01-01T00:00:00Z'),
      ObjectLockLegalHoldStatus: 'ON',
      ChecksumSHA256: createHash('sha256').update('hello').digest('base64'),
      ChecksumType: 'FULL_OBJECT',
    });
    const acl = await s3.client.send(new GetObjectAclCommand({ Bucket: 'locked', Key: 'copy.txt' }));
    expect(acl.Grants?.some((grant) => grant.Grantee?.URI?.endsWith('/AllUsers'))).toBe(true);
  });

  it('reports SSE-S3 (AES256) for objects written without encryption headers', async () => {
    const head = await s3.client.send(new HeadObjectCommand({ Bucket: 'source', Key: 'a.txt' }));
    expect(head.ServerSideEncryption).toBe('AES256');
  });

  it('refuses a KMS key id without aws:kms encryption', async () => {
    const error = await errorOf(
      s3.client.send(
        new PutObjectCommand({ Bucket: 'source', Key: 'b.txt', Body: 'b', SSEKMSKeyId: 'alias/data' }),
      ),
    );
    expect(error.name).toBe('InvalidArgument');
  });

  it('removes a GOVERNANCE retention only with the bypass header', async () => {
    await s3.client.send(new PutObjectCommand({ Bucket: 'locked', Key: 'r.txt', Body: 'r' }));
    await s3.client.send(
      new PutObjectRetentionCommand({
        Bucket: 'locked',
        Key: 'r.txt',
        Retention: { Mode: 'GOVERNANCE', RetainUntilDate: new Date('2099-01-01T00:00:00Z') },
      }),
    );
    const denied = await errorOf(
      s3.client.send(new PutObjectRetentionCommand({ Bucket: 'locked', Key: 'r.txt', Retention: {} })),
    );
    expect(denied.name).toBe('AccessDenied');
    await s3.client.send(
      new PutObjectRetentionCommand({
        Bucket: 'locked',
        Key: 'r.txt',
        Retention: {},
        BypassGovernanceRetention: true,
      }),
    );
    const head = await s3.client.send(new HeadObjectCommand({ Bucket: 'locked', Key: 'r.txt' }));
    expect(head.ObjectLockMode).toBeUndefined();
  });
});
