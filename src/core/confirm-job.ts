import { JobStatusConflictError } from './errors.js';
import { assertStageJob } from './job-ownership.js';
import type { JobStatus } from './names.js';
import type { BatchJobsPort } from './ports.js';
import type { JobSnapshot, SubmittedJob } from './workflow-state.js';

export const confirmationReason = 'Confirmed by s3-batch-orchestrator (request.autoConfirm)';

/**
 * Moves a Suspended job to Ready when the request allows it. Idempotent: if a retried call finds the job
 * already confirmed (JobStatusException because it left Suspended), it reports the job's current status.
 */
export async function confirmJob(
  deps: { jobs: BatchJobsPort; stage: string },
  job: Pick<SubmittedJob, 'jobId' | 'accountId' | 'autoConfirm'>,
  progress: Pick<JobSnapshot, 'status'>,
): Promise<{ status: JobStatus; confirmed: boolean }> {
  if (progress.status !== 'Suspended' || !job.autoConfirm)
    return { status: progress.status, confirmed: false };
  const { jobs } = deps;
  await assertStageJob(jobs, job, deps.stage);
  try {
    const { status } = await jobs.updateJobStatus(job.accountId, job.jobId, 'Ready', confirmationReason);
    return { status, confirmed: true };
  } catch (error) {
    if (!(error instanceof JobStatusConflictError)) throw error;
    const current = await jobs.describeJob(job.accountId, job.jobId);
    if (current.Status === 'Suspended') throw error;
    return { status: current.Status, confirmed: false };
  }
}
