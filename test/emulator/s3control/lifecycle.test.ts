import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import {
  CreateJobCommand,
  type CreateJobCommandInput,
  UpdateJobStatusCommand,
} from '@aws-sdk/client-s3-control';
import { afterEach, describe, expect, it } from 'vitest';
import {
  ACCOUNT_ID,
  aCreateJobInput,
  createTestEnv,
  eventStatuses,
  seedObjects,
  type TestEnv,
  waitFor,
} from './helpers.js';

const fixture = (name: string) =>
  JSON.parse(readFileSync(new URL(`../../fixtures/${name}`, import.meta.url), 'utf8'));

function taggingJob(
  manifest: { etag: string; objectArn: string },
  overrides: Partial<CreateJobCommandInput> = {},
) {
  return aCreateJobInput(manifest, {
    ConfirmationRequired: false,
    Report: {
      Bucket: 'arn:aws:s3:::reports',
      Prefix: 'batch-op-create-job',
      Format: 'Report_CSV_20180820',
      Enabled: true,
      ReportScope: 'AllTasks',
    },
    Priority: 42,
    ...overrides,
  });
}

function readReport(env: TestEnv, jobId: string, prefix = 'batch-op-create-job') {
  const base = prefix ? `${prefix}/job-${jobId}` : `job-${jobId}`;
  const manifest = JSON.parse(
    env.s3.getObjectBody({ bucket: 'reports', key: `${base}/manifest.json` }).toString(),
  );
  const files = manifest.Results.map(
    (entry: { Key: string; MD5Checksum: string; TaskExecutionStatus: string }) => {
      const body = env.s3.getObjectBody({ bucket: 'reports', key: entry.Key });
      return { ...entry, body: body.toString(), md5: createHash('md5').update(body).digest('hex') };
    },
  );
  return { manifest, files };
}

describe('S3 Batch Operations job lifecycle', () => {
  let env: TestEnv;
  afterEach(async () => env?.close());

  it('runs every task for real, completes, and writes the report where and how AWS does', async () => {
    env = await createTestEnv();
    env.s3.ensureBucket('reports');
    const keys = ['objectkey1', 'photos/jpgs/objectkey4', 'object key with spaces', 'a,b"c'];
    const manifest = seedObjects(env.s3, 'examplebucket', keys);
    env.s3.putObject('examplebucket', 'missing-later', Buffer.from('x'));
    const csv = env.s3.getObjectBody({ bucket: 'examplebucket', key: 'manifests/manifest.csv' }).toString();
    const info = env.s3.putObject(
      'examplebucket',
      'manifests/manifest.csv',
      Buffer.from(`${csv}examplebucket,gone\n`),
    );

    const { JobId } = await env.client.send(
      new CreateJobCommand(
        taggingJob({ ...manifest, etag: info.etag.replace(/"/g, '') }, { ClientRequestToken: 't1' }),
      ),
    );
    const { job, seen } = await waitFor(env, JobId!, (j) => j.Status === 'Complete');

    expect(seen[seen.length - 1]).toBe('Complete');
    expect(eventStatuses(env, JobId!)).toEqual([
      'New',
      'Preparing',
      'Ready',
      'Active',
      'Completing',
      'Complete',
    ]);
    expect(job.ProgressSummary).toMatchObject({
      TotalNumberOfTasks: 5,
      NumberOfTasksSucceeded: 4,
      NumberOfTasksFailed: 1,
    });
    expect(job.TerminationDate).toBeInstanceOf(Date);
    expect(job.JobArn).toBe(`arn:aws:s3:us-east-1:${ACCOUNT_ID}:job/${JobId}`);
    for (const key of keys) {
      expect(env.s3.headObject({ bucket: 'examplebucket', key }).tags).toEqual([
        { Key: 'confidential', Value: 'true' },
      ]);
    }

    const { manifest: report, files } = readReport(env, JobId!);
    const reference = fixture('report-manifest.json');
    expect(Object.keys(report)).toEqual(Object.keys(reference));
    expect(report.ReportSchema).toBe(reference.ReportSchema);
    expect(report.Format).toBe('Report_CSV_20180820');
    expect(files.map((f: { TaskExecutionStatus: string }) => f.TaskExecutionStatus)).toEqual([
      'succeeded',
      'failed',
    ]);
    for (const file of files) {
      expect(Object.keys(file).slice(0, 4)).toEqual(Object.keys(reference.Results[0]));
      expect(file.Bucket).toBe('reports');
      expect(file.Key).toMatch(new RegExp(`^batch-op-create-job/job-${JobId}/results/[0-9a-f]{40}\\.csv$`));
      expect(file.MD5Checksum).toBe(file.md5);
    }
    expect(files[0].body).toBe(
      [
        'examplebucket,objectkey1,,succeeded,200,,Successful',
        'examplebucket,photos/jpgs/objectkey4,,succeeded,200,,Successful',
        'examplebucket,object%20key%20with%20spaces,,succeeded,200,,Successful',
        'examplebucket,a%2Cb%22c,,succeeded,200,,Successful',
        '',
      ].join('\n'),
    );
    expect(files[1].body).toMatch(
      /^examplebucket,gone,,failed,404,NoSuchKey,"?The specified key does not exist\./,
    );
  });

  it('emits CloudTrail-shaped events on the default bus, like the AWS fixture', async () => {
    env = await createTestEnv();
    env.s3.ensureBucket('reports');
    const { JobId } = await env.client.send(
      new CreateJobCommand(taggingJob(seedObjects(env.s3, 'src-bucket', ['k']))),
    );
    await waitFor(env, JobId!, (j) => j.Status === 'Complete');
    const reference = fixture('cloudtrail-job-status-changed.json');
    // Read from the default bus's event log: the events reached EventBridge's default bus.
    const entry = env.events().at(-1)!;
    expect(Object.keys(entry)).toEqual(Object.keys(reference));
    expect(entry).toMatchObject({
      source: reference.source,
      'detail-type': reference['detail-type'],
      account: ACCOUNT_ID,
      region: 'us-east-1',
    });
    const detail = entry.detail as { serviceEventDetails: Record<string, unknown> };
    expect(Object.keys(detail)).toEqual(Object.keys(reference.detail));
    expect(Object.keys(detail.serviceEventDetails)).toEqual(
      Object.keys(reference.detail.serviceEventDetails),
    );
    expect(detail).toMatchObject({
      eventSource: 's3.amazonaws.com',
      eventName: 'JobStatusChanged',
      awsRegion: 'us-east-1',
    });
    expect(detail.serviceEventDetails).toMatchObject({ jobId: JobId, status: 'Complete', failureCodes: [] });
    expect(detail.serviceEventDetails.jobEventId).toMatch(/^[0-9a-f]{32}$/);
    expect((env.events()[0]!.detail as { eventName: string }).eventName).toBe('JobCreated');
  });

  it('waits in Suspended until UpdateJobStatus Ready when confirmation is required', async () => {
    env = await createTestEnv();
    env.s3.ensureBucket('reports');
    const manifest = seedObjects(env.s3, 'src-bucket', ['k1', 'k2']);
    const { JobId } = await env.client.send(
      new CreateJobCommand(taggingJob(manifest, { ConfirmationRequired: true })),
    );
    const { job } = await waitFor(env, JobId!, (j) => j.Status === 'Suspended');
    expect(job.SuspendedDate).toBeInstanceOf(Date);
    expect(job.SuspendedCause).toBeTruthy();
    await env.service.engine.idle();

    const response = await env.client.send(
      new UpdateJobStatusCommand({
        AccountId: ACCOUNT_ID,
        JobId,
        RequestedJobStatus: 'Ready',
        StatusUpdateReason: 'go',
      }),
    );
    expect(response).toMatchObject({ JobId, StatusUpdateReason: 'go' });
    const done = await waitFor(env, JobId!, (j) => j.Status === 'Complete');
    expect(done.job.ProgressSummary?.NumberOfTasksSucceeded).toBe(2);
  });

  it('cancels an Active job: Cancelling → Cancelled with a partial report', async () => {
    env = await createTestEnv({ timeScale: 100, engine: { tasksPerSecond: 20 } });
    env.s3.ensureBucket('reports');
    const keys = Array.from({ length: 200 }, (_, i) => `obj-${i}`);
    const { JobId } = await env.client.send(
      new CreateJobCommand(taggingJob(seedObjects(env.s3, 'src-bucket', keys))),
    );
    await waitFor(env, JobId!, (j) => (j.ProgressSummary?.NumberOfTasksSucceeded ?? 0) >= 20);

    const response = await env.client.send(
      new UpdateJobStatusCommand({
        AccountId: ACCOUNT_ID,
        JobId,
        RequestedJobStatus: 'Cancelled',
        StatusUpdateReason: 'stop',
      }),
    );
    expect(response.Status).toBe('Cancelling');
    const { job } = await waitFor(env, JobId!, (j) => j.Status === 'Cancelled');
    const ran = job.ProgressSummary!.NumberOfTasksSucceeded!;
    expect(ran).toBeGreaterThanOrEqual(20);
    expect(ran).toBeLessThan(200);
    expect(job.StatusUpdateReason).toBe('stop');
    const { files } = readReport(env, JobId!);
    expect(files[0].body.trim().split('\n')).toHaveLength(ran);
  });

  it("fails the job by S3's rule: ≥1,000 tasks run and more than 50% failed", async () => {
    // Three keys in four fail for good: every obj-N whose N is not a multiple of 4 (a multiple of 4 is 0, 4
    // or 8, or ends in an even digit then 0/4/8, or an odd digit then 2/6).
    env = await createTestEnv({
      timeScale: 10_000,
      faults: {
        taskFailures: [
          {
            keyPattern: '/^obj-(?!(\\d*([02468][048]|[13579][26])|[048])$)/',
            code: 'AccessDenied',
            httpStatus: 403,
            permanent: true,
          },
        ],
      },
    });
    env.s3.ensureBucket('reports');
    const keys = Array.from({ length: 3000 }, (_, i) => `obj-${i}`);
    const manifest = seedObjects(env.s3, 'src-bucket', keys);

    const { JobId } = await env.client.send(new CreateJobCommand(taggingJob(manifest)));
    const { job } = await waitFor(env, JobId!, (j) => j.Status === 'Failed');
    const run = job.ProgressSummary!.NumberOfTasksSucceeded! + job.ProgressSummary!.NumberOfTasksFailed!;
    expect(run).toBeGreaterThanOrEqual(1000);
    expect(run).toBeLessThan(3000);
    expect(job.FailureReasons?.[0]?.FailureCode).toBe('TaskFailureThresholdExceeded');
    expect(eventStatuses(env, JobId!).slice(-2)).toEqual(['Failing', 'Failed']);
    const { files } = readReport(env, JobId!);
    expect(
      files.find((f: { TaskExecutionStatus: string }) => f.TaskExecutionStatus === 'failed').body,
    ).toContain(',failed,403,AccessDenied,');
  });

  it('fails without a report when the manifest cannot be read or its ETag does not match', async () => {
    env = await createTestEnv();
    env.s3.ensureBucket('reports');
    const missing = await env.client.send(
      new CreateJobCommand(taggingJob({ objectArn: 'arn:aws:s3:::nowhere/manifest.csv', etag: 'abc' })),
    );
    const stale = await env.client.send(
      new CreateJobCommand(taggingJob({ ...seedObjects(env.s3, 'src-bucket', ['k']), etag: '0'.repeat(32) })),
    );
    for (const [id, code] of [
      [missing.JobId!, 'ManifestReadFailed'],
      [stale.JobId!, 'ManifestETagMismatch'],
    ] as const) {
      const { job } = await waitFor(env, id, (j) => j.Status === 'Failed');
      expect(job.FailureReasons?.[0]?.FailureCode).toBe(code);
      expect(job.FailureReasons?.[0]?.FailureReason).toMatch(/manifest/i);
    }
    expect(env.s3.store.keys('reports')).toEqual([]);
  });

  it('writes only failed results with ReportScope FailedTasksOnly, at the bucket root when no Prefix is set', async () => {
    env = await createTestEnv();
    env.s3.ensureBucket('reports');
    const manifest = seedObjects(env.s3, 'src-bucket', ['ok-1', 'ok-2']);
    const csv = env.s3.getObjectBody({ bucket: 'src-bucket', key: 'manifests/manifest.csv' }).toString();
    const info = env.s3.putObject(
      'src-bucket',
      'manifests/manifest.csv',
      Buffer.from(`${csv}src-bucket,missing\n`),
    );
    const request = taggingJob(
      { ...manifest, etag: info.etag },
      {
        Report: {
          Bucket: 'arn:aws:s3:::reports',
          Format: 'Report_CSV_20180820',
          Enabled: true,
          ReportScope: 'FailedTasksOnly',
        },
      },
    );
    const { JobId } = await env.client.send(new CreateJobCommand(request));
    await waitFor(env, JobId!, (j) => j.Status === 'Complete');
    const { files } = readReport(env, JobId!, '');
    expect(files.map((f: { TaskExecutionStatus: string }) => f.TaskExecutionStatus)).toEqual(['failed']);
    expect(files[0].body.trim().split('\n')).toHaveLength(1);
  });

  it('reads an S3 Inventory manifest.json and its gzipped CSV files', async () => {
    env = await createTestEnv();
    env.s3.ensureBucket('reports');
    env.s3.ensureBucket('inventory');
    env.s3.ensureBucket('example-source-bucket');
    for (const key of ['a b.txt', 'dir/c.txt'])
      env.s3.putObject('example-source-bucket', key, Buffer.from(key));
    const reference = fixture('inventory-manifest.json');
    const dataKey = reference.files[0].key;
    const rows = ['"example-source-bucket","a+b.txt"', '"example-source-bucket","dir%2Fc.txt"'];
    env.s3.putObject('inventory', dataKey, gzipSync(`${rows.join('\n')}\n`));
    const inventory = {
      ...reference,
      destinationBucket: 'arn:aws:s3:::inventory',
      fileSchema: 'Bucket, Key',
    };
    const info = env.s3.putObject('inventory', 'inv/manifest.json', Buffer.from(JSON.stringify(inventory)));
    const { JobId } = await env.client.send(
      new CreateJobCommand(
        taggingJob(
          { objectArn: 'arn:aws:s3:::inventory/inv/manifest.json', etag: info.etag },
          {
            Manifest: {
              Spec: { Format: 'S3InventoryReport_CSV_20161130' },
              Location: { ObjectArn: 'arn:aws:s3:::inventory/inv/manifest.json', ETag: info.etag },
            },
          },
        ),
      ),
    );
    const { job } = await waitFor(env, JobId!, (j) => j.Status === 'Complete');
    expect(job.ProgressSummary).toMatchObject({ TotalNumberOfTasks: 2, NumberOfTasksSucceeded: 2 });
    expect(env.s3.headObject({ bucket: 'example-source-bucket', key: 'a b.txt' }).tags).toHaveLength(1);
  });
});
