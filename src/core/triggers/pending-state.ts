/**
 * A trigger's pending store as one document, and the pure decisions on it: which objects join, when the
 * window flushes, which objects a flush takes. The store's I/O (conditional writes) is pending-store.ts.
 *
 * A flush is two-phase: `beginFlush` moves the window's objects into `flushing` (committed with If-Match, so
 * exactly one writer decides which objects a job gets); whoever then finds `flushing` set completes it
 * (manifest, StartExecution with a content-derived name, event) and clears it. A crash between the two
 * leaves `flushing` for the next collector or the minute's flush-triggers to complete: same objects, same
 * manifest, same execution name, so nothing starts twice.
 */
import type { TriggerWindowWithDefaults } from '../../generated/types.js';
import { ReportIntegrityError } from '../errors.js';
import { type CollectedObject, objectIdentity } from './collected-object.js';

export type FlushReason = 'maxObjects' | 'minObjects' | 'maxWait';

export interface PendingState {
  /** Collected, not yet in a job, oldest first. */
  objects: CollectedObject[];
  /** The window being flushed, decided but not yet confirmed started. */
  flushing?: { objects: CollectedObject[]; reason: FlushReason };
  /** Identities of the most recently flushed objects, oldest first: a late duplicate delivery joins no job. */
  flushed: string[];
}

/**
 * How many flushed identities are remembered. EventBridge and SQS duplicates arrive within minutes; this
 * covers at least two full windows of the largest size (2 × 10,000), at 24 hex digits an identity.
 */
export const rememberedFlushes = 20_000;

export const emptyPendingState = (): PendingState => ({ objects: [], flushed: [] });

export function parsePendingState(body: Buffer, where: string): PendingState {
  let value: unknown;
  try {
    value = JSON.parse(body.toString('utf8'));
  } catch (error) {
    throw new ReportIntegrityError(`${where} is not JSON`, { cause: error });
  }
  const state = value as Partial<PendingState> | null;
  if (
    typeof state !== 'object' ||
    state === null ||
    !Array.isArray(state.objects) ||
    !Array.isArray(state.flushed)
  ) {
    throw new ReportIntegrityError(`${where} is not a trigger's pending store (objects, flushed)`);
  }
  return state as PendingState;
}

export const serializePendingState = (state: PendingState): string => JSON.stringify(state);

/**
 * The state with the objects no earlier delivery brought (pending, being flushed or recently flushed), each
 * stamped `now`; `added` counts them. Duplicates within `incoming` count once.
 */
export function appendObjects(
  state: PendingState,
  incoming: readonly Omit<CollectedObject, 't'>[],
  now: Date,
): { state: PendingState; added: number } {
  const known = new Set<string>([
    ...state.objects.map(objectIdentity),
    ...(state.flushing?.objects ?? []).map(objectIdentity),
    ...state.flushed,
  ]);
  const added: CollectedObject[] = [];
  for (const object of incoming) {
    const identity = objectIdentity(object);
    if (known.has(identity)) continue;
    known.add(identity);
    added.push({ ...object, t: now.toISOString() });
  }
  return { state: { ...state, objects: [...state.objects, ...added] }, added: added.length };
}

/**
 * The event source mapping's batching window for a trigger: Lambda waits at most 300 s (MaximumBatchingWindow-
 * InSeconds) to fill a batch, so a longer maxWaitSeconds is kept in the pending store across invocations.
 */
export const mappingBatchingWindowSeconds = (window: Pick<TriggerWindowWithDefaults, 'maxWaitSeconds'>) =>
  Math.min(window.maxWaitSeconds, 300);

/**
 * Whether the window flushes now:
 * - it holds maxObjects (`maxObjects`);
 * - it holds minObjects and its oldest object waited a whole batching window (`minObjects`): enough objects
 *   to be worth a job's fee, and the stream gave no more within one window — this only matters when
 *   maxWaitSeconds is longer than the mapping's 300 s window;
 * - its oldest object waited maxWaitSeconds (`maxWait`): even one object, minObjects only delays.
 */
export function flushDecision(
  state: PendingState,
  window: TriggerWindowWithDefaults,
  now: Date,
): FlushReason | undefined {
  const oldest = state.objects[0];
  if (oldest === undefined) return undefined;
  if (state.objects.length >= window.maxObjects) return 'maxObjects';
  const waitedMs = now.getTime() - Date.parse(oldest.t);
  if (waitedMs >= window.maxWaitSeconds * 1000) return 'maxWait';
  const enough = state.objects.length >= window.minObjects;
  return enough && waitedMs >= mappingBatchingWindowSeconds(window) * 1000 ? 'minObjects' : undefined;
}

/** Moves the oldest objects, at most maxObjects, into `flushing`. Only when nothing is being flushed. */
export function beginFlush(
  state: PendingState,
  window: TriggerWindowWithDefaults,
  reason: FlushReason,
): PendingState {
  if (state.flushing) throw new Error('beginFlush: a flush is already in progress');
  return {
    ...state,
    objects: state.objects.slice(window.maxObjects),
    flushing: { objects: state.objects.slice(0, window.maxObjects), reason },
  };
}

/** Clears `flushing` once its job was started, remembering its objects' identities (bounded). */
export function finishFlush(state: PendingState): PendingState {
  const done = (state.flushing?.objects ?? []).map(objectIdentity);
  const flushed = [...state.flushed, ...done];
  return {
    objects: state.objects,
    flushed: flushed.slice(Math.max(0, flushed.length - rememberedFlushes)),
  };
}
