import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  batchJobMachine,
  eventDeliveries,
  historyEventLimit,
  makeJob,
  runFixedLoop,
  runPollLoop,
  type SimWait,
  samplesPollerMachine,
  statusChangesOf,
} from '../../../bench/polling-sim.js';

interface AslState {
  Type: string;
  Resource?: string;
  Next?: string;
  Default?: string;
  Choices?: { Next: string; StringEquals?: string }[];
  Catch?: { ErrorEquals: string[]; Next: string }[];
  TimeoutSecondsPath?: string;
}
const asl = JSON.parse(
  readFileSync(new URL('../../../statemachines/batch-job.asl.json', import.meta.url), 'utf8'),
) as { StartAt: string; States: Record<string, AslState> };
const state = (name: string): AslState => {
  const found = asl.States[name];
  if (!found) throw new Error(`no state ${name}`);
  return found;
};

const wait: SimWait = {
  minSeconds: 5,
  maxSeconds: 600,
  timeoutSeconds: 1_209_600,
  maxPollsPerExecution: 500,
};
const events = { delaySeconds: 2, lostShare: 0, seed: 1 };

describe('the counted machine matches statemachines/batch-job.asl.json', () => {
  it('has the poll loop the counts assume', () => {
    expect(asl.StartAt).toBe('CheckContinuation');
    expect(state('CheckContinuation').Type).toBe('Choice');
    expect(state('Initialize')).toMatchObject({ Type: 'Pass', Next: 'SubmitJob' });
    expect(state('SubmitJob')).toMatchObject({ Type: 'Task', Next: 'EmitSubmitted' });
    expect(state('EmitSubmitted')).toMatchObject({ Type: 'Task', Next: 'DescribeJob' });
    expect(state('ResumeExecution')).toMatchObject({ Type: 'Task', Next: 'WaitForProgress' });
    const waitTask = state('WaitForProgress');
    expect(waitTask.Resource).toBe('arn:aws:states:::lambda:invoke.waitForTaskToken');
    expect(waitTask.TimeoutSecondsPath).toBeDefined();
    expect(waitTask.Next).toBe('DescribeJob');
    expect(waitTask.Catch?.find((c) => c.ErrorEquals.includes('States.Timeout'))?.Next).toBe('DescribeJob');
    expect(state('DescribeJob')).toMatchObject({ Type: 'Task', Next: 'CheckProgress' });
    const check = state('CheckProgress');
    expect(check.Type).toBe('Choice');
    expect(check.Default).toBe('RouteByStatus');
    expect(check.Choices?.map((c) => c.Next)).toEqual(
      expect.arrayContaining(['EmitStatusChanged', 'ContinueAsNew']),
    );
    expect(state('EmitStatusChanged')).toMatchObject({ Type: 'Task', Next: 'CheckPolicyActions' });
    expect(state('CheckPolicyActions')).toMatchObject({ Type: 'Choice', Default: 'RouteByStatus' });
    const route = state('RouteByStatus');
    expect(route.Type).toBe('Choice');
    for (const status of ['New', 'Preparing', 'Active', 'Completing']) {
      expect(route.Choices?.find((c) => c.StringEquals === status)?.Next).toBe('WaitForProgress');
    }
    expect(route.Choices?.find((c) => c.StringEquals === 'Complete')?.Next).toBe('FetchReport');
    expect(state('ContinueAsNew')).toMatchObject({ Type: 'Task', Next: 'ContinuedAsNew' });
    expect(state('ContinuedAsNew').Type).toBe('Succeed');
    expect(state('FetchReport')).toMatchObject({ Type: 'Task', Next: 'CheckRedrive' });
    expect(state('CheckRedrive')).toMatchObject({ Type: 'Choice', Default: 'RouteByOutcome' });
    expect(state('RouteByOutcome').Type).toBe('Choice');
    expect(state('EmitCompleted')).toMatchObject({ Type: 'Task', Next: 'Succeeded' });
    expect(state('EmitPartialFailure')).toMatchObject({ Type: 'Task', Next: 'Succeeded' });
  });

  it('counts 4 transitions, 15 history events and 2 Lambda requests per poll; 3, 9 and 1 for the samples', () => {
    expect(batchJobMachine.pollIteration).toEqual({ transitions: 4, historyEvents: 15, lambdaRequests: 2 });
    expect(samplesPollerMachine.pollIteration).toEqual({
      transitions: 3,
      historyEvents: 9,
      lambdaRequests: 1,
    });
  });
});

describe('runPollLoop', () => {
  const job = makeJob(7_200, 1_000_000, 'steady', 7);

  it('adds up the states it went through', () => {
    const run = runPollLoop(job, wait, { kind: 'adaptive', eventDriven: false });
    const m = batchJobMachine;
    expect(run.executions).toBe(1);
    expect(run.transitions).toBe(
      m.start.transitions +
        m.firstPoll.transitions +
        (run.polls - 1) * m.pollIteration.transitions +
        run.statusEvents * m.statusChanged.transitions +
        m.end.transitions,
    );
    expect(run.historyEvents).toBe(run.maxHistoryEventsPerExecution);
    expect(run.wokenWaits).toBe(0);
  });

  it('sees completion one delivery delay after it when the event arrives', () => {
    const run = runPollLoop(job, wait, { kind: 'adaptive', eventDriven: true, events });
    expect(run.lagSeconds).toBeCloseTo(2, 6);
    expect(run.wokenWaits).toBeGreaterThan(0);
    const polling = runPollLoop(job, wait, { kind: 'adaptive', eventDriven: false });
    expect(run.polls).toBeLessThan(polling.polls);
  });

  it('falls back on the wait timeout when every event is lost', () => {
    const lost = { ...events, lostShare: 1 };
    expect(eventDeliveries(job, lost)).toEqual([]);
    const run = runPollLoop(job, wait, { kind: 'adaptive', eventDriven: true, events: lost });
    expect(run.wokenWaits).toBe(0);
    expect(run.lagSeconds).toBeGreaterThanOrEqual(0);
    expect(run.lagSeconds).toBeLessThanOrEqual(120);
  });

  it('loses about the configured share of events, the same ones for the same seed', () => {
    const model = { delaySeconds: 2, lostShare: 0.1, seed: 42 };
    let delivered = 0;
    let sent = 0;
    for (let seed = 0; seed < 400; seed++) {
      const j = makeJob(600, 50_000, 'steady', seed);
      sent += statusChangesOf(j).length;
      delivered += eventDeliveries(j, { ...model, seed }).length;
    }
    expect(1 - delivered / sent).toBeGreaterThan(0.07);
    expect(1 - delivered / sent).toBeLessThan(0.13);
    expect(eventDeliveries(job, model)).toEqual(eventDeliveries(job, model));
  });

  it('continues a 7-day job in fresh executions, each far below the history limit', () => {
    const long = makeJob(604_800, 100_000_000, 'steady', 3);
    const run = runPollLoop(long, wait, { kind: 'adaptive', eventDriven: true, events });
    expect(run.executions).toBe(Math.ceil(run.polls / wait.maxPollsPerExecution));
    expect(run.maxHistoryEventsPerExecution).toBeLessThan(historyEventLimit / 3);
    expect(run.historyEvents).toBeGreaterThan(run.maxHistoryEventsPerExecution);
  });
});

describe('runFixedLoop', () => {
  it('polls every 30 s in one execution, which a 7-day job takes past the history limit', () => {
    const job = makeJob(604_800, 100_000_000, 'steady', 3);
    const run = runFixedLoop(job, 30);
    expect(run.transitions).toBe(2 + 3 * run.polls);
    expect(run.lagSeconds).toBeGreaterThanOrEqual(0);
    expect(run.lagSeconds).toBeLessThan(30);
    expect(run.maxHistoryEventsPerExecution).toBeGreaterThan(historyEventLimit);
  });
});
