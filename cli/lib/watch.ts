/**
 * Follows one batch-job execution to its end: DescribeExecution every interval, plus DescribeJob once the
 * job id is known (from `s3bo run`, or from the latest state document in the execution history), so the
 * progress is live rather than as old as the workflow's last (adaptive, possibly minutes-long) poll.
 */
import type { ExecutionDescription } from '../../src/adapters/aws/index.js';
import type { CliContext } from '../context.js';
import { WatchTimeoutError } from '../errors.js';
import {
  latestStateFromHistory,
  outcomeOf,
  parseStateDocument,
  progressFromJob,
  type RunOutcome,
  type WorkflowStateView,
} from './execution-state.js';
import type { ProgressSnapshot } from './render.js';

export interface WatchOptions {
  /** Give up (WatchTimeoutError) after this long; the execution keeps running. Absent: no limit. */
  timeoutSeconds?: number;
  /** Between polls. */
  intervalSeconds: number;
  /** Called after every poll, e.g. to redraw the progress bar. */
  onProgress?: (update: WatchUpdate) => void;
}

export interface WatchUpdate {
  execution: ExecutionDescription;
  progress: ProgressSnapshot;
}

export interface WatchResult {
  execution: ExecutionDescription;
  state: WorkflowStateView | undefined;
  progress: ProgressSnapshot;
  outcome: RunOutcome;
  successful: boolean;
}

/** History events read per look: enough to reach the latest state exit, bounded for long histories. */
const historyWindow = 100;

export async function watchExecution(
  ctx: CliContext,
  executionArn: string,
  options: WatchOptions,
): Promise<WatchResult> {
  const workflow = ctx.workflow();
  const startedAt = ctx.io.now().getTime();
  const deadline =
    options.timeoutSeconds === undefined ? Infinity : startedAt + options.timeoutSeconds * 1000;
  const latestState = async () =>
    latestStateFromHistory(
      (await workflow.getExecutionHistory(executionArn, { reverseOrder: true, maxEvents: historyWindow }))
        .events,
    );

  let job: { jobId: string; accountId: string } | undefined;
  for (;;) {
    const execution = await workflow.describeExecution(executionArn);
    if (job === undefined) {
      const state = await latestState();
      if (state?.jobId) job = { jobId: state.jobId, accountId: state.accountId ?? ctx.accountId() };
    }
    const progress: ProgressSnapshot = job
      ? progressFromJob(await ctx.batchJobs().describeJob(job.accountId, job.jobId))
      : { status: execution.status, totalTasks: 0, succeededTasks: 0, failedTasks: 0 };
    options.onProgress?.({ execution, progress });

    if (execution.status !== 'RUNNING') {
      const state = parseStateDocument(execution.output) ?? (await latestState());
      return { execution, state, progress, ...outcomeOf(execution, state) };
    }
    const remaining = deadline - ctx.io.now().getTime();
    if (remaining <= 0) {
      throw new WatchTimeoutError(
        `execution still ${execution.status} after ${options.timeoutSeconds}s (left running): ${executionArn}`,
      );
    }
    await ctx.io.sleep(Math.min(options.intervalSeconds * 1000, remaining));
  }
}
