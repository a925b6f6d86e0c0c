/**
 * SQS in the embedded local AWS: routed by `x-amz-target: AmazonSQS.*` on the shared endpoint, EventBridge
 * rules deliver to queues, event source mappings feed functions, and queues, messages and mappings survive a
 * restart on a data directory.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { EventBridgeClient, PutRuleCommand, PutTargetsCommand } from '@aws-sdk/client-eventbridge';
import { ListQueuesCommand, SQSClient } from '@aws-sdk/client-sqs';
import { afterEach, expect, it } from 'vitest';
import { type LocalAws, startLocalAws } from '../../../emulator/index.js';
import { eventually } from '../events/helpers.js';
import { CREDENTIALS } from '../kit.js';

const started: LocalAws[] = [];
const directories: string[] = [];
afterEach(async () => {
  for (const aws of started.splice(0)) await aws.stop();
  for (const directory of directories.splice(0)) rmSync(directory, { recursive: true, force: true });
});

async function start(options: { dataDir?: string } = {}): Promise<LocalAws> {
  const aws = await startLocalAws({
    port: 0,
    timeScale: 100,
    ...(options.dataDir ? { dataDir: options.dataDir } : { inMemory: true }),
  });
  started.push(aws);
  return aws;
}

it('delivers an event through a rule, its SQS target and an event source mapping to a function', async () => {
  const aws = await start();
  const bodies: unknown[] = [];
  aws.lambda.registerFunction('collect', async (event) => {
    for (const record of (event as { Records: Array<{ body: string }> }).Records)
      bodies.push(JSON.parse(record.body));
    return { batchItemFailures: [] };
  });
  const { QueueUrl } = aws.sqs.createQueue({ QueueName: 'trigger-thumbnails' });
  expect(QueueUrl).toBe(`${aws.url}/${aws.accountId}/trigger-thumbnails`);
  const config = { endpoint: aws.url, region: aws.region, credentials: CREDENTIALS };
  const events = new EventBridgeClient(config);
  const sqs = new SQSClient(config);
  try {
    await events.send(
      new PutRuleCommand({
        Name: 'thumbnails',
        EventPattern: JSON.stringify({ 'detail-type': ['Object Created'] }),
      }),
    );
    await events.send(
      new PutTargetsCommand({
        Rule: 'thumbnails',
        Targets: [{ Id: 'queue', Arn: aws.sqs.queueArn('trigger-thumbnails') }],
      }),
    );
    const listed = await sqs.send(new ListQueuesCommand({}));
    expect(listed.QueueUrls).toEqual([QueueUrl]);
  } finally {
    events.destroy();
    sqs.destroy();
  }
  aws.lambda.createEventSourceMapping({
    FunctionName: 'collect',
    EventSourceArn: aws.sqs.queueArn('trigger-thumbnails'),
    BatchSize: 100,
    MaximumBatchingWindowInSeconds: 1,
    FunctionResponseTypes: ['ReportBatchItemFailures'],
  });
  aws.events.putEvents([
    { Source: 'aws.s3', DetailType: 'Object Created', Detail: JSON.stringify({ object: { key: 'a.jpg' } }) },
    { Source: 'aws.s3', DetailType: 'Object Deleted', Detail: JSON.stringify({ object: { key: 'b.jpg' } }) },
  ]);
  await eventually(() => expect(bodies).toHaveLength(1), 5000);
  expect(bodies[0]).toMatchObject({ 'detail-type': 'Object Created', detail: { object: { key: 'a.jpg' } } });
});

it('keeps queues, messages and mappings across a restart on a data directory', async () => {
  const dataDir = mkdtempSync(join(tmpdir(), 's3bo-sqs-'));
  directories.push(dataDir);
  const first = await start({ dataDir });
  first.sqs.createQueue({ QueueName: 'durable' });
  first.sqs.sendMessage({ QueueUrl: 'durable', MessageBody: 'kept' });
  first.lambda.registerFunction('collect', async () => null);
  const mapping = first.lambda.createEventSourceMapping({
    FunctionName: 'collect',
    EventSourceArn: first.sqs.queueArn('durable'),
    Enabled: false,
  });
  await first.stop();
  started.splice(0);

  const second = await start({ dataDir });
  expect(second.lambda.getEventSourceMapping(mapping.UUID)).toMatchObject({ State: 'Disabled' });
  const bodies: string[] = [];
  second.lambda.registerFunction('collect', async (event) => {
    for (const record of (event as { Records: Array<{ body: string }> }).Records) bodies.push(record.body);
    return null;
  });
  second.lambda.updateEventSourceMapping({ UUID: mapping.UUID, Enabled: true });
  await eventually(() => expect(bodies).toEqual(['kept']), 5000);
});
