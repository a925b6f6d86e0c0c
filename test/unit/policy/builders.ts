import type { PolicyInput } from '../../../src/core/policy/index.js';

export const now = new Date('2026-11-26T10:00:00Z');

/** A running job's snapshot with `failed` of `run` tasks failed. */
export function snapshot(run: number, failed: number, status: PolicyInput['snapshot']['status'] = 'Active') {
  return {
    status,
    terminal: ['Complete', 'Cancelled', 'Failed'].includes(status),
    tasksRun: run,
    failedTasks: failed,
    failureRate: run === 0 ? 0 : failed / run,
  };
}

export function policyInput(overrides: Partial<PolicyInput>): PolicyInput {
  return {
    policy: {},
    snapshot: snapshot(0, 0),
    currentPriority: 10,
    originalPriority: 10,
    reprioritizeState: { lowered: false, raised: false },
    now,
    ...overrides,
  };
}
