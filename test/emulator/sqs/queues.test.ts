/**
 * SQS queue management and messaging through the real SQSClient: send / receive / delete, visibility timeouts
 * and delays in emulated time, long polling, batches with per-entry failures, redrive to a dead-letter queue.
 */
import {
  ChangeMessageVisibilityCommand,
  CreateQueueCommand,
  DeleteMessageBatchCommand,
  DeleteMessageCommand,
  DeleteQueueCommand,
  GetQueueAttributesCommand,
  GetQueueUrlCommand,
  ListQueuesCommand,
  PurgeQueueCommand,
  ReceiveMessageCommand,
  SendMessageBatchCommand,
  SendMessageCommand,
  SetQueueAttributesCommand,
  SQSClient,
} from '@aws-sdk/client-sqs';
import { afterEach, describe, expect, it } from 'vitest';
import { CREDENTIALS } from '../kit.js';
import { ACCOUNT_ID, emulatedSecondsSince, REGION, type SqsHarness, startSqsHarness } from './helpers.js';

let harness: SqsHarness | undefined;
afterEach(async () => {
  await harness?.close();
  harness = undefined;
});

async function queue(h: SqsHarness, name: string, attributes: Record<string, string> = {}) {
  const { QueueUrl } = await h.client.send(
    new CreateQueueCommand({ QueueName: name, Attributes: attributes }),
  );
  return QueueUrl!;
}

describe('SQS queues', () => {
  it('creates a queue idempotently, reports its attributes and rejects a conflicting re-create', async () => {
    harness = await startSqsHarness();
    const url = await queue(harness, 'jobs', { VisibilityTimeout: '45' });
    expect(url).toBe(`${harness.endpoint}/${ACCOUNT_ID}/jobs`);
    expect(await queue(harness, 'jobs', { VisibilityTimeout: '45' })).toBe(url);
    await expect(queue(harness, 'jobs', { VisibilityTimeout: '10' })).rejects.toMatchObject({
      name: 'QueueNameExists',
    });
    const { Attributes } = await harness.client.send(
      new GetQueueAttributesCommand({ QueueUrl: url, AttributeNames: ['All'] }),
    );
    expect(Attributes).toMatchObject({
      QueueArn: `arn:aws:sqs:${REGION}:${ACCOUNT_ID}:jobs`,
      VisibilityTimeout: '45',
      DelaySeconds: '0',
      ApproximateNumberOfMessages: '0',
      SqsManagedSseEnabled: 'true',
    });
    const byName = await harness.client.send(new GetQueueUrlCommand({ QueueName: 'jobs' }));
    expect(byName.QueueUrl).toBe(url);
  });

  it('names the field and the reason for bad attributes, names and unknown queues', async () => {
    harness = await startSqsHarness();
    await expect(queue(harness, 'bad name!')).rejects.toMatchObject({ name: 'InvalidParameterValue' });
    await expect(queue(harness, 'q', { VisibilityTimeout: '50000' })).rejects.toThrow(
      /VisibilityTimeout.*0 to 43200/,
    );
    await expect(queue(harness, 'q', { Colour: 'blue' })).rejects.toMatchObject({
      name: 'InvalidAttributeName',
    });
    await expect(
      queue(harness, 'q', {
        RedrivePolicy: JSON.stringify({ deadLetterTargetArn: 'nope', maxReceiveCount: 3 }),
      }),
    ).rejects.toThrow(/deadLetterTargetArn/);
    await expect(harness.client.send(new GetQueueUrlCommand({ QueueName: 'missing' }))).rejects.toMatchObject(
      {
        name: 'QueueDoesNotExist',
      },
    );
  });

  it('lists by prefix with paging, sets attributes, purges and deletes', async () => {
    harness = await startSqsHarness();
    for (const name of ['app-a', 'app-b', 'app-c', 'other']) await queue(harness, name);
    const first = await harness.client.send(
      new ListQueuesCommand({ QueueNamePrefix: 'app-', MaxResults: 2 }),
    );
    expect(first.QueueUrls?.map((url) => url.split('/').pop())).toEqual(['app-a', 'app-b']);
    const second = await harness.client.send(
      new ListQueuesCommand({ QueueNamePrefix: 'app-', MaxResults: 2, NextToken: first.NextToken }),
    );
    expect(second.QueueUrls?.map((url) => url.split('/').pop())).toEqual(['app-c']);
    expect(second.NextToken).toBeUndefined();

    const url = first.QueueUrls![0]!;
    await harness.client.send(
      new SetQueueAttributesCommand({ QueueUrl: url, Attributes: { DelaySeconds: '5' } }),
    );
    await harness.client.send(new SendMessageCommand({ QueueUrl: url, MessageBody: 'x' }));
    const attributes = await harness.client.send(
      new GetQueueAttributesCommand({
        QueueUrl: url,
        AttributeNames: ['DelaySeconds', 'ApproximateNumberOfMessagesDelayed'],
      }),
    );
    expect(attributes.Attributes).toEqual({ DelaySeconds: '5', ApproximateNumberOfMessagesDelayed: '1' });
    await harness.client.send(new PurgeQueueCommand({ QueueUrl: url }));
    await expect(harness.client.send(new PurgeQueueCommand({ QueueUrl: url }))).rejects.toMatchObject({
      name: 'PurgeQueueInProgress',
    });
    expect(
      harness.sqs.getQueueAttributes({ QueueUrl: url, AttributeNames: ['All'] }).Attributes,
    ).toMatchObject({
      ApproximateNumberOfMessagesDelayed: '0',
    });
    await harness.client.send(new DeleteQueueCommand({ QueueUrl: url }));
    await expect(
      harness.client.send(new SendMessageCommand({ QueueUrl: url, MessageBody: 'x' })),
    ).rejects.toMatchObject({ name: 'QueueDoesNotExist' });
  });
});

describe('SQS messages', () => {
  it('sends, receives with system and message attributes, and deletes', async () => {
    harness = await startSqsHarness();
    const url = await queue(harness, 'work');
    const sent = await harness.client.send(
      new SendMessageCommand({
        QueueUrl: url,
        MessageBody: '{"hello":"world"}',
        MessageAttributes: {
          kind: { DataType: 'String', StringValue: 'greeting' },
          size: { DataType: 'Number', StringValue: '3' },
        },
      }),
    );
    expect(sent.MessageId).toMatch(/^[0-9a-f-]{36}$/);
    const received = await harness.client.send(
      new ReceiveMessageCommand({
        QueueUrl: url,
        MaxNumberOfMessages: 10,
        MessageSystemAttributeNames: ['ApproximateReceiveCount', 'SentTimestamp'],
        MessageAttributeNames: ['kind'],
      }),
    );
    expect(received.Messages).toHaveLength(1);
    const message = received.Messages![0]!;
    expect(message).toMatchObject({
      MessageId: sent.MessageId,
      Body: '{"hello":"world"}',
      MessageAttributes: { kind: { DataType: 'String', StringValue: 'greeting' } },
    });
    expect(message.Attributes?.ApproximateReceiveCount).toBe('1');
    expect(Number(message.Attributes?.SentTimestamp)).toBeGreaterThan(0);
    expect(Object.keys(message.Attributes ?? {}).sort()).toEqual([
      'ApproximateReceiveCount',
      'SentTimestamp',
    ]);
    await harness.client.send(
      new DeleteMessageCommand({ QueueUrl: url, ReceiptHandle: message.ReceiptHandle }),
    );
    const counts = harness.sqs.getQueueAttributes({ QueueUrl: url, AttributeNames: ['All'] }).Attributes!;
    expect([counts.ApproximateNumberOfMessages, counts.ApproximateNumberOfMessagesNotVisible]).toEqual([
      '0',
      '0',
    ]);
    await expect(
      harness.client.send(new DeleteMessageCommand({ QueueUrl: url, ReceiptHandle: 'garbage' })),
    ).rejects.toMatchObject({ name: 'ReceiptHandleIsInvalid' });
  });

  it('hides a received message for the visibility timeout in emulated time, then hands it out again', async () => {
    harness = await startSqsHarness({ timeScale: 100 });
    const url = await queue(harness, 'visible', { VisibilityTimeout: '30' });
    await harness.client.send(new SendMessageCommand({ QueueUrl: url, MessageBody: 'again' }));
    const first = await harness.client.send(new ReceiveMessageCommand({ QueueUrl: url }));
    expect(first.Messages).toHaveLength(1);
    const hidden = await harness.client.send(new ReceiveMessageCommand({ QueueUrl: url }));
    expect(hidden.Messages).toBeUndefined();
    const start = harness.clock.now();
    // Long poll: ends when the message becomes visible again, about 30 emulated seconds after the receive.
    const again = await harness.client.send(
      new ReceiveMessageCommand({ QueueUrl: url, WaitTimeSeconds: 20, MessageSystemAttributeNames: ['All'] }),
    );
    const elapsed = emulatedSecondsSince(harness.clock, start);
    expect(again.Messages).toBeUndefined();
    expect(elapsed).toBeGreaterThanOrEqual(19.9);
    const third = await harness.client.send(
      new ReceiveMessageCommand({ QueueUrl: url, WaitTimeSeconds: 20, MessageSystemAttributeNames: ['All'] }),
    );
    expect(third.Messages?.[0]?.Body).toBe('again');
    expect(third.Messages?.[0]?.Attributes?.ApproximateReceiveCount).toBe('2');
    expect(emulatedSecondsSince(harness.clock, start)).toBeGreaterThanOrEqual(29.9);
    // The first receipt handle is stale: deleting with it succeeds but leaves the message.
    await harness.client.send(
      new DeleteMessageCommand({ QueueUrl: url, ReceiptHandle: first.Messages![0]!.ReceiptHandle }),
    );
    expect(
      harness.sqs.getQueueAttributes({ QueueUrl: url, AttributeNames: ['All'] }).Attributes,
    ).toMatchObject({
      ApproximateNumberOfMessagesNotVisible: '1',
    });
  });

  it('long polling returns as soon as a message arrives', async () => {
    harness = await startSqsHarness({ timeScale: 10 });
    const url = await queue(harness, 'poll');
    const start = harness.clock.now();
    const polling = harness.client.send(new ReceiveMessageCommand({ QueueUrl: url, WaitTimeSeconds: 20 }));
    await new Promise((resolve) => setTimeout(resolve, 100));
    await harness.client.send(new SendMessageCommand({ QueueUrl: url, MessageBody: 'arrived' }));
    const result = await polling;
    expect(result.Messages?.[0]?.Body).toBe('arrived');
    expect(emulatedSecondsSince(harness.clock, start)).toBeLessThan(10);
  });

  it('changes visibility: 0 makes a message visible at once; a message not in flight is refused', async () => {
    harness = await startSqsHarness();
    const url = await queue(harness, 'change');
    await harness.client.send(new SendMessageCommand({ QueueUrl: url, MessageBody: 'm' }));
    const first = await harness.client.send(new ReceiveMessageCommand({ QueueUrl: url }));
    const handle = first.Messages![0]!.ReceiptHandle!;
    await harness.client.send(
      new ChangeMessageVisibilityCommand({ QueueUrl: url, ReceiptHandle: handle, VisibilityTimeout: 0 }),
    );
    await expect(
      harness.client.send(
        new ChangeMessageVisibilityCommand({ QueueUrl: url, ReceiptHandle: handle, VisibilityTimeout: 10 }),
      ),
    ).rejects.toMatchObject({ name: 'MessageNotInflight' });
    const again = await harness.client.send(new ReceiveMessageCommand({ QueueUrl: url }));
    expect(again.Messages?.[0]?.Body).toBe('m');
  });

  it('delays a message by DelaySeconds in emulated time', async () => {
    harness = await startSqsHarness({ timeScale: 100 });
    const url = await queue(harness, 'delayed');
    const start = harness.clock.now();
    await harness.client.send(
      new SendMessageCommand({ QueueUrl: url, MessageBody: 'later', DelaySeconds: 10 }),
    );
    expect(
      (await harness.client.send(new ReceiveMessageCommand({ QueueUrl: url }))).Messages,
    ).toBeUndefined();
    const later = await harness.client.send(
      new ReceiveMessageCommand({ QueueUrl: url, WaitTimeSeconds: 20 }),
    );
    expect(later.Messages?.[0]?.Body).toBe('later');
    const elapsed = emulatedSecondsSince(harness.clock, start);
    expect(elapsed).toBeGreaterThanOrEqual(9.9);
    expect(elapsed).toBeLessThan(20);
  });

  it('reports per-entry failures in batches while the other entries succeed', async () => {
    harness = await startSqsHarness();
    const url = await queue(harness, 'batch');
    const sent = await harness.client.send(
      new SendMessageBatchCommand({
        QueueUrl: url,
        Entries: [
          { Id: 'a', MessageBody: 'one' },
          { Id: 'b', MessageBody: 'two', DelaySeconds: 901 },
          { Id: 'c', MessageBody: 'three' },
        ],
      }),
    );
    expect(sent.Successful?.map((entry) => entry.Id)).toEqual(['a', 'c']);
    expect(sent.Failed).toEqual([
      expect.objectContaining({ Id: 'b', SenderFault: true, Code: 'InvalidParameterValue' }),
    ]);
    expect(sent.Failed?.[0]?.Message).toMatch(/DelaySeconds/);
    await expect(
      harness.client.send(
        new SendMessageBatchCommand({
          QueueUrl: url,
          Entries: [
            { Id: 'x', MessageBody: '1' },
            { Id: 'x', MessageBody: '2' },
          ],
        }),
      ),
    ).rejects.toMatchObject({ name: 'BatchEntryIdsNotDistinct' });
    await expect(
      harness.client.send(new SendMessageBatchCommand({ QueueUrl: url, Entries: [] })),
    ).rejects.toMatchObject({ name: 'EmptyBatchRequest' });

    const received = await harness.client.send(
      new ReceiveMessageCommand({ QueueUrl: url, MaxNumberOfMessages: 10 }),
    );
    expect(received.Messages?.map((message) => message.Body)).toEqual(['one', 'three']);
    const deleted = await harness.client.send(
      new DeleteMessageBatchCommand({
        QueueUrl: url,
        Entries: [
          { Id: 'ok', ReceiptHandle: received.Messages![0]!.ReceiptHandle },
          { Id: 'bad', ReceiptHandle: 'not-a-handle' },
        ],
      }),
    );
    expect(deleted.Successful).toEqual([{ Id: 'ok' }]);
    expect(deleted.Failed).toEqual([expect.objectContaining({ Id: 'bad', Code: 'ReceiptHandleIsInvalid' })]);
  });

  it('moves a message to the dead-letter queue on the receive after maxReceiveCount', async () => {
    harness = await startSqsHarness();
    const dlqUrl = await queue(harness, 'work-dlq');
    const dlqArn = harness.sqs.queueArn(dlqUrl);
    const url = await queue(harness, 'work', {
      VisibilityTimeout: '0',
      RedrivePolicy: JSON.stringify({ deadLetterTargetArn: dlqArn, maxReceiveCount: 2 }),
    });
    const { MessageId } = await harness.client.send(
      new SendMessageCommand({ QueueUrl: url, MessageBody: 'poison' }),
    );
    for (let receive = 1; receive <= 2; receive++) {
      const got = await harness.client.send(
        new ReceiveMessageCommand({
          QueueUrl: url,
          MessageSystemAttributeNames: ['ApproximateReceiveCount'],
        }),
      );
      expect(got.Messages?.[0]?.Attributes?.ApproximateReceiveCount).toBe(String(receive));
    }
    expect(
      (await harness.client.send(new ReceiveMessageCommand({ QueueUrl: url }))).Messages,
    ).toBeUndefined();
    const dead = await harness.client.send(
      new ReceiveMessageCommand({ QueueUrl: dlqUrl, MessageSystemAttributeNames: ['All'] }),
    );
    expect(dead.Messages?.[0]).toMatchObject({ MessageId, Body: 'poison' });
    expect(dead.Messages?.[0]?.Attributes?.DeadLetterQueueSourceArn).toBe(harness.sqs.queueArn('work'));
  });

  it('rejects invalid bodies and receive parameters with the field named', async () => {
    harness = await startSqsHarness();
    const url = await queue(harness, 'strict');
    await expect(
      harness.client.send(new SendMessageCommand({ QueueUrl: url, MessageBody: 'bad \u0001 char' })),
    ).rejects.toMatchObject({ name: 'InvalidMessageContents' });
    await expect(
      harness.client.send(new ReceiveMessageCommand({ QueueUrl: url, MaxNumberOfMessages: 11 })),
    ).rejects.toThrow(/MaxNumberOfMessages/);
    await expect(
      harness.client.send(new ReceiveMessageCommand({ QueueUrl: url, WaitTimeSeconds: 21 })),
    ).rejects.toThrow(/WaitTimeSeconds/);
  });

  it('answers with injected faults per sqs:<Operation>', async () => {
    harness = await startSqsHarness({ faults: { serverErrorFirst: { 'sqs:SendMessage': 1 } } });
    const url = await queue(harness, 'faulty');
    const client = new SQSClient({
      endpoint: harness.endpoint,
      region: REGION,
      credentials: CREDENTIALS,
      maxAttempts: 1,
    });
    try {
      await expect(
        client.send(new SendMessageCommand({ QueueUrl: url, MessageBody: 'x' })),
      ).rejects.toMatchObject({
        $metadata: { httpStatusCode: 500 },
      });
      await client.send(new SendMessageCommand({ QueueUrl: url, MessageBody: 'x' }));
    } finally {
      client.destroy();
    }
    expect(
      harness.sqs.getQueueAttributes({ QueueUrl: url, AttributeNames: ['All'] }).Attributes,
    ).toMatchObject({
      ApproximateNumberOfMessages: '1',
    });
  });
});
