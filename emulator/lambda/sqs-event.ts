/**
 * What a Lambda SQS event source mapping hands the function, and how it reads the answer: the SQS event shape
 * ("Using Lambda with Amazon SQS") and partial batch responses ("Implementing partial batch responses": an
 * empty or absent `batchItemFailures` is full success; an identifier that is empty or not in the batch makes
 * the whole batch a failure).
 */
import type { ReceivedMessage } from '../sqs/index.js';

export interface SqsEventRecord {
  messageId: string;
  receiptHandle: string;
  body: string;
  attributes: Record<string, string>;
  messageAttributes: Record<
    string,
    {
      stringValue?: string;
      binaryValue?: string;
      stringListValues: string[];
      binaryListValues: string[];
      dataType: string;
    }
  >;
  md5OfBody: string;
  eventSource: 'aws:sqs';
  eventSourceARN: string;
  awsRegion: string;
}

export function toSqsEventRecord(message: ReceivedMessage, queueArn: string, region: string): SqsEventRecord {
  const messageAttributes: SqsEventRecord['messageAttributes'] = {};
  for (const [name, value] of Object.entries(message.MessageAttributes ?? {})) {
    messageAttributes[name] = {
      ...(value.StringValue !== undefined ? { stringValue: value.StringValue } : {}),
      ...(value.BinaryValue !== undefined ? { binaryValue: value.BinaryValue } : {}),
      stringListValues: [],
      binaryListValues: [],
      dataType: value.DataType,
    };
  }
  return {
    messageId: message.MessageId,
    receiptHandle: message.ReceiptHandle,
    body: message.Body,
    attributes: message.Attributes ?? {},
    messageAttributes,
    md5OfBody: message.MD5OfBody,
    eventSource: 'aws:sqs',
    eventSourceARN: queueArn,
    awsRegion: region,
  };
}

/** The message ids to keep (not delete), or 'all' when the whole batch failed. */
export function failedItems(result: unknown, batchIds: ReadonlySet<string>): ReadonlySet<string> | 'all' {
  if (result === null || typeof result !== 'object') return new Set();
  const failures = (result as { batchItemFailures?: unknown }).batchItemFailures;
  if (failures === undefined || failures === null) return new Set();
  if (!Array.isArray(failures)) return 'all';
  const failed = new Set<string>();
  for (const failure of failures) {
    const id = (failure as { itemIdentifier?: unknown } | null)?.itemIdentifier;
    if (typeof id !== 'string' || !batchIds.has(id)) return 'all';
    failed.add(id);
  }
  return failed;
}
