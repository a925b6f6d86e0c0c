import { TaskInputError } from '../errors.js';
import { resolvePolicy } from '../policy/policy-settings.js';
import { parseJobRequest } from '../request-validation.js';
import { type SubmitJobDeps, submitJob } from '../submit-job.js';
import type { RedriveOutcome, WorkflowState } from '../workflow-state.js';
import { redriveErrorCodes } from './eligibility.js';
import { decideRedrive } from './redrive.js';
import { writeRedriveManifest } from './redrive-manifest.js';
import { buildRedriveRequest, redriveManifestKey } from './redrive-request.js';

/**
 * After a terminal job with failed tasks: when the policy allows, writes a manifest of exactly the failed
 * tasks that qualify (next to the report) and submits it as a new job chained to this one. Idempotent per
 * execution and attempt: the manifest's bytes and so the CreateJob token are the same on a retry.
 */
export async function redriveFailedTasks(deps: SubmitJobDeps, state: WorkflowState): Promise<RedriveOutcome> {
  const { job, progress, report } = state;
  if (!job) throw new TaskInputError('redrive-job', 'state.job', 'is required');
  if (!progress) throw new TaskInputError('redrive-job', 'state.progress', 'is required');
  if (!report) throw new TaskInputError('redrive-job', 'state.report', 'is required');
  const attempts = [...(state.attempts ?? []), report];
  const policy = resolvePolicy(job.policy ?? undefined).redrive;
  const notRedriven = (reason: string): RedriveOutcome => ({
    redriven: false,
    reason,
    taskCount: 0,
    attempts,
  });

  const decision = decideRedrive({
    policy,
    attempt: job.attempt,
    summary: report,
    terminalStatus: progress.status,
  });
  if (!decision.redrive) return notRedriven(decision.reason);
  if (!job.report.enabled || !job.report.bucket)
    return notRedriven('the job wrote no report to redrive from');

  const attempt = job.attempt + 1;
  const manifest = await writeRedriveManifest({
    store: deps.objects,
    reportBucket: job.report.bucket,
    reportPrefix: job.report.prefix,
    jobId: job.jobId,
    errorCodes: redriveErrorCodes(policy),
    target: { bucket: job.report.bucket, key: redriveManifestKey(job.report.prefix, job.jobId, attempt) },
  });
  if (!manifest) return notRedriven('no failed task has a redrivable error code');

  // The request as the workflow received it: SubmitJob accepted it once, so this only fills its defaults.
  const request = buildRedriveRequest(parseJobRequest(state.request), manifest, attempt, job.jobId);
  const submitted = await submitJob(deps, { request, execution: state.execution });
  return {
    redriven: true,
    reason: decision.reason,
    job: { ...submitted, attempt, parentJobId: job.jobId, continuations: job.continuations },
    taskCount: manifest.taskCount,
    attempts,
  };
}
