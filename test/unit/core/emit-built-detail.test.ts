import { describe, expect, it } from 'vitest';
import { emitBuiltDetail } from '../../../src/core/events/emit-built-detail.js';
import { eventId } from '../../../src/core/events/event-common.js';
import type { EventBusPort, EventEntry } from '../../../src/core/ports.js';
import { aCampaignExecution } from '../../builders/campaign.js';

const config = {
  stage: 'dev',
  eventBusName: 's3-batch-orchestrator-dev',
  eventSource: 's3-batch-orchestrator',
};
const clock = { now: () => new Date('2026-03-01T02:01:00.000Z') };

function recordingBus(): EventBusPort & { sent: EventEntry[] } {
  const sent: EventEntry[] = [];
  return {
    sent,
    async putEvents(entries) {
      sent.push(...entries);
      return { failed: [] };
    },
  };
}

const completed = {
  campaign: 'weekly-tagging',
  runId: 'weekly-tagging-20260301T0200Z',
  scheduledTime: '2026-03-01T02:00:00.000Z',
  trigger: 'schedule',
  outcome: 'Failed',
  reason: 'budget.maxUsd: over budget',
  field: 'budget.maxUsd',
  targets: [],
  totals: {
    targets: 0,
    succeededTargets: 0,
    partialTargets: 0,
    failedTargets: 0,
    tasks: 0,
    succeededTasks: 0,
    failedTasks: 0,
  },
  cost: { estimatedUsd: 0 },
};

describe('emitBuiltDetail', () => {
  it('adds the common fields, with an id stable per execution and step, and puts it on the stage bus', async () => {
    // Prepare
    const bus = recordingBus();
    const request = {
      detailType: 'Campaign Completed',
      step: 'CampaignCompleted',
      executionArn: aCampaignExecution.arn,
      detail: completed,
    };

    // Act
    await emitBuiltDetail({ bus, config, clock }, request);
    await emitBuiltDetail({ bus, config, clock }, request);

    // Assess
    expect(bus.sent).toHaveLength(2);
    const [first, retried] = bus.sent.map((entry) => JSON.parse(entry.Detail));
    expect(first).toEqual({
      eventId: eventId(aCampaignExecution.arn, 'CampaignCompleted'),
      executionArn: aCampaignExecution.arn,
      stage: 'dev',
      occurredAt: '2026-03-01T02:01:00.000Z',
      ...completed,
    });
    expect(retried.eventId).toBe(first.eventId);
    expect(bus.sent[0]).toMatchObject({
      DetailType: 'Campaign Completed',
      EventBusName: config.eventBusName,
      Resources: [aCampaignExecution.arn],
    });
  });

  it('refuses a detail that breaks its schema, an unknown detail type, and a detail setting the common fields', async () => {
    // Prepare
    const bus = recordingBus();
    const base = {
      detailType: 'Campaign Completed',
      step: 'CampaignCompleted',
      executionArn: aCampaignExecution.arn,
    };

    // Act / Assess
    await expect(
      emitBuiltDetail({ bus, config, clock }, { ...base, detail: { ...completed, outcome: 'Maybe' } }),
    ).rejects.toThrow('breaks its schema at /outcome');
    await expect(
      emitBuiltDetail({ bus, config, clock }, { ...base, detailType: 'Campaign Paused', detail: completed }),
    ).rejects.toThrow('not an orchestrator event');
    await expect(
      emitBuiltDetail({ bus, config, clock }, { ...base, detail: { ...completed, eventId: 'x' } }),
    ).rejects.toThrow('detail.eventId');
    expect(bus.sent).toEqual([]);
  });
});
