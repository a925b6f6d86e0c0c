/**
 * The simulation behind bench/polling.ts: a synthetic S3 Batch Operations job (status lifecycle and a
 * progress curve) answered as DescribeJob would answer it, polled through the real `snapshotJob` — the
 * path the describe-job Lambda takes — by a poll loop shaped like statemachines/batch-job.asl.json.
 *
 * Durations of Preparing and Completing are assumptions (they grow with the number of tasks), not AWS
 * measurements; both strategies see the same jobs, so the ratios do not depend much on them.
 */
import { snapshotJob } from '../src/core/job-snapshot.js';
import type { JobStatus } from '../src/core/names.js';
import type { JobDescription } from '../src/core/ports.js';
import { historyLimit, nextWaitSeconds, type ProgressPoint } from '../src/core/wait-schedule.js';
import type { JobSnapshot, WaitSettings } from '../src/core/workflow-state.js';

export type Profile = 'steady' | 'bursty' | 'stalled';

export interface SimJob {
  totalTasks: number;
  /** Seconds after submission at which each phase starts. */
  preparingAt: number;
  activeAt: number;
  completingAt: number;
  completeAt: number;
  /** Fraction of tasks run at a fraction of the Active phase, monotonic from (0,0) to (1,1). */
  progress: (fraction: number) => number;
}

/** Small deterministic PRNG (mulberry32), so every run simulates the same jobs. */
export function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Piecewise-linear curve through (0,0) and segments of the given relative speeds, normalised to (1,1). */
function piecewise(segments: { length: number; speed: number }[]): (fraction: number) => number {
  const totalLength = segments.reduce((s, x) => s + x.length, 0);
  const work = segments.reduce((s, x) => s + x.length * x.speed, 0);
  return (fraction) => {
    let at = fraction * totalLength;
    let done = 0;
    for (const segment of segments) {
      const step = Math.min(at, segment.length);
      done += step * segment.speed;
      at -= step;
      if (at <= 0) break;
    }
    return Math.min(1, done / work);
  };
}

function progressCurve(profile: Profile, next: () => number): (fraction: number) => number {
  if (profile === 'steady') return (fraction) => fraction;
  if (profile === 'stalled') {
    // Runs, stops dead for a quarter of the Active phase (e.g. a throttled Lambda target), then resumes.
    return piecewise([
      { length: 0.35 + next() * 0.1, speed: 1 },
      { length: 0.25, speed: 0 },
      { length: 0.35, speed: 1 },
    ]);
  }
  // Bursty: 2–10% slices of the phase at a tenth, normal, or triple speed.
  const segments: { length: number; speed: number }[] = [];
  for (let covered = 0; covered < 1; ) {
    const length = Math.min(1 - covered, 0.02 + next() * 0.08);
    segments.push({ length, speed: [0.1, 1, 3][Math.floor(next() * 3)]! });
    covered += length;
  }
  return piecewise(segments);
}

/** A job of about `durationSeconds` from submission to Complete, with ±20% jitter. */
export function makeJob(durationSeconds: number, totalTasks: number, profile: Profile, seed: number): SimJob {
  const next = random(seed);
  const jitter = () => 0.8 + next() * 0.4;
  const preparing = (20 + totalTasks * 2e-5) * jitter();
  const completing = Math.min(300, 15 + totalTasks * 1e-5) * jitter();
  const total = durationSeconds * jitter();
  const preparingAt = 1 + next() * 2;
  const activeAt = preparingAt + preparing + 2 * next(); // a moment in Ready
  const completingAt = Math.max(activeAt + 60, total - completing);
  return {
    totalTasks,
    preparingAt,
    activeAt,
    completingAt,
    completeAt: completingAt + completing,
    progress: progressCurve(profile, next),
  };
}

const failedShare = 0.01;

/** What DescribeJob would answer `t` seconds after submission. */
export function describeAt(job: SimJob, t: number): JobDescription {
  const status: JobStatus =
    t < job.preparingAt
      ? 'New'
      : t < job.activeAt
        ? 'Preparing'
        : t < job.activeAt + 1e-9
          ? 'Ready'
          : t < job.completingAt
            ? 'Active'
            : t < job.completeAt
              ? 'Completing'
              : 'Complete';
  const fraction = Math.min(1, Math.max(0, (t - job.activeAt) / (job.completingAt - job.activeAt)));
  const run =
    status === 'New' || status === 'Preparing' ? 0 : Math.floor(job.totalTasks * job.progress(fraction));
  const failed = Math.floor(run * failedShare);
  return {
    JobId: 'sim-job',
    Status: status,
    Priority: 10,
    ProgressSummary: {
      ...(status === 'New' ? {} : { TotalNumberOfTasks: job.totalTasks }),
      NumberOfTasksSucceeded: run - failed,
      NumberOfTasksFailed: failed,
      Timers: {
        ElapsedTimeInActiveSeconds: Math.floor(Math.max(0, Math.min(t, job.completingAt) - job.activeAt)),
      },
    },
  };
}

/**
 * The batch-job machine, counted once for both strategies. Transitions: Initialize, SubmitJob, EmitSubmitted,
 * FetchReport, RouteByOutcome, EmitCompleted, Succeeded = 7 fixed; each poll WaitForProgress + DescribeJob +
 * CheckProgress + RouteByStatus = 4 (the first poll follows EmitSubmitted without a Wait); EmitStatusChanged
 * once per status change seen. History events per state type: Task 5 (Entered, Scheduled, Started,
 * Succeeded, Exited), Wait/Choice/Pass/Succeed 2 (Entered, Exited), plus ExecutionStarted/Succeeded.
 */
export const machine = {
  fixedTransitions: 7,
  transitionsPerPoll: 4,
  fixedLambdaRequests: 4,
  fixedHistoryEvents: 2 + 2 + 5 + 5 + 5 + 2 + 5 + 2,
  historyEventsPerPoll: 2 + 5 + 2 + 2,
  historyEventsPerStatusChange: 5,
} as const;

export const prices = { perTransition: 0.025 / 1000, perLambdaRequest: 0.2 / 1_000_000 } as const;

export interface RunResult {
  polls: number;
  statusChanges: number;
  transitions: number;
  lambdaRequests: number;
  historyEvents: number;
  costUsd: number;
  lagSeconds: number;
}

export type Strategy = { kind: 'fixed'; seconds: number } | { kind: 'adaptive' };

/** The request's wait bounds the simulation varies. */
export type SimWait = Pick<WaitSettings, 'minSeconds' | 'maxSeconds' | 'timeoutSeconds'>;

/** Polls `job` until it is terminal (or timed out) with the given waiting strategy. */
export function runPollLoop(job: SimJob, wait: SimWait, strategy: Strategy): RunResult {
  const t0 = Date.UTC(2026, 0, 5, 9, 0, 0);
  const submitted = {
    jobId: 'sim-job',
    wait,
    deadline: new Date(t0 + wait.timeoutSeconds * 1000).toISOString(),
  };
  let t = 1; // DescribeJob right after SubmitJob and EmitSubmitted
  let previous: JobSnapshot | null = null;
  let polls = 0;
  let statusChanges = 0;
  for (;;) {
    const snapshot = snapshotJob(describeAt(job, t), submitted, previous, new Date(t0 + t * 1000));
    if (strategy.kind === 'fixed') snapshot.nextWaitSeconds = strategy.seconds;
    polls++;
    if (snapshot.statusChanged) statusChanges++;
    if (snapshot.terminal || snapshot.timedOut) {
      const transitions = machine.fixedTransitions + polls * machine.transitionsPerPoll - 1 + statusChanges;
      const lambdaRequests = machine.fixedLambdaRequests + polls + statusChanges;
      return {
        polls,
        statusChanges,
        transitions,
        lambdaRequests,
        historyEvents:
          machine.fixedHistoryEvents +
          polls * machine.historyEventsPerPoll -
          2 +
          statusChanges * machine.historyEventsPerStatusChange,
        costUsd: transitions * prices.perTransition + lambdaRequests * prices.perLambdaRequest,
        lagSeconds: snapshot.terminal ? t - job.completeAt : Number.NaN,
      };
    }
    previous = snapshot;
    t += snapshot.nextWaitSeconds;
  }
}
