import { EventDeliveryError } from '../errors.js';
import type { EventBusPort, EventEntry } from '../ports.js';

export interface DeliveryOptions {
  /** PutEvents calls per batch of ≤ 10, counting the first (default `defaultDeliveryAttempts`). */
  maxAttempts?: number;
  baseDelayMs?: number;
  sleep?: (ms: number) => Promise<void>;
  random?: () => number;
}

/** PutEvents takes at most 10 entries per call (AWS-FACTS, Events). */
export const maxEntriesPerCall = 10;

/**
 * Resends of the entries a 200 answer failed, counting the first call. The SDK never sees those (the call
 * succeeded), so this loop is their only in-process retry layer; what still fails raises EventDeliveryError,
 * which Step Functions retries once (docs/workflow-contract.md, "Retries").
 */
export const defaultDeliveryAttempts = 3;

/**
 * Sends every entry, at most 10 per PutEvents call. A 200 answer can still fail some entries
 * (FailedEntryCount > 0): exactly those are resent, with full-jitter backoff, a bounded number of times.
 * An error thrown by the adapter is not retried here: the SDK already retried that call (one retry layer per
 * call). Returns the number of entries delivered.
 */
export async function deliverEvents(
  bus: EventBusPort,
  entries: EventEntry[],
  options: DeliveryOptions = {},
): Promise<number> {
  const maxAttempts = options.maxAttempts ?? defaultDeliveryAttempts;
  const baseDelayMs = options.baseDelayMs ?? 100;
  const sleep = options.sleep ?? ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)));
  const random = options.random ?? Math.random;

  for (let start = 0; start < entries.length; start += maxEntriesPerCall) {
    let pending = entries.slice(start, start + maxEntriesPerCall);
    for (let attempt = 1; pending.length > 0; attempt++) {
      const { failed } = await bus.putEvents(pending);
      const lastError = failed.map((f) => f.errorCode).join(', ');
      pending = failed.map((f) => pending[f.index]!);
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
