import { describe, expect, it } from 'vitest';
import { EventDeliveryError, ServiceThrottledError } from '../../../src/core/errors.js';
import { defaultDeliveryAttempts, deliverEvents } from '../../../src/core/events/deliver-events.js';
import type { EventBusPort, EventEntry, PutEventsResult } from '../../../src/core/ports.js';

const entry = (n: number): EventEntry => ({
  Source: 's3-batch-orchestrator',
  DetailType: 'Batch Job Submitted',
  Detail: JSON.stringify({ n }),
  EventBusName: 'bus',
});

/** A bus that answers each call from a script and records what it was sent. */
function scriptedBus(
  answers: ((entries: EventEntry[]) => PutEventsResult)[],
): EventBusPort & { calls: EventEntry[][] } {
  const calls: EventEntry[][] = [];
  return {
    calls,
    async putEvents(entries) {
      calls.push(entries);
      const answer = answers.shift() ?? (() => ({ failed: [] }));
      return answer(entries);
    },
  };
}
const noSleep = { sleep: async () => {}, random: () => 0.5 };

describe('deliverEvents', () => {
  it('sends at most 10 entries per PutEvents call', async () => {
    const bus = scriptedBus([]);
    await deliverEvents(
      bus,
      Array.from({ length: 23 }, (_, i) => entry(i)),
      noSleep,
    );
    expect(bus.calls.map((c) => c.length)).toEqual([10, 10, 3]);
  });

  it('resends exactly the entries PutEvents reported as failed', async () => {
    const bus = scriptedBus([
      () => ({
        failed: [
          { index: 1, errorCode: 'InternalFailure' },
          { index: 3, errorCode: 'ThrottlingException' },
        ],
      }),
    ]);
    await deliverEvents(bus, [entry(0), entry(1), entry(2), entry(3)], noSleep);
    expect(bus.calls[1]!.map((e) => JSON.parse(e.Detail).n)).toEqual([1, 3]);
    expect(bus.calls).toHaveLength(2);
  });

  it('gives up after the bounded attempts with a retryable EventDeliveryError', async () => {
    const alwaysFail = () => ({ failed: [{ index: 0, errorCode: 'InternalFailure' }] });
    const bus = scriptedBus(Array.from({ length: 10 }, () => alwaysFail));
    const delivery = deliverEvents(bus, [entry(0)], { ...noSleep, maxAttempts: 3 });
    await expect(delivery).rejects.toBeInstanceOf(EventDeliveryError);
    await expect(delivery).rejects.toMatchObject({ retryable: true });
    expect(bus.calls).toHaveLength(3);
  });

  it('makes at most defaultDeliveryAttempts (3) calls per batch by default: Step Functions retries the rest', async () => {
    // Prepare
    const alwaysFail = () => ({ failed: [{ index: 0, errorCode: 'InternalFailure' }] });
    const bus = scriptedBus(Array.from({ length: 10 }, () => alwaysFail));

    // Act
    const delivery = deliverEvents(bus, [entry(0)], noSleep);

    // Assess
    await expect(delivery).rejects.toBeInstanceOf(EventDeliveryError);
    expect(defaultDeliveryAttempts).toBe(3);
    expect(bus.calls).toHaveLength(3);
  });

  it('backs off with full jitter between resends of failed entries', async () => {
    // Prepare
    const waits: number[] = [];
    const failFirst = () => ({ failed: [{ index: 0, errorCode: 'ThrottlingException' }] });
    const bus = scriptedBus([failFirst, failFirst]);

    // Act
    await deliverEvents(bus, [entry(0)], {
      sleep: async (ms) => void waits.push(ms),
      random: () => 0.99,
      baseDelayMs: 100,
    });

    // Assess
    expect(bus.calls).toHaveLength(3);
    expect(waits).toEqual([99, 198]);
  });

  it('does not retry a thrown throttling error: the SDK already retried that call (one layer per call)', async () => {
    // Prepare
    let calls = 0;
    const bus: EventBusPort = {
      async putEvents() {
        calls++;
        throw new ServiceThrottledError('PutEvents: ThrottlingException');
      },
    };

    // Act
    const delivery = deliverEvents(bus, [entry(0)], noSleep);

    // Assess: the retryable error reaches Step Functions, whose Retry runs the task again
    await expect(delivery).rejects.toBeInstanceOf(ServiceThrottledError);
    await expect(delivery).rejects.toMatchObject({ retryable: true });
    expect(calls).toBe(1);
  });

  it('does not retry an error that is not retryable', async () => {
    const bus: EventBusPort = {
      async putEvents() {
        throw new Error('AccessDenied');
      },
    };
    await expect(deliverEvents(bus, [entry(0)], noSleep)).rejects.toThrow('AccessDenied');
  });
});
