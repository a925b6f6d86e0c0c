import type { EmitPhaseEventInput } from '../../generated/types.js';
import { type EmitDeps, emitEvents } from '../events/emit-events.js';
import { buildPhaseEvent } from './phase-events.js';

/** Builds one phase event from the restore-then state and emits it (emitEvents: schema check, delivery). */
export async function emitPhaseEvent(
  deps: EmitDeps,
  request: EmitPhaseEventInput,
): Promise<{ sent: number; eventIds: string[] }> {
  const event = buildPhaseEvent(request, deps.config.stage, deps.clock.now());
  return emitEvents(deps, [event], [request.state.execution.arn]);
}
