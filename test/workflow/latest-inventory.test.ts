/**
 * Jobs over "whatever the latest S3 Inventory lists" (`manifest.inventory`), end to end on the embedded local
 * AWS: the emulated S3 writes real inventory reports (dated folders, manifest.json, manifest.checksum, gzipped
 * CSV), SubmitJob finds the newest, verifies and ages it, and the job runs over exactly its objects.
 */
import { PutBucketInventoryConfigurationCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { describe, expect, it } from 'vitest';
import { type Harness, harnessPerTest, reportBucket } from './harness.js';

const harnesses = harnessPerTest();
const sourceBucket = 'campaign-data';
const inventoryBucket = 'inventories';
const inventoryPrefix = 'inventory';
const configId = 'daily-all';
const tag = { Key: 'classification', Value: 'public' };

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function s3Of(h: Harness): S3Client {
  return new S3Client({
    region: h.aws.region,
    endpoint: h.aws.url,
    forcePathStyle: true,
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
  });
}

/** A daily CSV inventory of the source bucket, configured through the real S3 API. */
async function configureInventory(h: Harness): Promise<void> {
  h.aws.s3.backend.ensureBucket(sourceBucket);
  h.aws.s3.backend.ensureBucket(inventoryBucket);
  const s3 = s3Of(h);
  try {
    await s3.send(
      new PutBucketInventoryConfigurationCommand({
        Bucket: sourceBucket,
        Id: configId,
        InventoryConfiguration: {
          Id: configId,
          IsEnabled: true,
          IncludedObjectVersions: 'Current',
          Schedule: { Frequency: 'Daily' },
          OptionalFields: ['Size', 'StorageClass'],
          Destination: {
            S3BucketDestination: {
              Bucket: `arn:aws:s3:::${inventoryBucket}`,
              Format: 'CSV',
              Prefix: inventoryPrefix,
            },
          },
        },
      }),
    );
  } finally {
    s3.destroy();
  }
}

function seed(h: Harness, keys: string[]): void {
  for (const key of keys) h.aws.s3.backend.putObject(sourceBucket, key, Buffer.from(`body of ${key}`));
}

function inventoryRequest(inventory: Record<string, unknown> = {}) {
  return {
    operation: { S3PutObjectTagging: { TagSet: [tag] } },
    manifest: {
      inventory: { bucket: inventoryBucket, prefix: inventoryPrefix, sourceBucket, configId, ...inventory },
    },
    report: { bucket: reportBucket, prefix: 'batch', scope: 'AllTasks' },
    priority: 10,
    wait: { minSeconds: 5, maxSeconds: 60, timeoutSeconds: 86_400 },
  };
}

const tagged = (h: Harness, key: string) =>
  h.aws.s3.backend.headObject({ bucket: sourceBucket, key }).tags.some((t) => t.Key === tag.Key);

/** Three reports an emulated minute or more apart, each listing more objects than the one before. */
async function threeInventories(h: Harness): Promise<{ manifestKeys: string[]; newestKeys: string[] }> {
  await configureInventory(h);
  const generations = [['a.txt', 'b b.txt', 'c+c.txt'], ['d/ü.txt'], ['e.txt']];
  const manifestKeys: string[] = [];
  const newestKeys: string[] = [];
  for (const keys of generations) {
    seed(h, keys);
    newestKeys.push(...keys);
    manifestKeys.push(h.aws.s3.inventory.run(sourceBucket, configId).manifestKey);
    await sleep(150); // over one emulated minute at the harness's 600x: the next report gets its own folder
  }
  return { manifestKeys, newestKeys };
}

describe('latest S3 Inventory as the manifest, on the embedded local AWS', () => {
  it('picks the newest of three dated inventories and processes exactly its objects', async () => {
    // Prepare
    const h = await harnesses.start();
    const { manifestKeys, newestKeys } = await threeInventories(h);
    expect(new Set(manifestKeys).size).toBe(3);
    // Act
    const run = await h.run(inventoryRequest());
    // Assess
    expect(run.status, run.cause).toBe('SUCCEEDED');
    const [job] = h.aws.s3control.engine.jobs();
    expect(job?.Manifest?.Spec.Format).toBe('S3InventoryReport_CSV_20161130');
    expect(job?.Manifest?.Location.ObjectArn).toBe(`arn:aws:s3:::${inventoryBucket}/${manifestKeys[2]}`);
    expect(job?.progress.total).toBe(newestKeys.length);
    for (const key of newestKeys) expect(tagged(h, key), key).toBe(true);
    expect(JSON.stringify(h.event('Batch Job Submitted'))).toContain(manifestKeys[2]!);
  });

  it('refuses a newest inventory whose manifest.checksum does not match, creating no job', async () => {
    // Prepare
    const h = await harnesses.start();
    const { manifestKeys } = await threeInventories(h);
    const checksumKey = manifestKeys[2]!.replace(/manifest\.json$/, 'manifest.checksum');
    const s3 = s3Of(h);
    await s3.send(
      new PutObjectCommand({
        Bucket: inventoryBucket,
        Key: checksumKey,
        Body: '0123456789abcdef0123456789abcdef',
      }),
    );
    s3.destroy();
    // Act
    const run = await h.run(inventoryRequest());
    // Assess
    expect(run.error).toBe('RequestRejected');
    const rejected = h.event('Batch Job Rejected');
    expect(rejected.field).toMatch(/^manifest\.inventory/);
    expect(rejected.reason).toMatch(/checksum/i);
    expect(h.aws.s3control.engine.jobs()).toHaveLength(0);
  });

  it('refuses an inventory older than maxAgeHours, naming the field', async () => {
    // Prepare: one real second is 10 emulated hours.
    const h = await harnesses.start({ timeScale: 36_000 });
    await configureInventory(h);
    seed(h, ['a.txt']);
    h.aws.s3.inventory.run(sourceBucket, configId);
    await sleep(300);
    // Act
    const run = await h.run(inventoryRequest({ maxAgeHours: 1 }));
    // Assess
    expect(run.error).toBe('RequestRejected');
    expect(h.event('Batch Job Rejected')).toMatchObject({ field: 'manifest.inventory.maxAgeHours' });
    expect(h.aws.s3control.engine.jobs()).toHaveLength(0);
    expect(tagged(h, 'a.txt')).toBe(false);
  });

  it('refuses a request when no inventory has been delivered yet, naming manifest.inventory', async () => {
    // Prepare
    const h = await harnesses.start();
    await configureInventory(h);
    // Act
    const run = await h.run(inventoryRequest());
    // Assess
    expect(run.error).toBe('RequestRejected');
    expect(h.event('Batch Job Rejected').field).toMatch(/^manifest\.inventory/);
  });
});
