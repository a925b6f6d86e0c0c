/**
 * The flush-triggers Lambda's core (a `rate(1 minute)` rule): every enabled trigger's window whose oldest
 * object waited maxWaitSeconds is flushed even when no new object arrives, and a flush left in progress is
 * completed.
 */
import { type FlushDeps, type FlushOutcome, flushDueWindows } from './flush.js';
import type { Trigger } from './parse-trigger.js';

export interface FlushTriggersDeps extends FlushDeps {
  /** The stage's enabled triggers (serverless.yml params.<stage>.triggers). */
  triggerNames: readonly string[];
  loadTrigger: (name: string) => Promise<Trigger>;
}

export interface FlushTriggersResult {
  flushes: FlushOutcome[];
  /** Triggers whose flush failed this time, with why (the next minute tries again). */
  failed: { trigger: string; error: string }[];
}

/** One trigger's failure does not keep the others from flushing; the caller decides whether to fail. */
export async function flushTriggers(deps: FlushTriggersDeps): Promise<FlushTriggersResult> {
  const flushes: FlushOutcome[] = [];
  const failed: FlushTriggersResult['failed'] = [];
  for (const name of deps.triggerNames) {
    try {
      flushes.push(...(await flushDueWindows(deps, await deps.loadTrigger(name))));
    } catch (error) {
      failed.push({
        trigger: name,
        error: error instanceof Error ? `${error.name}: ${error.message}` : String(error),
      });
    }
  }
  return { flushes, failed };
}
