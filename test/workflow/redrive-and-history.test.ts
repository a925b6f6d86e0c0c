import { describe, expect, it } from 'vitest';
import {
  finishedWith,
  followsPath,
  type Harness,
  harnessPerTest,
  SUBMITTED_START,
  seededManifest,
  taggingRequest,
  type WorkflowRun,
} from './harness.js';

const harnesses = harnessPerTest();

const manifest = seededManifest;
const tagsOf = (h: Harness, key: string) => h.aws.s3.backend.headObject({ bucket: 'data-bucket', key }).tags;

/** Keys `data/object 10.txt` … `data/object 19.txt` */
const tenKeys = 'data/object 1?.txt';

describe('redrive of failed tasks', () => {
  it('finishes the failed tasks in a new job when their failures were transient', async () => {
    // Prepare: SlowDown for the first 3 attempts on each of ten objects — the job engine's own retries
    // use them all up, so the job completes with 10 failures; the redrive's attempt then succeeds.
    const { h, keys } = await harnesses.seeded(100, {
      faults: {
        taskFailures: [{ keyPattern: tenKeys, code: 'SlowDown', httpStatus: 503, transientAttempts: 3 }],
      },
    });

    // Act
    const run = await h.run(taggingRequest(manifest, { policy: { redrive: { maxAttempts: 2 } } }));

    // Assess
    expect(run.status, run.cause).toBe('SUCCEEDED');
    expect(
      followsPath(run.statesEntered, [
        SUBMITTED_START,
        [
          'RouteByStatus',
          'FetchReport',
          'CheckRedrive',
          'RedriveJob',
          'CheckRedriven',
          'EmitRedriven',
          'AdoptRedrive',
          'DescribeJob',
          'CheckProgress',
        ],
        finishedWith('EmitCompleted', 'Succeeded'),
      ]),
      run.statesEntered.join(' → '),
    ).toBe(true);
    const redriven = h.events('Batch Job Redriven');
    expect(redriven).toHaveLength(1);
    const [first, second] = h.aws.s3control.engine.jobs();
    expect(redriven[0]!.detail).toMatchObject({
      parentJobId: first!.JobId,
      jobId: second!.JobId,
      attempt: 2,
      taskCount: 10,
    });
    expect(second!.progress).toMatchObject({ total: 10, succeeded: 10, failed: 0 });
    const completed = h.event('Batch Job Completed');
    expect(completed).toMatchObject({ outcome: 'Succeeded', jobId: second!.JobId });
    expect(completed.summary).toMatchObject({
      totalTasks: 100,
      succeededTasks: 100,
      failedTasks: 0,
      attempts: 2,
    });
    for (const key of keys) expect(tagsOf(h, key)).toHaveLength(1);
  });

  it('stops at maxAttempts when the failures are permanent, and reports them', async () => {
    const { h } = await harnesses.seeded(100, {
      faults: { taskFailures: [{ keyPattern: tenKeys, code: 'SlowDown', httpStatus: 503, permanent: true }] },
    });

    const run = await h.run(taggingRequest(manifest, { policy: { redrive: { maxAttempts: 2 } } }));

    expect(run.status, run.cause).toBe('SUCCEEDED');
    expect(h.events('Batch Job Redriven').map((e) => e.detail.attempt)).toEqual([2, 3]);
    expect(h.aws.s3control.engine.jobs()).toHaveLength(3);
    const completed = h.event('Batch Job Completed');
    expect(completed.outcome).toBe('PartialFailure');
    expect(completed.summary).toMatchObject({
      totalTasks: 100,
      succeededTasks: 90,
      failedTasks: 10,
      attempts: 3,
    });
  });

  it('does not redrive failures whose codes are not transient', async () => {
    const { h } = await harnesses.seeded(30, {
      faults: {
        taskFailures: [{ keyPattern: tenKeys, code: 'AccessDenied', httpStatus: 403, permanent: true }],
      },
    });

    const run = await h.run(taggingRequest(manifest, { policy: { redrive: { maxAttempts: 2 } } }));

    expect(run.status, run.cause).toBe('SUCCEEDED');
    expect(run.statesEntered).toContain('RedriveJob');
    expect(h.events('Batch Job Redriven')).toHaveLength(0);
    expect(h.aws.s3control.engine.jobs()).toHaveLength(1);
    expect(h.event('Batch Job Completed').outcome).toBe('PartialFailure');
  });
});

describe('history safety', () => {
  it('carries a simulated 7-day job across fresh executions, each far below the 25,000-event limit', async () => {
    // Prepare: 6,048 tasks at 0.01 task per emulated second = 7 days Active; time runs 100,000× faster.
    const { h } = await harnesses.seeded(6048, {
      timeScale: 100_000,
      engine: { tasksPerSecond: 0.01, concurrency: 1 },
    });
    const request = taggingRequest(manifest, {
      wait: { minSeconds: 5, maxSeconds: 600, timeoutSeconds: 8 * 86_400, maxPollsPerExecution: 100 },
    });

    // Act: follow the chain of continuations to its end
    const runs: WorkflowRun[] = [await h.run(request, 'week-long', 240_000)];
    for (let next = runs[0]!.output?.continuedAs; next; next = runs.at(-1)!.output?.continuedAs) {
      runs.push(await h.await((next as { executionArn: string }).executionArn, 240_000));
      expect(runs.length).toBeLessThan(100);
    }

    // Assess
    const last = runs.at(-1)!;
    expect(last.status, last.cause).toBe('SUCCEEDED');
    // How many polls a week takes depends on real time spent per poll at this scale; each execution's share
    // does not: it stops at maxPollsPerExecution.
    expect(runs.length).toBeGreaterThanOrEqual(2);
    for (const run of runs.slice(0, -1)) {
      expect(run.status).toBe('SUCCEEDED');
      expect(run.statesEntered.at(-1)).toBe('ContinuedAsNew');
      expect(run.statesEntered.filter((s) => s === 'DescribeJob')).toHaveLength(100);
    }
    expect(Math.max(...runs.map((r) => r.historyEvents))).toBeLessThan(12_000);
    expect(h.event('Batch Job Completed')).toMatchObject({
      outcome: 'Succeeded',
      summary: { totalTasks: 6048, succeededTasks: 6048 },
    });
    expect(h.events('Batch Job Submitted')).toHaveLength(1);
  });
});
