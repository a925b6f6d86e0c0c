/**
 * The SQS operations by API name, each taking the operation's JSON input (and, for the ones answering queue
 * URLs, the endpoint to build them on). The HTTP layer dispatches on these names; in-process callers use them too.
 */
import type { SqsContext } from './context.js';
import { Messaging } from './messaging.js';
import { QueueOperations } from './queue-operations.js';

// biome-ignore lint/suspicious/noExplicitAny: inputs arrive as untyped JSON; each operation validates its own.
type Input = any;

export function createSqsOperations(context: SqsContext) {
  const queues = new QueueOperations(context);
  const messaging = new Messaging(context);
  return {
    CreateQueue: (input: Input, endpoint?: string) => queues.createQueue(input, endpoint),
    GetQueueUrl: (input: Input, endpoint?: string) => queues.getQueueUrl(input, endpoint),
    GetQueueAttributes: (input: Input) => queues.getQueueAttributes(input),
    SetQueueAttributes: (input: Input) => queues.setQueueAttributes(input),
    ListQueues: (input: Input, endpoint?: string) => queues.listQueues(input, endpoint),
    DeleteQueue: (input: Input) => queues.deleteQueue(input),
    PurgeQueue: (input: Input) => queues.purgeQueue(input),
    SendMessage: (input: Input) => messaging.sendMessage(input),
    SendMessageBatch: (input: Input) => messaging.sendMessageBatch(input),
    ReceiveMessage: (input: Input) => messaging.receiveMessage(input),
    DeleteMessage: (input: Input) => messaging.deleteMessage(input),
    DeleteMessageBatch: (input: Input) => messaging.deleteMessageBatch(input),
    ChangeMessageVisibility: (input: Input) => messaging.changeMessageVisibility(input),
    ChangeMessageVisibilityBatch: (input: Input) => messaging.changeMessageVisibilityBatch(input),
  };
}

export type SqsOperations = ReturnType<typeof createSqsOperations>;
