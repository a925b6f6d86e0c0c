import { describe, expect, it } from 'vitest';
import type { JobStatus } from '../../../src/core/names.js';
import { decideRedrive } from '../../../src/core/redrive/redrive.js';
import { summary } from './builders.js';

const failedSummary = summary({
  totalTasks: 10,
  succeededTasks: 7,
  failedTasks: 3,
  byErrorCode: { SlowDown: 2, AccessDenied: 1 },
  byHttpStatus: { '200': 7, '503': 2, '403': 1 },
});
const permanentOnly = summary({
  totalTasks: 10,
  succeededTasks: 9,
  failedTasks: 1,
  byErrorCode: { AccessDenied: 1 },
  byHttpStatus: { '200': 9, '403': 1 },
});
const fiveHundredWithoutCode = summary({ failedTasks: 1, byHttpStatus: { '502': 1 } });

describe('decideRedrive', () => {
  it.each([
    {
      when: 'a Complete job has redrivable failures',
      policy: { maxAttempts: 1 },
      attempt: 1,
      status: 'Complete',
      s: failedSummary,
      redrive: true,
      reason: /redrive 1 of 1/,
    },
    {
      when: 'the second of two redrives is allowed',
      policy: { maxAttempts: 2 },
      attempt: 2,
      status: 'Complete',
      s: failedSummary,
      redrive: true,
      reason: /redrive 2 of 2/,
    },
    {
      when: 'the redrives are used up',
      policy: { maxAttempts: 2 },
      attempt: 3,
      status: 'Complete',
      s: failedSummary,
      redrive: false,
      reason: /2 of 2 redrive/,
    },
    {
      when: 'the policy has no redrive section',
      policy: undefined,
      attempt: 1,
      status: 'Complete',
      s: failedSummary,
      redrive: false,
      reason: /not enabled/,
    },
    {
      when: 'maxAttempts is 0',
      policy: { maxAttempts: 0 },
      attempt: 1,
      status: 'Complete',
      s: failedSummary,
      redrive: false,
      reason: /disabled/,
    },
    {
      when: 'the job was cancelled',
      policy: { maxAttempts: 3 },
      attempt: 1,
      status: 'Cancelled',
      s: failedSummary,
      redrive: false,
      reason: /cancelled/,
    },
    {
      when: 'the job failed',
      policy: { maxAttempts: 3 },
      attempt: 1,
      status: 'Failed',
      s: failedSummary,
      redrive: false,
      reason: /failed/,
    },
    {
      when: 'the job is not terminal',
      policy: { maxAttempts: 3 },
      attempt: 1,
      status: 'Active',
      s: failedSummary,
      redrive: false,
      reason: /not terminal/,
    },
    {
      when: 'no task failed',
      policy: { maxAttempts: 3 },
      attempt: 1,
      status: 'Complete',
      s: summary({ totalTasks: 5, succeededTasks: 5 }),
      redrive: false,
      reason: /no task failed/,
    },
    {
      when: 'there is no report',
      policy: { maxAttempts: 3 },
      attempt: 1,
      status: 'Complete',
      s: summary({ available: false, failedTasks: 2 }),
      redrive: false,
      reason: /no completion report/,
    },
    {
      when: 'only permanent failures remain',
      policy: { maxAttempts: 3 },
      attempt: 1,
      status: 'Complete',
      s: permanentOnly,
      redrive: false,
      reason: /redrivable/,
    },
    {
      when: 'a policy code matches a permanent failure',
      policy: { maxAttempts: 3, errorCodes: ['AccessDenied'] },
      attempt: 1,
      status: 'Complete',
      s: permanentOnly,
      redrive: true,
      reason: /redrive 1 of 3/,
    },
    {
      when: 'a failure qualifies by its 5xx status alone',
      policy: { maxAttempts: 1 },
      attempt: 1,
      status: 'Complete',
      s: fiveHundredWithoutCode,
      redrive: true,
      reason: /redrive 1 of 1/,
    },
  ])('redrive=$redrive when $when', ({ policy, attempt, status, s, redrive, reason }) => {
    // Act
    const decision = decideRedrive({ policy, attempt, summary: s, terminalStatus: status as JobStatus });

    // Assess
    expect(decision.redrive).toBe(redrive);
    expect(decision.reason).toMatch(reason);
  });
});
