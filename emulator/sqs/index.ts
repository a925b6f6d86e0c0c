/**
 * Emulated Amazon SQS (standard queues): queues and messages in Storage, visibility timeouts, delays, long
 * polling and dead-letter redrive in emulated time. The HTTP API speaks AWS JSON 1.0 (http.ts); the same
 * operations are available in-process with the API's input and output shapes, e.g.
 * `sqs.sendMessage({ QueueUrl, MessageBody })`, where QueueUrl may also be a queue name or ARN.
 */
import type { EmulatorClock, FaultInjector, ServiceHandler, Storage } from '../contracts.js';
import { SqsContext } from './context.js';
import { createSqsHandler } from './http.js';
import type {
  ReceivedMessage,
  ReceiveMessageInput,
  SendMessageInput,
  SendMessageOutput,
} from './messaging.js';
import { createSqsOperations } from './operations.js';
import type { CreateQueueInput } from './queue-operations.js';
import { SqsStore } from './store.js';

export { SqsServiceError } from './errors.js';
export type {
  ReceivedMessage,
  ReceiveMessageInput,
  SendMessageInput,
  SendMessageOutput,
} from './messaging.js';
export type { CreateQueueInput } from './queue-operations.js';

export interface SqsServiceOptions {
  storage: Storage;
  clock: EmulatorClock;
  faults?: FaultInjector;
  accountId: string;
  region: string;
  /** Base of queue URLs returned in-process (default http://127.0.0.1:4599); HTTP answers use the request host. */
  endpoint?: string;
}

interface BatchResult<T> {
  Successful: T[];
  Failed: Array<{ Id: string; SenderFault: boolean; Code: string; Message: string }>;
}

export interface SqsService {
  handler: ServiceHandler;
  createQueue(input: CreateQueueInput): { QueueUrl: string };
  getQueueUrl(input: { QueueName: string }): { QueueUrl: string };
  getQueueAttributes(input: { QueueUrl: string; AttributeNames?: string[] }): {
    Attributes?: Record<string, string>;
  };
  setQueueAttributes(input: { QueueUrl: string; Attributes: Record<string, string> }): void;
  listQueues(input?: { QueueNamePrefix?: string; MaxResults?: number; NextToken?: string }): {
    QueueUrls?: string[];
    NextToken?: string;
  };
  deleteQueue(input: { QueueUrl: string }): void;
  purgeQueue(input: { QueueUrl: string }): void;
  sendMessage(input: SendMessageInput): SendMessageOutput;
  sendMessageBatch(input: {
    QueueUrl: string;
    Entries: Array<Omit<SendMessageInput, 'QueueUrl'> & { Id: string }>;
  }): BatchResult<SendMessageOutput & { Id: string }>;
  receiveMessage(input: ReceiveMessageInput): Promise<{ Messages?: ReceivedMessage[] }>;
  deleteMessage(input: { QueueUrl: string; ReceiptHandle: string }): void;
  deleteMessageBatch(input: {
    QueueUrl: string;
    Entries: Array<{ Id: string; ReceiptHandle: string }>;
  }): BatchResult<{ Id: string }>;
  changeMessageVisibility(input: {
    QueueUrl: string;
    ReceiptHandle: string;
    VisibilityTimeout: number;
  }): void;
  changeMessageVisibilityBatch(input: {
    QueueUrl: string;
    Entries: Array<{ Id: string; ReceiptHandle: string; VisibilityTimeout: number }>;
  }): BatchResult<{ Id: string }>;
  /** The ARN of a queue given by name, URL or ARN (QueueDoesNotExist when there is none). */
  queueArn(queue: string): string;
  /** Sets the base of in-process queue URLs (the emulator's URL once its server listens). */
  setEndpoint(url: string): void;
  /** Ends every long poll (they answer empty); later receives do not wait. */
  close(): void;
}

const KNOWN_OPTIONS = new Set(['storage', 'clock', 'faults', 'accountId', 'region', 'endpoint']);

export function createSqsService(options: SqsServiceOptions): SqsService {
  for (const key of Object.keys(options)) {
    if (!KNOWN_OPTIONS.has(key)) throw new TypeError(`createSqsService: unknown option "${key}"`);
  }
  const context = new SqsContext(
    new SqsStore(options.storage),
    options.clock,
    options.accountId,
    options.region,
    options.endpoint ?? 'http://127.0.0.1:4599',
  );
  const operations = createSqsOperations(context);
  return {
    handler: createSqsHandler(operations, options.faults),
    createQueue: (input) => operations.CreateQueue(input),
    getQueueUrl: (input) => operations.GetQueueUrl(input),
    getQueueAttributes: (input) => operations.GetQueueAttributes(input),
    setQueueAttributes: (input) => void operations.SetQueueAttributes(input),
    listQueues: (input = {}) => operations.ListQueues(input),
    deleteQueue: (input) => void operations.DeleteQueue(input),
    purgeQueue: (input) => void operations.PurgeQueue(input),
    sendMessage: (input) => operations.SendMessage(input),
    sendMessageBatch: (input) => operations.SendMessageBatch(input),
    receiveMessage: (input) => operations.ReceiveMessage(input),
    deleteMessage: (input) => void operations.DeleteMessage(input),
    deleteMessageBatch: (input) => operations.DeleteMessageBatch(input),
    changeMessageVisibility: (input) => void operations.ChangeMessageVisibility(input),
    changeMessageVisibilityBatch: (input) => operations.ChangeMessageVisibilityBatch(input),
    queueArn: (queue) => context.queue(queue).arn,
    setEndpoint: (url) => {
      context.endpoint = url;
    },
    close: () => context.close(),
  };
}
