import { describe, expect, it } from 'vitest';
import { nextWaitSeconds, type WaitInput } from '../../../src/core/wait-schedule.js';

const t0 = new Date('2026-11-26T10:00:00Z');
const at = (seconds: number) => new Date(t0.getTime() + seconds * 1000);

function input(overrides: Partial<WaitInput>): WaitInput {
  return {
    status: 'Active',
    statusChanged: false,
    terminal: false,
    tasksRun: 0,
    totalTasks: 1000,
    observedAt: at(60),
    previous: { tasksRun: 0, observedAt: t0, nextWaitSeconds: 10 },
    wait: { minSeconds: 5, maxSeconds: 300, timeoutSeconds: 86_400 },
    deadline: at(86_400),
    ...overrides,
  };
}

describe('nextWaitSeconds', () => {
  it.each([
    ['a status change returns to the minimum', { statusChanged: true }, 5],
    ['a terminal job needs no more waiting', { terminal: true, status: 'Complete' as const }, 0],
    ['Active with progress waits half the estimated remaining time', { tasksRun: 600 }, 20],
    ['Active without progress backs off by half', { tasksRun: 0 }, 15],
    ['Preparing backs off by half', { status: 'Preparing' as const }, 15],
    ['Suspended doubles towards the maximum', { status: 'Suspended' as const }, 20],
    ['a slow job is capped at the maximum', { tasksRun: 1, totalTasks: 1_000_000 }, 300],
    ['never waits past the deadline', { tasksRun: 1, totalTasks: 1_000_000, deadline: at(100) }, 40],
    ['never below the minimum', { tasksRun: 999 }, 5],
  ])('%s', (_name, overrides, expected) => {
    expect(nextWaitSeconds(input(overrides))).toBe(expected);
  });
});
