/** Builders shared by the trigger tests: a trigger, S3 Object Created events as SQS records, in-memory ports. */
import { readFileSync } from 'node:fs';
import type { EmitDeps } from '../../../../src/core/events/emit-events.js';
import type { EventBusPort, EventEntry, WorkflowPort } from '../../../../src/core/ports.js';
import type { CollectDeps, SqsRecord } from '../../../../src/core/triggers/collect-objects.js';
import { parseTrigger, type Trigger } from '../../../../src/core/triggers/parse-trigger.js';
import { queueNamePrefix, triggerQueueName } from '../../../../src/core/triggers/trigger-names.js';
import { MemoryObjectStore } from '../../../doubles/memory-ports.js';

// The S3 User Guide's "Object Created" event.
const fixture = JSON.parse(readFileSync('test/fixtures/s3-object-created.json', 'utf8'));

export const sourceBucket = 'photos';
export const stateBucket = 'state';
export const stateMachineArn =
  'arn:aws:states:us-east-1:123456789012:stateMachine:s3-batch-orchestrator-dev-batch-job';

export const triggerInput = (overrides: Record<string, unknown> = {}) => ({
  name: 'thumbs',
  source: { buckets: [sourceBucket], prefix: 'uploads/' },
  job: {
    operation: { S3PutObjectTagging: { TagSet: [{ Key: 'thumb', Value: 'pending' }] } },
    report: { enabled: false },
  },
  window: { maxObjects: 500, maxWaitSeconds: 300, minObjects: 100 },
  ...overrides,
});

export const buildTrigger = (overrides: Record<string, unknown> = {}): Trigger =>
  parseTrigger(triggerInput(overrides));

/** The EventBridge event for one upload, as SQS delivers it in a message body. */
export function objectCreatedBody(
  key: string,
  object: Record<string, unknown> = {},
  bucket = sourceBucket,
): string {
  const { 'version-id': _version, ...unversioned } = fixture.detail.object;
  return JSON.stringify({
    ...fixture,
    detail: {
      ...fixture.detail,
      bucket: { name: bucket },
      object: { ...unversioned, key, size: 10, ...object },
    },
  });
}

let messages = 0;
export function sqsRecord(body: string, trigger = 'thumbs'): SqsRecord {
  messages++;
  return {
    messageId: `m-${messages}`,
    body,
    eventSourceARN: `arn:aws:sqs:us-east-1:123456789012:${triggerQueueName('dev', trigger)}`,
  };
}

/** StartExecution as Step Functions answers it: a name reused with another input is ExecutionAlreadyExists. */
export function recordingWorkflow(): WorkflowPort & {
  starts: { name: string; input: object }[];
  failNext: number;
} {
  const starts: { name: string; input: object }[] = [];
  const workflow = {
    starts,
    failNext: 0,
    async startExecution(arn: string, name: string, input: object) {
      if (workflow.failNext > 0) {
        workflow.failNext--;
        throw new Error('ServiceUnavailable');
      }
      const existing = starts.find((start) => start.name === name);
      if (existing && JSON.stringify(existing.input) !== JSON.stringify(input)) {
        throw new Error(`ExecutionAlreadyExists: ${name}`);
      }
      if (!existing) starts.push({ name, input });
      return {
        executionArn: `${arn.replace(':stateMachine:', ':execution:')}:${name}`,
        alreadyExisted: !!existing,
      };
    },
    async sendTaskSuccess() {},
  };
  return workflow;
}

export function recordingBus(): EventBusPort & { entries: EventEntry[] } {
  const entries: EventEntry[] = [];
  return {
    entries,
    async putEvents(sent) {
      entries.push(...sent);
      return { failed: [] };
    },
  };
}

/** Everything collectObjects and flushTriggers need, in memory, with a clock the test moves. */
export function setup(triggers: Trigger[] = [buildTrigger()]) {
  const clock = { time: new Date('2026-12-01T10:00:00.000Z'), now: () => clock.time };
  const objects = new MemoryObjectStore();
  objects.buckets.add(stateBucket);
  const workflow = recordingWorkflow();
  const bus = recordingBus();
  const events: EmitDeps = {
    bus,
    config: { stage: 'dev', eventBusName: 's3-batch-orchestrator-dev', eventSource: 's3-batch-orchestrator' },
    clock,
    delivery: { maxAttempts: 2, sleep: async () => {} },
  };
  const byName = new Map(triggers.map((trigger) => [trigger.name, trigger]));
  const deps: CollectDeps = {
    objects,
    stateBucket,
    workflow,
    stateMachineArn,
    events,
    clock,
    pause: async () => {},
    queuePrefix: queueNamePrefix('dev'),
    loadTrigger: async (name) => {
      const trigger = byName.get(name);
      if (!trigger)
        throw new (await import('../../../../src/core/errors.js')).RequestValidationError(
          'trigger',
          `${name} is not enabled`,
        );
      return trigger;
    },
  };
  const advance = (seconds: number) => {
    clock.time = new Date(clock.time.getTime() + seconds * 1000);
  };
  return { deps, objects, workflow, bus, clock, advance };
}
