/**
 * Follows one campaign run to its end: the campaign execution, and for each target the child execution the
 * run starts for it, found by name (`<runId>-<target>` on the batch-job machine, or on the restore-then
 * machine with its own `-restore` / `-then` children), so nothing needs listing. Each poll reads each
 * target's job progress from DescribeJob, as `watch` does for one job.
 */
import type { ExecutionDescription } from '../../src/adapters/aws/index.js';
import { executionArnFor } from '../../src/adapters/aws/sfn.js';
import { childExecutionName } from '../../src/core/campaign/run-id.js';
import type { TargetRequest } from '../../src/core/campaign/target-requests.js';
import { childExecutionName as restoreThenChildName } from '../../src/core/restore-phase/child-names.js';
import { type CliContext, stateMachineArnOf } from '../context.js';
import { WatchTimeoutError } from '../errors.js';
import { type ExecutionSnapshot, snapshotExecution } from './execution-snapshot.js';

/** Where one target is: not started yet, its job running (restore-then: which phase), or ended. */
export interface TargetProgress {
  name: string;
  /** `job` for a plain target; `restore`, `waiting for restores` or `then` for a restore campaign's target. */
  phase: 'pending' | 'job' | 'restore' | 'waiting for restores' | 'then';
  /** The execution running the target (the batch-job child, or restore-then's current child). */
  snapshot?: ExecutionSnapshot;
  /** The target's own execution ended (restore-then: the whole target). */
  ended: boolean;
}

export interface CampaignWatchOptions {
  intervalSeconds: number;
  timeoutSeconds?: number;
  onProgress?: (targets: TargetProgress[], campaign: ExecutionDescription) => void;
}

export interface CampaignWatchResult {
  execution: ExecutionDescription;
  targets: TargetProgress[];
}

export async function watchCampaign(
  ctx: CliContext,
  run: { executionArn: string; runId: string; targets: readonly TargetRequest[] },
  options: CampaignWatchOptions,
): Promise<CampaignWatchResult> {
  const deadline =
    options.timeoutSeconds === undefined ? Infinity : ctx.io.now().getTime() + options.timeoutSeconds * 1000;
  for (;;) {
    const execution = await ctx.workflow().describeExecution(run.executionArn);
    const targets = await Promise.all(run.targets.map((target) => targetProgress(ctx, run.runId, target)));
    options.onProgress?.(targets, execution);
    if (execution.status !== 'RUNNING') return { execution, targets };
    const remaining = deadline - ctx.io.now().getTime();
    if (remaining <= 0) {
      throw new WatchTimeoutError(
        `campaign run ${run.runId} still RUNNING after ${options.timeoutSeconds}s (left running): ${run.executionArn}`,
      );
    }
    await ctx.io.sleep(Math.min(options.intervalSeconds * 1000, remaining));
  }
}

async function targetProgress(
  ctx: CliContext,
  runId: string,
  target: TargetRequest,
): Promise<TargetProgress> {
  const accountId = ctx.accountId();
  const arnOn = (machine: 'batch-job' | 'restore-then', name: string) =>
    executionArnFor(stateMachineArnOf(ctx.config, accountId, machine), name);
  const name = target.name;
  const own = childExecutionName(runId, name);
  if (target.kind !== 'restore-then') {
    const snapshot = await snapshotExecution(ctx, arnOn('batch-job', own));
    return snapshot
      ? { name, phase: 'job', snapshot, ended: snapshot.execution.status !== 'RUNNING' }
      : { name, phase: 'pending', ended: false };
  }
  const parent = await ctx.workflow().findExecution(arnOn('restore-then', own));
  if (!parent) return { name, phase: 'pending', ended: false };
  const ended = parent.status !== 'RUNNING';
  const then = await snapshotExecution(ctx, arnOn('batch-job', restoreThenChildName(runId, name, 'then')));
  if (then) return { name, phase: 'then', snapshot: then, ended };
  const restore = await snapshotExecution(
    ctx,
    arnOn('batch-job', restoreThenChildName(runId, name, 'restore')),
  );
  if (!restore) return { name, phase: 'pending', ended };
  const restoreEnded = restore.execution.status !== 'RUNNING';
  return {
    name,
    phase: restoreEnded && !ended ? 'waiting for restores' : 'restore',
    snapshot: restore,
    ended,
  };
}
