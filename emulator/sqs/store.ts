/**
 * SQS state in Storage: one document per queue (`sqs/queues`, by name) and one per message
 * (`sqs/messages/<queue>`, by message id), so queues and their messages survive a restart. Messages are read
 * from Storage once per queue and then served from memory (write-through): every receive scans its queue, and a
 * directory store would otherwise read every message file each time.
 */
import type { Storage } from '../contracts.js';
import type { MessageRecord, QueueRecord } from './model.js';

const QUEUES = 'sqs/queues';
const messagesOf = (queue: string) => `sqs/messages/${queue}`;

export class SqsStore {
  private readonly cache = new Map<string, Map<string, MessageRecord>>();

  constructor(private readonly storage: Storage) {}

  private cached(queue: string): Map<string, MessageRecord> {
    let messages = this.cache.get(queue);
    if (!messages) {
      messages = new Map(
        this.storage
          .listDocs<MessageRecord>(messagesOf(queue))
          .map((message) => [message.messageId, message]),
      );
      this.cache.set(queue, messages);
    }
    return messages;
  }

  getQueue(name: string): QueueRecord | undefined {
    return this.storage.getDoc<QueueRecord>(QUEUES, name);
  }

  listQueues(): QueueRecord[] {
    return this.storage.listDocs<QueueRecord>(QUEUES).sort((a, b) => a.name.localeCompare(b.name));
  }

  putQueue(queue: QueueRecord): void {
    this.storage.putDoc(QUEUES, queue.name, queue);
  }

  deleteQueue(name: string): void {
    this.purge(name);
    this.storage.deleteDoc(QUEUES, name);
  }

  /** The queue's messages, oldest first (copies: change one through putMessage). */
  messages(queue: string): MessageRecord[] {
    return [...this.cached(queue).values()].sort((a, b) => a.sequence - b.sequence).map((m) => ({ ...m }));
  }

  messageCount(queue: string): number {
    return this.cached(queue).size;
  }

  getMessage(queue: string, messageId: string): MessageRecord | undefined {
    const message = this.cached(queue).get(messageId);
    return message ? { ...message } : undefined;
  }

  putMessage(queue: string, message: MessageRecord): void {
    this.cached(queue).set(message.messageId, { ...message });
    this.storage.putDoc(messagesOf(queue), message.messageId, message);
  }

  deleteMessage(queue: string, messageId: string): void {
    this.cached(queue).delete(messageId);
    this.storage.deleteDoc(messagesOf(queue), messageId);
  }

  purge(queue: string): void {
    for (const messageId of [...this.cached(queue).keys()]) this.deleteMessage(queue, messageId);
  }
}
