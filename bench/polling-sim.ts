/**
 * The simulation behind bench/polling.ts: a synthetic S3 Batch Operations job (status lifecycle and a
 * progress curve) answered as DescribeJob would answer it, polled through the real `snapshotJob` — the
 * path the describe-job Lambda takes — by a poll loop counted state by state from
 * statemachines/batch-job.asl.json (event-driven wake and continuation included), and by the AWS samples'
 * fixed Wait loop for comparison.
 *
 * Durations of Preparing and Completing are assumptions (they grow with the number of tasks), not AWS
 * measurements; both strategies see the same jobs, so the ratios do not depend much on them.
 */

import { seededRandom } from '../emulator/random.js';
import { snapshotJob } from '../src/core/job-snapshot.js';
import type { JobStatus } from '../src/core/names.js';
import type { JobDescription } from '../src/core/ports.js';
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
  const next = seededRandom(seed);
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

/** When S3 changes the job's status (each change is one `JobStatusChanged` event), in order. */
export function statusChangesOf(job: SimJob): { at: number; status: JobStatus }[] {
  return [
    { at: job.preparingAt, status: 'Preparing' },
    { at: job.activeAt, status: 'Ready' },
    // Ready lasts no measurable time in the synthetic job; its event and Active's arrive together.
    { at: job.activeAt + 1e-6, status: 'Active' },
    { at: job.completingAt, status: 'Completing' },
    { at: job.completeAt, status: 'Complete' },
  ];
}

/** What one state costs as Step Functions bills (transitions) and records it (history events). */
export interface StateCost {
  transitions: number;
  historyEvents: number;
  lambdaRequests: number;
}

const cost = (transitions: number, historyEvents: number, lambdaRequests: number): StateCost => ({
  transitions,
  historyEvents,
  lambdaRequests,
});
const sum = (...costs: StateCost[]): StateCost =>
  costs.reduce(
    (a, b) =>
      cost(
        a.transitions + b.transitions,
        a.historyEvents + b.historyEvents,
        a.lambdaRequests + b.lambdaRequests,
      ),
    cost(0, 0, 0),
  );

/**
 * Per state type. A Lambda Task with a function ARN as Resource records TaskStateEntered,
 * LambdaFunctionScheduled, LambdaFunctionStarted, LambdaFunctionSucceeded, TaskStateExited; a
 * `lambda:invoke.waitForTaskToken` Task records TaskStateEntered, TaskScheduled, TaskStarted, TaskSubmitted,
 * then TaskTimedOut (the poll interval ran out) or TaskSucceeded (woken), TaskStateExited, and invokes one
 * Lambda; Choice, Pass, Wait and Succeed record <Type>StateEntered/Exited. Every state entered is one billed
 * transition (retries would add more; the simulation has no faults). ExecutionStarted and
 * ExecutionSucceeded are one event each and no transition.
 */
export const states = {
  lambdaTask: cost(1, 5, 1),
  tokenTask: cost(1, 6, 1),
  flow: cost(1, 2, 0),
  executionEvent: cost(0, 1, 0),
} as const;
const { lambdaTask, tokenTask, flow, executionEvent } = states;

/**
 * statemachines/batch-job.asl.json, counted state by state (no policy, no redrive, no confirmation):
 * - start: ExecutionStarted, CheckContinuation (Choice), Initialize (Pass), SubmitJob, EmitSubmitted (Lambda);
 *   the first DescribeJob follows EmitSubmitted without a wait (`firstPoll`);
 * - one poll iteration: WaitForProgress (waitForTaskToken: park-job) + DescribeJob (Lambda: describe-job) +
 *   CheckProgress + RouteByStatus (Choice) = 4 transitions, 6 + 5 + 2 + 2 = 15 events, 2 Lambda requests;
 * - a poll that sees a status change or a new stall also runs EmitStatusChanged (Lambda) and
 *   CheckPolicyActions (Choice) between CheckProgress and RouteByStatus;
 * - after `maxPollsPerExecution` polls in one execution, CheckProgress goes to ContinueAsNew (Lambda) and
 *   ContinuedAsNew (Succeed) instead of RouteByStatus, and the execution ends; the next one starts with
 *   ExecutionStarted, CheckContinuation, ResumeExecution (Lambda: reads the saved state) and goes straight
 *   to WaitForProgress;
 * - end: RouteByStatus → FetchReport (Lambda), CheckRedrive, RouteByOutcome (Choice), EmitCompleted or
 *   EmitPartialFailure (Lambda), Succeeded, ExecutionSucceeded.
 */
export const batchJobMachine = {
  start: sum(executionEvent, flow, flow, lambdaTask, lambdaTask),
  firstPoll: sum(lambdaTask, flow, flow),
  pollIteration: sum(tokenTask, lambdaTask, flow, flow),
  statusChanged: sum(lambdaTask, flow),
  /** The poll that continues: RouteByStatus replaced by ContinueAsNew, ContinuedAsNew, ExecutionSucceeded. */
  continuingPoll: sum(tokenTask, lambdaTask, flow, lambdaTask, flow, executionEvent),
  resume: sum(executionEvent, flow, lambdaTask),
  end: sum(lambdaTask, flow, flow, lambdaTask, flow, executionEvent),
} as const;

/**
 * The AWS samples' "Job Status Poller" (Step Functions sample projects): Submit Job (Lambda) → Wait X
 * Seconds → Get Job Status (Lambda) → Job Complete? (Choice) → back to the Wait, or Get Final Job Status
 * (Lambda, End). One iteration: Wait + Lambda + Choice = 3 transitions, 2 + 5 + 2 = 9 events, 1 Lambda
 * request. No continuation: one execution holds the whole history.
 */
export const samplesPollerMachine = {
  start: sum(executionEvent, lambdaTask),
  pollIteration: sum(flow, lambdaTask, flow),
  end: sum(lambdaTask, executionEvent),
} as const;

export const historyEventLimit = 25_000;

/** AWS-FACTS prices: Step Functions Standard transitions, Lambda requests (compute left out). */
export const prices = { perTransition: 0.025 / 1000, perLambdaRequest: 0.2 / 1_000_000 } as const;

/**
 * S3's JobStatusChanged events as the simulation delivers them (assumptions, not AWS measurements):
 * each reaches wake-job `delaySeconds` after the change (CloudTrail → EventBridge → Lambda; AWS documents
 * no latency), except a seeded `lostShare` of them (delivery is best effort), which never arrive.
 */
export interface EventModel {
  delaySeconds: number;
  lostShare: number;
  seed: number;
}

/**
 * The token is parked this long after the DescribeJob that precedes the wait (describe-job, two Choices,
 * park-job). An event delivered before that finds no token to wake (the previous wait already ended);
 * such an event is about a change that DescribeJob already saw (delivery trails the change), so nothing
 * is lost. A later event for a change the poll already saw still wakes the new wait: one spurious poll,
 * as the real wake-job would cause.
 */
export const parkLatencySeconds = 1;

export type Strategy =
  | { kind: 'fixed'; seconds: number }
  | { kind: 'adaptive'; eventDriven: false }
  | { kind: 'adaptive'; eventDriven: true; events: EventModel };

/** The request's wait settings the simulation varies. */
export type SimWait = Pick<
  WaitSettings,
  'minSeconds' | 'maxSeconds' | 'timeoutSeconds' | 'maxPollsPerExecution'
>;

export interface RunResult {
  /** DescribeJob calls. */
  polls: number;
  /** EmitStatusChanged runs (status changes seen, stalls flagged). */
  statusEvents: number;
  /** Waits ended early by an event. */
  wokenWaits: number;
  executions: number;
  transitions: number;
  lambdaRequests: number;
  /** Over all executions. */
  historyEvents: number;
  /** The largest single execution's history (Step Functions fails an execution at 25,000). */
  maxHistoryEventsPerExecution: number;
  costUsd: number;
  /** Seconds from Complete to the DescribeJob that sees it; NaN when the run timed out. */
  lagSeconds: number;
}

const costUsd = (c: StateCost) =>
  c.transitions * prices.perTransition + c.lambdaRequests * prices.perLambdaRequest;

/** When each JobStatusChanged event reaches wake-job, sorted; lost ones left out. */
export function eventDeliveries(job: SimJob, events: EventModel): number[] {
  const lost = seededRandom(events.seed ^ 0x5bd1e995);
  return statusChangesOf(job)
    .filter(() => lost() >= events.lostShare)
    .map((change) => change.at + events.delaySeconds);
}

/**
 * Polls `job` the way statemachines/batch-job.asl.json does, through the real `snapshotJob` (the
 * describe-job Lambda's path; no policy), until it is terminal or timed out. Event-driven: a wait parked at
 * `t` ends at the first event delivered after `t + parkLatencySeconds` and before its timeout.
 */
export function runPollLoop(
  job: SimJob,
  wait: SimWait,
  strategy: Extract<Strategy, { kind: 'adaptive' }>,
): RunResult {
  const t0 = Date.UTC(2026, 0, 5, 9, 0, 0);
  const submitted = {
    jobId: 'sim-job',
    wait: { ...wait, eventDriven: strategy.eventDriven },
    deadline: new Date(t0 + wait.timeoutSeconds * 1000).toISOString(),
  };
  const deliveries = strategy.eventDriven ? eventDeliveries(job, strategy.events) : [];
  const m = batchJobMachine;
  let total = m.start;
  let execution = m.start;
  const executionHistories: number[] = [];
  const spend = (c: StateCost) => {
    total = sum(total, c);
    execution = sum(execution, c);
  };
  let t = 1; // DescribeJob right after SubmitJob and EmitSubmitted
  let previous: JobSnapshot | null = null;
  let polls = 0;
  let statusEvents = 0;
  let wokenWaits = 0;
  for (;;) {
    const snapshot = snapshotJob(describeAt(job, t), submitted, previous, new Date(t0 + t * 1000));
    const iteration = polls === 0 ? m.firstPoll : m.pollIteration;
    polls++;
    // CheckProgress: timeout first, then status change / stall, then continuation, else RouteByStatus.
    if (snapshot.timedOut) {
      spend(sum(iteration, m.end)); // EmitTimedOut and the Fail state, about the size of the normal end
      executionHistories.push(execution.historyEvents);
      return result(Number.NaN);
    }
    if (snapshot.statusChanged || snapshot.stallFlagged) {
      statusEvents++;
      spend(m.statusChanged);
    }
    if (snapshot.terminal) {
      spend(sum(iteration, m.end));
      executionHistories.push(execution.historyEvents);
      return result(t - job.completeAt);
    }
    let next: JobSnapshot = snapshot;
    if (
      !snapshot.statusChanged &&
      !snapshot.stallFlagged &&
      snapshot.pollsInExecution >= wait.maxPollsPerExecution
    ) {
      spend(m.continuingPoll);
      executionHistories.push(execution.historyEvents);
      execution = m.resume;
      total = sum(total, m.resume);
      next = { ...snapshot, pollsInExecution: 0 };
    } else {
      spend(iteration);
    }
    // WaitForProgress: its timeout, or the first event delivered once the token is parked.
    const until = t + snapshot.nextWaitSeconds;
    const woken = deliveries.find((d) => d > t + parkLatencySeconds && d < until);
    if (woken !== undefined) wokenWaits++;
    t = woken ?? until;
    previous = next;
  }

  function result(lagSeconds: number): RunResult {
    const wakeRequests = deliveries.filter((d) => d <= t).length; // wake-job runs once per delivered event
    const lambdaRequests = total.lambdaRequests + wakeRequests;
    return {
      polls,
      statusEvents,
      wokenWaits,
      executions: executionHistories.length,
      transitions: total.transitions,
      lambdaRequests,
      historyEvents: total.historyEvents,
      maxHistoryEventsPerExecution: Math.max(...executionHistories),
      costUsd: costUsd({ ...total, lambdaRequests }),
      lagSeconds,
    };
  }
}

/**
 * The AWS samples' loop with a fixed wait: the first Get Job Status follows one Wait after Submit Job.
 * Only the status matters to it, so it reads the synthetic job's timeline directly.
 */
export function runFixedLoop(job: SimJob, seconds: number): RunResult {
  const m = samplesPollerMachine;
  let t = 1 + seconds;
  let polls = 1;
  while (t < job.completeAt) {
    t += seconds;
    polls++;
  }
  const { pollIteration: each } = m;
  const total = sum(
    m.start,
    cost(polls * each.transitions, polls * each.historyEvents, polls * each.lambdaRequests),
    m.end,
  );
  return {
    polls,
    statusEvents: 0,
    wokenWaits: 0,
    executions: 1,
    transitions: total.transitions,
    lambdaRequests: total.lambdaRequests,
    historyEvents: total.historyEvents,
    maxHistoryEventsPerExecution: total.historyEvents,
    costUsd: costUsd(total),
    lagSeconds: t - job.completeAt,
  };
}
