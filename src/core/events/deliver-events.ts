import { EventDeliveryError } from '../errors.js';
import type { EventBusPort, EventEntry } from '../ports.js';

export interface DeliveryOptions {
  /** PutEvents calls per batch of ≤ 10, counting the first. */
  maxAttempts?: number;
  baseDelayMs?: number;
  sleep?: (ms: number) => Promise<void>;
  random?: () => number;
}

/** PutEvents takes at most 10 entries per call (AWS-FACTS, Events). */
export const maxEntriesPerCall = 10;

/**
 * Sends every entry, at most 10 per PutEvents call. A 200 answer can still fail some entries
 * (FailedEntryCount > 0): exactly those are resent, with full-jitter backoff, a bounded number of times.
 * Throttling raised by the adapter is retried the same way. Returns the number of entries delivered.
 */
export async function deliverEvents(
  bus: EventBusPort,
  entries: EventEntry[],
  options: DeliveryOptions = {},
): Promise<number> {
  const maxAttempts = options.maxAttempts ?? 5;
  const baseDelayMs = options.baseDelayMs ?? 100;
  const sleep = options.sleep ?? ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)));
  const random = options.random ?? Math.random;

  for (let start = 0; start < entries.length; start += maxEntriesPerCall) {
    let pending = entries.slice(start, start + maxEntriesPerCall);
    for (let attempt = 1; pending.length > 0; attempt++) {
      let lastError = 'unknown';
      try {
        const { failed } = await bus.putEvents(pending);
        lastError = failed.map((f) => f.errorCode).join(', ');
        pending = failed.map((f) => pending[f.index]!);
      } catch (error) {
        if (!(error as { retryable?: boolean }).retryable) throw error;
        lastError = (error as Error).message;
      }
      if (pending.length === 0) break;
      if (attempt >= maxAttempts) {
        throw new EventDeliveryError(
          `PutEvents: ${pending.length} entr${pending.length === 1 ? 'y' : 'ies'} still failing after ${attempt} attempts (${lastError})`,
        );
      }
      await sleep(Math.floor(random() * baseDelayMs * 2 ** (attempt - 1)));
    }
  }
  return entries.length;
}
