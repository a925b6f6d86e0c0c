/**
 * A trigger's state as the collector keeps it in the stage's state bucket: the pending window
 * (`triggers/<name>/pending.json`: objects waiting, the oldest one's age, a flush in progress) and its last
 * flushes (`triggers/<name>/manifests/<sha256>.csv`, one per job started, named by content).
 */
import { ObjectNotFoundError } from '../../src/core/errors.js';
import type { ObjectStorePort } from '../../src/core/ports.js';
import { parsePendingState } from '../../src/core/triggers/pending-state.js';
import { pendingKeyFor, triggersFolder } from '../../src/core/triggers/pending-store.js';
import { executionNameFor } from '../../src/core/triggers/trigger-manifest.js';

export interface TriggerStatus {
  trigger: string;
  stateBucket: string;
  pendingObjects: number;
  /** Seconds the oldest pending object has waited; absent with nothing pending. */
  oldestPendingSeconds?: number;
  /** Objects of a window being flushed right now (decided, its job not yet confirmed started). */
  flushingObjects: number;
  lastFlushes: { manifestKey: string; at: string; objects: number; executionName: string }[];
}

/** Manifest listings looked at, at most (1,000 keys a page). */
const maxListPages = 20;

async function readText(objects: ObjectStorePort, bucket: string, key: string): Promise<Buffer | undefined> {
  try {
    const chunks: Uint8Array[] = [];
    for await (const chunk of await objects.getObjectStream(bucket, key)) chunks.push(chunk);
    return Buffer.concat(chunks);
  } catch (error) {
    if (error instanceof ObjectNotFoundError) return undefined;
    throw error;
  }
}

const countLines = (body: Buffer) =>
  body
    .toString('utf8')
    .split('\n')
    .filter((line) => line !== '').length;

export async function readTriggerStatus(
  objects: ObjectStorePort,
  options: { trigger: string; stateBucket: string; now: Date; flushes: number },
): Promise<TriggerStatus> {
  const { trigger, stateBucket } = options;
  const pendingBody = await readText(objects, stateBucket, pendingKeyFor(trigger));
  const pending = pendingBody ? parsePendingState(pendingBody, pendingKeyFor(trigger)) : undefined;
  const oldest = pending?.objects[0]?.t;

  const manifests: { key: string; lastModified: string }[] = [];
  for await (const page of objects.listObjects(stateBucket, {
    prefix: `${triggersFolder}/${trigger}/manifests/`,
    maxPages: maxListPages,
  })) {
    manifests.push(...page.objects.map(({ key, lastModified }) => ({ key, lastModified })));
  }
  manifests.sort((a, b) => b.lastModified.localeCompare(a.lastModified));
  const lastFlushes = [];
  for (const manifest of manifests.slice(0, options.flushes)) {
    const body = await readText(objects, stateBucket, manifest.key);
    const hash = /([0-9a-f]{64})\.csv$/.exec(manifest.key)?.[1] ?? '';
    lastFlushes.push({
      manifestKey: manifest.key,
      at: manifest.lastModified,
      objects: body ? countLines(body) : 0,
      executionName: executionNameFor(trigger, hash),
    });
  }
  return {
    trigger,
    stateBucket,
    pendingObjects: pending?.objects.length ?? 0,
    ...(oldest
      ? { oldestPendingSeconds: Math.max(0, (options.now.getTime() - Date.parse(oldest)) / 1000) }
      : {}),
    flushingObjects: pending?.flushing?.objects.length ?? 0,
    lastFlushes,
  };
}
