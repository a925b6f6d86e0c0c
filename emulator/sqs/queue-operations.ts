/**
 * Queue management: CreateQueue, GetQueueUrl, GetQueueAttributes, SetQueueAttributes, ListQueues,
 * DeleteQueue, PurgeQueue. Inputs and outputs are the API's JSON shapes, so the HTTP layer and in-process
 * callers share one validation.
 */
import type { SqsContext } from './context.js';
import {
  invalidAttributeValue,
  invalidParameter,
  missingParameter,
  queueDoesNotExist,
  SqsServiceError,
} from './errors.js';
import {
  defaultAttributes,
  intAttribute,
  QUEUE_NAME,
  type QueueRecord,
  READ_ONLY_ATTRIBUTES,
  validateAttributes,
} from './model.js';

/** "PurgeQueue": one purge per queue per 60 seconds. */
const PURGE_INTERVAL_MS = 60_000;
const MAX_LIST_RESULTS = 1000;

export interface CreateQueueInput {
  QueueName: string;
  Attributes?: Record<string, string>;
  tags?: Record<string, string>;
}

export class QueueOperations {
  private readonly lastPurge = new Map<string, number>();

  constructor(private readonly context: SqsContext) {}

  createQueue(input: CreateQueueInput, endpoint?: string): { QueueUrl: string } {
    const name = input.QueueName;
    if (name === undefined) throw missingParameter('QueueName');
    if (typeof name !== 'string' || !QUEUE_NAME.test(name))
      throw invalidParameter(
        'Can only include alphanumeric characters, hyphens, or underscores. 1 to 80 in length',
      );
    if (name.endsWith('.fifo')) throw invalidParameter('FIFO queues are not emulated.');
    const attributes = { ...defaultAttributes(), ...validateAttributes(input.Attributes) };
    const existing = this.context.store.getQueue(name);
    if (existing) {
      // "CreateQueue": the same name with different attribute values is an error; the same ones return the URL.
      const requested = validateAttributes(input.Attributes);
      for (const [key, value] of Object.entries(requested)) {
        if (existing.attributes[key] !== value)
          throw new SqsServiceError(
            'QueueNameExists',
            `A queue already exists with the same name and a different value for attribute ${key}`,
            400,
            'QueueAlreadyExists',
          );
      }
      return { QueueUrl: this.context.urlOf(name, endpoint) };
    }
    const now = Math.floor(this.context.nowMs() / 1000);
    const queue: QueueRecord = {
      name,
      arn: this.context.arnOf(name),
      attributes: withoutEmpty(attributes),
      tags: validateTags(input.tags),
      createdTimestamp: now,
      lastModifiedTimestamp: now,
    };
    this.context.store.putQueue(queue);
    return { QueueUrl: this.context.urlOf(name, endpoint) };
  }

  getQueueUrl(input: { QueueName: string; QueueOwnerAWSAccountId?: string }, endpoint?: string) {
    if (input.QueueName === undefined) throw missingParameter('QueueName');
    if (input.QueueOwnerAWSAccountId !== undefined && input.QueueOwnerAWSAccountId !== this.context.accountId)
      throw queueDoesNotExist();
    const queue = this.context.queue(input.QueueName);
    return { QueueUrl: this.context.urlOf(queue.name, endpoint) };
  }

  getQueueAttributes(input: { QueueUrl: string; AttributeNames?: string[] }): {
    Attributes?: Record<string, string>;
  } {
    const queue = this.queueOf(input.QueueUrl);
    const all = this.attributesOf(queue);
    const names = input.AttributeNames ?? [];
    if (!Array.isArray(names)) throw invalidParameter('AttributeNames must be a list of attribute names.');
    const wanted = names.includes('All') ? Object.keys(all) : names;
    const result: Record<string, string> = {};
    for (const name of wanted) {
      if (!(name in all) && !KNOWN_ATTRIBUTES.has(name))
        throw new SqsServiceError('InvalidAttributeName', `Unknown Attribute ${name}.`);
      if (all[name] !== undefined) result[name] = all[name];
    }
    return Object.keys(result).length > 0 ? { Attributes: result } : {};
  }

  setQueueAttributes(input: { QueueUrl: string; Attributes: Record<string, string> }): Record<string, never> {
    const queue = this.queueOf(input.QueueUrl);
    if (input.Attributes === undefined) throw missingParameter('Attributes');
    const changes = validateAttributes(input.Attributes);
    queue.attributes = withoutEmpty({ ...queue.attributes, ...changes });
    queue.lastModifiedTimestamp = Math.floor(this.context.nowMs() / 1000);
    this.context.store.putQueue(queue);
    this.context.notify(queue.name);
    return {};
  }

  listQueues(
    input: { QueueNamePrefix?: string; MaxResults?: number; NextToken?: string },
    endpoint?: string,
  ): { QueueUrls?: string[]; NextToken?: string } {
    const prefix = input.QueueNamePrefix ?? '';
    if (typeof prefix !== 'string') throw invalidParameter('QueueNamePrefix must be a string.');
    const max = input.MaxResults;
    if (max !== undefined && (!Number.isInteger(max) || max < 1 || max > MAX_LIST_RESULTS))
      throw invalidParameter(
        'Value for parameter MaxResults is invalid. Reason: must be between 1 and 1000.',
      );
    if (input.NextToken !== undefined && max === undefined)
      throw invalidParameter('MaxResults is required when NextToken is given.');
    const names = this.context.store
      .listQueues()
      .map((queue) => queue.name)
      .filter((name) => name.startsWith(prefix));
    const start = input.NextToken === undefined ? 0 : decodeToken(input.NextToken);
    const page = names.slice(start, start + (max ?? MAX_LIST_RESULTS));
    const next = start + page.length;
    return {
      ...(page.length > 0 ? { QueueUrls: page.map((name) => this.context.urlOf(name, endpoint)) } : {}),
      ...(max !== undefined && next < names.length ? { NextToken: encodeToken(next) } : {}),
    };
  }

  deleteQueue(input: { QueueUrl: string }): Record<string, never> {
    const queue = this.queueOf(input.QueueUrl);
    this.context.store.deleteQueue(queue.name);
    this.context.notify(queue.name);
    return {};
  }

  purgeQueue(input: { QueueUrl: string }): Record<string, never> {
    const queue = this.queueOf(input.QueueUrl);
    const now = this.context.nowMs();
    const last = this.lastPurge.get(queue.name);
    if (last !== undefined && now - last < PURGE_INTERVAL_MS)
      throw new SqsServiceError(
        'PurgeQueueInProgress',
        `Only one PurgeQueue operation on ${queue.name} is allowed every 60 seconds.`,
        400,
        'AWS.SimpleQueueService.PurgeQueueInProgress',
      );
    this.lastPurge.set(queue.name, now);
    this.context.store.purge(queue.name);
    return {};
  }

  private queueOf(url: unknown): QueueRecord {
    if (url === undefined) throw missingParameter('QueueUrl');
    return this.context.queue(url);
  }

  private attributesOf(queue: QueueRecord): Record<string, string> {
    const now = this.context.nowMs();
    let visible = 0;
    let inFlight = 0;
    let delayed = 0;
    for (const message of this.context.store.messages(queue.name)) {
      if (message.visibleAt <= now) visible++;
      else if (message.receiveCount > 0) inFlight++;
      else delayed++;
    }
    return {
      ...queue.attributes,
      QueueArn: queue.arn,
      ApproximateNumberOfMessages: String(visible),
      ApproximateNumberOfMessagesNotVisible: String(inFlight),
      ApproximateNumberOfMessagesDelayed: String(delayed),
      CreatedTimestamp: String(queue.createdTimestamp),
      LastModifiedTimestamp: String(queue.lastModifiedTimestamp),
      // Keeps intAttribute's defaults visible even for queues stored before a default existed.
      VisibilityTimeout: String(intAttribute(queue, 'VisibilityTimeout')),
    };
  }
}

const KNOWN_ATTRIBUTES = new Set([
  ...READ_ONLY_ATTRIBUTES,
  ...Object.keys(defaultAttributes()),
  'Policy',
  'RedrivePolicy',
  'RedriveAllowPolicy',
  'KmsMasterKeyId',
  'KmsDataKeyReusePeriodSeconds',
]);

/** An empty string clears an optional attribute (e.g. `RedrivePolicy: ""` removes the redrive). */
function withoutEmpty(attributes: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(attributes).filter(([, value]) => value !== ''));
}

function validateTags(raw: unknown): Record<string, string> {
  if (raw === undefined) return {};
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw))
    throw invalidParameter('tags must be a map of tag key to value.');
  const entries = Object.entries(raw as Record<string, unknown>);
  if (entries.length > 50) throw invalidParameter('A queue can have at most 50 tags.');
  for (const [key, value] of entries) {
    if (typeof value !== 'string' || key.length < 1 || key.length > 128 || value.length > 256)
      throw invalidAttributeValue(`Tag ${key}: keys are 1-128 characters, values strings of at most 256.`);
  }
  return raw as Record<string, string>;
}

const encodeToken = (index: number) => Buffer.from(JSON.stringify({ index })).toString('base64');

function decodeToken(token: string): number {
  try {
    const index = (JSON.parse(Buffer.from(token, 'base64').toString('utf8')) as { index: unknown }).index;
    if (typeof index === 'number' && Number.isInteger(index) && index >= 0) return index;
  } catch {
    // Falls through to the error below.
  }
  throw invalidParameter('Invalid NextToken value.');
}
