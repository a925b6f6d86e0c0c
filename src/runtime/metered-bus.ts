/**
 * The event bus as the Lambdas use it, metered: every entry PutEvents accepts is turned into the metrics it
 * stands for (./job-metrics.ts), and every entry it refuses, or a call that throws, counts as
 * EventsFailedToPut (the alarm in serverless.yml watches it). A refused entry that a later attempt delivers
 * (src/core/events/deliver-events.ts resends) counts once as failed and once for its metrics.
 */
import type { EventBusPort, EventEntry } from '../core/ports.js';
import { type MetricRecord, metricNames, metricsOfEvent } from './job-metrics.js';
import type { RunContext } from './run-context.js';

export interface BusMeter {
  record(records: readonly MetricRecord[]): void;
  /** The run of the current invocation (for TimeToComplete, which needs the job's submission time). */
  run(): RunContext;
}

const failedToPut = (value: number): MetricRecord[] =>
  value > 0 ? [{ name: metricNames.eventsFailedToPut, unit: 'Count', value }] : [];

function detailOf(entry: EventEntry): Record<string, unknown> {
  try {
    const detail: unknown = JSON.parse(entry.Detail);
    return typeof detail === 'object' && detail !== null ? (detail as Record<string, unknown>) : {};
  } catch {
    return {};
  }
}

export function meteredBus(bus: EventBusPort, meter: BusMeter): EventBusPort {
  return {
    async putEvents(entries) {
      let result: Awaited<ReturnType<EventBusPort['putEvents']>>;
      try {
        result = await bus.putEvents(entries);
      } catch (error) {
        meter.record(failedToPut(entries.length));
        throw error;
      }
      const refused = new Set(result.failed.map((failure) => failure.index));
      meter.record(failedToPut(refused.size));
      entries.forEach((entry, index) => {
        if (!refused.has(index)) meter.record(metricsOfEvent(entry.DetailType, detailOf(entry), meter.run()));
      });
      return result;
    },
  };
}
