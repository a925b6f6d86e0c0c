// biome-ignore-all lint/suspicious/noThenProperty: `then` is restore-then's phase 2 (campaign design); never a function, so never thenable.
import { describe, expect, it } from 'vitest';
import { detailTypes } from '../../../src/core/names.js';
import { concludeRestoreThen } from '../../../src/core/restore-phase/conclude.js';
import { buildPhaseEvent } from '../../../src/core/restore-phase/phase-events.js';
import { childFailureOf } from '../../../src/core/restore-phase/phase-results.js';
import { detailValidators } from '../../../src/generated/schema-ids.js';
import type { RestoreThenState, RestoreWaitSummary } from '../../../src/generated/types.js';
import { childRun, execution, input, plan, summary } from './builders.js';

const restoreReport = summary({ totalTasks: 4, succeededTasks: 4, failedTasks: 0 });

const waiting = (overrides: Partial<RestoreWaitSummary> = {}): RestoreWaitSummary => ({
  done: true,
  total: 4,
  restored: 4,
  pending: 0,
  restoreFailed: 0,
  polls: 3,
  deadline: '2026-03-02T01:00:00.000Z',
  deadlineReached: false,
  nextWaitSeconds: 1,
  progressKey: 'restore-runs/x.json',
  ...overrides,
});

const thenJob = (objects: number) => ({
  objects,
  notRestored: 4 - objects,
  manifest: {
    bucket: 'reports',
    key: 'batch/s3bo-redrive/job-1/restored-objects.csv',
    etag: 'e',
    fields: ['Bucket', 'Key'] as ('Bucket' | 'Key')[],
  },
  request: {},
});

const base: RestoreThenState = { input, execution, plan };

/** A child batch-job execution that failed as the `.sync:2` Catch records it. */
const childFailed = (error: string, cause: string) => ({
  Error: 'States.TaskFailed',
  Cause: JSON.stringify({
    Error: error,
    Cause: cause,
    ExecutionArn: `${execution.arn}-child`,
    Status: 'FAILED',
  }),
});

const states: Record<string, RestoreThenState> = {
  everythingDone: {
    ...base,
    restoreRun: childRun(restoreReport),
    waiting: waiting(),
    thenJob: thenJob(4),
    thenRun: childRun(summary({ jobId: 'then-job-1', totalTasks: 4, succeededTasks: 4 })),
  },
  deadline: {
    ...base,
    restoreRun: childRun(restoreReport),
    waiting: waiting({ restored: 3, pending: 1, deadlineReached: true }),
    thenJob: thenJob(3),
    thenRun: childRun(summary({ jobId: 'then-job-1', totalTasks: 3, succeededTasks: 3 })),
  },
  nothingRestored: {
    ...base,
    restoreRun: childRun(restoreReport),
    waiting: waiting({ restored: 0, pending: 4, deadlineReached: true }),
  },
  restoreCancelled: {
    ...base,
    restoreError: childFailed('BatchJobCancelled', 'The S3 Batch Operations job ended in status Cancelled.'),
  },
  thenFailed: {
    ...base,
    restoreRun: childRun(restoreReport),
    waiting: waiting(),
    thenJob: thenJob(4),
    thenError: childFailed(
      'BatchJobFailed',
      'The S3 Batch Operations job completed, but every one of its tasks failed.',
    ),
  },
  thenPartial: {
    ...base,
    restoreRun: childRun(restoreReport),
    waiting: waiting(),
    thenJob: thenJob(4),
    thenRun: childRun(
      summary({
        jobId: 'then-job-1',
        totalTasks: 4,
        succeededTasks: 3,
        failedTasks: 1,
        byErrorCode: { AccessDenied: 1 },
      }),
    ),
  },
};

describe('concludeRestoreThen', () => {
  it.each([
    ['everythingDone', 'Succeeded', 4, 0],
    ['deadline', 'PartialFailure', 3, 1],
    ['nothingRestored', 'Failed', 0, 4],
    ['restoreCancelled', 'Cancelled', 0, 0],
    ['thenFailed', 'Failed', 4, 0],
    ['thenPartial', 'PartialFailure', 4, 0],
  ])('%s ends %s (restored %d, not restored %d)', (name, outcome, restored, notRestored) => {
    const output = concludeRestoreThen(states[name]!);
    expect(output).toMatchObject({ outcome, restored, notRestored });
  });

  it('gives both children outputs, or their errors, and each phase in full', () => {
    expect(concludeRestoreThen(states.thenPartial!)).toMatchObject({
      restore: { job: { jobId: restoreReport.jobId } },
      then: { job: { jobId: 'then-job-1' } },
      reason: '1 of 4 phase-2 tasks failed',
      phases: {
        restore: {
          outcome: 'Succeeded',
          jobId: restoreReport.jobId,
          tasks: { total: 4, succeeded: 4, failed: 0 },
        },
        then: {
          outcome: 'PartialFailure',
          jobId: 'then-job-1',
          objects: 4,
          failuresByCode: { AccessDenied: 1 },
        },
      },
    });
    const cancelled = concludeRestoreThen(states.restoreCancelled!);
    expect(cancelled.restore).toEqual({
      error: 'BatchJobCancelled',
      cause: 'The S3 Batch Operations job ended in status Cancelled.',
    });
    expect(cancelled).not.toHaveProperty('then');
    expect(cancelled.reason).toBe(
      "the restore job's execution failed: BatchJobCancelled: The S3 Batch Operations job ended in status Cancelled.",
    );
  });

  it('succeeds without phase 2 when there was nothing to restore, and with restores only when no then', () => {
    const empty = { ...base, restoreRun: childRun(summary()), waiting: waiting({ total: 0, restored: 0 }) };
    expect(concludeRestoreThen(empty)).toMatchObject({ outcome: 'Succeeded', restored: 0 });
    const { then: _then, ...restoreOnly } = input;
    expect(
      concludeRestoreThen({
        ...states.deadline!,
        input: restoreOnly,
        thenJob: undefined,
        thenRun: undefined,
      } as RestoreThenState),
    ).toMatchObject({
      outcome: 'PartialFailure',
      restored: 3,
      notRestored: 1,
      reason: '1 of 4 objects were not restored by the deadline',
    });
  });
});

describe('childFailureOf', () => {
  it("reads the child's error from a .sync task's cause, or keeps the task's own", () => {
    expect(childFailureOf(childFailed('RequestRejected', 'bad'))).toEqual({
      error: 'RequestRejected',
      cause: 'bad',
      executionArn: `${execution.arn}-child`,
    });
    expect(
      childFailureOf({ Error: 'StepFunctions.ExecutionAlreadyExistsException', Cause: 'exists' }),
    ).toEqual({
      error: 'StepFunctions.ExecutionAlreadyExistsException',
      cause: 'exists',
    });
  });
});

describe('buildPhaseEvent', () => {
  const now = new Date('2026-03-02T00:00:00.000Z');
  const build = (phase: 'restore' | 'then', step: 'Started' | 'Completed', state: RestoreThenState) =>
    buildPhaseEvent({ phase, step, state }, 'dev', now);

  it('builds details that pass their published schemas, with an id stable per execution, phase and step', () => {
    const events = [
      build('restore', 'Started', states.deadline!),
      build('restore', 'Completed', states.deadline!),
      build('then', 'Started', states.deadline!),
      build('then', 'Completed', states.deadline!),
      build('restore', 'Completed', states.restoreCancelled!),
    ];
    for (const { detailType, detail } of events) {
      const validate = detailValidators[detailType];
      expect(validate(detail), JSON.stringify(validate.errors)).toBe(true);
    }
    expect(events.map((e) => e.detailType)).toEqual([
      detailTypes.campaignPhaseStarted,
      detailTypes.campaignPhaseCompleted,
      detailTypes.campaignPhaseStarted,
      detailTypes.campaignPhaseCompleted,
      detailTypes.campaignPhaseCompleted,
    ]);
    expect(new Set(events.slice(0, 4).map((e) => e.detail.eventId)).size).toBe(4);
    expect(events[4]!.detail.eventId).toBe(events[1]!.detail.eventId);
    expect(build('restore', 'Started', states.deadline!).detail.eventId).toBe(events[0]!.detail.eventId);
  });

  it('reports restored and not restored objects at the end of the restore phase', () => {
    expect(build('restore', 'Completed', states.deadline!).detail).toMatchObject({
      phase: 'restore',
      outcome: 'PartialFailure',
      restored: 3,
      notRestored: 1,
      deadlineReached: true,
      jobId: restoreReport.jobId,
      campaign: 'archive',
      target: 'logs',
    });
    expect(build('restore', 'Completed', states.restoreCancelled!).detail).toMatchObject({
      outcome: 'Cancelled',
      restored: 0,
      childExecutionArn: `${execution.arn}-child`,
    });
  });

  it('reports an orchestration failure of the wait as a failed restore phase', () => {
    const failed = {
      ...base,
      restoreRun: childRun(restoreReport),
      error: {
        Error: 'ReportIntegrityError',
        Cause: JSON.stringify({
          errorType: 'ReportIntegrityError',
          errorMessage: 'bad MD5',
          trace: ['at x'],
        }),
      },
    };
    expect(build('restore', 'Completed', failed).detail).toMatchObject({
      outcome: 'Failed',
      reason: 'the restore phase could not finish: ReportIntegrityError: bad MD5',
    });
  });
});
