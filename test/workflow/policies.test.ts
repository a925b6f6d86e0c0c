import { DescribeJobCommand } from '@aws-sdk/client-s3-control';
import { describe, expect, it } from 'vitest';
import { createS3ControlClient } from '../../src/adapters/aws/index.js';
import {
  finishedWith,
  followsPath,
  harnessPerTest,
  SUBMITTED_START,
  seededManifest,
  taggingRequest,
} from './harness.js';

const harnesses = harnessPerTest();

const manifest = seededManifest;

const describeJobPolls = (statesEntered: string[]) => statesEntered.filter((s) => s === 'DescribeJob').length;

describe('failure-rate policy on the embedded local AWS', () => {
  it('auto-cancels a job whose keys fail 20% once 200 tasks ran at a 5% threshold, with the partial report', async () => {
    // Prepare: every key ending in 0 or 5 fails
    const { h } = await harnesses.seeded(3000, {
      engine: { tasksPerSecond: 1 },
      faults: {
        taskFailures: [
          { keyPattern: '/object \\d*[05]\\.txt$/', code: 'AccessDenied', httpStatus: 403, permanent: true },
        ],
      },
    });
    const request = taggingRequest(manifest, {
      policy: { autoCancel: { failureRateThreshold: 0.05, minTasksRun: 200 } },
    });

    // Act
    const run = await h.run(request, undefined, 90_000);

    // Assess
    expect(run.error).toBe('BatchJobCancelled');
    expect(run.statesEntered).toContain('EmitPolicyActions');
    expect(
      followsPath(run.statesEntered, [SUBMITTED_START, finishedWith('EmitCancelled', 'BatchJobCancelled')]),
      run.statesEntered.join(' → '),
    ).toBe(true);
    const autoCancelled = h.event('Batch Job Auto-Cancelled');
    expect(autoCancelled).toMatchObject({ threshold: 0.05, dryRun: false });
    expect(autoCancelled.tasksRun).toBeGreaterThanOrEqual(200);
    expect(autoCancelled.failureRate).toBeGreaterThan(0.15);
    expect(autoCancelled.reason).toMatch(/failure rate 2\d\.\d%/);
    const cancelled = h.event('Batch Job Cancelled');
    expect(cancelled.reason).toMatch(/failure rate 2\d\.\d%/);
    expect(cancelled.summary).toMatchObject({ available: true });
    expect(cancelled.summary.totalTasks).toBeLessThan(3000);
    expect(cancelled.summary.byErrorCode.AccessDenied).toBeGreaterThan(0);
  });

  it('lowers the priority while failures run high, then restores it once they recover', async () => {
    // Prepare: the first 300 keys fail, so the rate starts at 100% and falls to 10% by the end
    const { h } = await harnesses.seeded(3000, {
      engine: { tasksPerSecond: 1 },
      faults: {
        taskFailures: [
          {
            keyPattern: '/object ([0-9]|[0-9][0-9]|[0-2][0-9][0-9])\\.txt$/',
            code: 'AccessDenied',
            httpStatus: 403,
            permanent: true,
          },
        ],
      },
    });
    const request = taggingRequest(manifest, {
      priority: 50,
      policy: { reprioritize: { warnFailureRate: 0.3, recoverFailureRate: 0.15, loweredPriority: 5 } },
    });

    // Act
    const run = await h.run(request, undefined, 90_000);

    // Assess
    expect(run.status, run.cause).toBe('SUCCEEDED');
    const changes = h
      .events('Batch Job Reprioritized')
      .map((e) => [e.detail.fromPriority, e.detail.toPriority]);
    expect(changes).toEqual([
      [50, 5],
      [5, 50],
    ]);
    const client = createS3ControlClient({
      region: h.aws.region,
      endpoints: { default: h.aws.url },
      credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
    });
    const { Job } = await client.send(
      new DescribeJobCommand({ AccountId: h.aws.accountId, JobId: h.event('Batch Job Completed').jobId }),
    );
    client.destroy();
    expect(Job?.Priority).toBe(50);
  });

  it('rejects bad policy values naming the field, before any job is created', async () => {
    const harness = await harnesses.start();
    const run = await harness.run(
      taggingRequest(manifest, {
        policy: { reprioritize: { warnFailureRate: 0.1, recoverFailureRate: 0.2, loweredPriority: 1 } },
      }),
    );
    expect(run.error).toBe('RequestRejected');
    expect(harness.event('Batch Job Rejected')).toMatchObject({
      field: 'policy.reprioritize.recoverFailureRate',
    });
    expect(harness.aws.s3control.engine.jobs()).toHaveLength(0);
  });
});

describe('event-driven wake', () => {
  it("cuts DescribeJob calls compared with polling alone, woken by S3's JobStatusChanged events", async () => {
    // Prepare: a job that spends ten emulated minutes Preparing and one Completing
    const engine = { preparingSeconds: 600, completingSeconds: 60 };
    const request = (eventDriven: boolean) =>
      taggingRequest(manifest, { wait: { minSeconds: 5, maxSeconds: 3600, eventDriven } });

    // Act
    const polling = await harnesses.seeded(20, { engine });
    const polled = await polling.h.run(request(false), 'polling-alone');
    await polling.h.stop();
    const woken = await harnesses.seeded(20, { engine });
    const evented = await woken.h.run(request(true), 'event-driven');

    // Assess
    expect(polled.status, polled.cause).toBe('SUCCEEDED');
    expect(evented.status, evented.cause).toBe('SUCCEEDED');
    const wakeDeliveries = woken.h.aws.events
      .deliveries()
      .filter((d) => d.targetArn.endsWith(':function:s3-batch-orchestrator-local-wake-job') && d.ok);
    expect(wakeDeliveries.length).toBeGreaterThan(0);
    expect(describeJobPolls(evented.statesEntered)).toBeLessThan(describeJobPolls(polled.statesEntered) / 2);
  });
});
