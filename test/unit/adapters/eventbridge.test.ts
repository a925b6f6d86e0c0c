import { EventBridgeClient, PutEventsCommand, ThrottlingException } from '@aws-sdk/client-eventbridge';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import { createEventBusAdapter } from '../../../src/adapters/aws/eventbridge.js';
import { ServiceThrottledError } from '../../../src/core/errors.js';
import type { EventEntry } from '../../../src/core/ports.js';

const eventBridge = mockClient(EventBridgeClient);

const entry = (n: number): EventEntry => ({
  Source: 's3-batch-orchestrator',
  DetailType: 'Batch Job Status Changed',
  Detail: JSON.stringify({ eventId: `e-${n}`, jobId: 'job-1' }),
  EventBusName: 's3-batch-orchestrator-dev',
});

describe('createEventBusAdapter', () => {
  beforeEach(() => {
    eventBridge.reset();
  });

  it('sends the entries in one PutEvents call and reports no failure when all are accepted', async () => {
    // Prepare
    const time = new Date('2024-05-01T10:00:00Z');
    const entries = [
      entry(0),
      { ...entry(1), Resources: ['arn:aws:s3:us-west-2:123456789012:job/job-1'], Time: time },
    ];
    eventBridge
      .on(PutEventsCommand)
      .resolves({ FailedEntryCount: 0, Entries: [{ EventId: 'a' }, { EventId: 'b' }] });

    // Act
    const result = await createEventBusAdapter(new EventBridgeClient({})).putEvents(entries);

    // Assess
    expect(result).toEqual({ failed: [] });
    const calls = eventBridge.commandCalls(PutEventsCommand);
    expect(calls).toHaveLength(1);
    expect(calls[0]?.args[0].input).toEqual({ Entries: entries });
  });

  it('maps a partial failure to the indexes and codes of the entries sent', async () => {
    // Prepare
    eventBridge.on(PutEventsCommand).resolves({
      FailedEntryCount: 2,
      Entries: [
        { EventId: 'a' },
        { ErrorCode: 'ThrottlingException', ErrorMessage: 'Rate exceeded' },
        { EventId: 'c' },
        { ErrorCode: 'InternalFailure' },
      ],
    });

    // Act
    const result = await createEventBusAdapter(new EventBridgeClient({})).putEvents([0, 1, 2, 3].map(entry));

    // Assess
    expect(result).toEqual({
      failed: [
        { index: 1, errorCode: 'ThrottlingException', errorMessage: 'Rate exceeded' },
        { index: 3, errorCode: 'InternalFailure' },
      ],
    });
  });

  it('reports an entry with neither EventId nor ErrorCode as failed when the call says some failed', async () => {
    eventBridge.on(PutEventsCommand).resolves({ FailedEntryCount: 1, Entries: [{ EventId: 'a' }, {}] });

    const result = await createEventBusAdapter(new EventBridgeClient({})).putEvents([entry(0), entry(1)]);

    expect(result.failed).toEqual([expect.objectContaining({ index: 1, errorCode: 'UnknownFailure' })]);
  });

  it('refuses more than 10 entries without calling AWS', async () => {
    // Prepare
    const entries = Array.from({ length: 11 }, (_, n) => entry(n));

    // Act
    const act = createEventBusAdapter(new EventBridgeClient({})).putEvents(entries);

    // Assess
    await expect(act).rejects.toThrow(/at most 10 entries per call, got 11/);
    expect(eventBridge.calls()).toHaveLength(0);
  });

  it('does not call AWS for no entries', async () => {
    const result = await createEventBusAdapter(new EventBridgeClient({})).putEvents([]);

    expect(result).toEqual({ failed: [] });
    expect(eventBridge.calls()).toHaveLength(0);
  });

  it('translates a throttled call into ServiceThrottledError', async () => {
    eventBridge
      .on(PutEventsCommand)
      .rejects(new ThrottlingException({ message: 'Rate exceeded', $metadata: { httpStatusCode: 400 } }));

    const error = await createEventBusAdapter(new EventBridgeClient({}))
      .putEvents([entry(0)])
      .catch((e: unknown) => e);

    expect(error).toBeInstanceOf(ServiceThrottledError);
    expect((error as Error).message).toContain('EventBridge.PutEvents failed with ThrottlingException');
  });
});
