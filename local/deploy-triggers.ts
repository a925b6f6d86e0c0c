/**
 * The local deploy's coalescing triggers: per trigger, exactly what triggers/resources.cjs makes on AWS (a
 * queue with its dead-letter queue after 5 receives, the rule on the default bus with the queue as target,
 * the event source mapping to collect-objects), on the emulator's in-process SQS and Lambda APIs and its
 * EventBridge API; and the `rate(1 minute)` rule that runs flush-triggers.
 *
 * Triggers given as objects (a test's, over local buckets) are written to a folder of their own, which the
 * trigger functions read through S3BO_TRIGGERS_DIR, as they read triggers/ on AWS.
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type EventBridgeClient, PutRuleCommand, PutTargetsCommand } from '@aws-sdk/client-eventbridge';
import type { LocalAws } from '../emulator/index.js';
import { parseTrigger, type Trigger } from '../src/core/triggers/parse-trigger.js';
import { mappingBatchingWindowSeconds } from '../src/core/triggers/pending-state.js';
import { triggerDeadLetterQueueName, triggerQueueName } from '../src/core/triggers/trigger-names.js';
import { collectorTimeoutSeconds, eventPatternOf, maxReceiveCount } from '../triggers/resources.cjs';
import { projectRoot } from './serverless-config.js';

/** What the trigger functions' environment needs, before they are registered. */
export interface LocalTriggerFiles {
  triggers: Trigger[];
  /** S3BO_TRIGGERS and S3BO_TRIGGERS_DIR. */
  environment: Record<string, string>;
}

/** Reads and checks the triggers (names of files in triggers/, or objects) and puts them where the functions look. */
export function prepareTriggerFiles(listed: readonly (string | object)[]): LocalTriggerFiles {
  const triggers = listed.map((entry) => {
    const input =
      typeof entry === 'string'
        ? (JSON.parse(readFileSync(join(projectRoot, 'triggers', `${entry}.json`), 'utf8')) as unknown)
        : entry;
    return parseTrigger(input);
  });
  const names = triggers.map((trigger) => trigger.name);
  const duplicate = names.find((name, i) => names.indexOf(name) !== i);
  if (duplicate !== undefined) throw new Error(`local deploy: trigger "${duplicate}" is listed twice`);
  const fromObjects = listed.some((entry) => typeof entry !== 'string');
  let dir = join(projectRoot, 'triggers');
  if (fromObjects) {
    dir = mkdtempSync(join(tmpdir(), 's3bo-triggers-'));
    for (const trigger of triggers) writeFileSync(join(dir, `${trigger.name}.json`), JSON.stringify(trigger));
  }
  return { triggers, environment: { S3BO_TRIGGERS: names.join(','), S3BO_TRIGGERS_DIR: dir } };
}

export interface TriggerDeployment {
  stage: string;
  triggers: readonly Trigger[];
  collectFunctionName: string;
  flushFunctionArn: string;
}

/** Creates (or, in a data directory deployed before, finds) each trigger's queues, rule and mapping. */
export async function deployTriggers(
  aws: LocalAws,
  events: EventBridgeClient,
  deployment: TriggerDeployment,
): Promise<Record<string, { queueUrl: string; deadLetterQueueUrl: string }>> {
  const { stage } = deployment;
  const queues: Record<string, { queueUrl: string; deadLetterQueueUrl: string }> = {};
  for (const trigger of deployment.triggers) {
    const batchingWindow = mappingBatchingWindowSeconds(trigger.window);
    const { QueueUrl: deadLetterQueueUrl } = aws.sqs.createQueue({
      QueueName: triggerDeadLetterQueueName(stage, trigger.name),
      Attributes: { MessageRetentionPeriod: '1209600' },
    });
    const deadLetterArn = queueArnOf(aws, deadLetterQueueUrl);
    const { QueueUrl: queueUrl } = aws.sqs.createQueue({
      QueueName: triggerQueueName(stage, trigger.name),
      Attributes: {
        VisibilityTimeout: String(6 * collectorTimeoutSeconds + batchingWindow),
        MessageRetentionPeriod: '1209600',
        RedrivePolicy: JSON.stringify({ deadLetterTargetArn: deadLetterArn, maxReceiveCount }),
      },
    });
    const queueArn = queueArnOf(aws, queueUrl);
    const ruleName = triggerQueueName(stage, trigger.name);
    await events.send(
      new PutRuleCommand({ Name: ruleName, EventPattern: JSON.stringify(eventPatternOf(trigger.source)) }),
    );
    await events.send(
      new PutTargetsCommand({ Rule: ruleName, Targets: [{ Id: 'trigger-queue', Arn: queueArn }] }),
    );
    const existing = aws.lambda.listEventSourceMappings({
      EventSourceArn: queueArn,
      FunctionName: deployment.collectFunctionName,
    });
    if (existing.length === 0) {
      aws.lambda.createEventSourceMapping({
        FunctionName: deployment.collectFunctionName,
        EventSourceArn: queueArn,
        BatchSize: Math.min(trigger.window.maxObjects, 10000),
        MaximumBatchingWindowInSeconds: batchingWindow,
        FunctionResponseTypes: ['ReportBatchItemFailures'],
      });
    }
    queues[trigger.name] = { queueUrl, deadLetterQueueUrl };
  }
  if (deployment.triggers.length > 0) {
    const flushRule = `${deployment.collectFunctionName.replace(/collect-objects$/, 'flush-triggers')}-schedule`;
    await events.send(new PutRuleCommand({ Name: flushRule, ScheduleExpression: 'rate(1 minute)' }));
    await events.send(
      new PutTargetsCommand({
        Rule: flushRule,
        Targets: [{ Id: 'function', Arn: deployment.flushFunctionArn }],
      }),
    );
  }
  return queues;
}

function queueArnOf(aws: LocalAws, queueUrl: string): string {
  const arn = aws.sqs.getQueueAttributes({ QueueUrl: queueUrl, AttributeNames: ['QueueArn'] }).Attributes
    ?.QueueArn;
  if (!arn) throw new Error(`local deploy: ${queueUrl} has no QueueArn`);
  return arn;
}
