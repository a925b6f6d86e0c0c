/**
 * An EventBridge rule with an SQS target puts each matching event into the queue (the target's input as the
 * message body); events the pattern does not match never arrive. Real EventBridgeClient and SQSClient.
 */
import {
  EventBridgeClient,
  PutEventsCommand,
  PutRuleCommand,
  PutTargetsCommand,
} from '@aws-sdk/client-eventbridge';
import { CreateQueueCommand, ReceiveMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import { afterEach, expect, it } from 'vitest';
import { createEventsService } from '../../../emulator/events/index.js';
import { createLambdaService } from '../../../emulator/lambda/index.js';
import { createSqsService } from '../../../emulator/sqs/index.js';
import { ACCOUNT_ID, CREDENTIALS, createMemoryStorage, REGION, scaledClock, serveServices } from '../kit.js';

const cleanups: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function start() {
  const storage = createMemoryStorage();
  const clock = scaledClock(1);
  const sqs = createSqsService({ storage, clock, accountId: ACCOUNT_ID, region: REGION });
  const lambda = createLambdaService({ region: REGION, accountId: ACCOUNT_ID });
  const events = createEventsService({
    storage,
    clock,
    accountId: ACCOUNT_ID,
    region: REGION,
    schedules: false,
    delivery: { maxAttempts: 2, backoffSeconds: 0.01 },
    targets: {
      startExecution: async () => {},
      invokeLambda: lambda.invoker,
      sendSqsMessage: async (queueArn, body) => {
        sqs.sendMessage({ QueueUrl: queueArn, MessageBody: body });
      },
    },
  });
  const server = await serveServices({ sqs: sqs.handler, events: events.handler });
  const config = { endpoint: server.endpoint, region: REGION, credentials: CREDENTIALS };
  const sqsClient = new SQSClient(config);
  const eventsClient = new EventBridgeClient(config);
  cleanups.push(async () => {
    await events.drain();
    events.close();
    sqs.close();
    sqsClient.destroy();
    eventsClient.destroy();
    await server.close();
  });
  return { sqs, events, sqsClient, eventsClient };
}

it('delivers matching events to an SQS target and nothing else', async () => {
  const { sqs, events, sqsClient, eventsClient } = await start();
  const { QueueUrl } = await sqsClient.send(new CreateQueueCommand({ QueueName: 'uploads' }));
  await eventsClient.send(
    new PutRuleCommand({
      Name: 'jpg-uploads',
      EventPattern: JSON.stringify({
        source: ['aws.s3'],
        'detail-type': ['Object Created'],
        detail: { object: { key: [{ suffix: '.jpg' }] } },
      }),
    }),
  );
  const targets = await eventsClient.send(
    new PutTargetsCommand({ Rule: 'jpg-uploads', Targets: [{ Id: 'queue', Arn: sqs.queueArn('uploads') }] }),
  );
  expect(targets.FailedEntryCount).toBe(0);
  const entry = (key: string) => ({
    Source: 'aws.s3',
    DetailType: 'Object Created',
    Detail: JSON.stringify({ bucket: { name: 'photos' }, object: { key, size: 10 } }),
  });
  await eventsClient.send(
    new PutEventsCommand({ Entries: [entry('a.jpg'), entry('b.png'), entry('c.jpg')] }),
  );
  await events.drain();

  const received = await sqsClient.send(
    new ReceiveMessageCommand({ QueueUrl, MaxNumberOfMessages: 10, WaitTimeSeconds: 1 }),
  );
  const bodies = (received.Messages ?? []).map((message) => JSON.parse(message.Body!));
  expect(bodies.map((body) => body.detail.object.key).sort()).toEqual(['a.jpg', 'c.jpg']);
  expect(bodies[0]).toMatchObject({ source: 'aws.s3', 'detail-type': 'Object Created', account: ACCOUNT_ID });
  expect(events.deliveries().every((delivery) => delivery.ok)).toBe(true);
});

it('records a failed delivery when the target queue does not exist, after retrying', async () => {
  const { sqs, events, eventsClient } = await start();
  await eventsClient.send(
    new PutRuleCommand({ Name: 'all', EventPattern: JSON.stringify({ source: ['app'] }) }),
  );
  const missingArn = `arn:aws:sqs:${REGION}:${ACCOUNT_ID}:missing`;
  await eventsClient.send(new PutTargetsCommand({ Rule: 'all', Targets: [{ Id: 'q', Arn: missingArn }] }));
  await eventsClient.send(
    new PutEventsCommand({ Entries: [{ Source: 'app', DetailType: 'x', Detail: '{}' }] }),
  );
  await events.drain();
  const attempts = events.deliveries().filter((delivery) => delivery.targetArn === missingArn);
  expect(attempts.map((attempt) => [attempt.attempt, attempt.ok, attempt.error?.name])).toEqual([
    [1, false, 'QueueDoesNotExist'],
    [2, false, 'QueueDoesNotExist'],
  ]);
  expect(() => sqs.queueArn('missing')).toThrow(/does not exist/);
});
