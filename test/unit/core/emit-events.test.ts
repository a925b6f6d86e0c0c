import { describe, expect, it } from 'vitest';
import { emitEvents } from '../../../src/core/events/emit-events.js';
import { detailTypes } from '../../../src/core/names.js';
import type { EventBusPort, EventEntry } from '../../../src/core/ports.js';
import { validateTriggerFlushedDetail } from '../../../src/generated/validators.js';

const deps = (sent: EventEntry[]) => ({
  bus: {
    async putEvents(entries) {
      sent.push(...entries);
      return { failed: [] };
    },
  } satisfies EventBusPort,
  config: { stage: 'dev', eventBusName: 's3-batch-orchestrator-dev', eventSource: 's3-batch-orchestrator' },
  clock: { now: () => new Date('2026-03-01T02:01:00.000Z') },
});

describe('emitEvents', () => {
  it('fails before sending anything when an event type has no validator among those given', async () => {
    // Prepare: a caller that names only TriggerFlushed's validator emits a Rejected event.
    const sent: EventEntry[] = [];
    const rejected = { detailType: detailTypes.rejected, detail: { eventId: 'e1' } };

    // Act
    const emitting = emitEvents(deps(sent), { [detailTypes.triggerFlushed]: validateTriggerFlushedDetail }, [
      rejected,
    ]);

    // Assess
    await expect(emitting).rejects.toThrow(`"${detailTypes.rejected}" has no detail validator`);
    expect(sent).toEqual([]);
  });

  it('checks each detail against the validator of its type', async () => {
    // Prepare
    const sent: EventEntry[] = [];
    const flushed = { detailType: detailTypes.triggerFlushed, detail: { eventId: 'e1' } };

    // Act
    const emitting = emitEvents(deps(sent), { [detailTypes.triggerFlushed]: validateTriggerFlushedDetail }, [
      flushed,
    ]);

    // Assess
    await expect(emitting).rejects.toThrow(`"${detailTypes.triggerFlushed}" detail breaks its schema`);
    expect(sent).toEqual([]);
  });
});
