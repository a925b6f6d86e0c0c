/**
 * Runs the enabled SQS event source mappings: one poller per mapping long-polls the queue, gathers up to
 * BatchSize messages within MaximumBatchingWindowInSeconds of the first (emulated time) or until the batch
 * nears Lambda's 6 MB synchronous payload limit, invokes the function synchronously and deletes the messages
 * that succeeded. A function error (or a failed invoke) deletes nothing: the batch reappears after the queue's
 * visibility timeout, and the queue's RedrivePolicy eventually dead-letters it. With ReportBatchItemFailures
 * only the reported items stay. One batch at a time per mapping (AWS scales pollers out; PARITY.md).
 */

import type { EmulatorClock, LambdaInvoker } from '../contracts.js';
import { timerAt } from '../emulated-timer.js';
import type { ReceivedMessage } from '../sqs/index.js';
import type {
  EventSourceMappingConfiguration,
  EventSourceMappings,
  MappingQueues,
} from './event-source-mappings.js';
import { failedItems, toSqsEventRecord } from './sqs-event.js';

/** Lambda's synchronous payload quota, less room for the event's own fields. */
const MAX_BATCH_PAYLOAD_BYTES = 6 * 1024 * 1024 - 64 * 1024;
/** Per-record overhead of the event shape around a message body (ids, handle, attributes). */
const RECORD_OVERHEAD_BYTES = 1024;
/** SQS's own per-receive limits. */
const MAX_RECEIVE = 10;
/** ReceiveMessage's longest long poll (WaitTimeSeconds 0-20). */
const LONG_POLL_SECONDS = 20;
/** Emulated seconds to pause after an empty poll or a failed receive, so a closed or missing queue never spins. */
const IDLE_PAUSE_SECONDS = 1;

export interface MappingInvocationRecord {
  uuid: string;
  functionArn: string;
  messageIds: string[];
  /** The function returned (it may still have reported item failures). */
  ok: boolean;
  /** Messages left in the queue to be retried: all of them on an error, the reported ones otherwise. */
  retriedMessageIds: string[];
  error?: { name: string; message: string };
  at: string;
}

export interface PollerDependencies {
  clock: EmulatorClock;
  region: string;
  queues: MappingQueues;
  invoker: LambdaInvoker;
  hasFunction(functionArn: string): boolean;
}

export class SqsPollers {
  readonly records: MappingInvocationRecord[] = [];
  private readonly loops = new Map<string, Promise<void>>();
  /** Pending pauses; close() ends them so shutdown does not wait out an idle pause. */
  private readonly sleepers = new Set<() => void>();
  private stopped = false;

  constructor(
    private readonly mappings: EventSourceMappings,
    private readonly deps: PollerDependencies,
  ) {}

  /** Starts a poller for every enabled mapping that has none (after create, update and at start-up). */
  sync(): void {
    if (this.stopped) return;
    for (const mapping of this.mappings.list({})) {
      if (mapping.State !== 'Enabled' || this.loops.has(mapping.UUID)) continue;
      const loop = this.run(mapping.UUID).finally(() => this.loops.delete(mapping.UUID));
      this.loops.set(mapping.UUID, loop);
    }
  }

  /** Stops polling; resolves when every poller has finished its current batch. */
  async close(): Promise<void> {
    this.stopped = true;
    for (const wake of [...this.sleepers]) wake();
    while (this.loops.size > 0) await Promise.allSettled([...this.loops.values()]);
  }

  /** Polls until the mapping is disabled or deleted, or the pollers close. */
  private async run(uuid: string): Promise<void> {
    while (!this.stopped) {
      const mapping = this.mappings.current(uuid);
      if (mapping?.State !== 'Enabled') return;
      if (!this.deps.hasFunction(mapping.FunctionArn)) {
        await this.pause(IDLE_PAUSE_SECONDS);
        continue;
      }
      let batch: ReceivedMessage[];
      try {
        batch = await this.collect(mapping);
      } catch {
        await this.pause(IDLE_PAUSE_SECONDS);
        continue;
      }
      if (batch.length === 0) {
        await this.pause(IDLE_PAUSE_SECONDS);
        continue;
      }
      await this.process(mapping, batch);
    }
  }

  private async collect(mapping: EventSourceMappingConfiguration): Promise<ReceivedMessage[]> {
    const batch = await this.receive(mapping, Math.min(MAX_RECEIVE, mapping.BatchSize), LONG_POLL_SECONDS);
    if (batch.length === 0) return batch;
    const windowEnd = this.deps.clock.now().getTime() + mapping.MaximumBatchingWindowInSeconds * 1000;
    let bytes = payloadBytes(batch);
    // Each round adds messages or spends window time; the bound only guards against a clock that stands still.
    for (let round = 0; round < mapping.BatchSize + 1000; round++) {
      const room = mapping.BatchSize - batch.length;
      const remainingMs = windowEnd - this.deps.clock.now().getTime();
      if (room <= 0 || remainingMs <= 0 || bytes >= MAX_BATCH_PAYLOAD_BYTES || this.stopped) break;
      // A long poll waits at most 20 s (ReceiveMessage WaitTimeSeconds): a longer window takes several.
      const waitSeconds = Math.min(LONG_POLL_SECONDS, Math.floor(remainingMs / 1000));
      if (waitSeconds === 0) await this.sleepUntil(windowEnd);
      const more = await this.receive(mapping, Math.min(MAX_RECEIVE, room), waitSeconds);
      // A window longer than the queue's visibility timeout sees a message again: keep one copy, with the
      // newest receipt handle (the only one that can still delete it).
      for (const message of more) {
        const seen = batch.findIndex((held) => held.MessageId === message.MessageId);
        if (seen >= 0) batch[seen] = message;
        else batch.push(message);
      }
      bytes += payloadBytes(more);
      if (waitSeconds === 0) break;
    }
    return batch;
  }

  private async receive(
    mapping: EventSourceMappingConfiguration,
    max: number,
    waitSeconds: number,
  ): Promise<ReceivedMessage[]> {
    const { Messages } = await this.deps.queues.receiveMessage({
      QueueUrl: mapping.EventSourceArn,
      MaxNumberOfMessages: max,
      WaitTimeSeconds: waitSeconds,
      MessageSystemAttributeNames: ['All'],
      MessageAttributeNames: ['All'],
    });
    return Messages ?? [];
  }

  private async process(mapping: EventSourceMappingConfiguration, batch: ReceivedMessage[]): Promise<void> {
    const ids = batch.map((message) => message.MessageId);
    const record = (ok: boolean, retried: string[], error?: unknown) =>
      this.records.push({
        uuid: mapping.UUID,
        functionArn: mapping.FunctionArn,
        messageIds: ids,
        ok,
        retriedMessageIds: retried,
        ...(error === undefined
          ? {}
          : {
              error: {
                name: error instanceof Error ? error.name : 'Error',
                message: error instanceof Error ? error.message : String(error),
              },
            }),
        at: this.deps.clock.now().toISOString(),
      });
    let result: unknown;
    try {
      result = await this.deps.invoker.invoke(mapping.FunctionArn, {
        Records: batch.map((message) => toSqsEventRecord(message, mapping.EventSourceArn, this.deps.region)),
      });
    } catch (error) {
      record(false, ids, error);
      return;
    }
    const failed = mapping.FunctionResponseTypes.includes('ReportBatchItemFailures')
      ? failedItems(result, new Set(ids))
      : new Set<string>();
    if (failed === 'all') {
      record(true, ids);
      return;
    }
    for (const message of batch) {
      if (failed.has(message.MessageId)) continue;
      try {
        this.deps.queues.deleteMessage({
          QueueUrl: mapping.EventSourceArn,
          ReceiptHandle: message.ReceiptHandle,
        });
      } catch {
        // The queue went away meanwhile: nothing left to delete.
      }
    }
    record(true, [...failed]);
  }

  private pause(emulatedSeconds: number): Promise<void> {
    return this.sleepUntil(this.deps.clock.now().getTime() + emulatedSeconds * 1000);
  }

  private sleepUntil(atMs: number): Promise<void> {
    if (this.stopped) return Promise.resolve();
    return new Promise((resolve) => {
      const wake = () => {
        this.sleepers.delete(wake);
        timer.cancel();
        resolve();
      };
      this.sleepers.add(wake);
      const timer = timerAt(this.deps.clock, new Date(atMs), wake);
    });
  }
}

function payloadBytes(messages: ReceivedMessage[]): number {
  return messages.reduce(
    (sum, message) => sum + Buffer.byteLength(message.Body, 'utf8') + RECORD_OVERHEAD_BYTES,
    0,
  );
}
