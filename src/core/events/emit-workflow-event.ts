import { detailValidators } from '../../generated/schema-ids.js';
import type { AppConfig } from '../config.js';
import type { Clock, EventBusPort } from '../ports.js';
import { type DeliveryOptions, deliverEvents } from './deliver-events.js';
import { buildWorkflowDetail, type EmitRequest } from './workflow-details.js';

export interface EmitDeps {
  bus: EventBusPort;
  config: Pick<AppConfig, 'stage' | 'eventBusName' | 'eventSource'>;
  clock: Clock;
  delivery?: DeliveryOptions;
}

/**
 * Builds one orchestrator event from the workflow state, checks it against its published schema (a
 * detail that breaks the schema is our bug and must not reach consumers) and delivers it.
 */
export async function emitWorkflowEvent(
  deps: EmitDeps,
  request: EmitRequest,
): Promise<{ sent: number; eventId: string }> {
  const detail = buildWorkflowDetail(request, deps.config.stage, deps.clock.now());
  const validate = detailValidators[request.detailType];
  if (!validate(detail)) {
    const first = validate.errors?.[0];
    throw new Error(
      `"${request.detailType}" detail breaks its schema at ${first?.instancePath || '/'}: ${first?.message ?? 'invalid'}`,
    );
  }
  const sent = await deliverEvents(
    deps.bus,
    [
      {
        Source: deps.config.eventSource,
        DetailType: request.detailType,
        Detail: JSON.stringify(detail),
        EventBusName: deps.config.eventBusName,
        Resources: [request.state.execution.arn],
      },
    ],
    deps.delivery,
  );
  return { sent, eventId: String(detail.eventId) };
}
