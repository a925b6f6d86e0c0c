import { describe, expect, it } from 'vitest';
import { buildWorkflowDetail, eventId, outcomeOf } from '../../../src/core/events/workflow-details.js';
import { detailTypes } from '../../../src/core/names.js';
import type { JobSnapshot, SubmittedJob, WorkflowState } from '../../../src/core/workflow-state.js';
import { detailValidators } from '../../../src/generated/schema-ids.js';
import type { ReportSummary } from '../../../src/generated/types.js';
import { aJobRequest, anExecution } from '../../builders/job-request.js';
import { aSubmittedJob } from '../../builders/submitted-job.js';

const now = new Date('2026-11-26T10:05:00Z');
const job: SubmittedJob = aSubmittedJob();
const progress = (overrides: Partial<JobSnapshot> = {}): JobSnapshot => ({
  jobId: job.jobId,
  status: 'Complete',
  previousStatus: 'Active',
  statusChanged: true,
  terminal: true,
  totalTasks: 8,
  succeededTasks: 7,
  failedTasks: 1,
  tasksRun: 8,
  failureRate: 0.125,
  elapsedSeconds: 12,
  failureReasons: [],
  observedAt: now.toISOString(),
  polls: 3,
  pollsInExecution: 3,
  nextWaitSeconds: 0,
  timedOut: false,
  history: [],
  etaSeconds: null,
  stalled: false,
  stallFlagged: false,
  actions: [],
  policyState: { lowered: false, raised: false },
  cancelReported: false,
  ...overrides,
});
const report: ReportSummary = {
  jobId: job.jobId,
  available: true,
  totalTasks: 8,
  succeededTasks: 7,
  failedTasks: 1,
  byErrorCode: { PermanentFailure: 1 },
  byHttpStatus: { '200': 7, '400': 1 },
  sampleFailures: [
    {
      bucket: 'b',
      key: 'a key',
      errorCode: 'PermanentFailure',
      httpStatus: 400,
      message: 'Lambda said "no", twice',
    },
  ],
  resultFiles: ['batch/job-x/results/6217b0fab0de85c408b4be96aeaca9b195a7daa5.csv'],
};
const state = (overrides: Partial<WorkflowState> = {}): WorkflowState => ({
  request: aJobRequest(),
  execution: anExecution,
  job,
  progress: progress(),
  report,
  ...overrides,
});
const lambdaCause = (errorType: string, errorMessage: string) =>
  JSON.stringify({ errorType, errorMessage, trace: [] });

describe('buildWorkflowDetail', () => {
  it.each([
    [detailTypes.submitted, 'Submitted', state({ progress: null, report: undefined })],
    [
      detailTypes.statusChanged,
      'StatusChanged',
      state({ progress: progress({ status: 'Active', terminal: false }) }),
    ],
    [detailTypes.completed, 'Completed', state()],
    [detailTypes.failed, 'Failed', state({ progress: progress({ status: 'Failed' }) })],
    [
      detailTypes.failed,
      'OrchestrationFailed',
      state({
        job: undefined,
        progress: null,
        report: undefined,
        error: { Error: 'States.Timeout', Cause: 'x' },
      }),
    ],
    [detailTypes.cancelled, 'Cancelled', state({ progress: progress({ status: 'Cancelled' }) })],
    [
      detailTypes.rejected,
      'Rejected',
      state({
        job: undefined,
        progress: null,
        report: undefined,
        error: {
          Error: 'RequestValidationError',
          Cause: lambdaCause('RequestValidationError', 'priority: must be >= 0'),
        },
      }),
    ],
  ])('builds a %s detail (%s) that its published schema accepts', (detailType, step, workflowState) => {
    const detail = buildWorkflowDetail({ detailType, step, state: workflowState }, 'dev', now);
    const validate = detailValidators[detailType];
    expect(validate(detail), JSON.stringify(validate.errors)).toBe(true);
    expect(detail).toMatchObject({
      executionArn: anExecution.arn,
      stage: 'dev',
      occurredAt: now.toISOString(),
    });
  });

  it('names the rejected field and reason from the Lambda error', () => {
    const error = {
      Error: 'RequestValidationError',
      Cause: lambdaCause('RequestValidationError', 'manifest.key: does not exist'),
    };
    const detail = buildWorkflowDetail(
      { detailType: detailTypes.rejected, step: 'Rejected', state: state({ error }) },
      'dev',
      now,
    );
    expect(detail).toMatchObject({ field: 'manifest.key', reason: 'does not exist' });
  });

  it('gives the same event id to a retried emit and a new one to the next status change', () => {
    const emit = (polls: number) =>
      buildWorkflowDetail(
        {
          detailType: detailTypes.statusChanged,
          step: 'StatusChanged',
          state: state({ progress: progress({ polls }) }),
        },
        'dev',
        now,
      ).eventId;
    expect(emit(3)).toBe(emit(3));
    expect(emit(4)).not.toBe(emit(3));
    expect(eventId(anExecution.arn, 'Completed')).toMatch(/^[0-9a-f]{32}$/);
  });
});

describe('outcomeOf', () => {
  it('calls a Complete job with failed tasks a partial failure', () => {
    expect(outcomeOf(progress({ failedTasks: 1 }), undefined)).toBe('PartialFailure');
    expect(outcomeOf(progress({ failedTasks: 0 }), { ...report, failedTasks: 0 })).toBe('Succeeded');
  });
});

describe('the Batch Job Submitted detail, per source of objects', () => {
  const submitted = (submittedJob: SubmittedJob) => {
    const detail = buildWorkflowDetail(
      {
        detailType: detailTypes.submitted,
        step: 'Submitted',
        state: state({ job: submittedJob, progress: null, report: undefined }),
      },
      'dev',
      now,
    );
    const validate = detailValidators[detailTypes.submitted];
    expect(validate(detail), JSON.stringify(validate.errors)).toBe(true);
    return detail as Record<string, unknown>;
  };

  it('describes a generated object list by its source bucket and filter dates, with no manifest object', () => {
    // Prepare
    const { manifest: _none, ...generated } = aSubmittedJob({
      manifestSource: {
        kind: 'generator',
        sourceBucket: 'gen-source',
        createdBefore: '2026-11-18T10:00:00.000Z',
      },
    });

    // Act
    const detail = submitted(generated);

    // Assess
    expect(detail).not.toHaveProperty('manifest');
    expect(detail.manifestSource).toEqual({
      kind: 'generator',
      sourceBucket: 'gen-source',
      createdBefore: '2026-11-18T10:00:00.000Z',
    });
  });

  it('names the newest inventory report it found', () => {
    const key = 'inv/src/cfg/2026-11-26T00-00Z/manifest.json';
    const detail = submitted(
      aSubmittedJob({
        manifest: { bucket: 'inventories', key, etag: 'e' },
        manifestSource: {
          kind: 'latestInventory',
          bucket: 'inventories',
          key,
          prefix: 'inv',
          sourceBucket: 'src',
          configId: 'cfg',
          reportTime: '2026-11-26T00:00:00.000Z',
        },
      }),
    );
    expect(detail).toMatchObject({
      manifest: { bucket: 'inventories', key },
      manifestSource: { kind: 'latestInventory', key, reportTime: '2026-11-26T00:00:00.000Z' },
    });
  });

  it.each([
    ['jobs/tag.csv', 'csv'],
    ['inv/src/cfg/2026-11-26T00-00Z/manifest.json', 'inventory'],
  ])(
    'tells the source of a job saved before manifestSource existed by its manifest key (%s: %s)',
    (key, kind) => {
      const { manifestSource: _absent, ...legacy } = aSubmittedJob({
        manifest: { bucket: 'manifests', key, etag: 'e' },
      });
      expect(submitted(legacy).manifestSource).toEqual({ kind, bucket: 'manifests', key });
    },
  );
});
