import { readFileSync } from 'node:fs';
import { UpdateJobStatusCommand } from '@aws-sdk/client-s3-control';
import { describe, expect, it } from 'vitest';
import { createS3ControlClient } from '../../src/adapters/aws/index.js';
import {
  eventually,
  finishedWith,
  followsPath,
  type Harness,
  harnessPerTest,
  SUBMITTED_START,
  seededManifest,
  taggingRequest,
} from './harness.js';

const harnesses = harnessPerTest();

const manifest = seededManifest;
const tagsOf = (h: Harness, key: string) => h.aws.s3.backend.headObject({ bucket: 'data-bucket', key }).tags;

describe('batch-job workflow on the embedded local AWS', () => {
  it('tags every object, fetches the report and emits Completed with outcome Succeeded', async () => {
    // Prepare
    const { h, keys } = await harnesses.seeded(50);
    // Act
    const run = await h.run(taggingRequest(manifest));
    // Assess
    expect(run.status, run.cause).toBe('SUCCEEDED');
    expect(
      followsPath(run.statesEntered, [SUBMITTED_START, finishedWith('EmitCompleted', 'Succeeded')]),
      run.statesEntered.join(' → '),
    ).toBe(true);
    for (const key of keys) expect(tagsOf(h, key)).toEqual([{ Key: 'classification', Value: 'public' }]);
    expect(h.event('Batch Job Completed')).toMatchObject({
      outcome: 'Succeeded',
      progress: { totalTasks: 50, succeededTasks: 50, failedTasks: 0 },
      summary: { available: true, totalTasks: 50, succeededTasks: 50, failedTasks: 0 },
    });
    expect(h.events('Batch Job Submitted')).toHaveLength(1);
    expect(h.events('Batch Job Status Changed').length).toBeGreaterThanOrEqual(1);
  });

  it("runs the S3 User Guide's CSV manifest as written: URL-encoded keys reach the right objects", async () => {
    // Prepare: the documentation's manifest, and the objects it names (decoded keys)
    const h = await harnesses.start();
    const manifestCsv = readFileSync('test/fixtures/batch-manifest.csv');
    const keys = manifestCsv
      .toString('utf8')
      .trim()
      .split('\n')
      .map((line) => decodeURIComponent(line.split(',')[1]!));
    h.seedObjects('Examplebucket', keys);
    h.seedObjects('manifests', []);
    h.aws.s3.backend.putObject('manifests', 'batch-manifest.csv', manifestCsv);

    // Act
    const run = await h.run(taggingRequest({ bucket: 'manifests', key: 'batch-manifest.csv' }));

    // Assess
    expect(run.status, run.cause).toBe('SUCCEEDED');
    expect(keys).toContain('object key with spaces');
    for (const key of keys) {
      expect(h.aws.s3.backend.headObject({ bucket: 'Examplebucket', key }).tags).toHaveLength(1);
    }
    expect(h.event('Batch Job Completed').summary).toMatchObject({ totalTasks: 6, succeededTasks: 6 });
  });

  it('completes with outcome PartialFailure when some tasks fail, with the failures in the summary', async () => {
    const { h, keys } = await harnesses.seeded(40, {
      faults: {
        taskFailures: [
          { keyPattern: '*object 1?.txt', code: 'AccessDenied', httpStatus: 403, permanent: true },
        ],
      },
    });
    const run = await h.run(taggingRequest(manifest));
    expect(run.status, run.cause).toBe('SUCCEEDED');
    const detail = h.event('Batch Job Completed');
    expect(detail.outcome).toBe('PartialFailure');
    expect(detail.summary).toMatchObject({ totalTasks: 40, succeededTasks: 30, failedTasks: 10 });
    expect(detail.summary.byErrorCode).toEqual({ AccessDenied: 10 });
    expect(detail.summary.sampleFailures[0].key).toMatch(/^data\/object 1\d\.txt$/);
    expect(tagsOf(h, keys[10]!)).toEqual([]);
    expect(tagsOf(h, keys[0]!)).toHaveLength(1);
  });

  it("fails when S3's own rule trips (≥1,000 tasks run and more than half failed)", async () => {
    const { h } = await harnesses.seeded(1200, {
      faults: {
        taskFailures: [
          { keyPattern: '/object \\d*[0-6]\\.txt$/', code: 'AccessDenied', httpStatus: 403, permanent: true },
        ],
      },
    });
    const run = await h.run(taggingRequest(manifest), undefined, 90_000);
    expect(run.status).toBe('FAILED');
    expect(run.error).toBe('BatchJobFailed');
    expect(
      followsPath(run.statesEntered, [SUBMITTED_START, finishedWith('EmitFailed', 'BatchJobFailed')]),
      run.statesEntered.join(' → '),
    ).toBe(true);
    const failed = h.event('Batch Job Failed');
    expect(failed.failureReasons.length).toBeGreaterThan(0);
  });

  it('fails without a report when the manifest cannot be read', async () => {
    const h = await harnesses.start();
    h.seedObjects('manifests', []);
    h.aws.s3.backend.putObject('manifests', 'broken.csv', Buffer.from('only-a-bucket-name\n'));
    const run = await h.run(taggingRequest({ bucket: 'manifests', key: 'broken.csv' }));
    expect(run.error).toBe('BatchJobFailed');
    const failed = h.event('Batch Job Failed');
    expect(failed.summary).toMatchObject({ available: false });
    expect(failed.summary.reason).toMatch(/before any task ran/);
    expect(failed.failureReasons[0].code).toBeTruthy();
  });

  it('ends Cancelled, with the partial report, when someone cancels the job from outside', async () => {
    const { h } = await harnesses.seeded(3000, { engine: { tasksPerSecond: 2 } });
    const execution = h.run(taggingRequest(manifest));
    const job = await eventually(
      () => h.aws.s3control.engine.jobs()[0],
      (j) => j?.Status === 'Active' && j.progress.succeeded > 0,
    );
    const client = createS3ControlClient({
      region: h.aws.region,
      endpoints: { default: h.aws.url },
      credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
    });
    await client.send(
      new UpdateJobStatusCommand({
        AccountId: h.aws.accountId,
        JobId: job!.JobId,
        RequestedJobStatus: 'Cancelled',
        StatusUpdateReason: 'operator stop',
      }),
    );
    client.destroy();
    const run = await execution;
    expect(run.error).toBe('BatchJobCancelled');
    expect(
      followsPath(run.statesEntered, [SUBMITTED_START, finishedWith('EmitCancelled', 'BatchJobCancelled')]),
      run.statesEntered.join(' → '),
    ).toBe(true);
    const cancelled = h.event('Batch Job Cancelled');
    expect(cancelled.summary.available).toBe(true);
    expect(cancelled.summary.totalTasks).toBeGreaterThan(0);
    expect(cancelled.summary.totalTasks).toBeLessThan(3000);
  });

  it('confirms a Suspended job when the request allows it, then completes', async () => {
    const { h } = await harnesses.seeded(10);
    const run = await h.run(taggingRequest(manifest, { confirmationRequired: true, autoConfirm: true }));
    expect(run.status, run.cause).toBe('SUCCEEDED');
    expect(
      followsPath(run.statesEntered, [
        SUBMITTED_START,
        ['RouteByStatus', 'CheckConfirmation', 'ConfirmJob', 'WaitForProgress'],
        finishedWith('EmitCompleted', 'Succeeded'),
      ]),
      run.statesEntered.join(' → '),
    ).toBe(true);
    const statuses = h.events('Batch Job Status Changed').map((e) => e.detail.status);
    expect(statuses).toContain('Suspended');
  });

  it('rejects an invalid request naming the field, and submits nothing', async () => {
    const harness = await harnesses.start();
    const run = await harness.run(taggingRequest(manifest, { priority: -5 }));
    expect(run.error).toBe('RequestRejected');
    expect(harness.event('Batch Job Rejected')).toMatchObject({ field: 'priority' });
    expect(harness.aws.s3control.engine.jobs()).toHaveLength(0);
  });

  it('creates exactly one job when CreateJob is throttled and the Lambda is retried', async () => {
    const { h } = await harnesses.seeded(5, { faults: { throttleFirst: { 's3control:CreateJob': 5 } } });
    const run = await h.run(taggingRequest(manifest), undefined, 90_000);
    expect(run.status, run.cause).toBe('SUCCEEDED');
    expect(run.statesEntered.filter((s) => s === 'SubmitJob')).toHaveLength(1);
    expect(h.aws.s3control.engine.jobs()).toHaveLength(1);
  });
});
