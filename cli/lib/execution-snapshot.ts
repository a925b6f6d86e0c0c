/**
 * One look at a batch-job execution: its description, its latest state document and, once the job is
 * known, the job's progress from DescribeJob. What `watch` does in a loop for one execution, done once per
 * poll for each of a campaign's children.
 */
import type { ExecutionDescription } from '../../src/adapters/aws/index.js';
import type { CliContext } from '../context.js';
import {
  latestStateFromHistory,
  outcomeOf,
  parseStateDocument,
  progressFromJob,
  type RunOutcome,
  type WorkflowStateView,
} from './execution-state.js';
import type { ProgressSnapshot } from './render.js';

export interface ExecutionSnapshot {
  execution: ExecutionDescription;
  state: WorkflowStateView | undefined;
  /** DescribeJob's counts once the job exists; before that, zeros and the execution's status. */
  progress: ProgressSnapshot;
  outcome: RunOutcome;
}

/** History events read per look: enough to reach the latest state exit. */
const historyWindow = 100;

/** Undefined while the execution does not exist yet (its parent has not started it). */
export async function snapshotExecution(
  ctx: CliContext,
  executionArn: string,
): Promise<ExecutionSnapshot | undefined> {
  const workflow = ctx.workflow();
  const execution = await workflow.findExecution(executionArn);
  if (!execution) return undefined;
  const ended = execution.status !== 'RUNNING';
  let state = ended ? parseStateDocument(execution.output) : undefined;
  state ??= latestStateFromHistory(
    (await workflow.getExecutionHistory(executionArn, { reverseOrder: true, maxEvents: historyWindow }))
      .events,
  );
  const progress: ProgressSnapshot = state?.jobId
    ? progressFromJob(
        await ctx.batchJobs().describeJob(state.accountId ?? ctx.accountId(), state.jobId),
        state.attempt,
      )
    : { status: execution.status, totalTasks: 0, succeededTasks: 0, failedTasks: 0 };
  return { execution, state, progress, outcome: outcomeOf(execution, state).outcome };
}
