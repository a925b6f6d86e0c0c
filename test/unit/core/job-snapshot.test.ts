import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { failureRate, snapshotJob } from '../../../src/core/job-snapshot.js';
import type { JobDescription } from '../../../src/core/ports.js';

const described = JSON.parse(readFileSync('test/fixtures/describe-job.json', 'utf8')).Job as JobDescription;
const job = {
  jobId: described.JobId,
  wait: { minSeconds: 5, maxSeconds: 300, timeoutSeconds: 3600 },
  deadline: '2019-10-03T22:48:48.048Z',
};

describe('snapshotJob', () => {
  it('normalises the DescribeJob example of the AWS CLI docs', () => {
    const snapshot = snapshotJob(described, job, null, new Date('2019-10-03T21:50:00Z'));
    expect(snapshot).toMatchObject({
      jobId: '93735294-df46-44d5-8638-6356f335324e',
      status: 'Complete',
      previousStatus: null,
      statusChanged: true,
      terminal: true,
      totalTasks: 8,
      succeededTasks: 8,
      failedTasks: 0,
      tasksRun: 8,
      failureRate: 0,
      polls: 1,
      nextWaitSeconds: 0,
      timedOut: false,
      failureReasons: [],
      priority: 42,
    });
  });

  it('reports a non-terminal job past its deadline as timed out', () => {
    const active = { ...described, Status: 'Active' as const };
    const snapshot = snapshotJob(active, job, null, new Date('2019-10-03T23:00:00Z'));
    expect(snapshot.timedOut).toBe(true);
  });

  it('counts polls and notices an unchanged status', () => {
    const first = snapshotJob(
      { ...described, Status: 'Active' },
      job,
      null,
      new Date('2019-10-03T21:49:00Z'),
    );
    const second = snapshotJob(
      { ...described, Status: 'Active' },
      job,
      first,
      new Date('2019-10-03T21:49:30Z'),
    );
    expect(second).toMatchObject({ polls: 2, statusChanged: false, previousStatus: 'Active' });
  });

  it('maps FailureReasons', () => {
    const failed = {
      ...described,
      Status: 'Failed' as const,
      FailureReasons: [{ FailureCode: 'ManifestNotFound', FailureReason: 'Manifest not found' }],
    };
    expect(snapshotJob(failed, job, null, new Date()).failureReasons).toEqual([
      { code: 'ManifestNotFound', reason: 'Manifest not found' },
    ]);
  });
});

describe('failureRate', () => {
  it.each([
    [0, 0, 0],
    [3, 1, 0.25],
    [0, 5, 1],
  ])('succeeded %i, failed %i → %f', (succeeded, failed, expected) => {
    expect(failureRate(succeeded, failed)).toBe(expected);
  });
});
