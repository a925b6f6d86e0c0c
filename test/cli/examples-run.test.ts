/**
 * Every request in examples/ runs through `s3bo run` on the local AWS, with the buckets and objects the
 * example names (examples/README.md, "Running them on the local AWS"), and does what it says.
 */
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import {
  HeadObjectCommand,
  ListObjectsV2Command,
  PutBucketInventoryConfigurationCommand,
  S3Client,
} from '@aws-sdk/client-s3';
import { describe, expect, it } from 'vitest';
import { manifestCsv } from '../../cli/lib/demo-data.js';
import { type LocalCli, localCliPerTest } from './local-aws.js';

const startLocalCli = localCliPerTest();

const examplesDir = join(import.meta.dirname, '..', '..', 'examples');
const exampleFiles = readdirSync(examplesDir)
  .filter((name) => name.endsWith('.json'))
  .sort();

const buckets = {
  data: 's3bo-demo-data',
  manifests: 's3bo-demo-manifests',
  reports: 's3bo-demo-reports',
  archive: 's3bo-demo-archive',
};
const assetKeys = Array.from({ length: 300 }, (_, i) => `assets/file-${String(i + 1).padStart(3, '0')}.txt`);
const archivedKeys = Array.from({ length: 20 }, (_, i) => `archive/2019/ledger ${i + 1}.csv`);
const exampleFunctionName = 's3bo-example-object-processor';

/** The README's data set: the buckets, 300 assets and the manifest listing them. */
function seedAssets(cli: LocalCli): void {
  const s3 = cli.aws.s3.backend;
  for (const bucket of Object.values(buckets)) s3.ensureBucket(bucket);
  for (const key of assetKeys) s3.putObject(buckets.data, key, Buffer.from(`object ${key}\n`));
  s3.putObject(
    buckets.manifests,
    'manifests/tag-public-assets.csv',
    Buffer.from(manifestCsv(buckets.data, assetKeys)),
  );
}

/** Runs `call` with an S3 client on the local AWS, for what the emulator's backend view does not show. */
async function withS3<T>(cli: LocalCli, call: (s3: S3Client) => Promise<T>): Promise<T> {
  const s3 = new S3Client({
    region: cli.aws.region,
    endpoint: cli.aws.url,
    forcePathStyle: true,
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
  });
  try {
    return await call(s3);
  } finally {
    s3.destroy();
  }
}

const headObject = (cli: LocalCli, bucket: string, key: string) =>
  withS3(cli, (s3) => s3.send(new HeadObjectCommand({ Bucket: bucket, Key: key })));

/**
 * The daily inventory examples/README.md configures (`aws s3api put-bucket-inventory-configuration`), and
 * its first report, produced now (`s3bo inventory run s3bo-demo-data daily-all`) rather than at midnight.
 */
async function seedInventory(cli: LocalCli): Promise<void> {
  await withS3(cli, (s3) =>
    s3.send(
      new PutBucketInventoryConfigurationCommand({
        Bucket: buckets.data,
        Id: 'daily-all',
        InventoryConfiguration: {
          Id: 'daily-all',
          IsEnabled: true,
          IncludedObjectVersions: 'Current',
          Schedule: { Frequency: 'Daily' },
          OptionalFields: ['Size', 'StorageClass', 'ETag'],
          Destination: {
            S3BucketDestination: {
              Bucket: `arn:aws:s3:::${buckets.manifests}`,
              Format: 'CSV',
              Prefix: 'inventory',
            },
          },
        },
      }),
    ),
  );
  const ran = await cli.s3bo(['inventory', 'run', buckets.data, 'daily-all']);
  expect(ran.code, ran.stderr).toBe(0);
}

const tagsOf = (cli: LocalCli, key: string) =>
  cli.aws.s3.backend.headObject({ bucket: buckets.data, key }).tags;

interface ExampleRun {
  /** What the example needs besides the project: buckets, objects, a manifest, a function. */
  seed(cli: LocalCli): void | Promise<void>;
  /** Tasks the job runs: every one succeeds. */
  tasks: number;
  /** The example's effect on the objects. */
  assertEffect(cli: LocalCli): Promise<void> | void;
}

const tagged = (cli: LocalCli) => {
  for (const key of [assetKeys[0]!, assetKeys[299]!]) {
    expect(cli.aws.s3.backend.headObject({ bucket: buckets.data, key }).tags).toEqual([
      { Key: 'classification', Value: 'public' },
    ]);
  }
};

const runs: Record<string, ExampleRun> = {
  'tag-request.json': { seed: seedAssets, tasks: 300, assertEffect: tagged },
  'policy-request.json': { seed: seedAssets, tasks: 300, assertEffect: tagged },
  'copy-request.json': {
    seed: seedAssets,
    tasks: 300,
    assertEffect(cli) {
      // "copies to s3bo-demo-archive under copied/" (examples/README.md)
      const copy = cli.aws.s3.backend.headObject({ bucket: buckets.archive, key: `copied/${assetKeys[0]}` });
      expect(copy.storageClass).toBe('STANDARD_IA');
      expect(copy.metadata).toEqual({ 'copied-by': 's3bo' });
      expect(
        cli.aws.s3.backend.getObjectBody({ bucket: buckets.archive, key: `copied/${assetKeys[0]}` }),
      ).toEqual(Buffer.from(`object ${assetKeys[0]}\n`));
    },
  },
  'lambda-request.json': {
    seed(cli) {
      seedAssets(cli);
      // The function the example names ("replace FunctionArn with your function"): it writes a
      // thumbnail marker per object, from the invocation schema 2.0 event and its user arguments.
      cli.aws.lambda.registerFunction(exampleFunctionName, async (event) => {
        const { invocationSchemaVersion, invocationId, job, tasks } = event as {
          invocationSchemaVersion: string;
          invocationId: string;
          job: { userArguments?: Record<string, string> };
          tasks: { taskId: string; s3Bucket: string; s3Key: string }[];
        };
        const task = tasks[0]!;
        const key = decodeURIComponent(task.s3Key);
        const args = job.userArguments ?? {};
        cli.aws.s3.backend.putObject(task.s3Bucket, `thumbnails/${key}`, Buffer.from(JSON.stringify(args)));
        return {
          invocationSchemaVersion,
          treatMissingKeysAs: 'PermanentFailure',
          invocationId,
          results: [{ taskId: task.taskId, resultCode: 'Succeeded', resultString: `${args.mode} ${key}` }],
        };
      });
    },
    tasks: 300,
    assertEffect(cli) {
      const marker = cli.aws.s3.backend.getObjectBody({
        bucket: buckets.data,
        key: `thumbnails/${assetKeys[0]}`,
      });
      expect(JSON.parse(marker.toString('utf8'))).toEqual({ mode: 'thumbnail', maxWidth: '640' });
    },
  },
  'generator-request.json': {
    seed(cli) {
      seedAssets(cli);
      // Not a .txt under assets/: the generator's filter leaves them alone.
      cli.aws.s3.backend.putObject(buckets.data, 'assets/logo.png', Buffer.from('png'));
      cli.aws.s3.backend.putObject(buckets.data, 'other/file-001.txt', Buffer.from('other'));
    },
    tasks: 300,
    async assertEffect(cli) {
      const wanted = [{ Key: 'retention', Value: 'review-2027' }];
      expect(tagsOf(cli, assetKeys[0]!)).toEqual(wanted);
      expect(tagsOf(cli, assetKeys[299]!)).toEqual(wanted);
      expect(tagsOf(cli, 'assets/logo.png')).toEqual([]);
      expect(tagsOf(cli, 'other/file-001.txt')).toEqual([]);
      // "writes the list it generated to s3bo-demo-reports under generated-manifests/" (examples/README.md)
      const listed = await withS3(cli, (s3) =>
        s3.send(new ListObjectsV2Command({ Bucket: buckets.reports, Prefix: 'generated-manifests/job-' })),
      );
      const keys = (listed.Contents ?? []).map((object) => object.Key!);
      expect(keys.filter((key) => key.endsWith('/manifest.json'))).toHaveLength(1);
      expect(keys.filter((key) => key.endsWith('/manifest.checksum'))).toHaveLength(1);
    },
  },
  'latest-inventory-request.json': {
    seed: async (cli) => {
      seedAssets(cli);
      await seedInventory(cli);
    },
    tasks: 300,
    assertEffect(cli) {
      const wanted = [{ Key: 'inventoried', Value: 'true' }];
      expect(tagsOf(cli, assetKeys[0]!)).toEqual(wanted);
      expect(tagsOf(cli, assetKeys[299]!)).toEqual(wanted);
    },
  },
  'restore-request.json': {
    seed(cli) {
      const s3 = cli.aws.s3.backend;
      for (const bucket of Object.values(buckets)) s3.ensureBucket(bucket);
      for (const key of archivedKeys) {
        s3.putObject(buckets.data, key, Buffer.from(`ledger ${key}\n`), { storageClass: 'GLACIER' });
      }
      s3.putObject(
        buckets.manifests,
        'manifests/restore-archive.csv',
        Buffer.from(manifestCsv(buckets.data, archivedKeys)),
      );
    },
    tasks: archivedKeys.length,
    async assertEffect(cli) {
      // A Bulk restore of S3 Glacier Flexible Retrieval takes hours (emulated): it was initiated.
      const head = await headObject(cli, buckets.data, archivedKeys[0]!);
      expect(head.Restore).toMatch(/^ongoing-request="(true|false)"/);
    },
  },
};

describe('examples/ through s3bo run on the local AWS', () => {
  it('has a run for every example', () => {
    expect(Object.keys(runs).sort()).toEqual(exampleFiles);
  });

  it.each(exampleFiles)('%s runs to success and does what it says', async (name) => {
    // Prepare
    const run = runs[name];
    if (!run) throw new Error(`no run described for examples/${name}`);
    const cli = await startLocalCli();
    await run.seed(cli);

    // Act
    const result = await cli.s3bo(['--json', 'run', join(examplesDir, name)]);

    // Assess
    expect(result.code, result.stderr).toBe(0);
    expect(JSON.parse(result.stdout)).toMatchObject({ status: 'SUCCEEDED', outcome: 'Succeeded' });
    expect(cli.events('Batch Job Completed')[0]).toMatchObject({
      outcome: 'Succeeded',
      summary: { available: true, totalTasks: run.tasks, succeededTasks: run.tasks, failedTasks: 0 },
    });
    await run.assertEffect(cli);
  });
});
