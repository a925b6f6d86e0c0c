import { describe, expect, it } from 'vitest';
import { RequestValidationError } from '../../../src/core/errors.js';
import { resolvePolicy, validatePolicy } from '../../../src/core/policy/index.js';
import type { JobPolicy } from '../../../src/generated/types.js';

describe('validatePolicy', () => {
  it.each<[string, JobPolicy]>([
    ['no policy at all', {}],
    ['a rate threshold', { autoCancel: { failureRateThreshold: 0.05, minTasksRun: 500 } }],
    ['a failed-task limit', { autoCancel: { maxFailedTasks: 10 } }],
    [
      'lowering below and raising above the job priority',
      {
        autoCancel: { failureRateThreshold: 0.2 },
        reprioritize: {
          warnFailureRate: 0.1,
          recoverFailureRate: 0,
          loweredPriority: 1,
          deadline: '2026-12-01T00:00:00Z',
          raisedPriority: 50,
        },
      },
    ],
    ['a redrive limited to error codes', { redrive: { maxAttempts: 2, errorCodes: ['SlowDown'] } }],
  ])('accepts %s', (_name, policy) => {
    expect(() => validatePolicy(policy, 10)).not.toThrow();
  });

  it.each<[string, JobPolicy, string, string]>([
    [
      'a threshold of 1, which never fires',
      { autoCancel: { failureRateThreshold: 1 } },
      'policy.autoCancel.failureRateThreshold',
      'in (0, 1)',
    ],
    [
      'a zero threshold',
      { autoCancel: { failureRateThreshold: 0 } },
      'policy.autoCancel.failureRateThreshold',
      'in (0, 1)',
    ],
    [
      'an autoCancel without a trigger',
      { autoCancel: { minTasksRun: 10 } },
      'policy.autoCancel',
      'failureRateThreshold or maxFailedTasks',
    ],
    [
      'a fractional sample',
      { autoCancel: { maxFailedTasks: 1, minTasksRun: 2.5 } },
      'policy.autoCancel.minTasksRun',
      'integer',
    ],
    [
      'a recovery rate at the warning rate',
      { reprioritize: { warnFailureRate: 0.1, recoverFailureRate: 0.1, loweredPriority: 1 } },
      'policy.reprioritize.recoverFailureRate',
      'must be below warnFailureRate (0.1)',
    ],
    [
      'a recovery rate without a warning rate',
      { reprioritize: { recoverFailureRate: 0.1 } },
      'policy.reprioritize.recoverFailureRate',
      'needs reprioritize.warnFailureRate',
    ],
    [
      'a warning rate without a lowered priority',
      { reprioritize: { warnFailureRate: 0.1 } },
      'policy.reprioritize.loweredPriority',
      'required together with reprioritize.warnFailureRate',
    ],
    [
      'a lowered priority that is not lower',
      { reprioritize: { warnFailureRate: 0.1, loweredPriority: 10 } },
      'policy.reprioritize.loweredPriority',
      'below the job priority (10)',
    ],
    [
      'a raised priority that is not higher',
      { reprioritize: { deadline: '2026-12-01T00:00:00Z', raisedPriority: 5 } },
      'policy.reprioritize.raisedPriority',
      'above the job priority (10)',
    ],
    [
      'a deadline that is not a date',
      { reprioritize: { deadline: 'tomorrow', raisedPriority: 50 } },
      'policy.reprioritize.deadline',
      'ISO-8601',
    ],
    [
      'a warning rate the auto-cancel threshold pre-empts',
      {
        autoCancel: { failureRateThreshold: 0.1 },
        reprioritize: { warnFailureRate: 0.2, loweredPriority: 1 },
      },
      'policy.reprioritize.warnFailureRate',
      'below autoCancel.failureRateThreshold',
    ],
    [
      'a blank error code',
      { redrive: { errorCodes: ['SlowDown', ' '] } },
      'policy.redrive.errorCodes[1]',
      'blank',
    ],
    ['too many redrives', { redrive: { maxAttempts: 11 } }, 'policy.redrive.maxAttempts', 'at most 10'],
  ])('rejects %s, naming the field', (_name, policy, field, reason) => {
    let caught: unknown;
    try {
      validatePolicy(policy, 10);
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(RequestValidationError);
    expect(caught).toMatchObject({ field, name: 'RequestValidationError', retryable: false });
    expect((caught as RequestValidationError).reason).toContain(reason);
  });
});

describe('resolvePolicy', () => {
  it('applies the schema defaults', () => {
    expect(resolvePolicy(undefined)).toEqual({ dryRun: false });
    expect(resolvePolicy({ autoCancel: { maxFailedTasks: 5 }, redrive: {} })).toEqual({
      dryRun: false,
      autoCancel: { maxFailedTasks: 5, minTasksRun: 100 },
      redrive: { maxAttempts: 1 },
    });
  });

  it('shares the auto-cancel sample with reprioritizing and defaults the recovery rate to half the warning', () => {
    const resolved = resolvePolicy({
      autoCancel: { maxFailedTasks: 5, minTasksRun: 250 },
      reprioritize: { warnFailureRate: 0.2, loweredPriority: 0 },
    });
    expect(resolved.reprioritize).toEqual({
      minTasksRun: 250,
      failure: { warnFailureRate: 0.2, recoverFailureRate: 0.1, loweredPriority: 0 },
    });
  });
});
