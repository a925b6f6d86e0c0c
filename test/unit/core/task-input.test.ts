import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { createHandler as describeJobHandler } from '../../../functions/describe-job.js';
import { TaskInputError } from '../../../src/core/errors.js';
import { buildWorkflowEvents } from '../../../src/core/events/workflow-details.js';
import { snapshotJob } from '../../../src/core/job-snapshot.js';
import type { JobDescription } from '../../../src/core/ports.js';
import { parseTaskInput } from '../../../src/core/task-input.js';
import {
  validateContinueExecutionInput,
  validateDescribeJobInput,
  validateEmitRequest,
} from '../../../src/generated/validators.js';
import { anExecution } from '../../builders/job-request.js';
import { aSubmittedJob } from '../../builders/submitted-job.js';

const described = JSON.parse(readFileSync('test/fixtures/describe-job.json', 'utf8')).Job as JobDescription;
const aSnapshot = () =>
  snapshotJob({ ...described, Status: 'Active' }, aSubmittedJob(), null, new Date('2026-11-26T10:05:00Z'));

/** The TaskInputError a call throws, or a failure when it throws nothing. */
function taskInputError(act: () => unknown): TaskInputError {
  try {
    act();
  } catch (error) {
    if (error instanceof TaskInputError) return error;
    throw error;
  }
  throw new Error('expected a TaskInputError');
}

describe('parseTaskInput', () => {
  it('returns a valid input as it is, typed', () => {
    // Prepare
    const input = { job: aSubmittedJob(), previous: aSnapshot() };
    const expected = structuredClone(input);

    // Act
    const parsed = parseTaskInput('describe-job', validateDescribeJobInput, input);

    // Assess
    expect(parsed).toBe(input);
    expect(parsed).toEqual(expected);
  });

  it('accepts the job of a generated object list, which has a manifestSource and no manifest', () => {
    // Prepare
    const { manifest: _none, ...generated } = aSubmittedJob({
      manifestSource: {
        kind: 'generator',
        sourceBucket: 'gen-source',
        createdBefore: '2026-11-18T10:00:00.000Z',
      },
    });

    // Act
    const parsed = parseTaskInput('describe-job', validateDescribeJobInput, {
      job: generated,
      previous: null,
    });

    // Assess
    expect(parsed.job.manifestSource?.kind).toBe('generator');
    const { manifestSource: _gone, ...sourceless } = generated;
    expect(
      taskInputError(() =>
        parseTaskInput('describe-job', validateDescribeJobInput, { job: sourceless, previous: null }),
      ).field,
    ).toBe('job.manifest');
  });

  it("fills the request schema's defaults into a state that lacks them", () => {
    // Prepare: a job saved before a wait setting existed carries only some of them.
    const input = { job: { ...aSubmittedJob(), wait: { minSeconds: 10 } }, previous: null };

    // Act
    const parsed = parseTaskInput('describe-job', validateDescribeJobInput, input);

    // Assess
    expect(parsed.job.wait).toEqual({
      minSeconds: 10,
      maxSeconds: 600,
      timeoutSeconds: 604_800,
      eventDriven: true,
      maxPollsPerExecution: 500,
      stallThresholdSeconds: 900,
    });
  });

  it.each([
    ['a missing part', { previous: null }, 'job', 'is required'],
    [
      'an unknown property',
      { job: { ...aSubmittedJob(), jobid: 'x' }, previous: null },
      'job.jobid',
      'is not a known property',
    ],
    [
      'an unknown job status',
      { job: aSubmittedJob(), previous: { ...aSnapshot(), status: 'Running' } },
      'previous.status',
      'must be one of "New", "Preparing", "Suspended", "Ready", "Active", "Pausing", "Paused", "Completing", "Complete", "Cancelling", "Cancelled", "Failing", "Failed"',
    ],
    [
      'a wrong type',
      { job: { ...aSubmittedJob(), priority: '10' }, previous: null },
      'job.priority',
      'must be integer',
    ],
  ])(
    'rejects %s as a non-retryable TaskInputError naming the task and the field',
    (_name, input, field, reason) => {
      // Act
      const error = taskInputError(() => parseTaskInput('describe-job', validateDescribeJobInput, input));

      // Assess
      expect(error).toMatchObject({
        name: 'TaskInputError',
        task: 'describe-job',
        field,
        reason,
        retryable: false,
      });
      expect(error.message).toBe(`describe-job input ${field}: ${reason}`);
    },
  );

  it('accepts exactly one of state and resume for continue-execution', () => {
    // Prepare
    const state = { execution: anExecution, job: aSubmittedJob(), progress: aSnapshot() };

    // Act
    const both = taskInputError(() =>
      parseTaskInput('continue-execution', validateContinueExecutionInput, { state, resume: anExecution }),
    );
    const neither = taskInputError(() =>
      parseTaskInput('continue-execution', validateContinueExecutionInput, {}),
    );

    // Assess
    expect(both.field).toBe('input');
    expect(neither.field).toBe('input');
    expect(
      parseTaskInput('continue-execution', validateContinueExecutionInput, { resume: anExecution }),
    ).toEqual({
      resume: anExecution,
    });
  });

  it('carries a request SubmitJob rejected to the Rejected event unchecked', () => {
    // Prepare: the state EmitRejected receives after SubmitJob refused the request.
    const input = {
      detailType: 'Batch Job Rejected',
      step: 'Rejected',
      state: {
        request: 'tag everything',
        execution: anExecution,
        progress: null,
        attempts: [],
        error: { Error: 'RequestValidationError', Cause: '{"errorMessage":"request: must be object"}' },
      },
    };

    // Act
    const parsed = parseTaskInput('emit-events', validateEmitRequest, input);

    // Assess
    expect(parsed.state.request).toBe('tag everything');
  });
});

describe('buildWorkflowEvents', () => {
  it('rejects a detail type that is not an orchestrator event as a TaskInputError', () => {
    // Prepare
    const request = { detailType: 'Batch Job Exploded', step: 'X', state: { execution: anExecution } };

    // Act
    const error = taskInputError(() => buildWorkflowEvents(request, 'dev', new Date()));

    // Assess
    expect(error).toMatchObject({ task: 'emit-events', field: 'detailType' });
  });
});

describe('lambdaHandler', () => {
  it('checks the input before it reads its configuration, and fails with TaskInputError', async () => {
    // Prepare: an empty environment would fail with ConfigurationError if dependencies were built first.
    const handler = describeJobHandler({ env: {}, clock: { now: () => new Date('2026-11-26T10:05:00Z') } });

    // Act
    const result = handler({ job: { jobId: 'j1' } }, {} as never);

    // Assess
    await expect(result).rejects.toMatchObject({ name: 'TaskInputError', task: 'describe-job' });
  });
});
