/**
 * How each phase of a restore-then run ended, read from the state, shared by the phase events and the
 * machine's output (conclude.ts), so both always agree.
 *
 * A child batch-job execution that failed reaches this machine as the Catch of its `.sync:2` task:
 * `States.TaskFailed`, whose cause is the child's DescribeExecution answer as JSON (its `error` names how the
 * job ended: the batch-job machine's Fail states, src/core/errors.ts workflowFailureNames).
 */
import type {
  CampaignPhaseOutcome,
  CampaignPhaseTasks,
  CaughtError,
  ChildExecutionResult,
  RestoreThenState,
} from '../../generated/types.js';
import { workflowFailureNames } from '../errors.js';
import { lambdaErrorMessage } from '../events/workflow-details.js';
import { aggregateAttempts } from '../redrive/aggregate.js';
import { countsOf, restoreJobReportsOf, restoreTaskCounts } from './restore-job-report.js';

export interface PhaseResult {
  outcome: CampaignPhaseOutcome;
  reason?: string;
  jobId?: string;
  childExecutionArn?: string;
  tasks?: CampaignPhaseTasks;
  failuresByCode?: Record<string, number>;
}

export interface RestorePhaseResult extends PhaseResult {
  /** Objects waited for: the restore job's succeeded tasks. */
  total: number;
  restored: number;
  notRestored: number;
  /** The restore job's failed tasks. */
  restoreFailed: number;
  deadlineReached: boolean;
}

export interface ThenPhaseResult extends PhaseResult {
  /** The restored objects phase 2 ran on. */
  objects: number;
}

/** A reason fits an event (≤ 2,048 characters). */
const maxReason = 2048;
const clip = (text: string): string => (text.length <= maxReason ? text : `${text.slice(0, maxReason - 1)}…`);

const outcomeByChildError: Readonly<Record<string, CampaignPhaseOutcome>> = {
  [workflowFailureNames.jobFailed]: 'Failed',
  [workflowFailureNames.jobCancelled]: 'Cancelled',
  [workflowFailureNames.jobTimedOut]: 'TimedOut',
  [workflowFailureNames.requestRejected]: 'Rejected',
  [workflowFailureNames.orchestrationFailed]: 'Failed',
};

/** The child's own error and cause, from a `.sync` task's failure (or the failure itself when not a child's). */
export function childFailureOf(caught: CaughtError): {
  error: string;
  cause?: string;
  executionArn?: string;
} {
  let parsed: unknown;
  try {
    parsed = caught.Cause === undefined ? undefined : JSON.parse(caught.Cause);
  } catch {
    parsed = undefined;
  }
  const record = (parsed ?? {}) as Record<string, unknown>;
  const text = (...names: string[]): string | undefined => {
    for (const name of names) if (typeof record[name] === 'string') return record[name] as string;
    return undefined;
  };
  const error = text('Error', 'error');
  const cause = text('Cause', 'cause');
  const executionArn = text('ExecutionArn', 'executionArn');
  if (error === undefined) {
    return { error: caught.Error, ...(caught.Cause === undefined ? {} : { cause: caught.Cause }) };
  }
  return {
    error,
    ...(cause === undefined ? {} : { cause }),
    ...(executionArn === undefined ? {} : { executionArn }),
  };
}

/** A phase whose child execution failed: how, and why. */
export function failedPhase(caught: CaughtError, job: 'restore' | 'phase-2'): PhaseResult {
  const child = childFailureOf(caught);
  return {
    outcome: outcomeByChildError[child.error] ?? 'Failed',
    reason: clip(`the ${job} job's execution failed: ${child.error}${child.cause ? `: ${child.cause}` : ''}`),
    ...(child.executionArn ? { childExecutionArn: child.executionArn } : {}),
  };
}

/** The job of a finished child execution: its id, tasks over every attempt, failures by code. */
function jobOf(run: ChildExecutionResult): Omit<PhaseResult, 'outcome'> {
  const output = run.Output;
  const summaries = [...(output.attempts ?? []), ...(output.report ? [output.report] : [])];
  const summary = summaries.length > 0 ? aggregateAttempts(summaries) : undefined;
  return {
    childExecutionArn: run.ExecutionArn,
    ...(output.job ? { jobId: output.job.jobId } : {}),
    ...(summary?.available
      ? {
          tasks: {
            total: summary.totalTasks,
            succeeded: summary.succeededTasks,
            failed: summary.failedTasks,
          },
          failuresByCode: countsOf(summary.byErrorCode),
        }
      : {}),
  };
}

const noObjects = { total: 0, restored: 0, notRestored: 0, restoreFailed: 0, deadlineReached: false };

export function restorePhaseResult(state: RestoreThenState): RestorePhaseResult {
  if (state.restoreError) return { ...failedPhase(state.restoreError, 'restore'), ...noObjects };
  const run = state.restoreRun;
  const job = run ? jobOf(run) : {};
  const waiting = state.waiting;
  if (state.error || !run || !waiting) {
    const error = state.error ?? {
      Error: 'NotWaited',
      Cause: 'the wait for the restored objects did not run',
    };
    // A Lambda error's Cause is its JSON error document: its message is what a reader needs.
    const message = lambdaErrorMessage(error.Cause);
    return {
      ...job,
      outcome: 'Failed',
      reason: clip(`the restore phase could not finish: ${error.Error}${message ? `: ${message}` : ''}`),
      ...noObjects,
      ...(waiting ? { total: waiting.total, restoreFailed: waiting.restoreFailed } : {}),
    };
  }
  const counts = restoreTaskCounts(restoreJobReportsOf(run.Output));
  // The manifest is written after the last poll: objects restored in between are in it, so it counts.
  const restored = state.thenJob?.objects ?? waiting.restored;
  const notRestored = Math.max(0, waiting.total - restored);
  const failed = counts.failed;
  const outcome: CampaignPhaseOutcome =
    notRestored === 0 && failed === 0 ? 'Succeeded' : restored === 0 ? 'Failed' : 'PartialFailure';
  const reasons = [
    ...(notRestored > 0
      ? [
          `${notRestored} of ${waiting.total} objects were not restored ${waiting.deadlineReached ? 'by the deadline' : 'in time'}`,
        ]
      : []),
    ...(failed > 0 ? [`${failed} restore tasks failed`] : []),
  ];
  return {
    ...job,
    outcome,
    ...(reasons.length > 0 ? { reason: reasons.join('; ') } : {}),
    total: waiting.total,
    restored,
    notRestored,
    restoreFailed: failed,
    deadlineReached: waiting.deadlineReached,
  };
}

/** Undefined when phase 2 did not run. */
export function thenPhaseResult(state: RestoreThenState): ThenPhaseResult | undefined {
  const objects = state.thenJob?.objects ?? 0;
  if (state.thenError) return { ...failedPhase(state.thenError, 'phase-2'), objects };
  const run = state.thenRun;
  if (!run) return undefined;
  const job = jobOf(run);
  const failed = job.tasks?.failed ?? 0;
  return {
    ...job,
    outcome: failed > 0 ? 'PartialFailure' : 'Succeeded',
    ...(failed > 0 ? { reason: `${failed} of ${job.tasks?.total ?? objects} phase-2 tasks failed` } : {}),
    objects,
  };
}

/** The restore job's id for the phase-2 manifest, from its execution's output. */
export function restoreJobIdOf(state: RestoreThenState): string | undefined {
  return state.restoreRun ? restoreJobReportsOf(state.restoreRun.Output).jobIds[0] : undefined;
}
