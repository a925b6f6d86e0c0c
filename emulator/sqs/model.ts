/**
 * SQS queues and messages as stored, and the queue attributes CreateQueue / SetQueueAttributes accept, with
 * the ranges the "CreateQueue" API reference gives. FIFO queues are not emulated (PARITY.md).
 */
import { invalidAttributeValue, SqsServiceError } from './errors.js';

export interface QueueRecord {
  name: string;
  arn: string;
  /** Settable attributes only, as strings (the wire form); defaults filled in at creation. */
  attributes: Record<string, string>;
  tags: Record<string, string>;
  /** Epoch seconds, emulated time. */
  createdTimestamp: number;
  lastModifiedTimestamp: number;
}

export interface MessageAttributeValue {
  DataType: string;
  StringValue?: string;
  /** Base64 on the wire and in storage. */
  BinaryValue?: string;
}

export interface MessageRecord {
  messageId: string;
  body: string;
  md5OfBody: string;
  messageAttributes?: Record<string, MessageAttributeValue>;
  md5OfMessageAttributes?: string;
  /** Epoch milliseconds, emulated time. */
  sentTimestamp: number;
  /** When the message may next be received (delay, then visibility timeout), epoch ms emulated. */
  visibleAt: number;
  receiveCount: number;
  firstReceiveTimestamp?: number;
  /** The nonce of the latest receipt handle; only that handle deletes the message. */
  receipt?: string;
  /** Arrival order within the queue: receives hand out the oldest visible messages first. */
  sequence: number;
  /** The ARN of the queue it was moved from, for a message in a dead-letter queue. */
  deadLetterSourceArn?: string;
}

export interface RedrivePolicy {
  deadLetterTargetArn: string;
  maxReceiveCount: number;
}

const DEFAULTS: Record<string, string> = {
  DelaySeconds: '0',
  MaximumMessageSize: '262144',
  MessageRetentionPeriod: '345600',
  ReceiveMessageWaitTimeSeconds: '0',
  VisibilityTimeout: '30',
  SqsManagedSseEnabled: 'true',
};

const INTEGER_RANGES: Record<string, [number, number]> = {
  DelaySeconds: [0, 900],
  MaximumMessageSize: [1024, 1048576],
  MessageRetentionPeriod: [60, 1209600],
  ReceiveMessageWaitTimeSeconds: [0, 20],
  VisibilityTimeout: [0, 43200],
  KmsDataKeyReusePeriodSeconds: [60, 86400],
};

const FREE_TEXT = new Set(['Policy', 'KmsMasterKeyId', 'RedriveAllowPolicy']);

export const READ_ONLY_ATTRIBUTES = [
  'QueueArn',
  'ApproximateNumberOfMessages',
  'ApproximateNumberOfMessagesNotVisible',
  'ApproximateNumberOfMessagesDelayed',
  'CreatedTimestamp',
  'LastModifiedTimestamp',
];

export const QUEUE_NAME = /^[A-Za-z0-9_-]{1,80}$/;

export function defaultAttributes(): Record<string, string> {
  return { ...DEFAULTS };
}

/** Validates settable attributes; returns them normalised (RedrivePolicy re-serialised). */
export function validateAttributes(raw: unknown): Record<string, string> {
  if (raw === undefined) return {};
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw))
    throw invalidAttributeValue('Attributes must be a map of attribute name to string value.');
  const result: Record<string, string> = {};
  for (const [name, value] of Object.entries(raw as Record<string, unknown>)) {
    if (typeof value !== 'string')
      throw invalidAttributeValue(`Invalid value for the parameter ${name}: it must be a string.`);
    if (name === 'FifoQueue' || name === 'ContentBasedDeduplication' || name === 'DeduplicationScope')
      throw new SqsServiceError(
        'InvalidAttributeName',
        `Unknown Attribute ${name}: FIFO queues are not emulated.`,
      );
    const range = INTEGER_RANGES[name];
    if (range) {
      const number = Number(value);
      if (!/^\d+$/.test(value) || number < range[0] || number > range[1])
        throw invalidAttributeValue(
          `Invalid value for the parameter ${name}: must be an integer from ${range[0]} to ${range[1]}.`,
        );
      result[name] = String(number);
    } else if (name === 'SqsManagedSseEnabled') {
      if (value !== 'true' && value !== 'false')
        throw invalidAttributeValue('Invalid value for the parameter SqsManagedSseEnabled: true or false.');
      result[name] = value;
    } else if (name === 'RedrivePolicy') {
      result[name] = value === '' ? '' : JSON.stringify(parseRedrivePolicy(value));
    } else if (FREE_TEXT.has(name)) {
      result[name] = value;
    } else {
      throw new SqsServiceError('InvalidAttributeName', `Unknown Attribute ${name}.`);
    }
  }
  return result;
}

export function parseRedrivePolicy(text: string): RedrivePolicy {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw invalidAttributeValue('Invalid value for the parameter RedrivePolicy: not valid JSON.');
  }
  const policy = parsed as Record<string, unknown>;
  const arn = policy?.deadLetterTargetArn;
  if (typeof arn !== 'string' || !/^arn:aws[\w-]*:sqs:[^:]+:\d{12}:[A-Za-z0-9_-]{1,80}$/.test(arn))
    throw invalidAttributeValue(
      'Value for parameter RedrivePolicy is invalid. Reason: deadLetterTargetArn must be an SQS queue ARN.',
    );
  const count = Number(policy.maxReceiveCount);
  if (!Number.isInteger(count) || count < 1 || count > 1000)
    throw invalidAttributeValue(
      'Value for parameter RedrivePolicy is invalid. Reason: maxReceiveCount must be an integer from 1 to 1000.',
    );
  return { deadLetterTargetArn: arn, maxReceiveCount: count };
}

export function redrivePolicyOf(queue: QueueRecord): RedrivePolicy | undefined {
  const text = queue.attributes.RedrivePolicy;
  return text ? (JSON.parse(text) as RedrivePolicy) : undefined;
}

export const intAttribute = (queue: QueueRecord, name: string): number =>
  Number(queue.attributes[name] ?? DEFAULTS[name] ?? 0);
