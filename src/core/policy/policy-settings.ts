/**
 * The request's `policy` section with its defaults applied, and the checks its JSON Schema cannot express
 * (relations between fields, and against the job's own priority).
 */
import { jobRequestDefaults } from '../../generated/constants.js';
import type { JobPolicy } from '../../generated/types.js';
import { RequestValidationError } from '../errors.js';

export interface ResolvedPolicy {
  dryRun: boolean;
  autoCancel?: { failureRateThreshold?: number; minTasksRun: number; maxFailedTasks?: number };
  reprioritize?: {
    /** Minimum sample before the failure rate lowers the priority: autoCancel.minTasksRun, or its default. */
    minTasksRun: number;
    failure?: { warnFailureRate: number; recoverFailureRate: number; loweredPriority: number };
    deadline?: { at: string; raisedPriority: number };
  };
  redrive?: { maxAttempts: number; errorCodes?: string[] };
}

/**
 * Applies the defaults, read from the schema (src/generated/constants.ts): a policy that went through
 * SubmitJob has them already, but a section that is absent has none (reprioritize's sample size when there
 * is no autoCancel, dryRun when there is no policy), and a policy may come from elsewhere (a test, the CLI).
 * `recoverFailureRate` defaults to half of `warnFailureRate`: restoring as soon as the rate dips under the
 * warning level would flap between the two priorities; it is derived, so it has no schema default.
 */
export function resolvePolicy(policy: JobPolicy | undefined): ResolvedPolicy {
  const minTasksRun = policy?.autoCancel?.minTasksRun ?? jobRequestDefaults.AutoCancelPolicy.minTasksRun;
  const resolved: ResolvedPolicy = { dryRun: policy?.dryRun ?? jobRequestDefaults.JobPolicy.dryRun };
  const { autoCancel, reprioritize, redrive } = policy ?? {};
  if (autoCancel) resolved.autoCancel = { ...autoCancel, minTasksRun };
  if (reprioritize) {
    const { warnFailureRate, loweredPriority, recoverFailureRate, deadline, raisedPriority } = reprioritize;
    resolved.reprioritize = { minTasksRun };
    if (warnFailureRate !== undefined && loweredPriority !== undefined) {
      resolved.reprioritize.failure = {
        warnFailureRate,
        recoverFailureRate: recoverFailureRate ?? warnFailureRate / 2,
        loweredPriority,
      };
    }
    if (deadline !== undefined && raisedPriority !== undefined) {
      resolved.reprioritize.deadline = { at: deadline, raisedPriority };
    }
  }
  if (redrive)
    resolved.redrive = {
      ...redrive,
      maxAttempts: redrive.maxAttempts ?? jobRequestDefaults.RedrivePolicy.maxAttempts,
    };
  return resolved;
}

const reject = (field: string, reason: string): never => {
  throw new RequestValidationError(`policy.${field}`, reason);
};

function checkRate(field: string, value: number | undefined, { allowZero }: { allowZero: boolean }): void {
  if (value === undefined) return;
  if (!Number.isFinite(value)) reject(field, `must be a number, got ${value}`);
  if (value < 0 || (!allowZero && value === 0) || value >= 1) {
    reject(field, `must be a failure rate ${allowZero ? 'in [0, 1)' : 'in (0, 1)'}, got ${value}`);
  }
}

function checkCount(field: string, value: number | undefined, min: number): void {
  if (value === undefined) return;
  if (!Number.isInteger(value) || value < min) reject(field, `must be an integer ≥ ${min}, got ${value}`);
}

function checkPairs(section: string, value: Record<string, unknown>, pairs: [string, string][]): void {
  for (const [a, b] of pairs) {
    if ((value[a] === undefined) !== (value[b] === undefined)) {
      reject(
        `${section}.${value[a] === undefined ? a : b}`,
        `is required together with ${section}.${value[a] === undefined ? b : a}`,
      );
    }
  }
}

/**
 * Throws RequestValidationError naming the field for a policy that would not work as written. A rate of 1
 * is rejected although the schema allows it: a failure rate never exceeds 1, so the rule could never fire.
 * `priority` is the job's own priority (request default 10), which lowered/raised priorities must move
 * away from in the direction their name says.
 */
export function validatePolicy(policy: JobPolicy | undefined, priority?: number): void {
  if (!policy) return;
  const { autoCancel, reprioritize, redrive } = policy;
  if (autoCancel) {
    checkRate('autoCancel.failureRateThreshold', autoCancel.failureRateThreshold, { allowZero: false });
    checkCount('autoCancel.minTasksRun', autoCancel.minTasksRun, 1);
    checkCount('autoCancel.maxFailedTasks', autoCancel.maxFailedTasks, 1);
    if (autoCancel.failureRateThreshold === undefined && autoCancel.maxFailedTasks === undefined) {
      reject('autoCancel', 'needs failureRateThreshold or maxFailedTasks');
    }
  }
  if (reprioritize) {
    const { warnFailureRate, recoverFailureRate, loweredPriority, deadline, raisedPriority } = reprioritize;
    checkPairs('reprioritize', { ...reprioritize }, [
      ['warnFailureRate', 'loweredPriority'],
      ['deadline', 'raisedPriority'],
    ]);
    if (recoverFailureRate !== undefined && warnFailureRate === undefined) {
      reject('reprioritize.recoverFailureRate', 'needs reprioritize.warnFailureRate');
    }
    checkRate('reprioritize.warnFailureRate', warnFailureRate, { allowZero: false });
    checkRate('reprioritize.recoverFailureRate', recoverFailureRate, { allowZero: true });
    if (
      recoverFailureRate !== undefined &&
      warnFailureRate !== undefined &&
      recoverFailureRate >= warnFailureRate
    ) {
      reject(
        'reprioritize.recoverFailureRate',
        `must be below warnFailureRate (${warnFailureRate}), got ${recoverFailureRate}: equal or higher would flap between priorities`,
      );
    }
    checkCount('reprioritize.loweredPriority', loweredPriority, 0);
    checkCount('reprioritize.raisedPriority', raisedPriority, 0);
    if (priority !== undefined && loweredPriority !== undefined && loweredPriority >= priority) {
      reject(
        'reprioritize.loweredPriority',
        `must be below the job priority (${priority}), got ${loweredPriority}`,
      );
    }
    if (priority !== undefined && raisedPriority !== undefined && raisedPriority <= priority) {
      reject(
        'reprioritize.raisedPriority',
        `must be above the job priority (${priority}), got ${raisedPriority}`,
      );
    }
    if (deadline !== undefined && Number.isNaN(Date.parse(deadline))) {
      reject('reprioritize.deadline', `must be an ISO-8601 date-time, got ${JSON.stringify(deadline)}`);
    }
    if (
      autoCancel?.failureRateThreshold !== undefined &&
      warnFailureRate !== undefined &&
      warnFailureRate >= autoCancel.failureRateThreshold
    ) {
      reject(
        'reprioritize.warnFailureRate',
        `must be below autoCancel.failureRateThreshold (${autoCancel.failureRateThreshold}), got ${warnFailureRate}: the job would be cancelled before it is lowered`,
      );
    }
  }
  if (redrive) {
    checkCount('redrive.maxAttempts', redrive.maxAttempts, 0);
    if (redrive.maxAttempts !== undefined && redrive.maxAttempts > 10) {
      reject('redrive.maxAttempts', `must be at most 10, got ${redrive.maxAttempts}`);
    }
    const blank = redrive.errorCodes?.findIndex((code) => code.trim() === '') ?? -1;
    if (blank >= 0) reject(`redrive.errorCodes[${blank}]`, 'must not be blank');
  }
}
