import type { AppConfig } from '../config.js';
import type { Clock, EventBusPort } from '../ports.js';
import type { DeliveryOptions } from './deliver-events.js';
import { emitEvents } from './emit-events.js';
import { buildWorkflowEvents, type EmitRequest } from './workflow-details.js';

export interface EmitDeps {
  bus: EventBusPort;
  config: Pick<AppConfig, 'stage' | 'eventBusName' | 'eventSource'>;
  clock: Clock;
  delivery?: DeliveryOptions;
}

/** Builds the orchestrator events of one emit task from the workflow state and emits them (emitEvents). */
export async function emitWorkflowEvent(
  deps: EmitDeps,
  request: EmitRequest,
): Promise<{ sent: number; eventIds: string[] }> {
  const events = buildWorkflowEvents(request, deps.config.stage, deps.clock.now());
  return emitEvents(deps, events, [request.state.execution.arn]);
}
