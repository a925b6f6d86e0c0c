/**
 * CreateJob with a ManifestGenerator: S3 Control lists the source bucket while the job is Preparing, keeps the
 * objects every given filter accepts and runs the job on exactly those. Each job below tags what it selects,
 * so the selection is checked object by object (tagged = selected, untagged = the rest).
 */
import { PutBucketReplicationCommand } from '@aws-sdk/client-s3';
import {
  CreateJobCommand,
  type JobManifestGeneratorFilter,
  ListJobsCommand,
  type S3JobManifestGenerator,
} from '@aws-sdk/client-s3-control';
import { afterEach, describe, expect, it } from 'vitest';
import { parseRequestBody, validateCreateJob } from '../../../emulator/s3control/create-job-request.js';
import {
  aGeneratorJobInput,
  currentKeys,
  runJob,
  s3Client,
  sleep,
  versionsTagged,
} from './generator-helpers.js';
import {
  ACCOUNT_ID,
  aCreateJobInput,
  createTestEnv,
  describe as describeJob,
  seedObjects,
  type TestEnv,
} from './helpers.js';

let env: TestEnv | undefined;
afterEach(async () => {
  await env?.close();
  env = undefined;
});

const SOURCE = 'gen-source';

interface Seed {
  key: string;
  size: number;
  storageClass: string;
}

/** Written first; the cut-off time falls after them. */
const OLDER: Seed[] = [
  { key: 'logs/2024/a.log', size: 10, storageClass: 'STANDARD' },
  { key: 'logs/2024/b.txt', size: 2000, storageClass: 'STANDARD' },
  { key: 'images/cat.png', size: 500, storageClass: 'GLACIER' },
  { key: 'images/dog.jpg', size: 50, storageClass: 'STANDARD_IA' },
  { key: 'archive/report final.csv', size: 5000, storageClass: 'DEEP_ARCHIVE' },
];
/** Written after the cut-off. */
const NEWER: Seed[] = [
  { key: 'logs/2025/c.log', size: 100, storageClass: 'STANDARD' },
  { key: 'logs-old/d.log', size: 7, storageClass: 'ONEZONE_IA' },
  { key: 'tmp/draft-final.txt', size: 1, storageClass: 'INTELLIGENT_TIERING' },
  { key: 'images/bird.png', size: 3000, storageClass: 'GLACIER_IR' },
];
const ALL_KEYS = [...OLDER, ...NEWER].map((seed) => seed.key).sort();
const keysOf = (seeds: Seed[]) => seeds.map((seed) => seed.key);

/** Seeds both generations with emulated time passing between them; returns the cut-off instant. */
async function seedSource(testEnv: TestEnv): Promise<Date> {
  const put = (seeds: Seed[]) => {
    for (const { key, size, storageClass } of seeds) {
      testEnv.s3.putObject(SOURCE, key, Buffer.alloc(size, 0x61), { storageClass });
    }
  };
  testEnv.s3.ensureBucket(SOURCE);
  put(OLDER);
  await sleep(20); // 20 emulated seconds at the test clock's scale of 1000
  const cutoff = testEnv.s3.clock.now();
  await sleep(20);
  put(NEWER);
  return cutoff;
}

const filterCases: {
  name: string;
  filter: (cutoff: Date) => JobManifestGeneratorFilter;
  expected: string[];
}[] = [
  {
    name: 'MatchAnyPrefix',
    filter: () => ({ KeyNameConstraint: { MatchAnyPrefix: ['logs/'] } }),
    expected: ['logs/2024/a.log', 'logs/2024/b.txt', 'logs/2025/c.log'],
  },
  {
    name: 'MatchAnyPrefix with overlapping prefixes (each object once)',
    filter: () => ({ KeyNameConstraint: { MatchAnyPrefix: ['logs/2024/', 'logs', 'images/c'] } }),
    expected: ['images/cat.png', 'logs-old/d.log', 'logs/2024/a.log', 'logs/2024/b.txt', 'logs/2025/c.log'],
  },
  {
    name: 'MatchAnySuffix',
    filter: () => ({ KeyNameConstraint: { MatchAnySuffix: ['.png', '.csv'] } }),
    expected: ['archive/report final.csv', 'images/bird.png', 'images/cat.png'],
  },
  {
    name: 'MatchAnySubstring',
    filter: () => ({ KeyNameConstraint: { MatchAnySubstring: ['final'] } }),
    expected: ['archive/report final.csv', 'tmp/draft-final.txt'],
  },
  {
    name: 'ObjectSizeGreaterThanBytes (strict)',
    filter: () => ({ ObjectSizeGreaterThanBytes: 100 }),
    expected: ['archive/report final.csv', 'images/bird.png', 'images/cat.png', 'logs/2024/b.txt'],
  },
  {
    name: 'ObjectSizeLessThanBytes (strict)',
    filter: () => ({ ObjectSizeLessThanBytes: 50 }),
    expected: ['logs-old/d.log', 'logs/2024/a.log', 'tmp/draft-final.txt'],
  },
  {
    name: 'MatchAnyStorageClass',
    filter: () => ({ MatchAnyStorageClass: ['GLACIER', 'DEEP_ARCHIVE', 'ONEZONE_IA'] }),
    expected: ['archive/report final.csv', 'images/cat.png', 'logs-old/d.log'],
  },
  {
    name: 'CreatedBefore (emulated time)',
    filter: (cutoff) => ({ CreatedBefore: cutoff }),
    expected: keysOf(OLDER),
  },
  {
    name: 'CreatedAfter (emulated time)',
    filter: (cutoff) => ({ CreatedAfter: cutoff }),
    expected: keysOf(NEWER),
  },
  {
    name: 'several filters at once (all must match)',
    filter: () => ({
      KeyNameConstraint: { MatchAnyPrefix: ['images/'] },
      MatchAnyStorageClass: ['GLACIER_IR', 'STANDARD_IA'],
      ObjectSizeGreaterThanBytes: 60,
    }),
    expected: ['images/bird.png'],
  },
  {
    name: 'several filters including time and suffix',
    filter: (cutoff) => ({ CreatedAfter: cutoff, KeyNameConstraint: { MatchAnySuffix: ['.log'] } }),
    expected: ['logs-old/d.log', 'logs/2025/c.log'],
  },
  {
    name: 'no filter (the whole bucket)',
    filter: () => ({}),
    expected: ALL_KEYS,
  },
];

describe('ManifestGenerator filters', () => {
  it.each(filterCases)('$name selects exactly the matching objects', async ({ filter, expected }) => {
    // Prepare
    env = await createTestEnv();
    const cutoff = await seedSource(env);
    // Act
    const job = await runJob(env, aGeneratorJobInput(SOURCE, { Filter: filter(cutoff) }));
    // Assess
    expect(job.Status).toBe('Complete');
    expect(versionsTagged(env.s3, SOURCE)).toEqual([...expected].sort());
    expect(ALL_KEYS.filter((key) => !expected.includes(key))).toEqual(
      currentKeys(env.s3, SOURCE).filter((key) => !versionsTagged(env!.s3, SOURCE).includes(key)),
    );
    expect(job.ProgressSummary).toMatchObject({
      TotalNumberOfTasks: expected.length,
      NumberOfTasksSucceeded: expected.length,
      NumberOfTasksFailed: 0,
    });
  });
});

const KEY_1 = `arn:aws:kms:us-east-1:${ACCOUNT_ID}:key/11111111-1111-1111-1111-111111111111`;
const KEY_2 = `arn:aws:kms:us-east-1:${ACCOUNT_ID}:key/22222222-2222-2222-2222-222222222222`;

/** default.txt (SSE-S3 by default), sse-s3.txt (asked for), kms-1.txt (KEY_1), kms-2.txt (KEY_2 + bucket key). */
function seedEncryptedObjects(testEnv: TestEnv): void {
  const s3 = testEnv.s3;
  s3.ensureBucket(SOURCE);
  s3.putObject(SOURCE, 'default.txt', Buffer.from('d'));
  s3.putObject(SOURCE, 'sse-s3.txt', Buffer.from('s'), { serverSideEncryption: 'AES256' });
  s3.putObject(SOURCE, 'kms-1.txt', Buffer.from('k1'), {
    serverSideEncryption: 'aws:kms',
    sseKmsKeyId: KEY_1,
  });
  s3.copyObject(
    { bucket: SOURCE, key: 'default.txt' },
    { bucket: SOURCE, key: 'kms-2.txt' },
    { sse: { algorithm: 'aws:kms', kmsKeyId: KEY_2, bucketKeyEnabled: true } },
  );
}

const encryptionCases: {
  name: string;
  filter: NonNullable<JobManifestGeneratorFilter['MatchAnyObjectEncryption']>;
  expected: string[];
}[] = [
  { name: 'SSES3', filter: [{ SSES3: {} }], expected: ['default.txt', 'sse-s3.txt'] },
  { name: 'SSEKMS (any key)', filter: [{ SSEKMS: {} }], expected: ['kms-1.txt', 'kms-2.txt'] },
  { name: 'SSEKMS with KmsKeyArn', filter: [{ SSEKMS: { KmsKeyArn: KEY_1 } }], expected: ['kms-1.txt'] },
  {
    name: 'SSEKMS with BucketKeyEnabled true',
    filter: [{ SSEKMS: { BucketKeyEnabled: true } }],
    expected: ['kms-2.txt'],
  },
  {
    name: 'SSEKMS with BucketKeyEnabled false',
    filter: [{ SSEKMS: { BucketKeyEnabled: false } }],
    expected: ['kms-1.txt'],
  },
  {
    name: 'any of SSES3 or SSEKMS with KEY_2',
    filter: [{ SSES3: {} }, { SSEKMS: { KmsKeyArn: KEY_2 } }],
    expected: ['default.txt', 'kms-2.txt', 'sse-s3.txt'],
  },
  // The emulator encrypts every object and has neither SSE-C nor DSSE-KMS: these select nothing.
  { name: 'NOTSSE', filter: [{ NOTSSE: {} }], expected: [] },
  { name: 'SSEC', filter: [{ SSEC: {} }], expected: [] },
  { name: 'DSSEKMS', filter: [{ DSSEKMS: { KmsKeyArn: KEY_1 } }], expected: [] },
];

describe('ManifestGenerator MatchAnyObjectEncryption', () => {
  it.each(encryptionCases)('$name selects exactly the matching objects', async ({ filter, expected }) => {
    // Prepare
    env = await createTestEnv();
    seedEncryptedObjects(env);
    // Act
    const job = await runJob(
      env,
      aGeneratorJobInput(SOURCE, { Filter: { MatchAnyObjectEncryption: filter } }),
    );
    // Assess
    expect(job.Status).toBe('Complete');
    expect(versionsTagged(env.s3, SOURCE)).toEqual(expected);
    expect(job.ProgressSummary?.TotalNumberOfTasks).toBe(expected.length);
  });
});

/**
 * `source` replicates docs/ (rule "docs") and tagged/ objects tagged replicate=yes (rule "tagged") to
 * `replica`; the rule for off/ is Disabled. docs/a.txt has been replicated (COMPLETED; its replica REPLICA).
 */
async function seedReplication(testEnv: TestEnv): Promise<void> {
  const s3 = testEnv.s3;
  for (const bucket of [SOURCE, 'replica']) {
    s3.ensureBucket(bucket);
    s3.putBucketVersioning(bucket, 'Enabled');
  }
  const client = s3Client(testEnv);
  const destination = { Bucket: 'arn:aws:s3:::replica' };
  const disabled = { Status: 'Disabled' as const };
  await client.send(
    new PutBucketReplicationCommand({
      Bucket: SOURCE,
      ReplicationConfiguration: {
        Role: `arn:aws:iam::${ACCOUNT_ID}:role/replication`,
        Rules: [
          {
            ID: 'docs',
            Priority: 1,
            Status: 'Enabled',
            Filter: { Prefix: 'docs/' },
            Destination: destination,
            DeleteMarkerReplication: disabled,
          },
          {
            ID: 'tagged',
            Priority: 2,
            Status: 'Enabled',
            Filter: { And: { Prefix: 'tagged/', Tags: [{ Key: 'replicate', Value: 'yes' }] } },
            Destination: destination,
            DeleteMarkerReplication: disabled,
          },
          {
            ID: 'off',
            Priority: 3,
            Status: 'Disabled',
            Filter: { Prefix: 'off/' },
            Destination: destination,
            DeleteMarkerReplication: disabled,
          },
        ],
      },
    }),
  );
  client.destroy();
  for (const key of ['docs/a.txt', 'docs/b.txt', 'tagged/no.txt', 'off/c.txt', 'other/d.txt']) {
    s3.putObject(SOURCE, key, Buffer.from(key));
  }
  s3.putObject(SOURCE, 'tagged/yes.txt', Buffer.from('y'), { tags: [{ Key: 'replicate', Value: 'yes' }] });
  s3.replicateObject({ bucket: SOURCE, key: 'docs/a.txt' });
  s3.putObject('replica', 'own.txt', Buffer.from('written in the replica bucket'));
}

const replicationCases: {
  name: string;
  bucket: string;
  filter: JobManifestGeneratorFilter;
  expected: string[];
}[] = [
  {
    name: 'EligibleForReplication (enabled rules by prefix and tag)',
    bucket: SOURCE,
    filter: { EligibleForReplication: true },
    expected: ['docs/a.txt', 'docs/b.txt', 'tagged/yes.txt'],
  },
  {
    name: 'ObjectReplicationStatuses COMPLETED',
    bucket: SOURCE,
    filter: { ObjectReplicationStatuses: ['COMPLETED'] },
    expected: ['docs/a.txt'],
  },
  {
    name: 'ObjectReplicationStatuses NONE (never replicated)',
    bucket: SOURCE,
    filter: { ObjectReplicationStatuses: ['NONE'] },
    expected: ['docs/b.txt', 'off/c.txt', 'other/d.txt', 'tagged/no.txt', 'tagged/yes.txt'],
  },
  {
    name: 'ObjectReplicationStatuses REPLICA',
    bucket: 'replica',
    filter: { ObjectReplicationStatuses: ['REPLICA'] },
    expected: ['docs/a.txt'],
  },
  {
    name: 'ObjectReplicationStatuses FAILED (never in this emulator)',
    bucket: SOURCE,
    filter: { ObjectReplicationStatuses: ['FAILED'] },
    expected: [],
  },
  {
    name: 'EligibleForReplication and NONE together',
    bucket: SOURCE,
    filter: { EligibleForReplication: true, ObjectReplicationStatuses: ['NONE'] },
    expected: ['docs/b.txt', 'tagged/yes.txt'],
  },
];

describe('ManifestGenerator replication filters', () => {
  it.each(replicationCases)(
    '$name selects exactly the matching objects',
    async ({ bucket, filter, expected }) => {
      // Prepare
      env = await createTestEnv();
      await seedReplication(env);
      // Act
      const job = await runJob(env, aGeneratorJobInput(bucket, { Filter: filter }));
      // Assess
      expect(job.Status).toBe('Complete');
      expect(versionsTagged(env.s3, bucket)).toEqual(expected);
      expect(job.ProgressSummary?.TotalNumberOfTasks).toBe(expected.length);
    },
  );

  it('selects nothing as eligible in a bucket without a replication configuration', async () => {
    // Prepare
    env = await createTestEnv();
    await seedSource(env);
    // Act
    const job = await runJob(env, aGeneratorJobInput(SOURCE, { Filter: { EligibleForReplication: true } }));
    // Assess
    expect(job).toMatchObject({ Status: 'Complete', ProgressSummary: { TotalNumberOfTasks: 0 } });
    expect(versionsTagged(env.s3, SOURCE)).toEqual([]);
  });
});

describe('ManifestGenerator on a versioned bucket', () => {
  /**
   * legacy.txt has a `null` version (written before versioning) under a newer one; doc.txt two versions;
   * gone.txt one version under a delete marker.
   */
  function seedVersions(testEnv: TestEnv) {
    const s3 = testEnv.s3;
    s3.ensureBucket(SOURCE);
    s3.putObject(SOURCE, 'legacy.txt', Buffer.from('before versioning'));
    s3.putBucketVersioning(SOURCE, 'Enabled');
    const legacy = s3.putObject(SOURCE, 'legacy.txt', Buffer.from('after versioning'));
    const doc1 = s3.putObject(SOURCE, 'doc.txt', Buffer.from('v1'));
    const doc2 = s3.putObject(SOURCE, 'doc.txt', Buffer.from('v2'));
    const gone = s3.putObject(SOURCE, 'gone.txt', Buffer.from('deleted later'));
    s3.deleteObject(SOURCE, 'gone.txt');
    return { legacy, doc1, doc2, gone };
  }

  it('acts on the current version of each key, by version id, and skips keys whose current version is a delete marker', async () => {
    // Prepare
    env = await createTestEnv();
    const { doc1 } = seedVersions(env);
    // Act
    const job = await runJob(env, aGeneratorJobInput(SOURCE));
    // Assess
    expect(job.ProgressSummary?.TotalNumberOfTasks).toBe(2);
    expect(versionsTagged(env.s3, SOURCE)).toEqual(['doc.txt', 'legacy.txt']);
    expect(env.s3.headObject({ bucket: SOURCE, key: 'doc.txt', versionId: doc1.versionId! }).tags).toEqual(
      [],
    );
    expect(env.s3.headObject({ bucket: SOURCE, key: 'legacy.txt', versionId: 'null' }).tags).toEqual([]);
  });

  it('gives S3ReplicateObject every version that is not a delete marker ("all eligible versions")', async () => {
    // Prepare
    env = await createTestEnv();
    const seeded = seedVersions(env);
    env.s3.ensureBucket('replica');
    env.s3.putBucketVersioning('replica', 'Enabled');
    const client = s3Client(env);
    await client.send(
      new PutBucketReplicationCommand({
        Bucket: SOURCE,
        ReplicationConfiguration: {
          Role: `arn:aws:iam::${ACCOUNT_ID}:role/replication`,
          Rules: [
            {
              ID: 'all',
              Priority: 1,
              Status: 'Enabled',
              Filter: { Prefix: '' },
              Destination: { Bucket: 'arn:aws:s3:::replica' },
              DeleteMarkerReplication: { Status: 'Disabled' },
            },
          ],
        },
      }),
    );
    client.destroy();
    // Act
    const job = await runJob(env, aGeneratorJobInput(SOURCE, {}, { Operation: { S3ReplicateObject: {} } }));
    // Assess
    expect(job.ProgressSummary).toMatchObject({ TotalNumberOfTasks: 5, NumberOfTasksSucceeded: 5 });
    const replicated = [...env.s3.listObjectVersions('replica')];
    expect(replicated).toHaveLength(5);
    const replicaIds = replicated.map((version) => version.versionId);
    for (const version of [seeded.legacy, seeded.doc1, seeded.doc2, seeded.gone]) {
      expect(replicaIds).toContain(version.versionId);
    }
    const sourceVersions = [...env.s3.listObjectVersions(SOURCE)].filter(
      (version) => !version.isDeleteMarker,
    );
    expect(sourceVersions.map((version) => version.replicationStatus)).toEqual(Array(5).fill('COMPLETED'));
  });
});

describe('ManifestGenerator in the API', () => {
  const generator: S3JobManifestGenerator = {
    ExpectedBucketOwner: ACCOUNT_ID,
    SourceBucket: `arn:aws:s3:::${SOURCE}`,
    EnableManifestOutput: true,
    ManifestOutputLocation: {
      ExpectedManifestBucketOwner: ACCOUNT_ID,
      Bucket: 'arn:aws:s3:::manifests',
      ManifestPrefix: 'generated',
      ManifestEncryption: { SSEKMS: { KeyId: KEY_1 } },
      ManifestFormat: 'S3InventoryReport_CSV_20211130',
    },
    Filter: {
      EligibleForReplication: true,
      CreatedAfter: new Date('2020-01-02T03:04:05Z'),
      CreatedBefore: new Date('2030-01-02T03:04:05Z'),
      ObjectReplicationStatuses: ['NONE', 'COMPLETED'],
      KeyNameConstraint: { MatchAnyPrefix: ['a/'], MatchAnySuffix: ['.txt'], MatchAnySubstring: ['x'] },
      ObjectSizeGreaterThanBytes: 1,
      ObjectSizeLessThanBytes: 1_000_000,
      MatchAnyStorageClass: ['STANDARD', 'GLACIER_IR'],
      MatchAnyObjectEncryption: [
        { SSES3: {} },
        { SSEKMS: { KmsKeyArn: KEY_1, BucketKeyEnabled: false } },
        { DSSEKMS: { KmsKeyArn: KEY_2 } },
        { SSEC: {} },
        { NOTSSE: {} },
      ],
    },
  };

  it('returns the ManifestGenerator as given in DescribeJob, and no Manifest; ListJobs lists the job', async () => {
    // Prepare
    env = await createTestEnv({ autoStart: false });
    // Act
    const { JobId } = await env.client.send(
      new CreateJobCommand(aGeneratorJobInput(SOURCE, generator, { ClientRequestToken: 'full' })),
    );
    // Assess
    const job = await describeJob(env, JobId!);
    expect(job.ManifestGenerator).toEqual({ S3JobManifestGenerator: generator });
    expect(job.Manifest).toBeUndefined();
    expect(job.GeneratedManifestDescriptor).toBeUndefined();
    const { Jobs } = await env.client.send(new ListJobsCommand({ AccountId: ACCOUNT_ID }));
    expect(Jobs).toEqual([
      expect.objectContaining({ JobId, Operation: 'S3PutObjectTagging', Status: 'New' }),
    ]);
  });

  it('rejects a request with both Manifest and ManifestGenerator, or with neither, naming both', async () => {
    // Prepare
    env = await createTestEnv({ autoStart: false });
    const withManifest = aCreateJobInput(seedObjects(env.s3, SOURCE, ['a.txt']));
    const withGenerator = aGeneratorJobInput(SOURCE);
    // Act
    const both = env.client.send(
      new CreateJobCommand({ ...withManifest, ManifestGenerator: withGenerator.ManifestGenerator }),
    );
    const neither = env.client.send(new CreateJobCommand({ ...withManifest, Manifest: undefined }));
    // Assess
    for (const attempt of [both, neither]) {
      await expect(attempt).rejects.toMatchObject({
        name: 'BadRequestException',
        message: 'Specify exactly one of Manifest or ManifestGenerator',
      });
    }
    expect(env.service.engine.jobs()).toHaveLength(0);
  });

  it('answers a bad generator field with BadRequestException naming it', async () => {
    // Prepare
    env = await createTestEnv({ autoStart: false });
    // Act
    const attempt = env.client.send(
      new CreateJobCommand(aGeneratorJobInput(SOURCE, { SourceBucket: 'my-bucket' })),
    );
    // Assess
    await expect(attempt).rejects.toMatchObject({
      name: 'BadRequestException',
      message: expect.stringContaining('S3JobManifestGenerator.SourceBucket'),
    });
  });
});

/** A CreateJob body around `generatorXml` (the inside of <S3JobManifestGenerator>), validated as the handler does. */
function createGeneratorJob(generatorXml: string) {
  const body = `<CreateJobRequest xmlns="http://awss3control.amazonaws.com/doc/2018-08-20/">
    <Operation><S3PutObjectTagging><TagSet/></S3PutObjectTagging></Operation>
    <Report><Enabled>false</Enabled></Report><Priority>1</Priority>
    <RoleArn>arn:aws:iam::${ACCOUNT_ID}:role/r</RoleArn><ClientRequestToken>t</ClientRequestToken>
    <ManifestGenerator><S3JobManifestGenerator>${generatorXml}</S3JobManifestGenerator></ManifestGenerator>
  </CreateJobRequest>`;
  return validateCreateJob(parseRequestBody(Buffer.from(body), 'CreateJobRequest'));
}

const SOURCE_XML = '<SourceBucket>arn:aws:s3:::src</SourceBucket>';
const NO_OUTPUT = `${SOURCE_XML}<EnableManifestOutput>false</EnableManifestOutput>`;
const output = (inner: string) =>
  `${SOURCE_XML}<EnableManifestOutput>true</EnableManifestOutput><ManifestOutputLocation>${inner}</ManifestOutputLocation>`;
const OUT_OK =
  '<Bucket>arn:aws:s3:::out</Bucket><ManifestFormat>S3InventoryReport_CSV_20211130</ManifestFormat>';
const filter = (inner: string) => `${NO_OUTPUT}<Filter>${inner}</Filter>`;

describe('ManifestGenerator validation', () => {
  it.each([
    ['<EnableManifestOutput>false</EnableManifestOutput>', 'S3JobManifestGenerator.SourceBucket'],
    [
      '<SourceBucket>src</SourceBucket><EnableManifestOutput>false</EnableManifestOutput>',
      'S3JobManifestGenerator.SourceBucket',
    ],
    [SOURCE_XML, 'S3JobManifestGenerator.EnableManifestOutput'],
    [
      `${NO_OUTPUT}<ExpectedBucketOwner>me</ExpectedBucketOwner>`,
      'S3JobManifestGenerator.ExpectedBucketOwner',
    ],
    [
      `${SOURCE_XML}<EnableManifestOutput>true</EnableManifestOutput>`,
      'S3JobManifestGenerator.ManifestOutputLocation is required',
    ],
    [
      output('<Bucket>out</Bucket><ManifestFormat>S3InventoryReport_CSV_20211130</ManifestFormat>'),
      'ManifestOutputLocation.Bucket',
    ],
    [
      output(
        '<Bucket>arn:aws:s3:::out</Bucket><ManifestFormat>S3InventoryReport_CSV_20161130</ManifestFormat>',
      ),
      'ManifestOutputLocation.ManifestFormat',
    ],
    [
      output(`${OUT_OK}<ManifestPrefix>${'p'.repeat(513)}</ManifestPrefix>`),
      'ManifestOutputLocation.ManifestPrefix',
    ],
    [
      output(`${OUT_OK}<ExpectedManifestBucketOwner>12</ExpectedManifestBucketOwner>`),
      'ManifestOutputLocation.ExpectedManifestBucketOwner',
    ],
    [
      output(
        `${OUT_OK}<ManifestEncryption><SSE-S3/><SSE-KMS><KeyId>k</KeyId></SSE-KMS></ManifestEncryption>`,
      ),
      'ManifestOutputLocation.ManifestEncryption',
    ],
    [
      output(`${OUT_OK}<ManifestEncryption><SSE-KMS/></ManifestEncryption>`),
      'ManifestOutputLocation.ManifestEncryption.SSE-KMS.KeyId',
    ],
    [filter('<CreatedAfter>yesterday</CreatedAfter>'), 'Filter.CreatedAfter'],
    [filter('<CreatedBefore>soon</CreatedBefore>'), 'Filter.CreatedBefore'],
    [
      filter('<ObjectReplicationStatuses><member>DONE</member></ObjectReplicationStatuses>'),
      'Filter.ObjectReplicationStatuses',
    ],
    [
      filter('<MatchAnyStorageClass><member>COLD</member></MatchAnyStorageClass>'),
      'Filter.MatchAnyStorageClass',
    ],
    [
      filter('<ObjectSizeGreaterThanBytes>-1</ObjectSizeGreaterThanBytes>'),
      'Filter.ObjectSizeGreaterThanBytes',
    ],
    [filter('<ObjectSizeLessThanBytes>big</ObjectSizeLessThanBytes>'), 'Filter.ObjectSizeLessThanBytes'],
    [
      filter('<KeyNameConstraint><MatchAnyPrefix/></KeyNameConstraint>'),
      'Filter.KeyNameConstraint.MatchAnyPrefix',
    ],
    [
      filter(
        `<KeyNameConstraint><MatchAnySuffix><member>${'s'.repeat(1025)}</member></MatchAnySuffix></KeyNameConstraint>`,
      ),
      'Filter.KeyNameConstraint.MatchAnySuffix',
    ],
    [
      filter(
        '<MatchAnyObjectEncryption><ObjectEncryption><SSE-S3/><SSE-C/></ObjectEncryption></MatchAnyObjectEncryption>',
      ),
      'Filter.MatchAnyObjectEncryption',
    ],
    [
      filter(
        '<MatchAnyObjectEncryption><ObjectEncryption><SSE-X/></ObjectEncryption></MatchAnyObjectEncryption>',
      ),
      'Filter.MatchAnyObjectEncryption',
    ],
    [
      filter(
        '<MatchAnyObjectEncryption><ObjectEncryption><NOT-SSE><KmsKeyArn>k</KmsKeyArn></NOT-SSE></ObjectEncryption></MatchAnyObjectEncryption>',
      ),
      'Filter.MatchAnyObjectEncryption.NOT-SSE',
    ],
  ])('rejects %s naming %s', (generatorXml, field) => {
    expect(() => createGeneratorJob(generatorXml)).toThrow(field);
  });

  it('reads every list of the filter, a single <ObjectEncryption> included, and an empty <Filter/>', () => {
    const request = createGeneratorJob(
      filter(
        '<MatchAnyObjectEncryption><ObjectEncryption><SSE-KMS><BucketKeyEnabled>true</BucketKeyEnabled></SSE-KMS></ObjectEncryption></MatchAnyObjectEncryption>' +
          '<ObjectReplicationStatuses><member>REPLICA</member></ObjectReplicationStatuses>' +
          '<KeyNameConstraint><MatchAnyPrefix><member>a/</member></MatchAnyPrefix></KeyNameConstraint>',
      ),
    );
    expect(request.ManifestGenerator?.S3JobManifestGenerator.Filter).toEqual({
      MatchAnyObjectEncryption: [{ 'SSE-KMS': { BucketKeyEnabled: true } }],
      ObjectReplicationStatuses: ['REPLICA'],
      KeyNameConstraint: { MatchAnyPrefix: ['a/'] },
    });
    expect(
      createGeneratorJob(`${NO_OUTPUT}<Filter/>`).ManifestGenerator?.S3JobManifestGenerator.Filter,
    ).toEqual({});
  });
});
