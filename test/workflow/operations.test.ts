/**
 * Every S3 Batch Operations operation, end to end: a job request with every field of the operation set runs
 * through the real batch-job state machine on the embedded local AWS, and the effect on each object is read
 * back through the S3 API (SDK) and the emulated S3 backend.
 */
import { createHash } from 'node:crypto';
import {
  GetObjectAclCommand,
  GetObjectTaggingCommand,
  HeadObjectCommand,
  PutBucketReplicationCommand,
  PutBucketVersioningCommand,
  S3Client,
} from '@aws-sdk/client-s3';
import { describe, expect, it } from 'vitest';
import { type Harness, harnessPerTest, reportBucket } from './harness.js';

const harnesses = harnessPerTest();

const ALL_USERS = 'http://acs.amazonaws.com/groups/global/AllUsers';
const KMS_KEY = 'arn:aws:kms:us-east-1:000000000000:key/1234abcd-12ab-34cd-56ef-1234567890ab';

function s3Client(h: Harness): S3Client {
  return new S3Client({
    endpoint: h.aws.url,
    forcePathStyle: true,
    region: h.aws.region,
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
  });
}

/** A job request over `keys` of `bucket` (manifest written to manifests/<name>.csv), reporting AllTasks. */
function jobRequest(h: Harness, name: string, bucket: string, keys: string[], operation: unknown) {
  h.writeManifest(
    'manifests',
    `${name}.csv`,
    keys.map((key) => [bucket, key]),
  );
  return {
    operation,
    manifest: { bucket: 'manifests', key: `${name}.csv` },
    report: { bucket: reportBucket, prefix: name, scope: 'AllTasks' },
    wait: { minSeconds: 5, maxSeconds: 60, timeoutSeconds: 86_400 },
  };
}

async function runJob(h: Harness, name: string, bucket: string, keys: string[], operation: unknown) {
  const run = await h.run(jobRequest(h, name, bucket, keys, operation), name);
  expect(run.status, run.cause).toBe('SUCCEEDED');
  return run;
}

/** The Batch Job Completed event of the n-th job run on this harness. */
const completed = (h: Harness, n = 0) => h.events('Batch Job Completed')[n]!.detail;

/** Every row of the completion reports under `prefix`, split into fields (keys have no commas here). */
function reportRows(h: Harness, prefix: string): string[][] {
  const backend = h.aws.s3.backend;
  return backend.store
    .keys(reportBucket)
    .filter((key) => key.startsWith(`${prefix}/`) && key.endsWith('.csv'))
    .flatMap((key) =>
      backend.getObjectBody({ bucket: reportBucket, key }).toString('utf8').trim().split('\n'),
    )
    .map((line) => line.split(','));
}

function seed(h: Harness, bucket: string, keys: string[], options: { objectLock?: boolean } = {}) {
  h.aws.s3.backend.createBucket(bucket, options);
  for (const key of keys) h.aws.s3.backend.putObject(bucket, key, Buffer.from(`body of ${key}`));
}

const wait = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('S3PutObjectTagging', () => {
  it('replaces the tag set of every object', async () => {
    // Prepare
    const h = await harnesses.start();
    const keys = ['data/a.txt', 'data/b.txt'];
    seed(h, 'data-bucket', keys);
    h.aws.s3.backend.putObjectTagging({ bucket: 'data-bucket', key: keys[0]! }, [{ Key: 'old', Value: '1' }]);
    const tagSet = [
      { Key: 'classification', Value: 'public' },
      { Key: 'owner', Value: 'data team' },
    ];
    // Act
    await runJob(h, 'tagging', 'data-bucket', keys, { S3PutObjectTagging: { TagSet: tagSet } });
    // Assess
    const s3 = s3Client(h);
    for (const key of keys) {
      const { TagSet } = await s3.send(new GetObjectTaggingCommand({ Bucket: 'data-bucket', Key: key }));
      expect(TagSet).toEqual(tagSet);
    }
    expect(completed(h)).toMatchObject({
      outcome: 'Succeeded',
      summary: { totalTasks: 2, succeededTasks: 2 },
    });
    s3.destroy();
  });
});

describe('S3DeleteObjectTagging', () => {
  it('removes every tag of every object', async () => {
    const h = await harnesses.start();
    const keys = ['data/a.txt', 'data/b.txt'];
    seed(h, 'data-bucket', keys);
    for (const key of keys) {
      h.aws.s3.backend.putObjectTagging({ bucket: 'data-bucket', key }, [{ Key: 'stale', Value: 'yes' }]);
    }
    await runJob(h, 'untagging', 'data-bucket', keys, { S3DeleteObjectTagging: {} });
    for (const key of keys)
      expect(h.aws.s3.backend.headObject({ bucket: 'data-bucket', key }).tags).toEqual([]);
    expect(completed(h)).toMatchObject({ outcome: 'Succeeded', summary: { succeededTasks: 2 } });
  });
});

describe('S3PutObjectAcl', () => {
  it('applies an AccessControlPolicy with owner and grants, then a canned ACL', async () => {
    // Prepare
    const h = await harnesses.start();
    const keys = ['data/a.txt', 'data/b.txt'];
    seed(h, 'data-bucket', keys);
    const owner = h.aws.s3.backend.owner;
    const accessControlList = {
      Owner: { ID: owner.ID, DisplayName: owner.DisplayName },
      Grants: [
        {
          Grantee: { TypeIdentifier: 'id', Identifier: owner.ID, DisplayName: owner.DisplayName },
          Permission: 'FULL_CONTROL',
        },
        { Grantee: { TypeIdentifier: 'uri', Identifier: ALL_USERS }, Permission: 'READ' },
        {
          Grantee: { TypeIdentifier: 'emailAddress', Identifier: 'auditor@example.com' },
          Permission: 'READ_ACP',
        },
      ],
    };
    const s3 = s3Client(h);
    // Act
    await runJob(h, 'acl', 'data-bucket', keys, {
      S3PutObjectAcl: { AccessControlPolicy: { AccessControlList: accessControlList } },
    });
    // Assess
    for (const key of keys) {
      const acl = await s3.send(new GetObjectAclCommand({ Bucket: 'data-bucket', Key: key }));
      expect(acl.Owner).toEqual({ ID: owner.ID, DisplayName: owner.DisplayName });
      expect(acl.Grants).toEqual([
        {
          Grantee: { Type: 'CanonicalUser', ID: owner.ID, DisplayName: owner.DisplayName },
          Permission: 'FULL_CONTROL',
        },
        { Grantee: { Type: 'Group', URI: ALL_USERS }, Permission: 'READ' },
        {
          Grantee: { Type: 'AmazonCustomerByEmail', EmailAddress: 'auditor@example.com' },
          Permission: 'READ_ACP',
        },
      ]);
    }
    expect(completed(h)).toMatchObject({ outcome: 'Succeeded', summary: { succeededTasks: 2 } });

    // Act: a canned ACL replaces the grants
    await runJob(h, 'canned-acl', 'data-bucket', keys, {
      S3PutObjectAcl: { AccessControlPolicy: { CannedAccessControlList: 'authenticated-read' } },
    });
    const acl = await s3.send(new GetObjectAclCommand({ Bucket: 'data-bucket', Key: keys[0] }));
    expect(acl.Grants?.map((grant) => [grant.Grantee?.URI ?? grant.Grantee?.ID, grant.Permission])).toEqual([
      [owner.ID, 'FULL_CONTROL'],
      ['http://acs.amazonaws.com/groups/global/AuthenticatedUsers', 'READ'],
    ]);
    expect(completed(h, 1)).toMatchObject({ outcome: 'Succeeded' });
    s3.destroy();
  });
});

describe('S3PutObjectCopy', () => {
  it('copies under the target prefix with every field applied to the new object', async () => {
    // Prepare
    const h = await harnesses.start();
    const keys = ['data/a.txt', 'data/b.txt'];
    seed(h, 'data-bucket', keys);
    h.aws.s3.backend.createBucket('copy-target', { objectLock: true });
    const owner = h.aws.s3.backend.owner;
    const copy = {
      TargetResource: 'arn:aws:s3:::copy-target',
      TargetKeyPrefix: 'copied',
      AccessControlGrants: [
        { Grantee: { TypeIdentifier: 'id', Identifier: owner.ID }, Permission: 'FULL_CONTROL' },
        { Grantee: { TypeIdentifier: 'uri', Identifier: ALL_USERS }, Permission: 'READ' },
      ],
      MetadataDirective: 'REPLACE',
      ModifiedSinceConstraint: '2001-01-01T00:00:00.000Z',
      UnModifiedSinceConstraint: '2999-01-01T00:00:00.000Z',
      NewObjectMetadata: {
        CacheControl: 'max-age=3600',
        ContentDisposition: 'attachment; filename="report.txt"',
        ContentEncoding: 'identity',
        ContentLanguage: 'en-GB',
        ContentType: 'text/plain',
        HttpExpiresDate: '2030-06-01T12:00:00.000Z',
        UserMetadata: { team: 'data', purpose: 'archive' },
        SSEAlgorithm: 'KMS',
        RequesterCharged: false,
        ContentLength: 0,
        ContentMD5: 'ignored-deprecated',
      },
      NewObjectTagging: [{ Key: 'copied', Value: 'true' }],
      RedirectLocation: '/moved.html',
      RequesterPays: true,
      StorageClass: 'STANDARD_IA',
      SSEAwsKmsKeyId: KMS_KEY,
      ObjectLockLegalHoldStatus: 'ON',
      ObjectLockMode: 'GOVERNANCE',
      ObjectLockRetainUntilDate: '2099-01-01T00:00:00.000Z',
      BucketKeyEnabled: true,
      ChecksumAlgorithm: 'SHA256',
    };
    const s3 = s3Client(h);
    // Act
    await runJob(h, 'copy', 'data-bucket', keys, { S3PutObjectCopy: copy });
    // Assess: through the S3 API
    for (const key of keys) {
      const head = await s3.send(
        new HeadObjectCommand({ Bucket: 'copy-target', Key: `copied/${key}`, ChecksumMode: 'ENABLED' }),
      );
      expect(head).toMatchObject({
        CacheControl: 'max-age=3600',
        ContentDisposition: 'attachment; filename="report.txt"',
        ContentEncoding: 'identity',
        ContentLanguage: 'en-GB',
        ContentType: 'text/plain',
        ExpiresString: 'Sat, 01 Jun 2030 12:00:00 GMT',
        Metadata: { team: 'data', purpose: 'archive' },
        StorageClass: 'STANDARD_IA',
        ServerSideEncryption: 'aws:kms',
        SSEKMSKeyId: KMS_KEY,
        BucketKeyEnabled: true,
        WebsiteRedirectLocation: '/moved.html',
        ObjectLockMode: 'GOVERNANCE',
        ObjectLockRetainUntilDate: new Date('2099-01-01T00:00:00.000Z'),
        ObjectLockLegalHoldStatus: 'ON',
        ChecksumSHA256: createHash('sha256').update(`body of ${key}`).digest('base64'),
        TagCount: 1,
      });
      const acl = await s3.send(new GetObjectAclCommand({ Bucket: 'copy-target', Key: `copied/${key}` }));
      expect(acl.Grants?.map((grant) => grant.Grantee?.URI ?? grant.Grantee?.ID)).toEqual([
        owner.ID,
        ALL_USERS,
      ]);
    }
    // …and through the backend the job engine uses
    expect(h.aws.s3.backend.headObject({ bucket: 'copy-target', key: 'copied/data/a.txt' })).toMatchObject({
      tags: [{ Key: 'copied', Value: 'true' }],
      serverSideEncryption: 'aws:kms',
      checksum: { algorithm: 'SHA256', type: 'FULL_OBJECT' },
      objectLockLegalHoldStatus: 'ON',
    });
    expect(completed(h)).toMatchObject({
      outcome: 'Succeeded',
      summary: { totalTasks: 2, succeededTasks: 2 },
    });
    s3.destroy();
  });

  it('copies with a canned ACL, and fails the tasks whose source was modified after UnModifiedSinceConstraint', async () => {
    // Prepare: a.txt is older than the constraint, b.txt newer (600x time: 200 ms = 2 emulated minutes)
    const h = await harnesses.start();
    seed(h, 'data-bucket', ['data/a.txt']);
    await wait(200);
    const constraint = h.aws.clock.now().toISOString();
    await wait(200);
    seed(h, 'data-bucket', ['data/b.txt']);
    h.aws.s3.backend.createBucket('copy-target');
    // Act
    await runJob(h, 'copy-canned', 'data-bucket', ['data/a.txt', 'data/b.txt'], {
      S3PutObjectCopy: {
        TargetResource: 'arn:aws:s3:::copy-target',
        TargetKeyPrefix: 'copied/',
        CannedAccessControlList: 'public-read',
        UnModifiedSinceConstraint: constraint,
      },
    });
    // Assess
    const backend = h.aws.s3.backend;
    const copied = backend.resolve({ bucket: 'copy-target', key: 'copied/data/a.txt' }).version;
    expect(copied.acl?.Grants.map((grant) => grant.Grantee.URI ?? grant.Grantee.ID)).toEqual([
      backend.owner.ID,
      ALL_USERS,
    ]);
    expect(() => backend.headObject({ bucket: 'copy-target', key: 'copied/data/b.txt' })).toThrow(/key/);
    expect(completed(h)).toMatchObject({
      outcome: 'PartialFailure',
      summary: { totalTasks: 2, succeededTasks: 1, failedTasks: 1, byErrorCode: { PreconditionFailed: 1 } },
    });
  });
});

describe('S3InitiateRestoreObject', () => {
  it('restores archived objects with tier BULK, then STANDARD', async () => {
    // Prepare
    const h = await harnesses.start();
    const backend = h.aws.s3.backend;
    backend.createBucket('archive');
    for (const key of ['bulk/a', 'bulk/b', 'standard/a', 'standard/b']) {
      backend.putObject('archive', key, Buffer.from(key), { storageClass: 'GLACIER' });
    }
    // Act
    await runJob(h, 'restore-bulk', 'archive', ['bulk/a', 'bulk/b'], {
      S3InitiateRestoreObject: { ExpirationInDays: 7, GlacierJobTier: 'BULK' },
    });
    await runJob(h, 'restore-standard', 'archive', ['standard/a', 'standard/b'], {
      S3InitiateRestoreObject: { ExpirationInDays: 2, GlacierJobTier: 'STANDARD' },
    });
    // Assess
    for (const [key, tier, days] of [
      ['bulk/a', 'Bulk', 7],
      ['bulk/b', 'Bulk', 7],
      ['standard/a', 'Standard', 2],
      ['standard/b', 'Standard', 2],
    ] as const) {
      expect(backend.resolve({ bucket: 'archive', key }).version.restore).toMatchObject({ tier, days });
      expect(backend.headObject({ bucket: 'archive', key }).restoreStatus).toBe('ongoing-request="true"');
    }
    expect(completed(h, 0)).toMatchObject({ outcome: 'Succeeded', summary: { succeededTasks: 2 } });
    expect(completed(h, 1)).toMatchObject({ outcome: 'Succeeded', summary: { succeededTasks: 2 } });
  });
});

describe('S3PutObjectLegalHold', () => {
  it('puts every object of an Object Lock bucket under legal hold', async () => {
    const h = await harnesses.start();
    const keys = ['data/a.txt', 'data/b.txt'];
    seed(h, 'locked', keys, { objectLock: true });
    await runJob(h, 'legal-hold', 'locked', keys, { S3PutObjectLegalHold: { LegalHold: { Status: 'ON' } } });
    for (const key of keys) {
      expect(h.aws.s3.backend.headObject({ bucket: 'locked', key }).objectLockLegalHoldStatus).toBe('ON');
    }
    expect(completed(h)).toMatchObject({ outcome: 'Succeeded', summary: { succeededTasks: 2 } });
  });
});

describe('S3PutObjectRetention', () => {
  it('shortens a GOVERNANCE retention with BypassGovernanceRetention', async () => {
    // Prepare: objects retained until 2099 in GOVERNANCE mode
    const h = await harnesses.start();
    const keys = ['data/a.txt', 'data/b.txt'];
    seed(h, 'locked', keys, { objectLock: true });
    for (const key of keys) {
      h.aws.s3.backend.putObjectRetention(
        { bucket: 'locked', key },
        'GOVERNANCE',
        '2099-01-01T00:00:00.000Z',
      );
    }
    // Act
    await runJob(h, 'retention', 'locked', keys, {
      S3PutObjectRetention: {
        BypassGovernanceRetention: true,
        Retention: { Mode: 'GOVERNANCE', RetainUntilDate: '2090-01-01T00:00:00.000Z' },
      },
    });
    // Assess
    const s3 = s3Client(h);
    for (const key of keys) {
      const head = await s3.send(new HeadObjectCommand({ Bucket: 'locked', Key: key }));
      expect(head.ObjectLockMode).toBe('GOVERNANCE');
      expect(head.ObjectLockRetainUntilDate).toEqual(new Date('2090-01-01T00:00:00.000Z'));
    }
    expect(completed(h)).toMatchObject({ outcome: 'Succeeded', summary: { succeededTasks: 2 } });
    s3.destroy();
  });
});

describe('S3ReplicateObject', () => {
  it("writes a replica of every object to the replication rule's destination", async () => {
    // Prepare: versioned source and destination, a rule for data/ to STANDARD_IA
    const h = await harnesses.start();
    const backend = h.aws.s3.backend;
    backend.createBucket('source');
    backend.createBucket('replica');
    const s3 = s3Client(h);
    for (const bucket of ['source', 'replica']) {
      await s3.send(
        new PutBucketVersioningCommand({ Bucket: bucket, VersioningConfiguration: { Status: 'Enabled' } }),
      );
    }
    await s3.send(
      new PutBucketReplicationCommand({
        Bucket: 'source',
        ReplicationConfiguration: {
          Role: 'arn:aws:iam::000000000000:role/replication',
          Rules: [
            {
              ID: 'data',
              Priority: 1,
              Status: 'Enabled',
              Filter: { Prefix: 'data/' },
              DeleteMarkerReplication: { Status: 'Disabled' },
              Destination: { Bucket: 'arn:aws:s3:::replica', StorageClass: 'STANDARD_IA' },
            },
          ],
        },
      }),
    );
    const keys = ['data/a.txt', 'data/b.txt'];
    for (const key of keys) {
      backend.putObject('source', key, Buffer.from(`body of ${key}`), {
        contentType: 'text/plain',
        metadata: { origin: 'source' },
        tags: [{ Key: 'k', Value: 'v' }],
      });
    }
    // Act
    await runJob(h, 'replicate', 'source', keys, { S3ReplicateObject: {} });
    // Assess
    for (const key of keys) {
      const source = backend.headObject({ bucket: 'source', key });
      const replica = backend.headObject({ bucket: 'replica', key });
      expect(replica).toMatchObject({
        versionId: source.versionId,
        etag: source.etag,
        contentType: 'text/plain',
        metadata: { origin: 'source' },
        tags: [{ Key: 'k', Value: 'v' }],
        storageClass: 'STANDARD_IA',
        replicationStatus: 'REPLICA',
      });
      expect(source.replicationStatus).toBe('COMPLETED');
      expect(backend.getObjectBody({ bucket: 'replica', key }).toString()).toBe(`body of ${key}`);
    }
    expect(completed(h)).toMatchObject({ outcome: 'Succeeded', summary: { succeededTasks: 2 } });
    s3.destroy();
  });
});

describe('S3ComputeObjectChecksum', () => {
  it('reports the checksum of every object, archived ones included, in the result message', async () => {
    const h = await harnesses.start();
    const backend = h.aws.s3.backend;
    backend.createBucket('data-bucket');
    backend.putObject('data-bucket', 'hot.txt', Buffer.from('hot data'));
    backend.putObject('data-bucket', 'cold.txt', Buffer.from('cold data'), { storageClass: 'DEEP_ARCHIVE' });
    await runJob(h, 'checksum', 'data-bucket', ['hot.txt', 'cold.txt'], {
      S3ComputeObjectChecksum: { ChecksumAlgorithm: 'SHA256', ChecksumType: 'FULL_OBJECT' },
    });
    const sha256 = (text: string) => createHash('sha256').update(text).digest('base64');
    const messages = Object.fromEntries(reportRows(h, 'checksum').map((row) => [row[1], row.at(-1)]));
    expect(messages).toEqual({ 'hot.txt': sha256('hot data'), 'cold.txt': sha256('cold data') });
    expect(completed(h)).toMatchObject({ outcome: 'Succeeded', summary: { succeededTasks: 2 } });
  });
});

describe('LambdaInvoke', () => {
  it('invokes the function per object with schema 1.0, then 2.0 with UserArguments', async () => {
    // Prepare
    const h = await harnesses.start();
    const keys = ['data/a.txt', 'data/b.txt'];
    seed(h, 'data-bucket', keys);
    // biome-ignore lint/suspicious/noExplicitAny: the S3 Batch invocation event, read field by field
    const received: any[] = [];
    h.aws.lambda.registerFunction('batch-processor', async (event) => {
      // biome-ignore lint/suspicious/noExplicitAny: as above
      const payload = event as any;
      received.push(payload);
      return {
        invocationSchemaVersion: payload.invocationSchemaVersion,
        treatMissingKeysAs: 'PermanentFailure',
        invocationId: payload.invocationId,
        results: [{ taskId: payload.tasks[0].taskId, resultCode: 'Succeeded', resultString: 'processed' }],
      };
    });
    const functionArn = `arn:aws:lambda:${h.aws.region}:${h.aws.accountId}:function:batch-processor`;
    // Act
    await runJob(h, 'lambda-v1', 'data-bucket', keys, {
      LambdaInvoke: { FunctionArn: functionArn, InvocationSchemaVersion: '1.0' },
    });
    await runJob(h, 'lambda-v2', 'data-bucket', keys, {
      LambdaInvoke: {
        FunctionArn: functionArn,
        InvocationSchemaVersion: '2.0',
        UserArguments: { mode: 'audit', level: '2' },
      },
    });
    // Assess
    const v1 = received.filter((event) => event.invocationSchemaVersion === '1.0');
    const v2 = received.filter((event) => event.invocationSchemaVersion === '2.0');
    expect(v1.map((event) => event.tasks[0].s3Key).sort()).toEqual(keys);
    expect(v1[0].tasks[0].s3BucketArn).toBe('arn:aws:s3:::data-bucket');
    expect(v2.map((event) => event.tasks[0].s3Key).sort()).toEqual(keys);
    expect(v2[0].tasks[0].s3Bucket).toBe('data-bucket');
    expect(v2[0].job.userArguments).toEqual({ mode: 'audit', level: '2' });
    expect(reportRows(h, 'lambda-v2').map((row) => row.at(-1))).toEqual(['processed', 'processed']);
    expect(completed(h, 0)).toMatchObject({ outcome: 'Succeeded', summary: { succeededTasks: 2 } });
    expect(completed(h, 1)).toMatchObject({ outcome: 'Succeeded', summary: { succeededTasks: 2 } });
  });
});
