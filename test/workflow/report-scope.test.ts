/**
 * A FailedTasksOnly report lists only the failed tasks: the workflow's summary takes how many tasks ran
 * and succeeded from DescribeJob (`$.progress`), not from the rows.
 */
import { describe, expect, it } from 'vitest';
import {
  finishedWith,
  followsPath,
  harnessPerTest,
  reportBucket,
  SUBMITTED_START,
  seededManifest,
  taggingRequest,
} from './harness.js';

const harnesses = harnessPerTest();

const failedOnly = { report: { bucket: reportBucket, prefix: 'batch', scope: 'FailedTasksOnly' } };

describe('batch-job workflow with report scope FailedTasksOnly', () => {
  it('reports the totals of the job, not of the failed rows, in the Completed event', async () => {
    // Prepare: 40 objects, the 10 named "object 1?.txt" refused
    const { h } = await harnesses.seeded(40, {
      faults: {
        taskFailures: [
          { keyPattern: '*object 1?.txt', code: 'AccessDenied', httpStatus: 403, permanent: true },
        ],
      },
    });

    // Act
    const run = await h.run(taggingRequest(seededManifest, failedOnly));

    // Assess
    expect(run.status, run.cause).toBe('SUCCEEDED');
    expect(
      followsPath(run.statesEntered, [SUBMITTED_START, finishedWith('EmitPartialFailure', 'Succeeded')]),
      run.statesEntered.join(' → '),
    ).toBe(true);
    const completed = h.event('Batch Job Completed');
    expect(completed.outcome).toBe('PartialFailure');
    expect(completed.summary).toMatchObject({
      available: true,
      totalTasks: 40,
      succeededTasks: 30,
      failedTasks: 10,
      byErrorCode: { AccessDenied: 10 },
      byHttpStatus: { '403': 10 },
    });
    expect(completed.summary.resultFiles).toHaveLength(1);
  });

  it('counts every task of a job in which none failed (the report lists no result file)', async () => {
    const { h } = await harnesses.seeded(25);
    const run = await h.run(taggingRequest(seededManifest, failedOnly));
    expect(run.status, run.cause).toBe('SUCCEEDED');
    expect(h.event('Batch Job Completed')).toMatchObject({
      outcome: 'Succeeded',
      summary: { available: true, totalTasks: 25, succeededTasks: 25, failedTasks: 0, resultFiles: [] },
    });
  });
});
