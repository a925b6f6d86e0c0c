/**
 * Whether a job that reached a terminal status gets a redrive job for its failed tasks.
 */
import type { ReportSummary } from '../../generated/types.js';
import type { JobStatus } from '../names.js';
import type { ResolvedPolicy } from '../policy/policy-settings.js';
import { compileRedriveMatcher, redriveErrorCodes } from './eligibility.js';

export interface RedriveInput {
  /** `resolvePolicy(request.policy).redrive`: undefined when the request has no redrive section. */
  policy: ResolvedPolicy['redrive'];
  /** Jobs run so far in this workflow, the one just finished included: 1 = the original job only. */
  attempt: number;
  /** The report summary of the job that just finished (not the aggregate). */
  summary: ReportSummary;
  terminalStatus: JobStatus;
}

export interface RedriveDecision {
  redrive: boolean;
  /** Why, in a sentence fit for an event or a log line. */
  reason: string;
}

/**
 * Redrives only a `Complete` job. `Cancelled`: someone (an operator, or the auto-cancel policy) decided the
 * job should stop, and rerunning its failures would overrule that. `Failed`: S3 stopped the job (more
 * than 50% of ≥1,000 tasks failed, or the manifest/role was unusable); its report lists only the tasks
 * that ran, so a redrive of the failures could not finish the work, and the cause is rarely transient.
 *
 * `maxAttempts` counts redrives, not jobs: attempt N (N jobs so far) may be redriven while N ≤ maxAttempts.
 * The summary's code counts are checked first, so a job whose failures cannot qualify is settled without
 * reading its report again; a "yes" here may still find no qualifying row (then no manifest is written).
 */
export function decideRedrive(input: RedriveInput): RedriveDecision {
  const { policy, attempt, summary, terminalStatus } = input;
  const no = (reason: string): RedriveDecision => ({ redrive: false, reason });
  if (policy === undefined) return no('redrive is not enabled (no policy.redrive)');
  if (policy.maxAttempts <= 0) return no('redrive is disabled (policy.redrive.maxAttempts is 0)');
  if (terminalStatus === 'Cancelled') return no('the job was cancelled: its failures are not redriven');
  if (terminalStatus === 'Failed') return no('the job failed: only a Complete job is redriven');
  if (terminalStatus !== 'Complete') return no(`the job is ${terminalStatus}, not terminal`);
  if (!summary.available) return no('the job has no completion report to take the failed tasks from');
  if (summary.failedTasks <= 0) return no('no task failed');
  const redrives = attempt - 1;
  if (attempt > policy.maxAttempts) {
    return no(
      `${redrives} of ${policy.maxAttempts} redrive(s) already made; ${summary.failedTasks} task(s) still failed`,
    );
  }
  const codes = redriveErrorCodes(policy);
  if (!mayQualify(summary, codes)) {
    return no(
      `none of the ${summary.failedTasks} failed task(s) has a redrivable error (${codes.join(', ')})`,
    );
  }
  return {
    redrive: true,
    reason: `redrive ${redrives + 1} of ${policy.maxAttempts}: ${summary.failedTasks} task(s) failed in job ${summary.jobId}`,
  };
}

/**
 * No false negatives: a qualifying row has a listed error code (counted in byErrorCode) or a listed HTTP
 * status (counted in byHttpStatus, which counts every row).
 */
function mayQualify(summary: ReportSummary, codes: readonly string[]): boolean {
  const matches = compileRedriveMatcher(codes);
  for (const [errorCode, n] of Object.entries(summary.byErrorCode)) {
    if (n && matches({ errorCode, httpStatus: null })) return true;
  }
  for (const [status, n] of Object.entries(summary.byHttpStatus)) {
    if (n && matches({ errorCode: '', httpStatus: Number(status) })) return true;
  }
  return false;
}
