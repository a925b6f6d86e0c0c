/**
 * The collect-objects Lambda's core: an SQS batch from a trigger's queue (each message an S3 Object Created
 * event the trigger's rule matched) appended to the trigger's pending store, then the window flushed if due.
 * Answers with a partial batch response (Lambda, "Handling errors for an SQS event source": with
 * ReportBatchItemFailures, only the listed messages return to the queue).
 */
import { RequestValidationError } from '../errors.js';
import type { CollectedObject } from './collected-object.js';
import { readObjectCreated } from './collected-object.js';
import { type FlushDeps, type FlushOutcome, flushDueWindows } from './flush.js';
import type { Trigger } from './parse-trigger.js';
import { appendObjects } from './pending-state.js';
import { updatePending } from './pending-store.js';

/** The fields of an SQS event record this reads. */
export interface SqsRecord {
  messageId: string;
  body: string;
  eventSourceARN: string;
}

export interface CollectDeps extends FlushDeps {
  /** The stage's queue name prefix, `s3-batch-orchestrator-<stage>-trigger-`; the rest is the trigger name. */
  queuePrefix: string;
  /** The enabled trigger of that name (parsed); rejects with RequestValidationError when there is none. */
  loadTrigger: (name: string) => Promise<Trigger>;
}

export interface CollectResult {
  batchItemFailures: { itemIdentifier: string }[];
  /** Objects newly pending (duplicates of earlier deliveries not counted), per trigger. */
  added: Record<string, number>;
  flushes: FlushOutcome[];
}

/** `arn:aws:sqs:<region>:<account>:<queue>` → the trigger its queue belongs to, if it is one of this stage's. */
export function triggerNameOfQueue(queueArn: string, queuePrefix: string): string | undefined {
  const queue = queueArn.split(':').pop() ?? '';
  if (!queue.startsWith(queuePrefix)) return undefined;
  const name = queue.slice(queuePrefix.length);
  const deadLetter = name === 'dlq' || name.endsWith('-dlq');
  return /^[a-z0-9][a-z0-9-]{0,39}$/.test(name) && !deadLetter ? name : undefined;
}

/**
 * A message that is no S3 Object Created event, or comes from a queue of no enabled trigger, is reported as
 * failed: it returns to the queue and, after maxReceiveCount receives, lands in the DLQ for a human. An
 * object the trigger's source filter excludes is consumed and dropped. When the pending store cannot be
 * written, every message of the batch is reported (the next delivery adds only what is missing). Objects
 * stored are never reported: a flush that fails afterwards is completed by the next call or the schedule.
 */
export async function collectObjects(
  deps: CollectDeps,
  records: readonly SqsRecord[],
): Promise<CollectResult> {
  const failures: string[] = [];
  const byTrigger = new Map<string, SqsRecord[]>();
  for (const record of records) {
    const name = triggerNameOfQueue(record.eventSourceARN, deps.queuePrefix);
    if (name === undefined) failures.push(record.messageId);
    else byTrigger.set(name, [...(byTrigger.get(name) ?? []), record]);
  }
  const added: Record<string, number> = {};
  const flushes: FlushOutcome[] = [];
  for (const [name, group] of byTrigger) {
    let trigger: Trigger;
    try {
      trigger = await deps.loadTrigger(name);
    } catch (error) {
      if (!(error instanceof RequestValidationError)) throw error;
      failures.push(...group.map((record) => record.messageId));
      continue;
    }
    const objects: Omit<CollectedObject, 't'>[] = [];
    const stored: string[] = [];
    for (const record of group) {
      const read = readObjectCreated(record.body, trigger);
      if ('object' in read) {
        objects.push(read.object);
        stored.push(record.messageId);
      } else if (read.skipped === 'malformed') failures.push(record.messageId);
    }
    if (objects.length === 0) continue;
    try {
      let count = 0;
      await updatePending(deps, name, (state) => {
        const appended = appendObjects(state, objects, deps.clock.now());
        count = appended.added;
        return appended.added === 0 ? undefined : appended.state;
      });
      added[name] = count;
    } catch {
      failures.push(...stored);
      continue;
    }
    try {
      flushes.push(...(await flushDueWindows(deps, trigger)));
    } catch {
      // The objects are stored: the window is flushed by the next batch or the minute's flush-triggers.
    }
  }
  return { batchItemFailures: failures.map((itemIdentifier) => ({ itemIdentifier })), added, flushes };
}
