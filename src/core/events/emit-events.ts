import type { detailValidators } from '../../generated/schema-ids.js';
import type { AppConfig } from '../config.js';
import type { Clock, EventBusPort } from '../ports.js';
import { type DeliveryOptions, deliverEvents } from './deliver-events.js';
import type { BuiltEvent } from './event-common.js';

/**
 * The validators of the detail types a caller emits. Each caller passes its own rather than this module
 * importing all of them: a Lambda's bundle then holds only the validators of the events it can emit (all
 * fourteen are about 180 KB minified; `npm run bench -- lambda-bundles`).
 */
export type DetailValidators = Partial<typeof detailValidators>;

export interface EmitDeps {
  bus: EventBusPort;
  config: Pick<AppConfig, 'stage' | 'eventBusName' | 'eventSource'>;
  clock: Clock;
  delivery?: DeliveryOptions;
}

/**
 * Checks already built orchestrator events against their published schemas (a detail that breaks its schema
 * is our bug and must not reach consumers) and delivers them to the stage bus. For events that do not come
 * from the workflow state, e.g. a request file rejected before any execution started. An event whose type
 * has no validator in `validators` is a wiring bug and fails before anything is sent.
 */
export async function emitEvents(
  deps: EmitDeps,
  validators: DetailValidators,
  events: BuiltEvent[],
  resources: string[] = [],
): Promise<{ sent: number; eventIds: string[] }> {
  for (const { detailType, detail } of events) {
    const validate = validators[detailType];
    if (!validate) throw new Error(`"${detailType}" has no detail validator among those given to emitEvents`);
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
