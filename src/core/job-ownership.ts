import { ForeignJobError } from './errors.js';
import { stageJobTagKey } from './names.js';
import type { BatchJobsPort } from './ports.js';

/**
 * Before the orchestrator changes a job (cancel, confirm, reprioritize) it checks that the job carries this
 * stage's job tag. The workflow only acts on jobs it created, and the stage's IAM is conditioned on the same
 * tag; this check keeps that true even if a forged job id got past both (defence in depth), and it costs one
 * GetJobTagging call per change, which is rare next to the polls.
 */
export async function assertStageJob(
  jobs: BatchJobsPort,
  job: { accountId: string; jobId: string },
  stage: string,
): Promise<void> {
  const tags = await jobs.getJobTagging(job.accountId, job.jobId);
  const tag = tags.find((t) => t.Key === stageJobTagKey);
  if (tag?.Value !== stage) {
    throw new ForeignJobError(
      `job ${job.jobId} is not one of stage ${stage}'s jobs (its ${stageJobTagKey} tag is ${tag ? `"${tag.Value}"` : 'absent'}): not changed`,
    );
  }
}
