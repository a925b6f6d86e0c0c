/**
 * EnableManifestOutput: a generator job writes its object list as an S3InventoryReport_CSV_20211130 manifest
 * (layout in emulator/PARITY.md: `<ManifestPrefix>/job-<JobId>/manifest.json`, `manifest.checksum`,
 * `data/<uuid>.csv.gz`), DescribeJob points at it, and a later job can run on it as an inventory manifest.
 * Also: jobs whose buckets are missing fail clearly, and a generated task list survives a restart.
 */
import { createHash } from 'node:crypto';
import { gunzipSync } from 'node:zlib';
import { CreateJobCommand, type S3ManifestOutputLocation } from '@aws-sdk/client-s3-control';
import { afterEach, describe, expect, it } from 'vitest';
import { parseCsv } from '../../../emulator/s3control/csv.js';
import { aGeneratorJobInput, currentKeys, type PICKED, runJob, versionsTagged } from './generator-helpers.js';
import { ACCOUNT_ID, createTestEnv, describe as describeJob, type TestEnv, waitFor } from './helpers.js';

let env: TestEnv | undefined;
afterEach(async () => {
  await env?.close();
  env = undefined;
});

const SOURCE = 'gen-source';
const OUTPUT = 'gen-manifests';
const KMS_KEY = `arn:aws:kms:us-east-1:${ACCOUNT_ID}:key/33333333-3333-3333-3333-333333333333`;
/** Keys that need URL-encoding: a space, a plus, a non-ASCII letter, a quote and a comma. */
const KEYS = ['data/plain.txt', 'data/with space+plus.txt', 'data/café "quoted", too.txt', 'other/skip.txt'];
const SELECTED = KEYS.filter((key) => key.startsWith('data/'));

const md5 = (bytes: Buffer) => createHash('md5').update(bytes).digest('hex');

function seed(testEnv: TestEnv): void {
  testEnv.s3.ensureBucket(SOURCE);
  testEnv.s3.ensureBucket(OUTPUT);
  for (const key of KEYS) testEnv.s3.putObject(SOURCE, key, Buffer.from(`body of ${key}`));
}

function outputLocation(overrides: Partial<S3ManifestOutputLocation> = {}): S3ManifestOutputLocation {
  return {
    Bucket: `arn:aws:s3:::${OUTPUT}`,
    ManifestPrefix: 'generated/',
    ManifestFormat: 'S3InventoryReport_CSV_20211130',
    ManifestEncryption: { SSEKMS: { KeyId: KMS_KEY } },
    ...overrides,
  };
}

const writeManifest = (location = outputLocation()) => ({
  EnableManifestOutput: true,
  ManifestOutputLocation: location,
  Filter: { KeyNameConstraint: { MatchAnyPrefix: ['data/'] } },
});

describe('EnableManifestOutput', () => {
  it('writes manifest.json, manifest.checksum and gzipped CSV data files under <prefix>/job-<id>/, encrypted as asked', async () => {
    // Prepare
    env = await createTestEnv();
    seed(env);
    // Act
    const job = await runJob(env, aGeneratorJobInput(SOURCE, writeManifest()));
    // Assess: the layout
    expect(job.Status).toBe('Complete');
    const base = `generated/job-${job.JobId}`;
    const written = currentKeys(env.s3, OUTPUT);
    expect(written).toEqual(expect.arrayContaining([`${base}/manifest.json`, `${base}/manifest.checksum`]));
    expect(written).toHaveLength(3);
    const manifestBody = env.s3.getObjectBody({ bucket: OUTPUT, key: `${base}/manifest.json` });
    const manifest = JSON.parse(manifestBody.toString('utf8'));
    expect(manifest).toEqual({
      sourceBucket: SOURCE,
      destinationBucket: `arn:aws:s3:::${OUTPUT}`,
      version: '2016-11-30',
      creationTimestamp: expect.stringMatching(/^\d{13}$/),
      fileFormat: 'CSV',
      fileSchema:
        'Bucket, Key, VersionId, IsLatest, IsDeleteMarker, Size, LastModifiedDate, ETag, StorageClass',
      files: [
        {
          key: expect.stringMatching(new RegExp(`^${base}/data/[0-9a-f-]{36}\\.csv\\.gz$`)),
          size: expect.any(Number),
          MD5checksum: expect.any(String),
        },
      ],
    });
    // The digest and a newline, as S3 Inventory writes manifest.checksum (emulator/inventory-files.ts).
    expect(env.s3.getObjectBody({ bucket: OUTPUT, key: `${base}/manifest.checksum` }).toString()).toBe(
      `${md5(manifestBody)}\n`,
    );
    // Assess: the data file
    const file = manifest.files[0];
    const gzipped = env.s3.getObjectBody({ bucket: OUTPUT, key: file.key });
    expect({ size: gzipped.length, MD5checksum: md5(gzipped) }).toEqual({
      size: file.size,
      MD5checksum: file.MD5checksum,
    });
    const csv = gunzipSync(gzipped).toString('utf8');
    const lines = csv.trimEnd().split('\n');
    expect(lines.every((line) => /^"([^"]|"")*"(,"([^"]|"")*")*$/.test(line))).toBe(true);
    const rows = parseCsv(csv);
    expect(rows.map((row) => row[1])).toEqual([
      'data/caf%C3%A9+%22quoted%22%2C+too.txt',
      'data/plain.txt',
      'data/with+space%2Bplus.txt',
    ]);
    const plain = env.s3.headObject({ bucket: SOURCE, key: 'data/plain.txt' });
    expect(rows[1]).toEqual([
      SOURCE,
      'data/plain.txt',
      '',
      'true',
      'false',
      String(plain.size),
      plain.lastModified,
      plain.etag.replace(/"/g, ''),
      'STANDARD',
    ]);
    // Assess: encryption of every written object
    for (const key of written) {
      expect(env.s3.headObject({ bucket: OUTPUT, key })).toMatchObject({
        serverSideEncryption: 'aws:kms',
        sseKmsKeyId: KMS_KEY,
      });
    }
  });

  it('points DescribeJob GeneratedManifestDescriptor at manifest.json with its ETag', async () => {
    // Prepare
    env = await createTestEnv();
    seed(env);
    // Act
    const job = await runJob(env, aGeneratorJobInput(SOURCE, writeManifest()));
    // Assess
    const key = `generated/job-${job.JobId}/manifest.json`;
    expect(job.GeneratedManifestDescriptor).toEqual({
      Format: 'S3InventoryReport_CSV_20211130',
      Location: {
        ObjectArn: `arn:aws:s3:::${OUTPUT}/${key}`,
        ETag: env.s3.headObject({ bucket: OUTPUT, key }).etag.replace(/"/g, ''),
      },
    });
  });

  it('is a manifest a later job runs on as S3InventoryReport_CSV_20161130, acting on the same objects', async () => {
    // Prepare
    env = await createTestEnv();
    seed(env);
    const first = await runJob(env, aGeneratorJobInput(SOURCE, writeManifest()));
    const second: typeof PICKED = { Key: 'second', Value: 'run' };
    // Act
    const rerun = await runJob(env, {
      ...aGeneratorJobInput(SOURCE),
      ManifestGenerator: undefined,
      Manifest: {
        Spec: { Format: 'S3InventoryReport_CSV_20161130' },
        Location: first.GeneratedManifestDescriptor!.Location!,
      },
      Operation: { S3PutObjectTagging: { TagSet: [second] } },
    });
    // Assess
    expect(rerun.Status).toBe('Complete');
    expect(rerun.ProgressSummary).toMatchObject({ TotalNumberOfTasks: 3, NumberOfTasksSucceeded: 3 });
    expect(versionsTagged(env.s3, SOURCE, second)).toEqual(SELECTED.sort());
  });

  it('writes at job-<id>/ in the bucket root with SSE-S3 when no prefix and no encryption are given', async () => {
    // Prepare
    env = await createTestEnv();
    seed(env);
    // Act
    const job = await runJob(
      env,
      aGeneratorJobInput(
        SOURCE,
        writeManifest(outputLocation({ ManifestPrefix: undefined, ManifestEncryption: undefined })),
      ),
    );
    // Assess
    const key = `job-${job.JobId}/manifest.json`;
    expect(job.GeneratedManifestDescriptor?.Location?.ObjectArn).toBe(`arn:aws:s3:::${OUTPUT}/${key}`);
    expect(env.s3.headObject({ bucket: OUTPUT, key }).serverSideEncryption).toBe('AES256');
  });

  it('writes nothing and describes no generated manifest when EnableManifestOutput is false', async () => {
    // Prepare
    env = await createTestEnv();
    seed(env);
    // Act
    const job = await runJob(
      env,
      aGeneratorJobInput(SOURCE, { ...writeManifest(), EnableManifestOutput: false }),
    );
    // Assess
    expect(job).toMatchObject({ Status: 'Complete', ProgressSummary: { TotalNumberOfTasks: 3 } });
    expect(job.GeneratedManifestDescriptor).toBeUndefined();
    expect(currentKeys(env.s3, OUTPUT)).toEqual([]);
  });

  it('fails the job, running no task, when the output bucket does not exist', async () => {
    // Prepare
    env = await createTestEnv();
    seed(env);
    // Act
    const job = await runJob(
      env,
      aGeneratorJobInput(SOURCE, writeManifest(outputLocation({ Bucket: 'arn:aws:s3:::no-such-output' }))),
    );
    // Assess
    expect(job.Status).toBe('Failed');
    expect(job.FailureReasons).toEqual([
      {
        FailureCode: 'GeneratedManifestWriteFailed',
        FailureReason: expect.stringContaining('s3://no-such-output/generated/job-'),
      },
    ]);
    expect(job.FailureReasons![0]!.FailureReason).toContain('NoSuchBucket');
    expect(job.GeneratedManifestDescriptor).toBeUndefined();
    expect(job.ProgressSummary).toMatchObject({ NumberOfTasksSucceeded: 0, NumberOfTasksFailed: 0 });
    expect(versionsTagged(env.s3, SOURCE)).toEqual([]);
  });
});

describe('ManifestGenerator job failures and durability', () => {
  it('fails the job like an unreadable manifest when the source bucket does not exist', async () => {
    // Prepare
    env = await createTestEnv();
    // Act
    const job = await runJob(env, aGeneratorJobInput('no-such-source'));
    // Assess
    expect(job.Status).toBe('Failed');
    expect(job.FailureReasons).toEqual([
      {
        FailureCode: 'ManifestReadFailed',
        FailureReason: expect.stringMatching(/s3:\/\/no-such-source .*NoSuchBucket/),
      },
    ]);
    expect(job.ProgressSummary?.TotalNumberOfTasks).toBe(0);
  });

  it('keeps the generated task list across a restart: no task redone, objects added later not listed', async () => {
    // Prepare
    env = await createTestEnv({ timeScale: 100, engine: { tasksPerSecond: 5 } });
    env.s3.ensureBucket(SOURCE);
    env.s3.ensureBucket(OUTPUT);
    const keys = Array.from({ length: 400 }, (_, i) => `obj-${String(i).padStart(3, '0')}`);
    for (const key of keys) env.s3.putObject(SOURCE, key, Buffer.from(key));
    const { JobId } = await env.client.send(
      new CreateJobCommand(
        aGeneratorJobInput(SOURCE, { EnableManifestOutput: true, ManifestOutputLocation: outputLocation() }),
      ),
    );
    await waitFor(env, JobId!, (job) => (job.ProgressSummary?.NumberOfTasksSucceeded ?? 0) >= 100);
    const descriptor = (await describeJob(env, JobId!)).GeneratedManifestDescriptor;
    // Act
    await env.restart();
    const resumed = env.service.engine.jobs().find((record) => record.JobId === JobId)!;
    expect(resumed.Status).toBe('Active');
    expect(resumed.progress.succeeded).toBeLessThan(400);
    env.s3.putObject(SOURCE, 'obj-added-after-restart', Buffer.from('late'));
    const { job } = await waitFor(env, JobId!, (j) => j.Status === 'Complete');
    // Assess
    expect(job.ProgressSummary).toMatchObject({ TotalNumberOfTasks: 400, NumberOfTasksSucceeded: 400 });
    expect(env.s3Calls.get('putObjectTagging')).toBe(400);
    expect(versionsTagged(env.s3, SOURCE)).toEqual(keys);
    expect(job.GeneratedManifestDescriptor).toEqual(descriptor);
    expect(currentKeys(env.s3, OUTPUT).filter((key) => key.endsWith('manifest.json'))).toHaveLength(1);
  });
});
