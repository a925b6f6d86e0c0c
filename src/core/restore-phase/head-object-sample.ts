/**
 * The fallback for a lost `Object Restore Completed` event: each poll asks HeadObject about a bounded number
 * of the objects no marker names yet, and writes a marker for each one it finds restored.
 *
 * The sample starts at a cursor and wraps around (objects in report order, restore-job-report.ts), and the
 * next poll starts after the last one sampled: every unknown object is asked about in turn, the one asked
 * least recently first, so a lost event costs at most ⌈pending / sampleSize⌉ polls.
 */
import { ObjectNotFoundError } from '../errors.js';
import type { ObjectStorePort } from '../ports.js';
import { restoreExpiryOf, restoreStateOf } from './restore-header.js';
import type { RestoredObject } from './restore-markers.js';

/** HeadObject calls per poll (one poll is at most a few seconds of HeadObject at this size). */
export const defaultSampleSize = 200;
/** HeadObject calls in flight at once. */
export const sampleConcurrency = 8;

export interface Candidate extends RestoredObject {
  ordinal: number;
}

/**
 * Collects, during one pass over the unknown objects, the `size` to sample: those at or after the cursor
 * first, then (wrapping around) those before it. Holds at most 2 × size objects whatever the job's size.
 */
export class SampleCollector {
  readonly #after: Candidate[] = [];
  readonly #before: Candidate[] = [];

  constructor(
    readonly cursor: number,
    readonly size = defaultSampleSize,
  ) {}

  offer(ordinal: number, object: () => RestoredObject): void {
    const list = ordinal >= this.cursor ? this.#after : this.#before;
    if (list.length < this.size) list.push({ ...object(), ordinal });
  }

  /** The sample, in the order it is asked about. */
  sample(): Candidate[] {
    return [...this.#after, ...this.#before].slice(0, this.size);
  }
}

/** Where the next poll's sample starts: after the last object asked about (0 when none was). */
export function nextCursor(sample: readonly Candidate[]): number {
  const last = sample.at(-1);
  return last === undefined ? 0 : last.ordinal + 1;
}

export interface SampleResult {
  /** With the restored copy's expiry when HeadObject gave one. */
  restored: (Candidate & { restoreExpiryTime?: string })[];
  storageClasses: Record<string, number>;
  /** Objects HeadObject no longer finds (deleted since the restore job ran). */
  missing: number;
}

/** Asks HeadObject about each candidate, a few at a time. A missing object stays unknown. */
export async function headObjectSample(
  store: ObjectStorePort,
  candidates: readonly Candidate[],
  concurrency = sampleConcurrency,
): Promise<SampleResult> {
  const restored: SampleResult['restored'] = [];
  const storageClasses: Record<string, number> = {};
  let missing = 0;
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < candidates.length) {
      const candidate = candidates[next++]!;
      try {
        const head = await store.headObject(candidate.bucket, candidate.key, candidate.versionId);
        const storageClass = head.storageClass ?? 'STANDARD';
        storageClasses[storageClass] = (storageClasses[storageClass] ?? 0) + 1;
        if (restoreStateOf(head.restore) === 'restored') {
          const expiry = restoreExpiryOf(head.restore);
          restored.push({ ...candidate, ...(expiry === undefined ? {} : { restoreExpiryTime: expiry }) });
        }
      } catch (error) {
        if (!(error instanceof ObjectNotFoundError)) throw error;
        missing++;
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, candidates.length) }, worker));
  restored.sort((a, b) => a.ordinal - b.ordinal);
  return { restored, storageClasses, missing };
}
