// biome-ignore-all lint/suspicious/noThenProperty: `then` is a restore campaign's second job (schemas/campaign.schema.json), a plain data field, never a function.
/**
 * SummarizeTarget: one row of the campaign's per-target table from what its child execution returned, run at
 * the end of each Map iteration so the Map's result stays small (a child's whole final state would make a
 * hundred targets outgrow Step Functions' 256 KB payload limit).
 *
 * - A child that succeeded (startExecution.sync:2: `Output` is the batch-job machine's final state,
 *   docs/workflow-contract.md) ended Completed: Succeeded, or PartialFailure when any task failed, counted
 *   over every attempt (redrives) as the Completed event counts them; or its workflow continued in a fresh
 *   execution (`continuedAs`, a long job), which is still running: Continued.
 * - A child that failed makes the task fail with States.TaskFailed, its Cause the child's DescribeExecution
 *   as JSON (Status, Error, Cause): the batch-job machine's Fail state names the outcome (BatchJobFailed,
 *   BatchJobCancelled, BatchJobTimedOut, RequestRejected, OrchestrationFailed).
 * - A restore target's child (restore-then) returns `{ restore, then?, restored, notRestored }`, two
 *   batch-job outputs: the row is the last job that ran, with both jobs in `restore` / `then`.
 */
import type {
  CampaignPhaseResult,
  CampaignTargetOutcome,
  CampaignTargetResult,
  CaughtError,
  JobPolicy,
  ReportSummary,
  SummarizeCampaignTargetInput,
} from '../../generated/types.js';
import { workflowFailureNames } from '../errors.js';
import { lambdaErrorMessage, outcomeOf } from '../events/workflow-details.js';
import { resolvePolicy } from '../policy/policy-settings.js';
import { aggregateAttempts } from '../redrive/aggregate.js';
import { redriveErrorCodes } from '../redrive/eligibility.js';
import type { JobSnapshot } from '../workflow-state.js';

type Json = Record<string, unknown>;

export const maxReasonLength = 4096;

const isObject = (value: unknown): value is Json =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

export const truncate = (text: string, max = maxReasonLength): string =>
  text.length <= max ? text : `${text.slice(0, max - 1)}…`;

/** How a failed batch-job child ended, by its Fail state's error (src/core/errors.ts workflowFailureNames). */
const outcomeByChildError: Readonly<Record<string, CampaignTargetOutcome>> = {
  [workflowFailureNames.jobFailed]: 'Failed',
  [workflowFailureNames.jobCancelled]: 'Cancelled',
  [workflowFailureNames.jobTimedOut]: 'TimedOut',
  [workflowFailureNames.requestRejected]: 'Rejected',
  [workflowFailureNames.orchestrationFailed]: 'Failed',
};

export function summarizeCampaignTarget(input: SummarizeCampaignTargetInput): CampaignTargetResult {
  const { target, child, childError } = input.iteration;
  const base = { name: target.plan.name, estimatedUsd: target.plan.estimatedUsd };
  if (childError) {
    const row = failedChild(childError);
    // What ResolveTargets already found wrong with the target's objects says more than the child's Fail state.
    const unresolved = target.plan.unresolved;
    return {
      ...base,
      ...row,
      ...(unresolved && row.reason
        ? { reason: truncate(`${row.reason} (${unresolved.field}: ${unresolved.reason})`) }
        : {}),
    };
  }
  if (!isObject(child) || !isObject(child.Output)) {
    return {
      ...base,
      outcome: 'Failed',
      totals: noTasks(),
      failuresByCode: {},
      reason: 'the child execution returned no output',
      ...executionArnOf(child),
    };
  }
  const output = child.Output;
  const row =
    target.plan.kind === 'restore-then' ? restoreThenRow(output) : { ...jobRow(output), ...jobIdOf(output) };
  return { ...base, ...row, ...executionArnOf(child) };
}

type Row = Omit<CampaignTargetResult, 'name' | 'estimatedUsd'>;

/** The outcomes restore-then reports (its output's `outcome`). */
const restoreThenOutcomes: ReadonlySet<string> = new Set([
  'Succeeded',
  'PartialFailure',
  'Failed',
  'Cancelled',
  'Rejected',
  'TimedOut',
]);

const noTasks = () => ({ tasks: 0, succeeded: 0, failed: 0 });

function executionArnOf(child: unknown): { executionArn?: string } {
  return isObject(child) && typeof child.ExecutionArn === 'string'
    ? { executionArn: child.ExecutionArn }
    : {};
}

function jobIdOf(state: Json): { jobId?: string } {
  const job = state.job;
  return isObject(job) && typeof job.jobId === 'string' ? { jobId: job.jobId } : {};
}

/** One batch-job execution's final state as a row (without the execution ARN). */
function jobRow(state: Json): Row {
  const progress = isObject(state.progress) ? (state.progress as unknown as JobSnapshot) : undefined;
  const continuedAs = isObject(state.continuedAs) ? state.continuedAs.executionArn : undefined;
  if (typeof continuedAs === 'string') {
    return {
      outcome: 'Continued',
      continuedAs,
      totals: progress ? snapshotTotals(progress) : noTasks(),
      failuresByCode: {},
      reason: `the job is still running; its workflow continues in ${continuedAs}`,
    };
  }
  const summary = finalSummary(state);
  const outcome = outcomeOf(progress, summary);
  return {
    outcome,
    totals: summary?.available
      ? { tasks: summary.totalTasks, succeeded: summary.succeededTasks, failed: summary.failedTasks }
      : progress
        ? snapshotTotals(progress)
        : noTasks(),
    failuresByCode: { ...(summary?.byErrorCode ?? {}) },
    ...(outcome === 'PartialFailure' ? { reason: 'the job completed with failed tasks' } : {}),
  };
}

function snapshotTotals(progress: JobSnapshot) {
  return {
    tasks: progress.succeededTasks + progress.failedTasks,
    succeeded: progress.succeededTasks,
    failed: progress.failedTasks,
  };
}

/** The report summary over every attempt (a redrive's jobs included), as Batch Job Completed reports it. */
function finalSummary(state: Json): ReportSummary | undefined {
  if (!isObject(state.report)) return undefined;
  const report = state.report as unknown as ReportSummary;
  const attempts = Array.isArray(state.attempts) ? (state.attempts as ReportSummary[]) : [];
  if (attempts.length === 0) return report;
  const policy = isObject(state.job) ? (state.job.policy as JobPolicy | null | undefined) : undefined;
  return aggregateAttempts([...attempts, report], {
    errorCodes: redriveErrorCodes(resolvePolicy(policy ?? undefined).redrive),
  });
}

function phaseOf(state: unknown): CampaignPhaseResult | undefined {
  if (!isObject(state)) return undefined;
  const row = jobRow(state);
  return { outcome: row.outcome, ...jobIdOf(state), totals: row.totals };
}

/**
 * restore-then succeeds whatever its jobs did and says how the target went in `outcome` (objects not restored
 * by the deadline, or nothing restored, are not a success even when the last job succeeded): that outcome and
 * reason win; the counts and job id come from its last job.
 */
function restoreThenRow(output: Json): Row {
  const restore = phaseOf(output.restore);
  const then = phaseOf(output.then);
  const last = isObject(output.then) ? output.then : isObject(output.restore) ? output.restore : undefined;
  const lastRow: Row = last
    ? { ...jobRow(last), ...jobIdOf(last) }
    : { outcome: 'Failed', totals: noTasks(), failuresByCode: {}, reason: 'restore-then returned no job' };
  const outcome = restoreThenOutcomes.has(output.outcome as string)
    ? (output.outcome as Row['outcome'])
    : lastRow.outcome;
  const { reason: _lastReason, ...jobFields } = lastRow;
  const reason =
    typeof output.reason === 'string'
      ? output.reason
      : outcome === lastRow.outcome
        ? lastRow.reason
        : undefined;
  const row: Row = { ...jobFields, outcome, ...(reason ? { reason: truncate(reason) } : {}) };
  const counts = ['restored', 'notRestored'] as const;
  return {
    ...row,
    ...(restore ? { restore } : {}),
    ...(then ? { then } : {}),
    ...Object.fromEntries(
      counts
        .filter((name) => Number.isInteger(output[name]) && (output[name] as number) >= 0)
        .map((name) => [name, output[name]]),
    ),
  };
}

/**
 * A child task that failed: States.TaskFailed carries the child's DescribeExecution as JSON in Cause; any
 * other error (the child could not be started) carries its own message.
 */
function failedChild(error: CaughtError): Row {
  const described = parseJson(error.Cause);
  if (isObject(described) && typeof described.Status === 'string') {
    const childError = typeof described.Error === 'string' ? described.Error : undefined;
    const childCause = typeof described.Cause === 'string' ? lambdaErrorMessage(described.Cause) : undefined;
    const outcome: CampaignTargetOutcome =
      described.Status === 'TIMED_OUT'
        ? 'TimedOut'
        : described.Status === 'ABORTED'
          ? 'Cancelled'
          : ((childError === undefined ? undefined : outcomeByChildError[childError]) ?? 'Failed');
    const statusText = described.Status === 'FAILED' ? '' : ` (execution ${described.Status})`;
    return {
      outcome,
      totals: noTasks(),
      failuresByCode: {},
      reason: truncate(`${childError ?? described.Status}${statusText}: ${childCause ?? 'no cause given'}`),
      ...(typeof described.ExecutionArn === 'string' ? { executionArn: described.ExecutionArn } : {}),
    };
  }
  return {
    outcome: 'Failed',
    totals: noTasks(),
    failuresByCode: {},
    reason: truncate(`${error.Error}: ${lambdaErrorMessage(error.Cause) ?? 'no cause given'}`),
  };
}

function parseJson(text: string | undefined): unknown {
  if (!text) return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
