import { detailValidators } from '../../generated/schema-ids.js';
import type { EmitDetailRequest } from '../../generated/types.js';
import { TaskInputError } from '../errors.js';
import { type DetailType, detailTypes } from '../names.js';
import { type EmitDeps, emitEvents } from './emit-events.js';
import { eventId } from './event-common.js';

const knownDetailTypes: ReadonlySet<string> = new Set(Object.values(detailTypes));

/** The fields every orchestrator event carries, which the emitter sets and a built detail must not. */
const commonFields = ['eventId', 'executionArn', 'stage', 'occurredAt'] as const;

/**
 * Emits an event whose detail a Lambda of the workflow already built (the campaign machine's ResolveTargets
 * and Aggregate): adds the fields every event carries, with the id stable per execution and step (a retried
 * emit sends the same id), then checks and delivers it like every other event (emitEvents).
 */
export async function emitBuiltDetail(
  deps: EmitDeps,
  request: EmitDetailRequest,
): Promise<{ sent: number; eventIds: string[] }> {
  if (!knownDetailTypes.has(request.detailType)) {
    throw new TaskInputError(
      'emit-events',
      'detailType',
      `is not an orchestrator event: ${request.detailType}`,
    );
  }
  const given = commonFields.find((name) => name in request.detail);
  if (given !== undefined) {
    throw new TaskInputError('emit-events', `detail.${given}`, 'is set by emit-events, not by the caller');
  }
  const detail = {
    eventId: eventId(request.executionArn, request.step),
    executionArn: request.executionArn,
    stage: deps.config.stage,
    occurredAt: deps.clock.now().toISOString(),
    ...request.detail,
  };
  return emitEvents(
    deps,
    detailValidators,
    [{ detailType: request.detailType as DetailType, detail }],
    [request.executionArn],
  );
}
