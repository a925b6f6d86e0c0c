/**
 * Reading the batch-job workflow's state document (docs/workflow-contract.md) back out of Step Functions:
 * from a finished execution's output, or from the latest `…StateExited` event of its history (every state
 * passes the whole document on, so the latest exit has the latest `job`, `progress` and `report`).
 * Pure functions.
 */
import type { ExecutionDescription, WorkflowHistoryEvent } from '../../src/adapters/aws/index.js';
import { workflowFailureNames } from '../../src/core/errors.js';
import { aggregateAttempts } from '../../src/core/redrive/aggregate.js';
import type { JobSnapshot } from '../../src/core/workflow-state.js';
import type { ReportSummary } from '../../src/generated/types.js';
import type { ProgressSnapshot } from './render.js';

export interface WorkflowStateView {
  /** The job the workflow follows now: after a redrive, the redrive job (`$.job`). */
  jobId?: string;
  accountId?: string;
  /** 1 for the requested job; 2, 3… for redrives of its failed tasks. */
  attempt?: number;
  /** The job a redrive job redrives (attempt > 1). */
  parentJobId?: string;
  progress?: JobSnapshot;
  /**
   * The workflow's report summary: `$.report`, or after redrives the aggregate over every attempt (as the
   * Batch Job Completed event reports it).
   */
  report?: ReportSummary;
  /** After redrives: every attempt's own summary, the original job first (`$.attempts` + `$.report`). */
  attemptReports?: ReportSummary[];
  error?: { Error: string; Cause?: string };
  /** The execution ended in `ContinuedAsNew`: the workflow goes on in this execution. */
  continuedAs?: { executionArn: string; continuation?: number };
}

const isRecord = (value: unknown): value is Record<string, unknown> =>
  value !== null && typeof value === 'object' && !Array.isArray(value);

/** The parts of a state document the CLI shows; undefined when the text is not one. */
export function parseStateDocument(text: string | undefined): WorkflowStateView | undefined {
  if (text === undefined) return undefined;
  try {
    return stateViewOf(JSON.parse(text));
  } catch {
    return undefined;
  }
}

/** The parts of a parsed state document the CLI shows; undefined when it is not one. */
export function stateViewOf(doc: unknown): WorkflowStateView | undefined {
  if (!isRecord(doc) || !('request' in doc || 'job' in doc)) return undefined;
  const view: WorkflowStateView = {};
  if (isRecord(doc.job) && typeof doc.job.jobId === 'string') {
    view.jobId = doc.job.jobId;
    if (typeof doc.job.accountId === 'string') view.accountId = doc.job.accountId;
    if (typeof doc.job.attempt === 'number') view.attempt = doc.job.attempt;
    if (typeof doc.job.parentJobId === 'string') view.parentJobId = doc.job.parentJobId;
  }
  if (isRecord(doc.progress) && typeof doc.progress.status === 'string') {
    view.progress = doc.progress as unknown as JobSnapshot;
  }
  if (isRecord(doc.report) && typeof doc.report.jobId === 'string') {
    const last = doc.report as unknown as ReportSummary;
    const earlier = Array.isArray(doc.attempts)
      ? (doc.attempts.filter((a) => isRecord(a) && typeof a.jobId === 'string') as ReportSummary[])
      : [];
    if (earlier.length > 0) {
      view.attemptReports = [...earlier, last];
      view.report = aggregateAttempts(view.attemptReports);
    } else {
      view.report = last;
    }
  }
  if (isRecord(doc.error) && typeof doc.error.Error === 'string') {
    view.error = {
      Error: doc.error.Error,
      ...(typeof doc.error.Cause === 'string' ? { Cause: doc.error.Cause } : {}),
    };
  }
  if (isRecord(doc.continuedAs) && typeof doc.continuedAs.executionArn === 'string') {
    view.continuedAs = {
      executionArn: doc.continuedAs.executionArn,
      ...(typeof doc.continuedAs.continuation === 'number'
        ? { continuation: doc.continuedAs.continuation }
        : {}),
    };
  }
  return view;
}

/** A SUCCEEDED execution that handed the workflow on to another one: that execution's ARN. */
export function continuationOf(
  execution: Pick<ExecutionDescription, 'status'>,
  state: WorkflowStateView | undefined,
): string | undefined {
  return execution.status === 'SUCCEEDED' ? state?.continuedAs?.executionArn : undefined;
}

/** The outputs of the state exits in the history as JSON, newest first, whatever order the events come in. */
export function* latestStateDocument(events: readonly WorkflowHistoryEvent[]): Generator<unknown> {
  const exits = events.filter((e) => e.type.endsWith('StateExited')).sort((a, b) => b.id - a.id);
  for (const event of exits) {
    const output = event.details?.['output'];
    if (typeof output !== 'string') continue;
    try {
      yield JSON.parse(output);
    } catch {
      // not JSON: no state document
    }
  }
}

/** The batch-job state document of the most recent state exit. */
export function latestStateFromHistory(
  events: readonly WorkflowHistoryEvent[],
): WorkflowStateView | undefined {
  for (const doc of latestStateDocument(events)) {
    const view = stateViewOf(doc);
    if (view) return view;
  }
  return undefined;
}

export type RunOutcome =
  | 'Running'
  | 'Succeeded'
  | 'PartialFailure'
  | 'JobFailed'
  | 'JobCancelled'
  | 'JobTimedOut'
  | 'RequestRejected'
  | 'OrchestrationFailed'
  | 'ExecutionFailed'
  | 'ExecutionTimedOut'
  | 'ExecutionAborted';

const outcomeByFailureName: Record<string, RunOutcome> = {
  [workflowFailureNames.jobFailed]: 'JobFailed',
  [workflowFailureNames.jobCancelled]: 'JobCancelled',
  [workflowFailureNames.jobTimedOut]: 'JobTimedOut',
  [workflowFailureNames.requestRejected]: 'RequestRejected',
  [workflowFailureNames.orchestrationFailed]: 'OrchestrationFailed',
};

/**
 * What the run came to. A SUCCEEDED execution whose job had failed tasks is a `PartialFailure`, still a
 * success (the workflow contract's outcome); every other ending is unsuccessful.
 */
export function outcomeOf(
  execution: Pick<ExecutionDescription, 'status' | 'error'>,
  state: WorkflowStateView | undefined,
): { outcome: RunOutcome; successful: boolean } {
  switch (execution.status) {
    case 'RUNNING':
    case 'PENDING_REDRIVE':
      return { outcome: 'Running', successful: false };
    case 'SUCCEEDED': {
      const failed = state?.report?.failedTasks ?? state?.progress?.failedTasks ?? 0;
      return { outcome: failed > 0 ? 'PartialFailure' : 'Succeeded', successful: true };
    }
    case 'TIMED_OUT':
      return { outcome: 'ExecutionTimedOut', successful: false };
    case 'ABORTED':
      return { outcome: 'ExecutionAborted', successful: false };
    default:
      return {
        outcome: outcomeByFailureName[execution.error ?? ''] ?? 'ExecutionFailed',
        successful: false,
      };
  }
}

/** A DescribeJob answer as progress-bar counts (`attempt`: the workflow's attempt number of that job). */
export function progressFromJob(
  job: {
    JobId: string;
    Status: string;
    ProgressSummary?: {
      TotalNumberOfTasks?: number;
      NumberOfTasksSucceeded?: number;
      NumberOfTasksFailed?: number;
    };
  },
  attempt?: number,
): ProgressSnapshot {
  return {
    jobId: job.JobId,
    status: job.Status,
    totalTasks: job.ProgressSummary?.TotalNumberOfTasks ?? 0,
    succeededTasks: job.ProgressSummary?.NumberOfTasksSucceeded ?? 0,
    failedTasks: job.ProgressSummary?.NumberOfTasksFailed ?? 0,
    ...(attempt === undefined ? {} : { attempt }),
  };
}
