import { describe, expect, it } from 'vitest';
import { latestStateFromHistory, outcomeOf, parseStateDocument } from '../../cli/lib/execution-state.js';
import { bucketName } from '../../cli/lib/report.js';

const doc = (jobId: string, extra: object = {}) =>
  JSON.stringify({ request: {}, job: { jobId, accountId: '000000000000' }, ...extra });

describe('latestStateFromHistory', () => {
  it('reads the job from the most recent state exit, whatever the order', () => {
    const view = latestStateFromHistory([
      { id: 4, type: 'TaskStateExited', timestamp: '', details: { name: 'DescribeJob', output: doc('new') } },
      { id: 9, type: 'LambdaFunctionSucceeded', timestamp: '', details: { output: '{}' } },
      { id: 2, type: 'PassStateExited', timestamp: '', details: { name: 'Initialize', output: doc('old') } },
    ]);
    expect(view).toMatchObject({ jobId: 'new', accountId: '000000000000' });
  });

  it('is undefined before any state passed a document on', () => {
    expect(latestStateFromHistory([{ id: 1, type: 'ExecutionStarted', timestamp: '' }])).toBeUndefined();
    expect(parseStateDocument('not json')).toBeUndefined();
  });
});

describe('outcomeOf', () => {
  it.each([
    [{ status: 'SUCCEEDED' }, undefined, 'Succeeded', true],
    [{ status: 'SUCCEEDED' }, { progress: { failedTasks: 2 } }, 'PartialFailure', true],
    [{ status: 'FAILED', error: 'BatchJobFailed' }, undefined, 'JobFailed', false],
    [{ status: 'FAILED', error: 'BatchJobCancelled' }, undefined, 'JobCancelled', false],
    [{ status: 'FAILED', error: 'RequestRejected' }, undefined, 'RequestRejected', false],
    [{ status: 'FAILED', error: 'States.Runtime' }, undefined, 'ExecutionFailed', false],
    [{ status: 'ABORTED' }, undefined, 'ExecutionAborted', false],
    [{ status: 'TIMED_OUT' }, undefined, 'ExecutionTimedOut', false],
  ] as const)('%o → %s', (execution, state, outcome, successful) => {
    expect(outcomeOf(execution, state as never)).toEqual({ outcome, successful });
  });
});

describe('bucketName', () => {
  it('accepts a bucket ARN as DescribeJob reports it', () => {
    expect(bucketName('arn:aws:s3:::my-reports')).toBe('my-reports');
    expect(bucketName('my-reports')).toBe('my-reports');
  });
});
