/**
 * Adaptive polling vs a fixed 30-second loop (what the AWS samples do), on simulated jobs of 10 minutes,
 * 2 hours, 24 hours and 7 days with steady, bursty and stalled progress. Both strategies poll the same
 * synthetic DescribeJob answers through the real `snapshotJob` (which calls `nextWaitSeconds`); the fixed
 * loop only replaces the wait with 30 s. Per scenario: DescribeJob calls, Step Functions transitions,
 * history events, cost, and the completion-detection lag (Complete → the poll that sees it) over seeded
 * trials whose phase lengths vary by ±20%. Headline figures are over the steady jobs: transitions summed
 * over the four durations, lags pooled. For jobs much longer than maxSeconds the profiles differ only near
 * the end (mid-job every adaptive wait sits at the cap), so their rows match the steady ones there.
 * Also measured: the same schedule fed the last snapshots (`history`, the proposed job-snapshot wiring),
 * and a 900 s maximum. Model and assumptions: bench/polling-sim.ts.
 */
import { type Benchmark, type Figure, round } from './benchmark.js';
import {
  makeJob,
  type Profile,
  type RunResult,
  runPollLoop,
  type SimWait,
  type Strategy,
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
const requestDefaults = { minSeconds: 5, maxSeconds: 600 } as const;
/** A longer cap, to show what the maximum costs: it alone sets the poll count of a long job. */
const longerCap = { minSeconds: 5, maxSeconds: 900 } as const;

interface Totals {
  polls: number;
  transitions: number;
  costUsd: number;
  maxHistoryEvents: number;
  lags: number[];
}

type ScenarioFigures = Record<string, number>;

export interface PollingResult extends Record<string, Figure> {
  transitionsVsFixed30s: number;
  p50LagSeconds: number;
  p95LagSeconds: number;
  maxHistoryEvents: number;
  fixed30sP50LagSeconds: number;
  fixed30sP95LagSeconds: number;
  fixed30sMaxHistoryEvents: number;
  maxSeconds900TransitionsVsFixed30s: number;
  maxSeconds900P50LagSeconds: number;
  maxSeconds900P95LagSeconds: number;
  scenarios: Record<string, ScenarioFigures>;
}

const percentile = (values: number[], p: number): number => {
  const sorted = [...values].sort((a, b) => a - b);
  return (
    sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))] ?? Number.NaN
  );
};

function total(runs: RunResult[]): Totals {
  return {
    polls: runs.reduce((s, r) => s + r.polls, 0) / runs.length,
    transitions: runs.reduce((s, r) => s + r.transitions, 0) / runs.length,
    costUsd: runs.reduce((s, r) => s + r.costUsd, 0) / runs.length,
    maxHistoryEvents: Math.max(...runs.map((r) => r.historyEvents)),
    lags: runs.map((r) => r.lagSeconds),
  };
}

function simulate(
  durationSeconds: number,
  tasks: number,
  profile: Profile,
  wait: SimWait,
  strategy: Strategy,
) {
  const runs: RunResult[] = [];
  for (let trial = 0; trial < TRIALS; trial++) {
    runs.push(runPollLoop(makeJob(durationSeconds, tasks, profile, 1000 + trial), wait, strategy));
  }
  return total(runs);
}

const ADAPTIVE: Strategy = { kind: 'adaptive' };
const FIXED: Strategy = { kind: 'fixed', seconds: FIXED_WAIT };

interface Measured {
  ours: Totals;
  fixed: Totals;
}

function figures({ ours, fixed }: Measured): ScenarioFigures {
  return {
    describeJobCalls: round(ours.polls, 1),
    fixed30sDescribeJobCalls: round(fixed.polls, 1),
    transitions: round(ours.transitions, 1),
    fixed30sTransitions: round(fixed.transitions, 1),
    transitionsVsFixed30s: round(ours.transitions / fixed.transitions, 4),
    p50LagSeconds: round(percentile(ours.lags, 50), 1),
    p95LagSeconds: round(percentile(ours.lags, 95), 1),
    fixed30sP50LagSeconds: round(percentile(fixed.lags, 50), 1),
    fixed30sP95LagSeconds: round(percentile(fixed.lags, 95), 1),
    costUsd: round(ours.costUsd, 5),
    fixed30sCostUsd: round(fixed.costUsd, 5),
    maxHistoryEvents: ours.maxHistoryEvents,
    fixed30sMaxHistoryEvents: fixed.maxHistoryEvents,
  };
}

function headline(steady: { ours: Totals; fixed: Totals }[]) {
  const sum = (pick: (x: { ours: Totals; fixed: Totals }) => number) =>
    steady.reduce((s, x) => s + pick(x), 0);
  const lags = steady.flatMap((x) => x.ours.lags);
  return {
    ratio: round(sum((x) => x.ours.transitions) / sum((x) => x.fixed.transitions), 4),
    p50: round(percentile(lags, 50), 1),
    p95: round(percentile(lags, 95), 1),
  };
}

export const benchmark: Benchmark<PollingResult> = {
  name: 'polling',
  async run(log) {
    const scenarios: Record<string, ScenarioFigures> = {};
    const steady: Measured[] = [];
    const steadyLongerCap: { ours: Totals; fixed: Totals }[] = [];
    for (const { label, seconds, tasks } of durations) {
      // Room for the 7-day job and its stall: the request default (7 days) would time it out.
      const wait = { ...requestDefaults, timeoutSeconds: Math.max(604_800, 4 * seconds) };
      for (const profile of profiles) {
        const measured: Measured = {
          ours: simulate(seconds, tasks, profile, wait, ADAPTIVE),
          fixed: simulate(seconds, tasks, profile, wait, FIXED),
        };
        scenarios[`${profile}-${label}`] = figures(measured);
        if (profile === 'steady') {
          steady.push(measured);
          const longer = { ...wait, ...longerCap };
          steadyLongerCap.push({
            ours: simulate(seconds, tasks, profile, longer, ADAPTIVE),
            fixed: measured.fixed,
          });
        }
        log(`  simulated ${profile}-${label} (${TRIALS} trials per strategy)`);
      }
    }
    const main = headline(steady);
    const longer = headline(steadyLongerCap);
    const fixedLags = steady.flatMap((x) => x.fixed.lags);
    const result: PollingResult = {
      transitionsVsFixed30s: main.ratio,
      p50LagSeconds: main.p50,
      p95LagSeconds: main.p95,
      maxHistoryEvents: Math.max(...steady.map((x) => x.ours.maxHistoryEvents)),
      fixed30sP50LagSeconds: round(percentile(fixedLags, 50), 1),
      fixed30sP95LagSeconds: round(percentile(fixedLags, 95), 1),
      fixed30sMaxHistoryEvents: Math.max(...steady.map((x) => x.fixed.maxHistoryEvents)),
      maxSeconds900TransitionsVsFixed30s: longer.ratio,
      maxSeconds900P50LagSeconds: longer.p50,
      maxSeconds900P95LagSeconds: longer.p95,
      scenarios,
    };
    return result;
  },
  print(raw, log) {
    const result = raw;
    const cell = (text: string | number, width: number) => String(text).padStart(width);
    log(
      [
        'scenario'.padEnd(12),
        cell('calls', 8),
        cell('fixed', 8),
        cell('transitions', 12),
        cell('fixed', 8),
        cell('ratio', 7),
        cell('lag p50/p95 s', 14),
        cell('fixed lag', 11),
        cell('cost $', 9),
        cell('fixed $', 9),
        cell('history', 8),
        cell('fixed', 8),
      ].join(' '),
    );
    for (const [name, f] of Object.entries(result.scenarios)) {
      log(
        [
          name.padEnd(12),
          cell(f['describeJobCalls']!, 8),
          cell(f['fixed30sDescribeJobCalls']!, 8),
          cell(f['transitions']!, 12),
          cell(f['fixed30sTransitions']!, 8),
          cell(`${round(f['transitionsVsFixed30s']! * 100, 1)}%`, 7),
          cell(`${f['p50LagSeconds']}/${f['p95LagSeconds']}`, 14),
          cell(`${f['fixed30sP50LagSeconds']}/${f['fixed30sP95LagSeconds']}`, 11),
          cell(f['costUsd']!.toFixed(4), 9),
          cell(f['fixed30sCostUsd']!.toFixed(4), 9),
          cell(f['maxHistoryEvents']!, 8),
          cell(f['fixed30sMaxHistoryEvents']!, 8),
        ].join(' '),
      );
    }
    log(
      `steady jobs, wait 5–600 s (request defaults): transitions ${round(result.transitionsVsFixed30s * 100, 2)}% of the fixed 30 s loop; ` +
        `lag p50 ${result.p50LagSeconds} s, p95 ${result.p95LagSeconds} s (fixed: ${result.fixed30sP50LagSeconds} / ` +
        `${result.fixed30sP95LagSeconds} s); max history events ${result.maxHistoryEvents} ` +
        `(fixed ${result.fixed30sMaxHistoryEvents}; Step Functions limit 25,000)`,
    );
    log(
      `steady jobs, wait 5–900 s: transitions ${round(result.maxSeconds900TransitionsVsFixed30s * 100, 2)}%; ` +
        `lag p50 ${result.maxSeconds900P50LagSeconds} s, p95 ${result.maxSeconds900P95LagSeconds} s`,
    );
  },
};
