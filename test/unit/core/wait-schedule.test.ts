import { describe, expect, it } from 'vitest';
import { isStalled, nextWaitSeconds, planWait, type WaitInput } from '../../../src/core/wait-schedule.js';

const t0 = new Date('2026-11-26T10:00:00Z');
const at = (seconds: number) => new Date(t0.getTime() + seconds * 1000);
const point = (seconds: number, tasksRun: number) => ({ tasksRun, observedAt: at(seconds).toISOString() });

function input(overrides: Partial<WaitInput>): WaitInput {
  return {
    status: 'Active',
    statusChanged: false,
    terminal: false,
    tasksRun: 0,
    totalTasks: 1000,
    observedAt: at(60),
    previous: { tasksRun: 0, observedAt: t0, nextWaitSeconds: 10 },
    wait: { minSeconds: 5, maxSeconds: 300 },
    deadline: at(86_400),
    ...overrides,
  };
}

/** Two intervals of 60 s at 10 tasks/s (0 → 600 → 1,200), observed at 120 s: a confirmed rate. */
const steady = (overrides: Partial<WaitInput> = {}) =>
  input({
    tasksRun: 1200,
    totalTasks: 2000,
    observedAt: at(120),
    previous: { tasksRun: 600, observedAt: at(60), nextWaitSeconds: 60 },
    history: [point(0, 0), point(60, 600)],
    ...overrides,
  });

describe('nextWaitSeconds', () => {
  it.each([
    ['a status change returns to the minimum', { statusChanged: true }, 5],
    ['a terminal job needs no more waiting', { terminal: true, status: 'Complete' as const }, 0],
    // Unchanged since the ETA schedule: with one interval the rate is unconfirmed, so half the ETA.
    ['Active with an unconfirmed rate waits half the estimated remaining time', { tasksRun: 600 }, 20],
    ['Active without progress backs off by half', { tasksRun: 0 }, 15],
    ['Preparing backs off by half', { status: 'Preparing' as const }, 15],
    ['Suspended doubles towards the maximum', { status: 'Suspended' as const }, 20],
    [
      'Paused doubles, capped at the maximum',
      { status: 'Paused' as const, previous: { tasksRun: 0, observedAt: t0, nextWaitSeconds: 200 } },
      300,
    ],
    // Was 300 with half-ETA waits: an unconfirmed estimate now grows the wait at most threefold per poll.
    ['an unconfirmed long ETA grows the wait at most threefold', { tasksRun: 1, totalTasks: 1_000_000 }, 30],
    ['a confirmed slow job is capped at the maximum', steady({ totalTasks: 1_000_000 }), 300],
    ['never waits past the deadline', steady({ totalTasks: 1_000_000, deadline: at(160) }), 40],
    ['never below the minimum', { tasksRun: 999 }, 5],
    ['a confirmed rate waits just past the ETA (80 s + 3% + 1 s)', steady(), 84],
    [
      'rates that disagree are unconfirmed: half the ETA',
      steady({ history: [point(0, 300), point(60, 600)], totalTasks: 3000 }),
      90,
    ],
    [
      'Completing grows by half but not past 30 s',
      { status: 'Completing' as const, previous: { tasksRun: 0, observedAt: t0, nextWaitSeconds: 25 } },
      30,
    ],
    [
      'Completing never goes below a minimum above 30 s',
      { status: 'Completing' as const, wait: { minSeconds: 60, maxSeconds: 600, timeoutSeconds: 86_400 } },
      60,
    ],
  ])('%s', (_name, overrides, expected) => {
    expect(nextWaitSeconds(input(overrides))).toBe(expected);
  });
});

describe('planWait', () => {
  it('exposes the ETA and the rate it planned with', () => {
    expect(planWait(steady())).toEqual({ seconds: 84, etaSeconds: 80, tasksPerSecond: 10, stalled: false });
  });

  it('plans with the higher of the last interval and the window, so Preparing does not slow the estimate', () => {
    // Window 0 → 1,200 over 120 s is 10/s; the last 30 s ran 600 tasks, 20/s.
    const plan = planWait(
      steady({
        previous: { tasksRun: 600, observedAt: at(90), nextWaitSeconds: 30 },
        history: [point(0, 0)],
      }),
    );
    expect(plan.tasksPerSecond).toBe(20);
  });

  it('flags an Active job without progress across the stall threshold', () => {
    const plan = planWait(
      input({
        tasksRun: 500,
        observedAt: at(1000),
        previous: { tasksRun: 500, observedAt: at(700), nextWaitSeconds: 300 },
        history: [point(0, 400), point(100, 500), point(400, 500), point(700, 500)],
      }),
    );
    expect(plan).toMatchObject({ stalled: true, etaSeconds: null, seconds: 300 });
  });

  it('does not count a long Preparing as a stall', () => {
    const preparing = (seconds: number) => ({ ...point(seconds, 0), status: 'Preparing' as const });
    const plan = planWait(
      input({
        tasksRun: 0,
        observedAt: at(1300),
        previous: { tasksRun: 0, observedAt: at(1000), nextWaitSeconds: 300 },
        history: [preparing(0), preparing(600), { ...point(1000, 0), status: 'Active' }],
      }),
    );
    expect(plan.stalled).toBe(false);
  });

  it('does not flag a Paused job as stalled: it waits on other jobs', () => {
    const plan = planWait(
      input({
        status: 'Paused',
        tasksRun: 500,
        observedAt: at(1000),
        history: [point(0, 500)],
        previous: null,
      }),
    );
    expect(plan.stalled).toBe(false);
  });

  it('reads the previous snapshot when the history does not include it yet', () => {
    const plan = planWait(steady({ history: [point(0, 0)] }));
    expect(plan.tasksPerSecond).toBe(10);
  });
});

describe('isStalled', () => {
  it.each([
    ['no progress for the threshold', [point(0, 5), point(900, 5)], true],
    ['no progress for less than the threshold', [point(0, 5), point(899, 5)], false],
    [
      'no progress since an earlier poll across the threshold',
      [point(0, 1), point(100, 5), point(500, 5), point(1000, 5)],
      true,
    ],
    ['progress in the last interval', [point(0, 5), point(600, 5), point(1200, 6)], false],
    ['a single observation', [point(0, 5)], false],
    ['no observation', [], false],
  ])('%s', (_name, history, expected) => {
    expect(isStalled(history, 900)).toBe(expected);
  });
});

describe('nextWaitSeconds with event-driven wake', () => {
  const eventDriven = (overrides: Partial<WaitInput>) =>
    nextWaitSeconds({
      status: 'Preparing',
      statusChanged: true,
      terminal: false,
      tasksRun: 0,
      totalTasks: 0,
      observedAt: at(60),
      previous: null,
      wait: { minSeconds: 5, maxSeconds: 300 },
      deadline: at(86_400),
      eventDriven: true,
      ...overrides,
    });

  it.each(['New', 'Preparing', 'Ready', 'Suspended', 'Pausing', 'Paused'] as const)(
    'waits the maximum while %s, since the status change will wake it',
    (status) => {
      expect(eventDriven({ status })).toBe(300);
    },
  );

  it('waits a flat 30 s while Completing, as its event may be lost', () => {
    expect(eventDriven({ status: 'Completing' })).toBe(30);
    expect(eventDriven({ status: 'Completing', wait: { minSeconds: 5, maxSeconds: 20 } })).toBe(20);
  });

  it('still never waits past the deadline', () => {
    expect(eventDriven({ deadline: at(100) })).toBe(40);
  });
});
