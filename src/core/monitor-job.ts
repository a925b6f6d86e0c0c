import { JobStatusConflictError } from './errors.js';
import { assertStageJob } from './job-ownership.js';
import { snapshotJob } from './job-snapshot.js';
import { decidePolicyActions, type PolicyAction } from './policy/decide.js';
import type { BatchJobsPort, Clock } from './ports.js';
import type { JobSnapshot, SubmittedJob } from './workflow-state.js';

/**
 * One look at the job: DescribeJob, the snapshot, then the policy's decisions, acted on unless the policy
 * is a dry run. Judging in the same task as describing keeps the poll loop at one Lambda per poll (state
 * transitions are what a long job pays for). A cancel that finds the job already ending is not an error.
 */
export async function monitorJob(
  deps: { jobs: BatchJobsPort; clock: Clock; stage: string },
  job: SubmittedJob,
  previous: JobSnapshot | null | undefined,
): Promise<JobSnapshot> {
  const description = await deps.jobs.describeJob(job.accountId, job.jobId);
  const now = deps.clock.now();
  const snapshot = snapshotJob(description, job, previous, now);
  if (!job.policy) return snapshot;

  const decision = decidePolicyActions({
    policy: job.policy,
    snapshot,
    currentPriority: description.Priority ?? previous?.priority ?? job.priority,
    originalPriority: job.priority,
    reprioritizeState: snapshot.policyState,
    now,
    etaSeconds: snapshot.etaSeconds,
  });
  // A dry run leaves the job running, so the same cancel decision would come back at every poll.
  const actions = decision.actions.filter((a) => a.kind !== 'cancel' || !snapshot.cancelReported);
  const applied = actions.filter((a) => !a.dryRun);
  if (applied.length > 0) await assertStageJob(deps.jobs, job, deps.stage);
  for (const action of applied) await applyAction(deps.jobs, job, action);
  return {
    ...snapshot,
    actions,
    policyState: decision.reprioritizeState,
    cancelReported: snapshot.cancelReported || actions.some((a) => a.kind === 'cancel'),
  };
}

async function applyAction(jobs: BatchJobsPort, job: SubmittedJob, action: PolicyAction): Promise<void> {
  if (action.kind === 'reprioritize') {
    await jobs.updateJobPriority(job.accountId, job.jobId, action.to);
    return;
  }
  try {
    await jobs.updateJobStatus(job.accountId, job.jobId, 'Cancelled', action.reason);
  } catch (error) {
    // The job reached an ending state between DescribeJob and this call: nothing left to cancel.
    if (!(error instanceof JobStatusConflictError)) throw error;
  }
}
