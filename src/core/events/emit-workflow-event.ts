import { detailValidators } from '../../generated/schema-ids.js';
import type { EmitRequest } from '../workflow-state.js';
import { type EmitDeps, emitEvents } from './emit-events.js';
import { buildWorkflowEvents } from './workflow-details.js';

export type { EmitDeps };

/** Builds the orchestrator events of one emit task from the workflow state and emits them (emitEvents). */
export async function emitWorkflowEvent(
  deps: EmitDeps,
  request: EmitRequest,
): Promise<{ sent: number; eventIds: string[] }> {
  const events = buildWorkflowEvents(request, deps.config.stage, deps.clock.now());
  return emitEvents(deps, detailValidators, events, [request.state.execution.arn]);
}
