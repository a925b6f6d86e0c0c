/**
 * Flushing a trigger's window: decide (one conditional write moves the objects into `flushing`), then
 * complete (manifest, StartExecution, `Trigger Flushed`, clear). Completion is idempotent: the manifest key
 * and the execution name derive from the manifest's content, the event id too.
 */
import type { TriggerFlushedDetail } from '../../generated/types.js';
import { validateTriggerFlushedDetail } from '../../generated/validators.js';
import { ConfigurationError } from '../errors.js';
import { type EmitDeps, emitEvents } from '../events/emit-events.js';
import { eventId } from '../events/event-common.js';
import { detailTypes } from '../names.js';
import type { Clock, WorkflowPort } from '../ports.js';
import { buildTriggerRequest, type Trigger } from './parse-trigger.js';
import {
  beginFlush,
  type FlushReason,
  finishFlush,
  flushDecision,
  type PendingState,
} from './pending-state.js';
import { type PendingStoreDeps, updatePending } from './pending-store.js';
import { buildManifestContent, executionNameFor, manifestKeyFor } from './trigger-manifest.js';

export interface FlushDeps extends PendingStoreDeps {
  workflow: WorkflowPort;
  /** The stage's batch-job state machine. */
  stateMachineArn: string | undefined;
  events: EmitDeps;
  clock: Clock;
}

export interface FlushOutcome {
  executionArn: string;
  /** The execution existed already: this flush completed one an earlier attempt started. */
  alreadyStarted: boolean;
  objectCount: number;
  reason: FlushReason;
  manifest: { bucket: string; key: string };
}

/**
 * Each round flushes at most one window (maxObjects objects). A burst the collector stored at once can fill
 * several windows; more than this many are left for the next call (the next batch or the minute's schedule).
 */
export const maxFlushesPerCall = 10;

/**
 * Completes a flush left in progress, then flushes while the window is due (full, or old enough), at most
 * `maxFlushesPerCall` windows. Returns what was flushed, in order.
 */
export async function flushDueWindows(deps: FlushDeps, trigger: Trigger): Promise<FlushOutcome[]> {
  const outcomes: FlushOutcome[] = [];
  for (let round = 0; round < maxFlushesPerCall; round++) {
    const state = await updatePending(deps, trigger.name, (current) => {
      if (current.flushing) return undefined;
      const reason = flushDecision(current, trigger.window, deps.clock.now());
      return reason === undefined ? undefined : beginFlush(current, trigger.window, reason);
    });
    if (!state.flushing) break;
    outcomes.push(await completeFlush(deps, trigger, state.flushing));
  }
  return outcomes;
}

/** Writes the window's manifest, starts its job, announces it, and clears `flushing` (all idempotent). */
export async function completeFlush(
  deps: FlushDeps,
  trigger: Trigger,
  flushing: NonNullable<PendingState['flushing']>,
): Promise<FlushOutcome> {
  if (!deps.stateMachineArn) throw new ConfigurationError('S3BO_STATE_MACHINE_ARN', 'is not set');
  const content = buildManifestContent(flushing.objects);
  const manifest = { bucket: deps.stateBucket, key: manifestKeyFor(trigger.name, content.hash) };
  // Written once: a retry keeps the first write's ETag (with SSE-KMS an ETag is not the content's MD5), so
  // the retried StartExecution input equals the first and finds the execution instead of failing.
  await deps.objects.putObjectIfAbsent(manifest.bucket, manifest.key, content.csv, 'text/csv');
  const head = await deps.objects.headObject(manifest.bucket, manifest.key);
  const request = buildTriggerRequest(trigger, { ...manifest, etag: head.etag, fields: content.fields });
  const { executionArn, alreadyExisted } = await deps.workflow.startExecution(
    deps.stateMachineArn,
    executionNameFor(trigger.name, content.hash),
    request,
  );
  const detail: TriggerFlushedDetail = {
    eventId: eventId(`trigger:${trigger.name}`, `Flushed:${content.hash}`),
    stage: deps.events.config.stage,
    occurredAt: deps.clock.now().toISOString(),
    trigger: trigger.name,
    objectCount: content.rows,
    manifest,
    executionArn,
    reason: flushing.reason,
  };
  await emitEvents(
    deps.events,
    { [detailTypes.triggerFlushed]: validateTriggerFlushedDetail },
    [{ detailType: detailTypes.triggerFlushed, detail: { ...detail } }],
    [executionArn],
  );
  await updatePending(deps, trigger.name, (current) =>
    current.flushing && buildManifestContent(current.flushing.objects).hash === content.hash
      ? finishFlush(current)
      : undefined,
  );
  return {
    executionArn,
    alreadyStarted: alreadyExisted,
    objectCount: content.rows,
    reason: flushing.reason,
    manifest,
  };
}
