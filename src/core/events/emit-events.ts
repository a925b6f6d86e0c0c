import { detailValidators } from '../../generated/schema-ids.js';
import type { AppConfig } from '../config.js';
import type { Clock, EventBusPort } from '../ports.js';
import { type DeliveryOptions, deliverEvents } from './deliver-events.js';
import type { BuiltEvent } from './event-common.js';

export interface EmitDeps {
  bus: EventBusPort;
  config: Pick<AppConfig, 'stage' | 'eventBusName' | 'eventSource'>;
  clock: Clock;
  delivery?: DeliveryOptions;
}

/**
 * Checks already built orchestrator events against their published schemas (a detail that breaks its schema
 * is our bug and must not reach consumers) and delivers them to the stage bus. For events that do not come
 * from the workflow state, e.g. a request file rejected before any execution started.
 */
export async function emitEvents(
  deps: EmitDeps,
  events: BuiltEvent[],
  resources: string[] = [],
): Promise<{ sent: number; eventIds: string[] }> {
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
      ...(resources.length > 0 ? { Resources: resources } : {}),
    })),
    deps.delivery,
  );
  return { sent, eventIds: events.map((e) => String(e.detail.eventId)) };
}
