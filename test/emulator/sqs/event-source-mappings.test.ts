/**
 * Lambda SQS event source mappings: the Lambda API (real LambdaClient) and the pollers, in emulated time —
 * batches of at most BatchSize after the batching window, the SQS event shape, ReportBatchItemFailures, and a
 * failing function's batch retried after the visibility timeout until the queue dead-letters it.
 */
import {
  CreateEventSourceMappingCommand,
  DeleteEventSourceMappingCommand,
  GetEventSourceMappingCommand,
  LambdaClient,
  ListEventSourceMappingsCommand,
  UpdateEventSourceMappingCommand,
} from '@aws-sdk/client-lambda';
import { ReceiveMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import { afterEach, describe, expect, it } from 'vitest';
import type { EmulatorClock } from '../../../emulator/contracts.js';
import { createLambdaService, type LambdaService } from '../../../emulator/lambda/index.js';
import type { SqsEventRecord } from '../../../emulator/lambda/sqs-event.js';
import { createSqsService, type SqsService } from '../../../emulator/sqs/index.js';
import { eventually } from '../events/helpers.js';
import {
  ACCOUNT_ID,
  CREDENTIALS,
  createFaultInjector,
  createMemoryStorage,
  type FaultConfig,
  REGION,
  scaledClock,
  serveServices,
} from '../kit.js';

interface Harness {
  clock: EmulatorClock;
  sqs: SqsService;
  lambda: LambdaService;
  lambdaClient: LambdaClient;
  sqsClient: SQSClient;
  close(): Promise<void>;
}

let harness: Harness | undefined;
afterEach(async () => {
  await harness?.close();
  harness = undefined;
});

async function start(options: { timeScale?: number; faults?: FaultConfig } = {}): Promise<Harness> {
  const storage = createMemoryStorage();
  const clock = scaledClock(options.timeScale ?? 100);
  const faults = options.faults ? createFaultInjector(options.faults) : undefined;
  const sqs = createSqsService({ storage, clock, accountId: ACCOUNT_ID, region: REGION });
  const lambda = createLambdaService({
    region: REGION,
    accountId: ACCOUNT_ID,
    storage,
    clock,
    sqs,
    ...(faults ? { faults } : {}),
  });
  const server = await serveServices({ sqs: sqs.handler, lambda: lambda.handler });
  const config = { endpoint: server.endpoint, region: REGION, credentials: CREDENTIALS };
  const lambdaClient = new LambdaClient(config);
  const sqsClient = new SQSClient(config);
  return {
    clock,
    sqs,
    lambda,
    lambdaClient,
    sqsClient,
    async close() {
      const polling = lambda.closeEventSourceMappings();
      sqs.close();
      await polling;
      lambdaClient.destroy();
      sqsClient.destroy();
      await server.close();
    },
  };
}

/** A function that records each batch it is handed (and when, in emulated time), answering with `answer`. */
function recorder(h: Harness, name: string, answer: (records: SqsEventRecord[], call: number) => unknown) {
  const batches: Array<{ at: number; records: SqsEventRecord[] }> = [];
  h.lambda.registerFunction(name, async (event) => {
    const records = (event as { Records: SqsEventRecord[] }).Records;
    batches.push({ at: h.clock.now().getTime(), records });
    return answer(records, batches.length);
  });
  return batches;
}

function sendAll(h: Harness, queue: string, bodies: string[]) {
  for (let start = 0; start < bodies.length; start += 10) {
    const result = h.sqs.sendMessageBatch({
      QueueUrl: queue,
      Entries: bodies
        .slice(start, start + 10)
        .map((body, index) => ({ Id: `m${start + index}`, MessageBody: body })),
    });
    expect(result.Failed).toEqual([]);
  }
}

const visibleCount = (h: Harness, queue: string) => {
  const attributes = h.sqs.getQueueAttributes({ QueueUrl: queue, AttributeNames: ['All'] }).Attributes!;
  return (
    Number(attributes.ApproximateNumberOfMessages) + Number(attributes.ApproximateNumberOfMessagesNotVisible)
  );
};

describe('event source mapping API', () => {
  it('creates, gets, lists, updates and deletes a mapping through the LambdaClient', async () => {
    harness = await start();
    harness.sqs.createQueue({ QueueName: 'inbox' });
    const queueArn = harness.sqs.queueArn('inbox');
    recorder(harness, 'collect', () => null);
    await harness.lambda.closeEventSourceMappings();

    const created = await harness.lambdaClient.send(
      new CreateEventSourceMappingCommand({
        FunctionName: 'collect',
        EventSourceArn: queueArn,
        BatchSize: 100,
        MaximumBatchingWindowInSeconds: 30,
        FunctionResponseTypes: ['ReportBatchItemFailures'],
        Enabled: false,
      }),
    );
    expect(created).toMatchObject({
      EventSourceArn: queueArn,
      FunctionArn: `arn:aws:lambda:${REGION}:${ACCOUNT_ID}:function:collect`,
      BatchSize: 100,
      MaximumBatchingWindowInSeconds: 30,
      FunctionResponseTypes: ['ReportBatchItemFailures'],
      State: 'Disabled',
    });
    expect(created.LastModified).toBeInstanceOf(Date);
    const uuid = created.UUID!;
    const got = await harness.lambdaClient.send(new GetEventSourceMappingCommand({ UUID: uuid }));
    expect(got.BatchSize).toBe(100);
    const listed = await harness.lambdaClient.send(
      new ListEventSourceMappingsCommand({ EventSourceArn: queueArn }),
    );
    expect(listed.EventSourceMappings?.map((mapping) => mapping.UUID)).toEqual([uuid]);
    const none = await harness.lambdaClient.send(
      new ListEventSourceMappingsCommand({ EventSourceArn: `${queueArn}-other` }),
    );
    expect(none.EventSourceMappings).toEqual([]);
    const updated = await harness.lambdaClient.send(
      new UpdateEventSourceMappingCommand({ UUID: uuid, BatchSize: 5, Enabled: true }),
    );
    expect(updated).toMatchObject({ BatchSize: 5, MaximumBatchingWindowInSeconds: 30, State: 'Enabled' });
    await expect(
      harness.lambdaClient.send(
        new CreateEventSourceMappingCommand({ FunctionName: 'collect', EventSourceArn: queueArn }),
      ),
    ).rejects.toMatchObject({ name: 'ResourceConflictException' });
    const deleted = await harness.lambdaClient.send(new DeleteEventSourceMappingCommand({ UUID: uuid }));
    expect(deleted.State).toBe('Deleting');
    await expect(
      harness.lambdaClient.send(new GetEventSourceMappingCommand({ UUID: uuid })),
    ).rejects.toMatchObject({
      name: 'ResourceNotFoundException',
    });
  });

  it('rejects settings AWS rejects, naming the field and the reason', async () => {
    harness = await start();
    harness.sqs.createQueue({ QueueName: 'short', Attributes: { VisibilityTimeout: '2' } });
    harness.sqs.createQueue({ QueueName: 'inbox' });
    recorder(harness, 'collect', () => null);
    const create = (input: Record<string, unknown>) =>
      harness!.lambdaClient.send(
        new CreateEventSourceMappingCommand({
          FunctionName: 'collect',
          EventSourceArn: harness!.sqs.queueArn('inbox'),
          ...input,
        }),
      );
    await expect(create({ BatchSize: 50 })).rejects.toThrow(/batch window.*greater than 0/);
    await expect(create({ BatchSize: 10_001, MaximumBatchingWindowInSeconds: 1 })).rejects.toThrow(
      /BatchSize/,
    );
    await expect(create({ MaximumBatchingWindowInSeconds: 301 })).rejects.toThrow(
      /MaximumBatchingWindowInSeconds/,
    );
    await expect(create({ FunctionResponseTypes: ['Other'] })).rejects.toThrow(/FunctionResponseTypes/);
    await expect(create({ FunctionName: 'missing' })).rejects.toMatchObject({
      name: 'ResourceNotFoundException',
    });
    await expect(create({ EventSourceArn: `arn:aws:sqs:${REGION}:${ACCOUNT_ID}:nope` })).rejects.toThrow(
      /NonExistentQueue/,
    );
    await expect(create({ EventSourceArn: harness.sqs.queueArn('short') })).rejects.toThrow(
      /visibility timeout: 2 seconds is less than Function timeout: 3 seconds/,
    );
  });
});

describe('event source mapping polling', () => {
  it('invokes the function with batches of at most BatchSize and deletes what succeeded', async () => {
    harness = await start();
    harness.sqs.createQueue({ QueueName: 'inbox' });
    const batches = recorder(harness, 'collect', () => null);
    sendAll(
      harness,
      'inbox',
      Array.from({ length: 25 }, (_, index) => `message-${index}`),
    );
    harness.lambda.createEventSourceMapping({
      FunctionName: 'collect',
      EventSourceArn: harness.sqs.queueArn('inbox'),
      BatchSize: 10,
      MaximumBatchingWindowInSeconds: 2,
    });
    await eventually(() => expect(batches.flatMap((batch) => batch.records)).toHaveLength(25), 5000);
    expect(batches.every((batch) => batch.records.length <= 10)).toBe(true);
    expect(new Set(batches.flatMap((batch) => batch.records.map((record) => record.body))).size).toBe(25);
    const record = batches[0]!.records[0]!;
    expect(record).toMatchObject({
      eventSource: 'aws:sqs',
      eventSourceARN: harness.sqs.queueArn('inbox'),
      awsRegion: REGION,
      attributes: { ApproximateReceiveCount: '1' },
    });
    expect(record.md5OfBody).toMatch(/^[0-9a-f]{32}$/);
    expect(Number(record.attributes.SentTimestamp)).toBeGreaterThan(0);
    await eventually(() => expect(visibleCount(harness!, 'inbox')).toBe(0));
  });

  it('waits for the batching window before invoking with fewer than BatchSize messages', async () => {
    harness = await start();
    harness.sqs.createQueue({ QueueName: 'inbox' });
    const batches = recorder(harness, 'collect', () => null);
    harness.lambda.createEventSourceMapping({
      FunctionName: 'collect',
      EventSourceArn: harness.sqs.queueArn('inbox'),
      BatchSize: 100,
      MaximumBatchingWindowInSeconds: 10,
    });
    const sentAt = harness.clock.now().getTime();
    sendAll(harness, 'inbox', ['a', 'b', 'c']);
    await eventually(() => expect(batches).toHaveLength(1), 5000);
    expect(batches[0]!.records.map((record) => record.body)).toEqual(['a', 'b', 'c']);
    const waited = (batches[0]!.at - sentAt) / 1000;
    expect(waited).toBeGreaterThanOrEqual(9.9);
    expect(waited).toBeLessThan(30);
  });

  it('batches over a window longer than one long poll (20 s) and than the visibility timeout: one invocation, each message once', async () => {
    harness = await start();
    // The default 30 s visibility timeout is shorter than the window (AWS advises against it): messages
    // reappear during the window, and the batch still holds each once.
    harness.sqs.createQueue({ QueueName: 'inbox' });
    const batches = recorder(harness, 'collect', () => null);
    harness.lambda.createEventSourceMapping({
      FunctionName: 'collect',
      EventSourceArn: harness.sqs.queueArn('inbox'),
      BatchSize: 100,
      MaximumBatchingWindowInSeconds: 90,
    });
    const sentAt = harness.clock.now().getTime();
    sendAll(harness, 'inbox', ['a', 'b']);
    await eventually(() => expect(batches).toHaveLength(1), 10_000);
    expect(batches[0]!.records.map((record) => record.body)).toEqual(['a', 'b']);
    const waited = (batches[0]!.at - sentAt) / 1000;
    expect(waited).toBeGreaterThanOrEqual(89.9);
    expect(waited).toBeLessThan(120);
  });

  it('with ReportBatchItemFailures retries only the reported items after the visibility timeout', async () => {
    harness = await start();
    harness.sqs.createQueue({ QueueName: 'inbox', Attributes: { VisibilityTimeout: '5' } });
    const batches = recorder(harness, 'collect', (records, call) =>
      call === 1
        ? {
            batchItemFailures: records
              .filter((record) => record.body === 'bad')
              .map((record) => ({ itemIdentifier: record.messageId })),
          }
        : { batchItemFailures: [] },
    );
    sendAll(harness, 'inbox', ['good-1', 'bad', 'good-2']);
    harness.lambda.createEventSourceMapping({
      FunctionName: 'collect',
      EventSourceArn: harness.sqs.queueArn('inbox'),
      BatchSize: 10,
      FunctionResponseTypes: ['ReportBatchItemFailures'],
    });
    await eventually(() => expect(batches).toHaveLength(2), 5000);
    expect(batches[0]!.records.map((record) => record.body).sort()).toEqual(['bad', 'good-1', 'good-2']);
    expect(batches[1]!.records.map((record) => record.body)).toEqual(['bad']);
    expect(batches[1]!.records[0]!.attributes.ApproximateReceiveCount).toBe('2');
    expect((batches[1]!.at - batches[0]!.at) / 1000).toBeGreaterThanOrEqual(4.9);
    await eventually(() => expect(visibleCount(harness!, 'inbox')).toBe(0));
    const [first] = harness.lambda.eventSourceMappingInvocations();
    expect(first).toMatchObject({ ok: true, retriedMessageIds: [batches[1]!.records[0]!.messageId] });
  });

  it('treats an unknown itemIdentifier as a failure of the whole batch', async () => {
    harness = await start();
    harness.sqs.createQueue({ QueueName: 'inbox', Attributes: { VisibilityTimeout: '5' } });
    const batches = recorder(harness, 'collect', (_records, call) =>
      call === 1 ? { batchItemFailures: [{ itemIdentifier: 'not-in-batch' }] } : null,
    );
    sendAll(harness, 'inbox', ['x', 'y']);
    harness.lambda.createEventSourceMapping({
      FunctionName: 'collect',
      EventSourceArn: harness.sqs.queueArn('inbox'),
      FunctionResponseTypes: ['ReportBatchItemFailures'],
    });
    await eventually(() => expect(batches).toHaveLength(2), 5000);
    expect(batches[1]!.records.map((record) => record.body).sort()).toEqual(['x', 'y']);
  });

  it('retries a failing function batch after the visibility timeout until the queue dead-letters it', async () => {
    harness = await start();
    harness.sqs.createQueue({ QueueName: 'inbox-dlq' });
    harness.sqs.createQueue({
      QueueName: 'inbox',
      Attributes: {
        VisibilityTimeout: '3',
        RedrivePolicy: JSON.stringify({
          deadLetterTargetArn: harness.sqs.queueArn('inbox-dlq'),
          maxReceiveCount: 2,
        }),
      },
    });
    const batches = recorder(harness, 'collect', () => {
      throw new Error('cannot handle this');
    });
    sendAll(harness, 'inbox', ['poison']);
    harness.lambda.createEventSourceMapping({
      FunctionName: 'collect',
      EventSourceArn: harness.sqs.queueArn('inbox'),
    });
    await eventually(() => expect(visibleCount(harness!, 'inbox-dlq')).toBe(1), 5000);
    expect(batches.map((batch) => batch.records[0]!.attributes.ApproximateReceiveCount)).toEqual(['1', '2']);
    expect(
      harness.lambda.eventSourceMappingInvocations().map((record) => [record.ok, record.error?.name]),
    ).toEqual([
      [false, 'Error'],
      [false, 'Error'],
    ]);
    const dead = await harness.sqsClient.send(
      new ReceiveMessageCommand({ QueueUrl: harness.sqs.getQueueUrl({ QueueName: 'inbox-dlq' }).QueueUrl }),
    );
    expect(dead.Messages?.[0]?.Body).toBe('poison');
    expect(visibleCount(harness, 'inbox')).toBe(0);
  });

  it('retries a batch whose invocation an injected Lambda fault failed', async () => {
    harness = await start({ faults: { serverErrorFirst: { 'lambda:Invoke': 1 } } });
    harness.sqs.createQueue({ QueueName: 'inbox', Attributes: { VisibilityTimeout: '3' } });
    const batches = recorder(harness, 'collect', () => null);
    sendAll(harness, 'inbox', ['once']);
    harness.lambda.createEventSourceMapping({
      FunctionName: 'collect',
      EventSourceArn: harness.sqs.queueArn('inbox'),
    });
    await eventually(() => expect(batches).toHaveLength(1), 5000);
    expect(batches[0]!.records[0]!.attributes.ApproximateReceiveCount).toBe('2');
    const outcomes = harness.lambda.eventSourceMappingInvocations();
    expect(outcomes[0]).toMatchObject({ ok: false, error: { name: 'ServiceException' } });
    await eventually(() => expect(visibleCount(harness!, 'inbox')).toBe(0));
  });
});
