/**
 * A trigger's pending store: one JSON document per trigger in the stage's state bucket
 * (`triggers/<name>/pending.json`), changed only by read-modify-write with S3 conditional writes
 * (If-None-Match for the first write, If-Match on the ETag read after), so concurrent collectors and the
 * flush schedule never lose each other's changes: the loser reads again and reapplies its change.
 */
import { ServiceUnavailableError } from '../errors.js';
import type { ObjectStorePort } from '../ports.js';
import {
  emptyPendingState,
  type PendingState,
  parsePendingState,
  serializePendingState,
} from './pending-state.js';

export interface PendingStoreDeps {
  objects: ObjectStorePort;
  stateBucket: string;
  /** Waits before attempt `attempt` (1-based) after a lost race; jittered so racing writers spread out. */
  pause?: (attempt: number) => Promise<void>;
}

/**
 * Attempts at one change before giving up with a retryable error. SQS event source mappings run a few
 * collectors per queue at once; each loss means another writer succeeded, so this bound is reached only
 * under contention far beyond that.
 */
export const maxWriteAttempts = 25;

/** The state bucket's folder of every trigger's pending store and manifests (IAM grants on it). */
export const triggersFolder = 'triggers';

export const pendingKeyFor = (triggerName: string): string => `${triggersFolder}/${triggerName}/pending.json`;

const defaultPause = (attempt: number): Promise<void> =>
  new Promise((resolve) => setTimeout(resolve, Math.random() * 20 * Math.min(attempt, 10)));

/**
 * Applies `change` to the trigger's current state and writes the result conditionally, reading again after a
 * lost race. `change` returns undefined for "nothing to write"; it may be called more than once, so it must
 * be pure. Returns the state as stored afterwards.
 */
export async function updatePending(
  deps: PendingStoreDeps,
  triggerName: string,
  change: (state: PendingState) => PendingState | undefined,
): Promise<PendingState> {
  const key = pendingKeyFor(triggerName);
  const pause = deps.pause ?? defaultPause;
  for (let attempt = 1; attempt <= maxWriteAttempts; attempt++) {
    if (attempt > 1) await pause(attempt);
    const current = await deps.objects.getObjectWithEtag(deps.stateBucket, key);
    const state = current
      ? parsePendingState(current.body, `s3://${deps.stateBucket}/${key}`)
      : emptyPendingState();
    const next = change(state);
    if (next === undefined) return state;
    const body = serializePendingState(next);
    const outcome = current
      ? await deps.objects.putObjectIfMatch(deps.stateBucket, key, body, current.etag, 'application/json')
      : await deps.objects.putObjectIfAbsent(deps.stateBucket, key, body, 'application/json');
    if (outcome === 'written' || outcome === 'created') return next;
  }
  throw new ServiceUnavailableError(
    `trigger ${triggerName}: s3://${deps.stateBucket}/${key} changed under ${maxWriteAttempts} attempts in a row`,
  );
}
