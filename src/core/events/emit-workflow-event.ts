import { detailValidators } from '../../generated/schema-ids.js';
import type { AppConfig } from '../config.js';
import type { Clock, EventBusPort } from '../ports.js';
import { type DeliveryOptions, deliverEvents } from './deliver-events.js';
import { buildWorkflowEvents, type EmitRequest } from './workflow-details.js';

export interface EmitDeps {
  bus: EventBusPort;
  config: Pick<AppConfig, 'stage' | 'eventBusName' | 'eventSource'>;
  clock: Clock;
  delivery?: DeliveryOptions;
}

/**
 * Builds the orchestrator events of one emit task from the workflow state, checks each against its published schema (a
 * detail that breaks the schema is our bug and must not reach consumers) and delivers it.
 */
export async function emitWorkflowEvent(
  deps: EmitDeps,
  request: EmitRequest,
): Promise<{ sent: number; eventIds: string[] }> {
  const events = buildWorkflowEvents(request, deps.config.stage, deps.clock.now());
  for (const { detailType, detail } of events) {
    const validate = detailValidators[detailType];
    if (!validate(detail)) {
      const first = validate.errors?.[0];
      throw new Error(
        `"${detailType}" detail breaks its schema at ${first?.instancePath || '/'}: ${first?.message ?? 'invalid'}`,
      );
    }
  }
  const sent = await deliverEvents(
    deps.bus,
    events.map(({ detailType, detail }) => ({
      Source: deps.config.eventSource,
      DetailType: detailType,
      Detail: JSON.stringify(detail),
      EventBusName: deps.config.eventBusName,
      Resources: [request.state.execution.arn],
    })),
    deps.delivery,
  );
  return { sent, eventIds: events.map((e) => String(e.detail.eventId)) };
}
