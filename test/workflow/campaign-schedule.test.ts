/**
 * A campaign scheduled by the local deploy fires from its cron expression, in its time zone, in emulated time:
 * EventBridge Scheduler starts the campaign machine with the campaign and the scheduled time, and the run
 * tags its targets' objects.
 */
import { describe, expect, it } from 'vitest';
import { campaignScheduleGroupName } from '../../src/core/names.js';
import {
  aTaggingCampaign,
  campaignMachineArn,
  eventuallyAsync,
  executionsOf,
  seedTaggingLayout,
  taggingLayout,
  tagsOf,
} from './campaign-helpers.js';
import { eventually, harnessPerTest } from './harness.js';

const harnesses = harnessPerTest();
/** 1 emulated hour = 2 real seconds. */
const timeScale = 1800;
const minuteMs = 60_000;

/** `HH`, `MM` of a UTC instant in Asia/Kolkata (UTC+05:30 all year: no daylight saving time to reason about). */
function kolkataClock(utc: Date): { hour: number; minute: number } {
  const local = new Date(utc.getTime() + 330 * minuteMs);
  return { hour: local.getUTCHours(), minute: local.getUTCMinutes() };
}

describe('a scheduled campaign', () => {
  it('fires from its cron schedule in its time zone, not before, and runs with the scheduled time', async () => {
    // Prepare: a daily cron, in Kolkata time, for a minute about 90 emulated minutes (3 real seconds) ahead;
    // the emulated clock starts at the real time when the harness starts, so the deploy has time to finish.
    const slot = new Date(Math.ceil((Date.now() + 90 * minuteMs) / minuteMs) * minuteMs);
    const { hour, minute } = kolkataClock(slot);
    const campaign = aTaggingCampaign({
      schedule: { expression: `cron(${minute} ${hour} * * ? *)`, timezone: 'Asia/Kolkata' },
    });
    const h = await harnesses.start({ timeScale, campaigns: [campaign] });
    seedTaggingLayout(h);
    const started = () => executionsOf(h, campaignMachineArn(h));

    // Assess: the deploy created the schedule in the stage's group
    expect(h.project.scheduleGroup).toBe(campaignScheduleGroupName(h.project.stage));
    expect(Object.keys(h.project.campaignSchedules)).toEqual(['weekly-tagging']);
    expect(
      h.aws.scheduler.getSchedule({ Name: 'weekly-tagging', GroupName: h.project.scheduleGroup }),
    ).toMatchObject({
      ScheduleExpression: `cron(${minute} ${hour} * * ? *)`,
      ScheduleExpressionTimezone: 'Asia/Kolkata',
      State: 'ENABLED',
      Target: { Arn: campaignMachineArn(h) },
    });

    // Act / Assess: nothing runs before the slot
    expect(h.aws.clock.now().getTime()).toBeLessThan(slot.getTime() - 5 * minuteMs);
    await eventually(
      () => h.aws.clock.now().getTime(),
      (emulatedNow) => emulatedNow >= slot.getTime() - 5 * minuteMs,
      30_000,
    );
    expect(await started()).toEqual([]);
    expect(h.aws.scheduler.fired()).toEqual([]);

    // Act / Assess: at the slot, one execution, for that scheduled time
    const [execution] = await eventuallyAsync(started, (executions) => executions.length > 0, 30_000);
    expect(execution!.startMs).toBeGreaterThanOrEqual(slot.getTime());
    const run = await h.await(execution!.executionArn, 120_000);
    expect(run.status).toBe('SUCCEEDED');
    expect(h.aws.scheduler.fired()).toMatchObject([
      { name: 'weekly-tagging', scheduledTime: slot.toISOString().replace('.000Z', 'Z') },
    ]);
    expect(run.output).toMatchObject({
      runId: `weekly-tagging-${slot.toISOString().slice(0, 16).replace(/[-:]/g, '')}Z`,
      outcome: 'Succeeded',
    });
    expect(h.event('Campaign Started')).toMatchObject({
      trigger: 'schedule',
      scheduledTime: slot.toISOString(),
    });
    for (const key of taggingLayout.logs)
      expect(tagsOf(h, key)).toEqual([{ Key: 'classification', Value: 'internal' }]);
    expect(await started()).toHaveLength(1);
  });
});
