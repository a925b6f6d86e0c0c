import { snapshotJob } from './job-snapshot.js';
import type { BatchJobsPort, Clock } from './ports.js';
import type { JobSnapshot, SubmittedJob } from './workflow-state.js';

/** One DescribeJob, normalised and compared with the previous snapshot. */
export async function describeJobProgress(
  jobs: BatchJobsPort,
  clock: Clock,
  job: SubmittedJob,
  previous: JobSnapshot | null | undefined,
): Promise<JobSnapshot> {
  const description = await jobs.describeJob(job.accountId, job.jobId);
  return snapshotJob(description, job, previous, clock.now());
}
