/**
 * `Campaign Phase Started` / `Campaign Phase Completed` (schemas/events/campaign-phase-*.schema.json), built
 * from the restore-then state and emitted through the project's emit path (src/core/events/emit-events.ts:
 * checked against the published schema, delivered with bounded resends). The event id is stable per
 * execution, phase and step, so a retried emit task sends the same id.
 */
import type { EmitPhaseEventInput, RestoreThenState } from '../../generated/types.js';
import { TaskInputError } from '../errors.js';
import { type BuiltEvent, type Detail, eventId } from '../events/event-common.js';
import { detailTypes } from '../names.js';
import { type PhaseResult, restoreJobIdOf, restorePhaseResult, thenPhaseResult } from './phase-results.js';

export function buildPhaseEvent(request: EmitPhaseEventInput, stage: string, now: Date): BuiltEvent {
  const { phase, step, state } = request;
  const plan = state.plan;
  if (!plan) throw new TaskInputError('emit-phase-event', 'state.plan', 'is required');
  const common: Detail = {
    eventId: eventId(state.execution.arn, `Phase:${phase}:${step}`),
    executionArn: state.execution.arn,
    stage,
    occurredAt: now.toISOString(),
    campaign: state.input.campaign,
    target: state.input.target,
    runId: state.input.runId,
    phase,
  };
  if (step === 'Started') {
    return {
      detailType: detailTypes.campaignPhaseStarted,
      detail: { ...common, ...(phase === 'restore' ? restoreStarted(state) : thenStarted(state)) },
    };
  }
  const result = phase === 'restore' ? restoreCompleted(state) : thenCompleted(state);
  return { detailType: detailTypes.campaignPhaseCompleted, detail: { ...common, ...result } };
}

function restoreStarted(state: RestoreThenState): Detail {
  return {
    childExecutionName: state.plan!.restoreExecutionName,
    tier: state.input.restore.tier,
    deadlineHours: state.plan!.deadlineHours,
  };
}

function thenStarted(state: RestoreThenState): Detail {
  const manifest = state.thenJob?.manifest;
  if (!manifest) throw new TaskInputError('emit-phase-event', 'state.thenJob.manifest', 'is required');
  const restoreJobId = restoreJobIdOf(state);
  return {
    childExecutionName: state.plan!.thenExecutionName,
    objects: state.thenJob!.objects,
    manifest: { bucket: manifest.bucket, key: manifest.key },
    ...(restoreJobId ? { restoreJobId } : {}),
  };
}

function phaseFields(result: PhaseResult): Detail {
  return {
    outcome: result.outcome,
    ...(result.reason ? { reason: result.reason } : {}),
    ...(result.jobId ? { jobId: result.jobId } : {}),
    ...(result.childExecutionArn ? { childExecutionArn: result.childExecutionArn } : {}),
    ...(result.tasks ? { tasks: result.tasks } : {}),
    ...(result.failuresByCode ? { failuresByCode: result.failuresByCode } : {}),
  };
}

function restoreCompleted(state: RestoreThenState): Detail {
  const result = restorePhaseResult(state);
  return {
    ...phaseFields(result),
    restored: result.restored,
    notRestored: result.notRestored,
    deadlineReached: result.deadlineReached,
  };
}

function thenCompleted(state: RestoreThenState): Detail {
  const result = thenPhaseResult(state);
  if (!result) throw new TaskInputError('emit-phase-event', 'state.thenRun', 'is required');
  return { ...phaseFields(result), objects: result.objects };
}
