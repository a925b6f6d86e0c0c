/**
 * Messages: SendMessage(Batch), ReceiveMessage with long polling, DeleteMessage(Batch),
 * ChangeMessageVisibility(Batch), in emulated time. A message received more than the RedrivePolicy's
 * maxReceiveCount times moves to the dead-letter queue on the receive that would exceed it.
 */
import { randomUUID } from 'node:crypto';
import { checkBatchEntries, eachEntry } from './batch.js';
import type { SqsContext } from './context.js';
import { invalidParameter, missingParameter, SqsServiceError } from './errors.js';
import { md5Hex, md5OfMessageAttributes, validateMessageAttributes } from './message-attributes.js';
import { intAttribute, type MessageRecord, type QueueRecord, redrivePolicyOf } from './model.js';
import { decodeReceipt, encodeReceipt } from './receipt-handles.js';

/** ReceiveMessage: at most 10 messages per call; waits of at most 20 seconds ("ReceiveMessage"). */
const MAX_RECEIVE = 10;
const MAX_WAIT_SECONDS = 20;
const MAX_VISIBILITY_SECONDS = 43_200;
/** A batch's total payload limit ("SendMessageBatch"): the 256 KiB message size quota. */
const MAX_BATCH_BYTES = 262_144;
/** Long-poll wake-ups per receive: each either finds messages, reaches the deadline or re-checks. */
const MAX_POLL_ROUNDS = 10_000;
/** Allowed message characters ("SendMessage"): #x9 #xA #xD #x20-#xD7FF #xE000-#xFFFD #x10000-#x10FFFF. */
const INVALID_CHARACTER = /[^\t\n\r\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/u;

export interface SendMessageInput {
  QueueUrl: string;
  MessageBody: string;
  DelaySeconds?: number;
  MessageAttributes?: Record<string, { DataType: string; StringValue?: string; BinaryValue?: string }>;
}

export interface SendMessageOutput {
  MessageId: string;
  MD5OfMessageBody: string;
  MD5OfMessageAttributes?: string;
}

export interface ReceiveMessageInput {
  QueueUrl: string;
  MaxNumberOfMessages?: number;
  VisibilityTimeout?: number;
  WaitTimeSeconds?: number;
  /** Legacy name of MessageSystemAttributeNames; both are honoured. */
  AttributeNames?: string[];
  MessageSystemAttributeNames?: string[];
  MessageAttributeNames?: string[];
  ReceiveRequestAttemptId?: string;
}

export interface ReceivedMessage {
  MessageId: string;
  ReceiptHandle: string;
  MD5OfBody: string;
  Body: string;
  Attributes?: Record<string, string>;
  MessageAttributes?: Record<string, { DataType: string; StringValue?: string; BinaryValue?: string }>;
  MD5OfMessageAttributes?: string;
}

export class Messaging {
  private sequence = 0;

  constructor(private readonly context: SqsContext) {}

  sendMessage(input: SendMessageInput): SendMessageOutput {
    const queue = this.queueOf(input.QueueUrl);
    const result = this.enqueue(queue, input);
    this.context.notify(queue.name);
    return result;
  }

  sendMessageBatch(input: { QueueUrl: string; Entries: Array<Record<string, unknown>> }) {
    const queue = this.queueOf(input.QueueUrl);
    const entries = checkBatchEntries(input.Entries);
    const total = entries.reduce(
      (sum, entry) => sum + Buffer.byteLength(String(entry.MessageBody ?? ''), 'utf8'),
      0,
    );
    if (total > MAX_BATCH_BYTES)
      throw new SqsServiceError(
        'BatchRequestTooLong',
        `Batch requests cannot be longer than ${MAX_BATCH_BYTES} bytes. You have sent ${total} bytes.`,
        400,
        'AWS.SimpleQueueService.BatchRequestTooLong',
      );
    const result = eachEntry(entries, (entry) => ({
      Id: entry.Id,
      ...this.enqueue(queue, entry as unknown as SendMessageInput),
    }));
    this.context.notify(queue.name);
    return result;
  }

  async receiveMessage(input: ReceiveMessageInput): Promise<{ Messages?: ReceivedMessage[] }> {
    const queue = this.queueOf(input.QueueUrl);
    const max = integerIn(input.MaxNumberOfMessages, 'MaxNumberOfMessages', 1, MAX_RECEIVE) ?? 1;
    const visibility = integerIn(input.VisibilityTimeout, 'VisibilityTimeout', 0, MAX_VISIBILITY_SECONDS);
    const wait =
      integerIn(input.WaitTimeSeconds, 'WaitTimeSeconds', 0, MAX_WAIT_SECONDS) ??
      intAttribute(queue, 'ReceiveMessageWaitTimeSeconds');
    const deadline = this.context.nowMs() + wait * 1000;
    const systemNames = [...(input.AttributeNames ?? []), ...(input.MessageSystemAttributeNames ?? [])];
    const attributeNames = input.MessageAttributeNames ?? [];
    for (let round = 0; round < MAX_POLL_ROUNDS; round++) {
      const messages = this.receiveNow(queue.name, max, visibility);
      if (messages.length > 0 || this.context.closed || this.context.nowMs() >= deadline) {
        return messages.length === 0
          ? {}
          : { Messages: messages.map((message) => render(queue.name, message, systemNames, attributeNames)) };
      }
      await this.context.waitForChange(queue.name, Math.min(deadline, this.nextVisibleAt(queue.name)));
    }
    return {};
  }

  deleteMessage(input: { QueueUrl: string; ReceiptHandle: string }): Record<string, never> {
    const queue = this.queueOf(input.QueueUrl);
    if (input.ReceiptHandle === undefined) throw missingParameter('ReceiptHandle');
    const receipt = decodeReceipt(input.ReceiptHandle, queue.name);
    const message = this.context.store.getMessage(queue.name, receipt.messageId);
    // A stale handle (the message was received again since) succeeds without deleting, as documented.
    if (message && message.receipt === receipt.nonce)
      this.context.store.deleteMessage(queue.name, message.messageId);
    return {};
  }

  deleteMessageBatch(input: { QueueUrl: string; Entries: Array<Record<string, unknown>> }) {
    const queue = this.queueOf(input.QueueUrl);
    return eachEntry(checkBatchEntries(input.Entries), (entry) => {
      this.deleteMessage({ QueueUrl: queue.name, ReceiptHandle: entry.ReceiptHandle as string });
      return { Id: entry.Id };
    });
  }

  changeMessageVisibility(input: {
    QueueUrl: string;
    ReceiptHandle: string;
    VisibilityTimeout: number;
  }): Record<string, never> {
    const queue = this.queueOf(input.QueueUrl);
    if (input.ReceiptHandle === undefined) throw missingParameter('ReceiptHandle');
    if (input.VisibilityTimeout === undefined) throw missingParameter('VisibilityTimeout');
    const seconds = integerIn(input.VisibilityTimeout, 'VisibilityTimeout', 0, MAX_VISIBILITY_SECONDS)!;
    const receipt = decodeReceipt(input.ReceiptHandle, queue.name);
    const message = this.context.store.getMessage(queue.name, receipt.messageId);
    if (!message || message.receipt !== receipt.nonce)
      throw invalidParameter(
        `Value ${input.ReceiptHandle} for parameter ReceiptHandle is invalid. Reason: Message does not exist or is not available for visibility timeout change.`,
      );
    const now = this.context.nowMs();
    if (message.visibleAt <= now)
      throw new SqsServiceError(
        'MessageNotInflight',
        'The message referred to is not in flight.',
        400,
        'AWS.SimpleQueueService.MessageNotInflight',
      );
    message.visibleAt = now + seconds * 1000;
    this.context.store.putMessage(queue.name, message);
    if (seconds === 0) this.context.notify(queue.name);
    return {};
  }

  changeMessageVisibilityBatch(input: { QueueUrl: string; Entries: Array<Record<string, unknown>> }) {
    const queue = this.queueOf(input.QueueUrl);
    return eachEntry(checkBatchEntries(input.Entries), (entry) => {
      this.changeMessageVisibility({
        QueueUrl: queue.name,
        ReceiptHandle: entry.ReceiptHandle as string,
        VisibilityTimeout: entry.VisibilityTimeout as number,
      });
      return { Id: entry.Id };
    });
  }

  private queueOf(url: unknown): QueueRecord {
    if (url === undefined) throw missingParameter('QueueUrl');
    return this.context.queue(url);
  }

  private enqueue(queue: QueueRecord, input: SendMessageInput): SendMessageOutput {
    const body = input.MessageBody;
    if (body === undefined) throw missingParameter('MessageBody');
    if (typeof body !== 'string' || body.length === 0)
      throw invalidParameter('The request must contain a non-empty MessageBody.');
    if (INVALID_CHARACTER.test(body))
      throw new SqsServiceError(
        'InvalidMessageContents',
        'Invalid characters found. Valid unicode characters are #x9 | #xA | #xD | #x20 to #xD7FF | #xE000 to #xFFFD | #x10000 to #x10FFFF',
      );
    const delay =
      integerIn(input.DelaySeconds, 'DelaySeconds', 0, 900) ?? intAttribute(queue, 'DelaySeconds');
    const attributes = validateMessageAttributes(input.MessageAttributes);
    const size =
      Buffer.byteLength(body, 'utf8') +
      Object.entries(attributes ?? {}).reduce(
        (sum, [name, value]) =>
          sum + name.length + value.DataType.length + (value.StringValue ?? value.BinaryValue ?? '').length,
        0,
      );
    const limit = intAttribute(queue, 'MaximumMessageSize');
    if (size > limit)
      throw invalidParameter(
        `One or more parameters are invalid. Reason: Message must be shorter than ${limit} bytes.`,
      );
    const now = this.context.nowMs();
    const message: MessageRecord = {
      messageId: randomUUID(),
      body,
      md5OfBody: md5Hex(body),
      ...(attributes
        ? { messageAttributes: attributes, md5OfMessageAttributes: md5OfMessageAttributes(attributes) }
        : {}),
      sentTimestamp: now,
      visibleAt: now + delay * 1000,
      receiveCount: 0,
      sequence: this.nextSequence(),
    };
    this.context.store.putMessage(queue.name, message);
    return {
      MessageId: message.messageId,
      MD5OfMessageBody: message.md5OfBody,
      ...(message.md5OfMessageAttributes ? { MD5OfMessageAttributes: message.md5OfMessageAttributes } : {}),
    };
  }

  /** Hands out up to `max` visible messages, oldest first, making them invisible for the timeout. */
  private receiveNow(queueName: string, max: number, visibility: number | undefined): MessageRecord[] {
    const queue = this.context.queue(queueName);
    const now = this.context.nowMs();
    const retentionMs = intAttribute(queue, 'MessageRetentionPeriod') * 1000;
    const timeoutMs = (visibility ?? intAttribute(queue, 'VisibilityTimeout')) * 1000;
    const redrive = redrivePolicyOf(queue);
    const received: MessageRecord[] = [];
    for (const message of this.context.store.messages(queue.name)) {
      if (received.length >= max) break;
      if (now - message.sentTimestamp >= retentionMs) {
        this.context.store.deleteMessage(queue.name, message.messageId);
        continue;
      }
      if (message.visibleAt > now) continue;
      if (redrive && message.receiveCount >= redrive.maxReceiveCount) {
        if (this.moveToDeadLetterQueue(queue, message, redrive.deadLetterTargetArn)) continue;
      }
      message.receiveCount++;
      message.firstReceiveTimestamp ??= now;
      message.receipt = randomUUID();
      message.visibleAt = now + timeoutMs;
      this.context.store.putMessage(queue.name, message);
      received.push(message);
    }
    return received;
  }

  /**
   * Moves the message, keeping its id, body, attributes and SentTimestamp (standard queues keep the original
   * enqueue time). Returns false, leaving it in place, when the dead-letter queue does not exist.
   */
  private moveToDeadLetterQueue(source: QueueRecord, message: MessageRecord, targetArn: string): boolean {
    const name = this.context.nameOf(targetArn);
    const target = name === undefined ? undefined : this.context.store.getQueue(name);
    if (!target) return false;
    const moved: MessageRecord = {
      messageId: message.messageId,
      body: message.body,
      md5OfBody: message.md5OfBody,
      ...(message.messageAttributes
        ? {
            messageAttributes: message.messageAttributes,
            md5OfMessageAttributes: message.md5OfMessageAttributes,
          }
        : {}),
      sentTimestamp: message.sentTimestamp,
      visibleAt: this.context.nowMs(),
      receiveCount: 0,
      sequence: this.nextSequence(),
      deadLetterSourceArn: source.arn,
    };
    this.context.store.putMessage(target.name, moved);
    this.context.store.deleteMessage(source.name, message.messageId);
    this.context.notify(target.name);
    return true;
  }

  private nextVisibleAt(queueName: string): number {
    let next = Number.POSITIVE_INFINITY;
    for (const message of this.context.store.messages(queueName)) next = Math.min(next, message.visibleAt);
    return next;
  }

  /** Arrival order that survives a restart: emulated milliseconds, then a counter within the millisecond. */
  private nextSequence(): number {
    this.sequence = Math.max(this.sequence + 1, this.context.nowMs() * 1000);
    return this.sequence;
  }
}

function integerIn(value: unknown, field: string, min: number, max: number): number | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max)
    throw invalidParameter(
      `Value ${String(value)} for parameter ${field} is invalid. Reason: Must be between ${min} and ${max}.`,
    );
  return value;
}

function render(
  queue: string,
  message: MessageRecord,
  systemNames: string[],
  attributeNames: string[],
): ReceivedMessage {
  const system: Record<string, string> = {
    ApproximateReceiveCount: String(message.receiveCount),
    ApproximateFirstReceiveTimestamp: String(message.firstReceiveTimestamp ?? message.sentTimestamp),
    SenderId: 'AIDAEMULATOR',
    SentTimestamp: String(message.sentTimestamp),
    ...(message.deadLetterSourceArn ? { DeadLetterQueueSourceArn: message.deadLetterSourceArn } : {}),
  };
  const all = systemNames.includes('All');
  const attributes = Object.fromEntries(
    Object.entries(system).filter(([name]) => all || systemNames.includes(name)),
  );
  const wantedAttributes = Object.fromEntries(
    Object.entries(message.messageAttributes ?? {}).filter(([name]) =>
      attributeNames.some(
        (wanted) =>
          wanted === 'All' ||
          wanted === '.*' ||
          wanted === name ||
          (wanted.endsWith('.*') && name.startsWith(wanted.slice(0, -1))),
      ),
    ),
  );
  const hasAttributes = Object.keys(wantedAttributes).length > 0;
  return {
    MessageId: message.messageId,
    ReceiptHandle: encodeReceipt({ queue, messageId: message.messageId, nonce: message.receipt! }),
    MD5OfBody: message.md5OfBody,
    Body: message.body,
    ...(Object.keys(attributes).length > 0 ? { Attributes: attributes } : {}),
    ...(hasAttributes
      ? {
          MessageAttributes: wantedAttributes,
          MD5OfMessageAttributes: md5OfMessageAttributes(wantedAttributes),
        }
      : {}),
  };
}
