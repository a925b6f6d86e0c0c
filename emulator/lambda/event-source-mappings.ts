/**
 * Lambda event source mappings for SQS queues: CreateEventSourceMapping, Get, List, Update, Delete, with the
 * rules the API reference gives for SQS (BatchSize 1-10,000, default 10; MaximumBatchingWindowInSeconds 0-300,
 * default 0, and at least 1 when BatchSize exceeds 10; FunctionResponseTypes only ReportBatchItemFailures; one
 * mapping per queue and function; the queue's visibility timeout at least the function's timeout). Mappings
 * are stored in `lambda/event-source-mappings`; sqs-poller.ts runs the enabled ones.
 */
import { randomUUID } from 'node:crypto';
import type { EmulatorClock, Storage } from '../contracts.js';
import type { SqsService } from '../sqs/index.js';
import { LambdaServiceError } from './errors.js';

const NAMESPACE = 'lambda/event-source-mappings';
const MAX_BATCH_SIZE = 10_000;
const MAX_WINDOW_SECONDS = 300;
const DEFAULT_BATCH_SIZE = 10;
const MAX_LIST_ITEMS = 10_000;

/** The Lambda API's EventSourceMappingConfiguration, as far as SQS sources use it. */
export interface EventSourceMappingConfiguration {
  UUID: string;
  EventSourceMappingArn: string;
  EventSourceArn: string;
  FunctionArn: string;
  BatchSize: number;
  MaximumBatchingWindowInSeconds: number;
  FunctionResponseTypes: string[];
  State: 'Enabled' | 'Disabled' | 'Deleting';
  StateTransitionReason: 'USER_INITIATED';
  /** Epoch seconds (REST-JSON timestamps). */
  LastModified: number;
}

export interface CreateEventSourceMappingInput {
  FunctionName: string;
  EventSourceArn: string;
  Enabled?: boolean;
  BatchSize?: number;
  MaximumBatchingWindowInSeconds?: number;
  FunctionResponseTypes?: string[];
}

export interface UpdateEventSourceMappingInput {
  UUID: string;
  FunctionName?: string;
  Enabled?: boolean;
  BatchSize?: number;
  MaximumBatchingWindowInSeconds?: number;
  FunctionResponseTypes?: string[];
}

/** SQS as the mappings need it. */
export type MappingQueues = Pick<
  SqsService,
  'queueArn' | 'getQueueAttributes' | 'receiveMessage' | 'deleteMessage'
>;

export interface MappingDependencies {
  storage: Storage;
  clock: EmulatorClock;
  region: string;
  accountId: string;
  queues: MappingQueues;
  /** The configuration of a registered function (throws ResourceNotFoundException when there is none). */
  functionConfiguration(nameOrArn: string): { FunctionArn: string; Timeout: number };
}

const invalid = (message: string) => new LambdaServiceError('InvalidParameterValueException', 400, message);
const notFound = (uuid: string) =>
  new LambdaServiceError(
    'ResourceNotFoundException',
    404,
    `The resource you requested does not exist. (Service: Lambda, Status Code: 404, UUID: ${uuid})`,
  );

export class EventSourceMappings {
  constructor(private readonly deps: MappingDependencies) {}

  create(input: CreateEventSourceMappingInput): EventSourceMappingConfiguration {
    if (typeof input?.FunctionName !== 'string' || input.FunctionName === '')
      throw invalid('FunctionName is required: the function the mapping invokes.');
    if (typeof input.EventSourceArn !== 'string' || !/^arn:aws[\w-]*:sqs:/.test(input.EventSourceArn))
      throw invalid('EventSourceArn must be an SQS queue ARN (only SQS event sources are emulated).');
    const fn = this.deps.functionConfiguration(input.FunctionName);
    const queueArn = this.queueArn(input.EventSourceArn);
    const clash = this.list({}).find(
      (mapping) => mapping.EventSourceArn === queueArn && mapping.FunctionArn === fn.FunctionArn,
    );
    if (clash)
      throw new LambdaServiceError(
        'ResourceConflictException',
        409,
        `An event source mapping with SQS arn (" ${queueArn} ") and function (" ${fn.FunctionArn} ") already exists. Please update or delete the existing mapping with UUID ${clash.UUID}`,
      );
    const settings = this.settings(input, {
      BatchSize: DEFAULT_BATCH_SIZE,
      MaximumBatchingWindowInSeconds: 0,
    });
    this.checkVisibility(queueArn, fn.Timeout);
    const uuid = randomUUID();
    const mapping: EventSourceMappingConfiguration = {
      UUID: uuid,
      EventSourceMappingArn: `arn:aws:lambda:${this.deps.region}:${this.deps.accountId}:event-source-mapping:${uuid}`,
      EventSourceArn: queueArn,
      FunctionArn: fn.FunctionArn,
      ...settings,
      State: input.Enabled === false ? 'Disabled' : 'Enabled',
      StateTransitionReason: 'USER_INITIATED',
      LastModified: this.nowSeconds(),
    };
    this.deps.storage.putDoc(NAMESPACE, uuid, mapping);
    return mapping;
  }

  get(uuid: unknown): EventSourceMappingConfiguration {
    if (typeof uuid !== 'string' || uuid === '') throw invalid('UUID is required.');
    const mapping = this.deps.storage.getDoc<EventSourceMappingConfiguration>(NAMESPACE, uuid);
    if (!mapping) throw notFound(uuid);
    return mapping;
  }

  list(input: { EventSourceArn?: string; FunctionName?: string }): EventSourceMappingConfiguration[] {
    const functionArn =
      input.FunctionName === undefined
        ? undefined
        : this.deps.functionConfiguration(input.FunctionName).FunctionArn;
    return this.deps.storage
      .listDocs<EventSourceMappingConfiguration>(NAMESPACE)
      .filter(
        (mapping) =>
          (input.EventSourceArn === undefined || mapping.EventSourceArn === input.EventSourceArn) &&
          (functionArn === undefined || mapping.FunctionArn === functionArn),
      )
      .sort((a, b) => a.UUID.localeCompare(b.UUID))
      .slice(0, MAX_LIST_ITEMS);
  }

  update(input: UpdateEventSourceMappingInput): EventSourceMappingConfiguration {
    const mapping = this.get(input?.UUID);
    const fn =
      input.FunctionName === undefined
        ? this.deps.functionConfiguration(mapping.FunctionArn)
        : this.deps.functionConfiguration(input.FunctionName);
    const settings = this.settings(input, mapping);
    this.checkVisibility(mapping.EventSourceArn, fn.Timeout);
    const updated: EventSourceMappingConfiguration = {
      ...mapping,
      ...settings,
      FunctionArn: fn.FunctionArn,
      State: input.Enabled === undefined ? mapping.State : input.Enabled ? 'Enabled' : 'Disabled',
      LastModified: this.nowSeconds(),
    };
    this.deps.storage.putDoc(NAMESPACE, mapping.UUID, updated);
    return updated;
  }

  delete(uuid: unknown): EventSourceMappingConfiguration {
    const mapping = this.get(uuid);
    this.deps.storage.deleteDoc(NAMESPACE, mapping.UUID);
    return { ...mapping, State: 'Deleting', LastModified: this.nowSeconds() };
  }

  /** Current settings of a mapping, or undefined once deleted (pollers re-read them every batch). */
  current(uuid: string): EventSourceMappingConfiguration | undefined {
    return this.deps.storage.getDoc<EventSourceMappingConfiguration>(NAMESPACE, uuid);
  }

  private settings(
    input: { BatchSize?: unknown; MaximumBatchingWindowInSeconds?: unknown; FunctionResponseTypes?: unknown },
    base: { BatchSize: number; MaximumBatchingWindowInSeconds: number; FunctionResponseTypes?: string[] },
  ) {
    const batchSize = input.BatchSize ?? base.BatchSize;
    if (
      typeof batchSize !== 'number' ||
      !Number.isInteger(batchSize) ||
      batchSize < 1 ||
      batchSize > MAX_BATCH_SIZE
    )
      throw invalid(
        `BatchSize must be an integer from 1 to ${MAX_BATCH_SIZE} for an SQS event source, got ${String(batchSize)}.`,
      );
    const window = input.MaximumBatchingWindowInSeconds ?? base.MaximumBatchingWindowInSeconds;
    if (typeof window !== 'number' || !Number.isInteger(window) || window < 0 || window > MAX_WINDOW_SECONDS)
      throw invalid(
        `MaximumBatchingWindowInSeconds must be an integer from 0 to ${MAX_WINDOW_SECONDS}, got ${String(window)}.`,
      );
    if (batchSize > 10 && window < 1)
      throw invalid(
        'Maximum batch window in seconds must be greater than 0 if maximum batch size is greater than 10',
      );
    const types = input.FunctionResponseTypes ?? base.FunctionResponseTypes ?? [];
    if (!Array.isArray(types) || types.some((type) => type !== 'ReportBatchItemFailures') || types.length > 1)
      throw invalid('FunctionResponseTypes may only be [] or ["ReportBatchItemFailures"].');
    return {
      BatchSize: batchSize,
      MaximumBatchingWindowInSeconds: window,
      FunctionResponseTypes: types as string[],
    };
  }

  private queueArn(arn: string): string {
    try {
      return this.deps.queues.queueArn(arn);
    } catch (error) {
      if (error instanceof LambdaServiceError) throw error;
      throw invalid(
        `Error occurred while ReceiveMessage. SQS Error Code: AWS.SimpleQueueService.NonExistentQueue. SQS Error Message: The specified queue does not exist: ${arn}`,
      );
    }
  }

  private checkVisibility(queueArn: string, functionTimeout: number): void {
    const attributes = this.deps.queues.getQueueAttributes({
      QueueUrl: queueArn,
      AttributeNames: ['VisibilityTimeout'],
    }).Attributes;
    const visibility = Number(attributes?.VisibilityTimeout ?? 30);
    if (visibility < functionTimeout)
      throw invalid(
        `Queue visibility timeout: ${visibility} seconds is less than Function timeout: ${functionTimeout} seconds`,
      );
  }

  private nowSeconds(): number {
    return Math.floor(this.deps.clock.now().getTime() / 1000);
  }
}
