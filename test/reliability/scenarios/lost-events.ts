/**
 * Issue 11, "Lost events": batch-job workflows while a fifth of PutEvents entries fail (HTTP 200 with
 * FailedEntryCount, which the SDK never retries: deliverEvents resends exactly those entries, then Step
 * Functions re-runs the emit task). Every lifecycle event the workflow emitted a state for must be in the
 * stage bus's log exactly once per eventId. Shared by the test and bench/reliability.ts.
 */
import { detailTypes } from '../../../src/core/names.js';
import { type Harness, startHarness } from '../../workflow/harness.js';
import {
  endsOtherThanSuccess,
  type FinishedWorkflow,
  isTerminal,
  runWorkflows,
  seedWorkflows,
} from './common.js';

export const putEventsFailureRate = 0.2;

/** The emit states of the batch-job machine and the one event each sends (EmitPolicyActions sends a variable number; no policy here). */
const eventOfEmitState: Readonly<Record<string, string>> = {
  EmitSubmitted: detailTypes.submitted,
  EmitStatusChanged: detailTypes.statusChanged,
  EmitCompleted: detailTypes.completed,
  EmitPartialFailure: detailTypes.completed,
  EmitAllTasksFailed: detailTypes.failed,
  EmitFailed: detailTypes.failed,
  EmitTimedOut: detailTypes.failed,
  EmitOrchestrationFailed: detailTypes.failed,
  EmitCancelled: detailTypes.cancelled,
  EmitRejected: detailTypes.rejected,
  EmitRedriven: detailTypes.redriven,
};

export interface LostEventsFigures {
  workflows: number;
  unfinished: number;
  otherEnds: Record<string, number>;
  /** One per emit state entered, over every workflow. */
  eventsExpected: number;
  /** Expected events with no entry in the log. */
  eventsLost: number;
  /** Log entries beyond the first for one eventId. */
  eventsDuplicated: number;
  /** Expected events by detail type, e.g. every workflow's Submitted and Completed. */
  expectedByType: Record<string, number>;
  /** Share of 1,000 probe entries PutEvents failed: evidence the fault was live. */
  probeFailureRate: number;
  wallMs: number;
}

export async function runLostEventsScenario(options: {
  workflows: number;
  seed?: number;
  timeoutMs?: number;
}): Promise<LostEventsFigures> {
  const h = await startHarness({
    faults: { putEventsFailureRate, seed: options.seed ?? 11 },
    timeScale: 600,
  });
  try {
    const workflows = seedWorkflows(h, options.workflows, 2, 'events');
    const startedAt = Date.now();
    const finished = await runWorkflows(h, workflows, options.timeoutMs ?? 120_000);
    const wallMs = Date.now() - startedAt;
    const log = h.events();
    let eventsExpected = 0;
    let eventsLost = 0;
    let eventsDuplicated = 0;
    const expectedByType: Record<string, number> = {};
    for (const run of finished) {
      const mine = log.filter((event) => event.detail.executionArn === run.executionArn);
      for (const [detailType, expected] of Object.entries(expectedEvents(run))) {
        const entries = mine.filter((event) => event['detail-type'] === detailType);
        const ids = new Set(entries.map((event) => String(event.detail.eventId)));
        eventsExpected += expected;
        expectedByType[detailType] = (expectedByType[detailType] ?? 0) + expected;
        eventsLost += Math.max(0, expected - ids.size);
        eventsDuplicated += entries.length - ids.size;
      }
    }
    return {
      workflows: finished.length,
      unfinished: finished.filter((run) => !isTerminal(run.status)).length,
      otherEnds: endsOtherThanSuccess(finished),
      eventsExpected,
      eventsLost,
      eventsDuplicated,
      expectedByType,
      probeFailureRate: probeFailures(h) / 1000,
      wallMs,
    };
  } finally {
    await h.stop();
  }
}

function expectedEvents(run: FinishedWorkflow): Record<string, number> {
  const expected: Record<string, number> = {};
  for (const state of run.statesEntered) {
    const detailType = eventOfEmitState[state];
    if (detailType) expected[detailType] = (expected[detailType] ?? 0) + 1;
  }
  return expected;
}

/** 1,000 entries to a bus that does not exist (accepted and dropped, as on AWS): how many the fault failed. */
function probeFailures(h: Harness): number {
  let failed = 0;
  for (let call = 0; call < 100; call++) {
    const entries = Array.from({ length: 10 }, () => ({
      Source: 'reliability.probe',
      DetailType: 'Probe',
      Detail: '{}',
      EventBusName: 'reliability-probe',
    }));
    failed += h.aws.events.putEvents(entries).FailedEntryCount;
  }
  return failed;
}
