import { jobRequestDefaults } from '../generated/constants.js';
import type { JobStatus } from './names.js';
import type { ProgressPoint, WaitSettings } from './workflow-state.js';

export type { ProgressPoint };

export interface WaitInput {
  status: JobStatus;
  statusChanged: boolean;
  terminal: boolean;
  tasksRun: number;
  totalTasks: number;
  observedAt: Date;
  previous?: { tasksRun: number; observedAt: Date; nextWaitSeconds: number } | null;
  wait: Pick<WaitSettings, 'minSeconds' | 'maxSeconds'>;
  deadline: Date;
  /**
   * Earlier observations, oldest first, the previous one included (at most `historyLimit` are read). Optional:
   * without it the rate comes from `previous` alone and stalls shorter than one wait cannot be seen.
   */
  history?: readonly ProgressPoint[] | null;
  /** No progress for this long while Active counts as a stall (default `defaultStallThresholdSeconds`). */
  stallThresholdSeconds?: number;
  /**
   * S3's job events will wake the wait when the status changes: states that end with a status change and
   * report no progress (New, Preparing, Ready, Suspended, Pausing, Paused) then wait the maximum.
   */
  eventDriven?: boolean;
}

export interface WaitPlan {
  /** Seconds until the next DescribeJob; 0 for a terminal job. */
  seconds: number;
  /** Estimated seconds until every task has run, when the job is Active and progressing; null otherwise. */
  etaSeconds: number | null;
  /** Tasks per second used for the estimate; null when unknown. */
  tasksPerSecond: number | null;
  /** Active with no task run for at least the stall threshold (needs `history` to span it). */
  stalled: boolean;
}

/** How many earlier observations the schedule reads; the snapshot need not keep more. */
export const historyLimit = 5;
/** The request's wait.stallThresholdSeconds default (schemas/job-request.schema.json WaitOptions). */
export const defaultStallThresholdSeconds = jobRequestDefaults.WaitOptions.stallThresholdSeconds;

/** Growth of the wait while nothing measurable happens: S3's own short steps vs waiting on others. */
const transitionalGrowth = 1.5;
const waitingOnOthersGrowth = 2;
/**
 * Completing, Cancelling and Failing end the workflow: whoever waits for the outcome waits for this poll, so
 * the backoff stops growing here (within the request's bounds). S3 does not document how long they last.
 */
const endingWaitCapSeconds = 30;
const ending: ReadonlySet<JobStatus> = new Set(['Completing', 'Cancelling', 'Failing']);
/**
 * Aim slightly past the estimated end of the Active phase, so the poll that follows the estimate normally
 * sees the job finished rather than one task short (which would cost another poll). Relative, plus a
 * second for the counters' coarseness.
 */
const etaOvershoot = 0.03;
/**
 * An unconfirmed estimate may be far off (a slow patch of a bursty job, an interval reaching into a stall):
 * the wait it plans grows at most this much per poll, so a wrong estimate is re-checked before it costs
 * minutes of lag.
 */
const unconfirmedGrowth = 3;

/** States that end on S3's own schedule, usually within seconds to minutes. */
/**
 * Statuses whose only news is their end, which S3 announces as a JobStatusChanged event. Completing,
 * Cancelling and Failing are left out on purpose: the outcome is waited for, and a missed event (they are
 * best effort) must not cost a maximum-length wait there (see endingEventWaitSeconds).
 */
/**
 * With events, Completing/Cancelling/Failing wait this long flat (the cap polling alone reaches): the
 * terminal status's event normally ends the wait at once, and a lost event costs at most this much lag.
 */
const endingEventWaitSeconds = 30;
const wokenByEvents: ReadonlySet<JobStatus> = new Set([
  'New',
  'Preparing',
  'Ready',
  'Suspended',
  'Pausing',
  'Paused',
]);
const transitional: ReadonlySet<JobStatus> = new Set([
  'New',
  'Preparing',
  'Ready',
  'Pausing',
  'Completing',
  'Cancelling',
  'Failing',
]);

const seconds = (from: Date | string, to: Date | string): number =>
  (new Date(to).getTime() - new Date(from).getTime()) / 1000;

/** The observations to measure over, oldest first, ending with the current one. */
function progressPoints(input: WaitInput): { tasksRun: number; observedAt: Date; status?: JobStatus }[] {
  const earlier = (input.history ?? [])
    .slice(-historyLimit)
    .map((p) => ({ tasksRun: p.tasksRun, observedAt: new Date(p.observedAt), status: p.status }));
  const previous = input.previous;
  const last = earlier.at(-1);
  if (previous && (!last || last.observedAt.getTime() < previous.observedAt.getTime())) {
    earlier.push({ tasksRun: previous.tasksRun, observedAt: previous.observedAt, status: undefined });
  }
  return [...earlier, { tasksRun: input.tasksRun, observedAt: input.observedAt, status: input.status }];
}

/**
 * True when the job ran no task across observations spanning at least `thresholdSeconds` (the last point
 * is the current one). Counters only grow, so equal counts at both ends mean no progress in between.
 */
export function isStalled(
  history: readonly { tasksRun: number; observedAt: Date | string }[],
  thresholdSeconds: number,
): boolean {
  const last = history.at(-1);
  if (!last || history.length < 2) return false;
  const since = history.find((p) => p.tasksRun === last.tasksRun);
  return (
    since !== undefined && since !== last && seconds(since.observedAt, last.observedAt) >= thresholdSeconds
  );
}

interface RateEstimate {
  /** Tasks per second to plan with. */
  rate: number;
  /** Whether the last two intervals agree, so the estimate can be trusted for a full ETA-long wait. */
  confirmed: boolean;
}

/** Two interval rates agree when they are within this share of the larger one. */
const rateAgreement = 0.25;

const rateBetween = (
  a: { tasksRun: number; observedAt: Date },
  b: { tasksRun: number; observedAt: Date },
) => {
  const elapsed = seconds(a.observedAt, b.observedAt);
  return elapsed > 0 ? Math.max(0, b.tasksRun - a.tasksRun) / elapsed : 0;
};

/**
 * Tasks per second: the higher of the last interval's rate and the whole window's. Over-estimating the rate
 * only costs an early poll, while under-estimating it (a window reaching back into Preparing or a stall, a
 * slow patch of a bursty job) delays seeing completion. Confirmed when the interval before the last one
 * ran at about the same rate. None when the last interval ran nothing (a stall, or coarse counters).
 */
function estimateRate(points: { tasksRun: number; observedAt: Date }[]): RateEstimate | null {
  const last = points.at(-1);
  const previous = points.at(-2);
  if (!last || !previous) return null;
  const lastRate = rateBetween(previous, last);
  // Nothing ran since the last poll: the job is not progressing now, whatever it did before.
  if (lastRate === 0) return { rate: 0, confirmed: false };
  const rate = Math.max(lastRate, rateBetween(points[0]!, last));
  const before = points.at(-3);
  const priorRate = before ? rateBetween(before, previous) : 0;
  const confirmed =
    priorRate > 0 &&
    lastRate > 0 &&
    Math.abs(lastRate - priorRate) <= rateAgreement * Math.max(lastRate, priorRate);
  return { rate, confirmed };
}

/**
 * Plans the next DescribeJob from the job's status and progress rate:
 * - terminal: no more waiting;
 * - any status change: the minimum, because the next status (Active after Preparing, Complete after
 *   Completing) usually follows soon and the first Active interval must be measured cleanly;
 * - Active and progressing: about the estimated time to completion (a little past it) once two intervals
 *   agree on the rate, so a steady job is seen finishing after few polls and with low lag; half of it while
 *   the rate is unconfirmed (one interval only, or the rate changed), converging on the end instead of
 *   overshooting it; the maximum caps both, which also bounds how long a change in the failure rate goes
 *   unseen;
 * - Completing, Cancelling, Failing: grow by half each poll, up to 30 s, to see the outcome promptly;
 * - Active without progress, New/Preparing/Ready/Pausing: grow by half each poll;
 * - Suspended and Paused wait on someone else: double towards the maximum.
 * Always within [minSeconds, maxSeconds] and never past the deadline.
 */
export function planWait(input: WaitInput): WaitPlan {
  const { wait } = input;
  const points = progressPoints(input);
  // Only time spent Active counts: a long Preparing is not a stall. Without a status on a point, an
  // unchanged status says the previous observation was Active too.
  const lastInactive = points.findLastIndex((p) => p.status !== undefined && p.status !== 'Active');
  const stalled =
    input.status === 'Active' &&
    !input.statusChanged &&
    isStalled(points.slice(lastInactive + 1), input.stallThresholdSeconds ?? defaultStallThresholdSeconds);
  if (input.terminal) return { seconds: 0, etaSeconds: null, tasksPerSecond: null, stalled: false };

  const previousWait = input.previous?.nextWaitSeconds ?? wait.minSeconds;
  const estimate = input.status === 'Active' && !input.statusChanged ? estimateRate(points) : null;
  const remaining = Math.max(0, input.totalTasks - input.tasksRun);
  const etaSeconds = estimate && estimate.rate > 0 ? remaining / estimate.rate : null;
  let planned: number;
  if (input.eventDriven && wokenByEvents.has(input.status)) {
    planned = wait.maxSeconds;
  } else if (input.eventDriven && ending.has(input.status)) {
    planned = Math.max(endingEventWaitSeconds, wait.minSeconds);
  } else if (input.statusChanged) {
    planned = wait.minSeconds;
  } else if (etaSeconds !== null) {
    planned = estimate?.confirmed
      ? etaSeconds * (1 + etaOvershoot) + 1
      : Math.min(etaSeconds / 2, previousWait * unconfirmedGrowth);
  } else if (ending.has(input.status)) {
    planned = Math.min(previousWait * transitionalGrowth, Math.max(endingWaitCapSeconds, wait.minSeconds));
  } else if (input.status === 'Active' || transitional.has(input.status)) {
    planned = previousWait * transitionalGrowth;
  } else {
    planned = previousWait * waitingOnOthersGrowth;
  }
  const untilDeadline = seconds(input.observedAt, input.deadline);
  const bounded = Math.min(Math.max(planned, wait.minSeconds), wait.maxSeconds);
  return {
    seconds: Math.max(1, Math.ceil(Math.min(bounded, Math.max(untilDeadline, 1)))),
    etaSeconds,
    tasksPerSecond: estimate?.rate ?? null,
    stalled,
  };
}

/** Seconds until the next DescribeJob (see `planWait`). */
export function nextWaitSeconds(input: WaitInput): number {
  return planWait(input).seconds;
}
