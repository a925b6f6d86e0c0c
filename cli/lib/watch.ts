/**
 * Follows one batch-job workflow to its end: DescribeExecution every interval, plus DescribeJob once the
 * job id is known (from the latest state document in the execution history), so the progress is live
 * rather than as old as the workflow's last (adaptive, possibly minutes-long) poll.
 *
 * The workflow may span several executions and several jobs:
 * - a long job's execution ends SUCCEEDED in `ContinuedAsNew` with `$.continuedAs.executionArn`: the
 *   watch goes on with that execution (at most `maxContinuations` hops), and the result is the last one's;
 * - a redrive replaces `$.job` with a new job (attempt 2, 3…): the job id is read again from the state
 *   document, and the progress follows the new job.
 */
import type { ExecutionDescription } from '../../src/adapters/aws/index.js';
import { type JobStatus, terminalJobStatuses } from '../../src/core/names.js';
import type { CliContext } from '../context.js';
import { WatchTimeoutError } from '../errors.js';
import {
  continuationOf,
  latestStateFromHistory,
  outcomeOf,
  parseStateDocument,
  progressFromJob,
  type RunOutcome,
  type WorkflowStateView,
} from './execution-state.js';
import type { ProgressSnapshot } from './render.js';
import { formatCount } from './table.js';

/** Executions a watch follows past the first: a guard against a chain that never ends. */
export const defaultMaxContinuations = 1000;

export interface WatchOptions {
  /** Give up (WatchTimeoutError) after this long, over every execution followed; the workflow keeps running. */
  timeoutSeconds?: number;
  /** Between polls. */
  intervalSeconds: number;
  /** Continuations followed at most (default 1,000); past it, WatchTimeoutError. */
  maxContinuations?: number;
  /** Called after every poll, e.g. to redraw the progress bar. */
  onProgress?: (update: WatchUpdate) => void;
  /** Called when the watched execution ended in `ContinuedAsNew`, before the watch moves to `next`. */
  onContinued?: (from: string, next: string) => void;
}

export interface WatchUpdate {
  execution: ExecutionDescription;
  progress: ProgressSnapshot;
}

export interface WatchResult {
  /** The last execution followed (the one the workflow ended in). */
  execution: ExecutionDescription;
  state: WorkflowStateView | undefined;
  progress: ProgressSnapshot;
  outcome: RunOutcome;
  successful: boolean;
  /** The executions that continued as new before it, oldest first (empty when there were none). */
  continuedFrom: string[];
}

/** History events read per look: enough to reach the latest state exit, bounded for long histories. */
const historyWindow = 100;

const terminal: ReadonlySet<string> = new Set<JobStatus>(terminalJobStatuses);

interface FollowedJob {
  jobId: string;
  accountId: string;
  attempt?: number;
}

export async function watchExecution(
  ctx: CliContext,
  executionArn: string,
  options: WatchOptions,
): Promise<WatchResult> {
  const workflow = ctx.workflow();
  const startedAt = ctx.io.now().getTime();
  const deadline =
    options.timeoutSeconds === undefined ? Infinity : startedAt + options.timeoutSeconds * 1000;
  const maxContinuations = options.maxContinuations ?? defaultMaxContinuations;
  const latestState = async (arn: string) =>
    latestStateFromHistory(
      (await workflow.getExecutionHistory(arn, { reverseOrder: true, maxEvents: historyWindow })).events,
    );

  let arn = executionArn;
  const continuedFrom: string[] = [];
  let job: FollowedJob | undefined;
  // Read the state document again at the next poll. The job changes only by a redrive, which comes after
  // the job reached a terminal status, and a continued execution carries its job on; so the history is
  // read until the job is known in this execution, and again once the job is terminal.
  let stale = true;
  for (;;) {
    const execution = await workflow.describeExecution(arn);
    const ended = execution.status !== 'RUNNING';
    let state = ended ? parseStateDocument(execution.output) : undefined;
    if (state === undefined && (ended || stale || job === undefined)) state = await latestState(arn);
    if (state?.jobId) {
      job = {
        jobId: state.jobId,
        accountId: state.accountId ?? (job?.jobId === state.jobId ? job.accountId : ctx.accountId()),
        ...(state.attempt === undefined ? {} : { attempt: state.attempt }),
      };
      stale = false;
    }
    const progress: ProgressSnapshot = job
      ? progressFromJob(await ctx.batchJobs().describeJob(job.accountId, job.jobId), job.attempt)
      : { status: execution.status, totalTasks: 0, succeededTasks: 0, failedTasks: 0 };
    if (terminal.has(progress.status)) stale = true;
    options.onProgress?.({ execution, progress });

    if (ended) {
      const next = continuationOf(execution, state);
      if (next === undefined) {
        return { execution, state, progress, ...outcomeOf(execution, state), continuedFrom };
      }
      if (continuedFrom.length >= maxContinuations) {
        throw new WatchTimeoutError(
          `stopped after following ${formatCount(maxContinuations)} continuations; the workflow goes on in ${next}`,
        );
      }
      options.onContinued?.(arn, next);
      continuedFrom.push(arn);
      arn = next;
      stale = true;
      continue; // the next execution is already running: look at it now
    }
    const remaining = deadline - ctx.io.now().getTime();
    if (remaining <= 0) {
      throw new WatchTimeoutError(
        `execution still ${execution.status} after ${options.timeoutSeconds}s (left running): ${arn}`,
      );
    }
    await ctx.io.sleep(Math.min(options.intervalSeconds * 1000, remaining));
  }
}
