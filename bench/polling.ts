/**
 * Our poll loop vs the AWS samples' fixed 30-second loop, on simulated jobs of 10 minutes, 2 hours, 24 hours
 * and 7 days with steady, bursty and stalled progress. Three strategies per scenario:
 * - `eventDriven`: the request defaults (wait 5–600 s, `eventDriven: true`, continuation after 500 polls):
 *   the adaptive schedule, and S3's JobStatusChanged events end a wait early (2 s after the change; 10% of
 *   the events lost, seeded, so the wait's timeout applies) — the headline;
 * - `pollingOnly`: the same workflow with `eventDriven: false` (every wait runs to its timeout);
 * - `fixed30s`: the samples' Wait → Lambda → Choice loop, one execution, no continuation.
 * Ours polls the synthetic DescribeJob answers through the real `snapshotJob` (the describe-job Lambda's
 * path, which plans the wait). Per scenario and strategy: DescribeJob calls, Step Functions transitions,
 * Lambda requests, cost, executions, history events (total and the largest execution), and the
 * completion-detection lag (Complete → the poll that sees it), over seeded trials whose phase lengths vary
 * by ±20%. Headline figures are over the steady jobs: transitions summed over the four durations (so the
 * 7-day job weighs most), lags pooled. For jobs much longer than maxSeconds the profiles differ only near
 * the end (mid-job every adaptive wait sits at the cap), so their rows nearly match the steady ones. The
 * event-driven lag is the assumed delivery delay whenever the Complete event arrives; `eventLoss` shows
 * what lost events cost. Model, state-by-state counts and assumptions: bench/polling-sim.ts.
 */
import { type Benchmark, type Figure, round } from './benchmark.js';
import {
  type EventModel,
  historyEventLimit,
  makeJob,
  type Profile,
  type RunResult,
  runFixedLoop,
  runPollLoop,
  type SimWait,
  samplesPollerMachine,
} from './polling-sim.js';

const TRIALS = 40;
const FIXED_WAIT = 30;
const durations = [
  { label: '10m', seconds: 600, tasks: 50_000 },
  { label: '2h', seconds: 7_200, tasks: 1_000_000 },
  { label: '24h', seconds: 86_400, tasks: 10_000_000 },
  { label: '7d', seconds: 604_800, tasks: 100_000_000 },
] as const;
const profiles: Profile[] = ['steady', 'bursty', 'stalled'];
/** The job request's defaults (schemas/job-request.schema.json, WaitOptions). */
const requestDefaults = { minSeconds: 5, maxSeconds: 600, maxPollsPerExecution: 500 } as const;
/** Event delivery (assumptions; AWS documents neither latency nor loss rate, only "best effort"). */
const events = { delaySeconds: 2, lostShare: 0.1 } as const;
/** Lost-event shares tried on the steady jobs (event-driven), to show what the best-effort delivery costs. */
const lostShares = [0, 0.1, 0.5, 1] as const;
/** The aim, on steady jobs. */
const aim = { transitionsVsFixed30s: 0.1, p50LagSeconds: 30 } as const;

const strategies = ['eventDriven', 'pollingOnly', 'fixed30s'] as const;
type StrategyName = (typeof strategies)[number];

interface Totals {
  polls: number;
  transitions: number;
  lambdaRequests: number;
  costUsd: number;
  executions: number;
  historyEvents: number;
  maxHistoryEventsPerExecution: number;
  wokenWaits: number;
  lags: number[];
}

type StrategyFigures = Record<string, number>;
type ScenarioFigures = Record<StrategyName, StrategyFigures>;

export interface PollingResult extends Record<string, Figure> {
  transitionsVsFixed30s: number;
  p50LagSeconds: number;
  p95LagSeconds: number;
  maxHistoryEvents: number;
  aimMet: boolean;
  pollingOnlyTransitionsVsFixed30s: number;
  pollingOnlyP50LagSeconds: number;
  pollingOnlyP95LagSeconds: number;
  pollingOnlyMaxHistoryEvents: number;
  fixed30sP50LagSeconds: number;
  fixed30sP95LagSeconds: number;
  fixed30sMaxHistoryEvents: number;
  fixed30sHoursToHistoryLimit: number;
  historyEventLimit: number;
  assumptions: Record<string, number>;
  /** Steady jobs, event-driven, by share of events lost: transitions vs fixed, lag p50 and p95. */
  eventLoss: Record<string, Record<string, number>>;
  scenarios: Record<string, ScenarioFigures>;
}

const percentile = (values: number[], p: number): number => {
  const sorted = [...values].sort((a, b) => a - b);
  return (
    sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))] ?? Number.NaN
  );
};

function total(runs: RunResult[]): Totals {
  const mean = (pick: (r: RunResult) => number) => runs.reduce((s, r) => s + pick(r), 0) / runs.length;
  return {
    polls: mean((r) => r.polls),
    transitions: mean((r) => r.transitions),
    lambdaRequests: mean((r) => r.lambdaRequests),
    costUsd: mean((r) => r.costUsd),
    executions: mean((r) => r.executions),
    historyEvents: mean((r) => r.historyEvents),
    maxHistoryEventsPerExecution: Math.max(...runs.map((r) => r.maxHistoryEventsPerExecution)),
    wokenWaits: mean((r) => r.wokenWaits),
    lags: runs.map((r) => r.lagSeconds),
  };
}

/** Steady jobs, event-driven, with the given share of events lost: transitions vs fixed and lags. */
function eventLossRow(lostShare: number, fixed: Totals[]) {
  let transitions = 0;
  const lags: number[] = [];
  for (const { seconds, tasks } of durations) {
    const wait: SimWait = { ...requestDefaults, timeoutSeconds: Math.max(604_800, 4 * seconds) };
    const runs: RunResult[] = [];
    for (let trial = 0; trial < TRIALS; trial++) {
      const job = makeJob(seconds, tasks, 'steady', 1000 + trial);
      const eventModel: EventModel = { delaySeconds: events.delaySeconds, lostShare, seed: 5000 + trial };
      runs.push(runPollLoop(job, wait, { kind: 'adaptive', eventDriven: true, events: eventModel }));
    }
    const t = total(runs);
    transitions += t.transitions;
    lags.push(...t.lags);
  }
  return {
    transitionsVsFixed30s: round(transitions / fixed.reduce((s, x) => s + x.transitions, 0), 4),
    p50LagSeconds: round(percentile(lags, 50), 1),
    p95LagSeconds: round(percentile(lags, 95), 1),
  };
}

function simulate(
  seconds: number,
  tasks: number,
  profile: Profile,
  wait: SimWait,
): Record<StrategyName, Totals> {
  const runs: Record<StrategyName, RunResult[]> = { eventDriven: [], pollingOnly: [], fixed30s: [] };
  for (let trial = 0; trial < TRIALS; trial++) {
    const job = makeJob(seconds, tasks, profile, 1000 + trial);
    const eventModel: EventModel = { ...events, seed: 5000 + trial };
    runs.eventDriven.push(
      runPollLoop(job, wait, { kind: 'adaptive', eventDriven: true, events: eventModel }),
    );
    runs.pollingOnly.push(runPollLoop(job, wait, { kind: 'adaptive', eventDriven: false }));
    runs.fixed30s.push(runFixedLoop(job, FIXED_WAIT));
  }
  return {
    eventDriven: total(runs.eventDriven),
    pollingOnly: total(runs.pollingOnly),
    fixed30s: total(runs.fixed30s),
  };
}

function figures(measured: Record<StrategyName, Totals>): ScenarioFigures {
  const fixed = measured.fixed30s;
  const one = (x: Totals): StrategyFigures => ({
    describeJobCalls: round(x.polls, 1),
    transitions: round(x.transitions, 1),
    transitionsVsFixed30s: round(x.transitions / fixed.transitions, 4),
    lambdaRequests: round(x.lambdaRequests, 1),
    costUsd: round(x.costUsd, 5),
    p50LagSeconds: round(percentile(x.lags, 50), 1),
    p95LagSeconds: round(percentile(x.lags, 95), 1),
    executions: round(x.executions, 1),
    historyEvents: round(x.historyEvents, 1),
    maxHistoryEventsPerExecution: x.maxHistoryEventsPerExecution,
    wokenWaits: round(x.wokenWaits, 1),
  });
  return {
    eventDriven: one(measured.eventDriven),
    pollingOnly: one(measured.pollingOnly),
    fixed30s: one(fixed),
  };
}

function headline(steady: Record<StrategyName, Totals>[], name: StrategyName) {
  const sum = (pick: (x: Record<StrategyName, Totals>) => number) => steady.reduce((s, x) => s + pick(x), 0);
  const lags = steady.flatMap((x) => x[name].lags);
  return {
    ratio: round(sum((x) => x[name].transitions) / sum((x) => x.fixed30s.transitions), 4),
    p50: round(percentile(lags, 50), 1),
    p95: round(percentile(lags, 95), 1),
  };
}

export const benchmark: Benchmark<PollingResult> = {
  name: 'polling',
  async run(log) {
    const scenarios: Record<string, ScenarioFigures> = {};
    const steady: Record<StrategyName, Totals>[] = [];
    const maxHistory: Record<StrategyName, number> = { eventDriven: 0, pollingOnly: 0, fixed30s: 0 };
    for (const { label, seconds, tasks } of durations) {
      // Room for the 7-day job (±20%): the request default (7 days) would time it out.
      const wait: SimWait = { ...requestDefaults, timeoutSeconds: Math.max(604_800, 4 * seconds) };
      for (const profile of profiles) {
        const measured = simulate(seconds, tasks, profile, wait);
        scenarios[`${profile}-${label}`] = figures(measured);
        for (const name of strategies) {
          maxHistory[name] = Math.max(maxHistory[name], measured[name].maxHistoryEventsPerExecution);
        }
        if (profile === 'steady') steady.push(measured);
        log(`  simulated ${profile}-${label} (${TRIALS} trials per strategy)`);
      }
    }
    const main = headline(steady, 'eventDriven');
    const pollingOnly = headline(steady, 'pollingOnly');
    const fixed = headline(steady, 'fixed30s');
    const eventLoss: Record<string, Record<string, number>> = {};
    for (const lostShare of lostShares) {
      eventLoss[`lost${round(lostShare * 100, 0)}pct`] = eventLossRow(
        lostShare,
        steady.map((x) => x.fixed30s),
      );
    }
    const { start, pollIteration, end } = samplesPollerMachine;
    const pollsToLimit = Math.floor(
      (historyEventLimit - start.historyEvents - end.historyEvents) / pollIteration.historyEvents,
    );
    return {
      transitionsVsFixed30s: main.ratio,
      p50LagSeconds: main.p50,
      p95LagSeconds: main.p95,
      maxHistoryEvents: maxHistory.eventDriven,
      aimMet: main.ratio <= aim.transitionsVsFixed30s && main.p50 <= aim.p50LagSeconds,
      pollingOnlyTransitionsVsFixed30s: pollingOnly.ratio,
      pollingOnlyP50LagSeconds: pollingOnly.p50,
      pollingOnlyP95LagSeconds: pollingOnly.p95,
      pollingOnlyMaxHistoryEvents: maxHistory.pollingOnly,
      fixed30sP50LagSeconds: fixed.p50,
      fixed30sP95LagSeconds: fixed.p95,
      fixed30sMaxHistoryEvents: maxHistory.fixed30s,
      fixed30sHoursToHistoryLimit: round((pollsToLimit * FIXED_WAIT) / 3600, 1),
      historyEventLimit,
      assumptions: {
        trials: TRIALS,
        minSeconds: requestDefaults.minSeconds,
        maxSeconds: requestDefaults.maxSeconds,
        maxPollsPerExecution: requestDefaults.maxPollsPerExecution,
        eventDelaySeconds: events.delaySeconds,
        lostEventShare: events.lostShare,
        fixedWaitSeconds: FIXED_WAIT,
      },
      eventLoss,
      scenarios,
    };
  },
  print(result, log) {
    const cell = (text: string | number, width: number) => String(text).padStart(width);
    const row = (cells: [string | number, number][]) => log(cells.map(([t, w]) => cell(t, w)).join(' '));
    const widths = [12, 12, 8, 12, 8, 14, 9, 6, 9, 9] as const;
    log(
      [
        'scenario'.padEnd(widths[0]),
        'strategy'.padEnd(widths[1]),
        cell('calls', widths[2]),
        cell('transitions', widths[3]),
        cell('vs 30s', widths[4]),
        cell('lag p50/p95 s', widths[5]),
        cell('cost $', widths[6]),
        cell('execs', widths[7]),
        cell('hist/exec', widths[8]),
        cell('hist total', widths[9]),
      ].join(' '),
    );
    for (const [name, scenario] of Object.entries(result.scenarios)) {
      for (const strategy of strategies) {
        const f = scenario[strategy];
        const history = f['maxHistoryEventsPerExecution']!;
        row([
          [(strategy === 'eventDriven' ? name : '').padEnd(widths[0]), widths[0]],
          [strategy.padEnd(widths[1]), widths[1]],
          [f['describeJobCalls']!, widths[2]],
          [f['transitions']!, widths[3]],
          [`${round(f['transitionsVsFixed30s']! * 100, 1)}%`, widths[4]],
          [`${f['p50LagSeconds']}/${f['p95LagSeconds']}`, widths[5]],
          [f['costUsd']!.toFixed(4), widths[6]],
          [f['executions']!, widths[7]],
          [`${history}${history > historyEventLimit ? '!' : ''}`, widths[8]],
          [f['historyEvents']!, widths[9]],
        ]);
      }
    }
    const a = result.assumptions;
    log(
      `(! = over Step Functions' ${historyEventLimit.toLocaleString('en-US')}-event history limit; ` +
        `the samples' loop has no continuation and fails after about ${result.fixed30sHoursToHistoryLimit} h of polling — ` +
        `its figures are shown as if it could go on)`,
    );
    log(
      `steady jobs, defaults (wait ${a['minSeconds']}–${a['maxSeconds']} s, event-driven: events ${a['eventDelaySeconds']} s after the change, ` +
        `${round(a['lostEventShare']! * 100, 0)}% lost; continuation after ${a['maxPollsPerExecution']} polls): ` +
        `transitions ${round(result.transitionsVsFixed30s * 100, 2)}% of the fixed 30 s loop; lag p50 ${result.p50LagSeconds} s, ` +
        `p95 ${result.p95LagSeconds} s; largest execution ${result.maxHistoryEvents} history events (all scenarios)`,
    );
    log(
      `steady jobs, polling only (eventDriven: false): transitions ${round(result.pollingOnlyTransitionsVsFixed30s * 100, 2)}%; ` +
        `lag p50 ${result.pollingOnlyP50LagSeconds} s, p95 ${result.pollingOnlyP95LagSeconds} s; ` +
        `largest execution ${result.pollingOnlyMaxHistoryEvents} events`,
    );
    log(
      `fixed 30 s loop: lag p50 ${result.fixed30sP50LagSeconds} s, p95 ${result.fixed30sP95LagSeconds} s; ` +
        `one execution of up to ${result.fixed30sMaxHistoryEvents} events`,
    );
    log(
      `steady jobs, event-driven, by share of events lost: ` +
        Object.entries(result.eventLoss)
          .map(
            ([key, f]) =>
              `${key.replace(/^lost(\d+)pct$/, '$1%')}: ${round(f['transitionsVsFixed30s']! * 100, 2)}%, ` +
              `lag ${f['p50LagSeconds']}/${f['p95LagSeconds']} s`,
          )
          .join('; '),
    );
    log(
      `aim (≤ ${aim.transitionsVsFixed30s * 100}% of the fixed loop's transitions, p50 lag ≤ ${aim.p50LagSeconds} s, steady jobs): ` +
        (result.aimMet ? 'met' : 'missed'),
    );
  },
};
