import {
  CreateScheduleCommand,
  GetScheduleCommand,
  ResourceNotFoundException,
  UpdateScheduleCommand,
} from '@aws-sdk/client-scheduler';
import { describe, expect, it } from 'vitest';
import type { SchedulerFiring } from '../../../emulator/scheduler/index.js';
import { createMemoryStorage } from '../kit.js';
import { DLQ_ARN, ROLE_ARN, type SchedulerHarness, startSchedulerHarness, waitFor } from './helpers.js';

const CONTEXT_INPUT = JSON.stringify({
  campaign: 'weekly-public-tagging',
  scheduledTime: '<aws.scheduler.scheduled-time>',
  scheduleArn: '<aws.scheduler.schedule-arn>',
  executionId: '<aws.scheduler.execution-id>',
  attempt: '<aws.scheduler.attempt-number>',
  trigger: 'schedule',
});

async function withHarness(
  options: Parameters<typeof startSchedulerHarness>[0],
  body: (harness: SchedulerHarness) => Promise<void>,
): Promise<void> {
  const harness = await startSchedulerHarness(options);
  try {
    await body(harness);
  } finally {
    await harness.close();
  }
}

/** The first whole hour strictly after `ms`, as `<aws.scheduler.scheduled-time>` renders it. */
const nextHour = (ms: number) =>
  `${new Date((Math.floor(ms / 3_600_000) + 1) * 3_600_000).toISOString().slice(0, 19)}Z`;

const firingsOf = (harness: SchedulerHarness, name: string) =>
  harness.scheduler.firings().filter((firing) => firing.name === name);

/** The input the execution a firing started was given. */
async function executionInput(harness: SchedulerHarness, firing: SchedulerFiring) {
  expect(firing.result.ok).toBe(true);
  const executionArn = (firing.result as { executionArn: string }).executionArn;
  const execution = await harness.sfn.waitForExecution(executionArn, 5000);
  return { input: JSON.parse(execution.input), startDate: execution.startDate * 1000 };
}

describe('EventBridge Scheduler firing in emulated time', () => {
  it('fires a cron schedule at the local times of its time zone, skipping the spring-forward gap', async () => {
    // 2026-03-29 02:00 in Paris jumps to 03:00: the 02:30 of that day does not exist. A day per real second.
    await withHarness({ timeScale: 86_400, start: new Date('2026-03-26T00:00:00Z') }, async (harness) => {
      await harness.client.send(
        new CreateScheduleCommand({
          Name: 'nightly',
          ScheduleExpression: 'cron(30 2 * * ? *)',
          ScheduleExpressionTimezone: 'Europe/Paris',
          FlexibleTimeWindow: { Mode: 'OFF' },
          Target: { Arn: harness.echoArn, RoleArn: ROLE_ARN, Input: CONTEXT_INPUT },
        }),
      );
      // The schedule's own creation time, in emulated time: at a day per real second, a slow request on a
      // loaded machine can pass a slot or two before the schedule exists, and those are rightly not fired.
      const { CreationDate } = await harness.client.send(new GetScheduleCommand({ Name: 'nightly' }));
      const created = CreationDate!.getTime();
      const expected = [
        '2026-03-26T01:30:00Z', // 02:30 CET
        '2026-03-27T01:30:00Z',
        '2026-03-28T01:30:00Z',
        '2026-03-30T00:30:00Z', // 02:30 CEST; none on the 29th
        '2026-03-31T00:30:00Z',
        '2026-04-01T00:30:00Z',
      ].filter((slot) => Date.parse(slot) > created);

      const firings = await waitFor(
        () => firingsOf(harness, 'nightly'),
        (list) => list.some((firing) => firing.scheduledTime === '2026-03-31T00:30:00Z'),
        10_000,
      );

      const upToTheLast = firings.slice(
        0,
        firings.findIndex((firing) => firing.scheduledTime === '2026-03-31T00:30:00Z') + 1,
      );
      expect(upToTheLast.map((firing) => firing.scheduledTime)).toEqual(
        expected.slice(0, upToTheLast.length),
      );
      expect(upToTheLast.map((firing) => firing.scheduledTime)).toContain('2026-03-30T00:30:00Z');
      for (const firing of upToTheLast) {
        const slot = Date.parse(firing.scheduledTime);
        // Not before its time: the attempt and the execution start at or after the slot.
        expect(Date.parse(firing.attempts[0]!.at)).toBeGreaterThanOrEqual(slot);
        const { input, startDate } = await executionInput(harness, firing);
        expect(startDate).toBeGreaterThanOrEqual(slot);
        expect(input.scheduledTime).toBe(firing.scheduledTime);
      }
    });
  });

  it('substitutes the context attributes in the execution’s input', async () => {
    await withHarness({ timeScale: 1800, start: new Date('2026-12-06T10:30:00Z') }, async (harness) => {
      const created = harness.clock.now().getTime();
      const { ScheduleArn } = await harness.client.send(
        new CreateScheduleCommand({
          Name: 'context',
          ScheduleExpression: 'cron(0 * * * ? *)',
          FlexibleTimeWindow: { Mode: 'OFF' },
          Target: { Arn: harness.echoArn, RoleArn: ROLE_ARN, Input: CONTEXT_INPUT },
        }),
      );

      const [firing] = await waitFor(
        () => firingsOf(harness, 'context'),
        (list) => list.length >= 1,
      );

      const { input } = await executionInput(harness, firing!);
      expect(input).toEqual({
        campaign: 'weekly-public-tagging',
        scheduledTime: nextHour(created),
        scheduleArn: ScheduleArn,
        executionId: firing!.executionId,
        attempt: '1',
        trigger: 'schedule',
      });
      expect(firing!.executionId).toMatch(/^[a-z0-9]{16}$/);
    });
  });

  it('fires a rate schedule at once, then every period', async () => {
    await withHarness({ timeScale: 180_000, start: new Date('2026-12-06T10:00:00Z') }, async (harness) => {
      const created = harness.clock.now().getTime();
      harness.scheduler.createSchedule({
        Name: 'hourly',
        ScheduleExpression: 'rate(1 hour)',
        FlexibleTimeWindow: { Mode: 'OFF' },
        Target: { Arn: harness.echoArn, RoleArn: ROLE_ARN },
      });

      const firings = await waitFor(
        () => firingsOf(harness, 'hourly'),
        (list) => list.length >= 3,
      );

      const slots = firings.slice(0, 3).map((firing) => Date.parse(firing.scheduledTime));
      expect(slots[0]).toBeGreaterThanOrEqual(Math.floor(created / 1000) * 1000);
      expect(slots[0]).toBeLessThan(created + 600_000);
      expect(slots[1]! - slots[0]!).toBe(3_600_000);
      expect(slots[2]! - slots[1]!).toBe(3_600_000);
    });
  });

  it('fires at() once, in its time zone, and deletes it after with ActionAfterCompletion DELETE', async () => {
    await withHarness({ timeScale: 7200, start: new Date('2026-12-06T10:00:00Z') }, async (harness) => {
      // Two emulated hours (a real second) from now, on the wall clock of New York (EST, UTC-5).
      const slot = Math.ceil((harness.clock.now().getTime() + 2 * 3_600_000) / 60_000) * 60_000;
      const wall = new Date(slot - 5 * 3_600_000).toISOString().slice(0, 19);
      const scheduledTime = `${new Date(slot).toISOString().slice(0, 19)}Z`;
      for (const [name, after] of [
        ['once-deleted', 'DELETE'],
        ['once-kept', 'NONE'],
      ] as const) {
        await harness.client.send(
          new CreateScheduleCommand({
            Name: name,
            ScheduleExpression: `at(${wall})`,
            ScheduleExpressionTimezone: 'America/New_York',
            ActionAfterCompletion: after,
            FlexibleTimeWindow: { Mode: 'OFF' },
            Target: { Arn: harness.echoArn, RoleArn: ROLE_ARN },
          }),
        );
      }

      await waitFor(
        () => harness.scheduler.firings(),
        (list) => list.length >= 2,
      );
      await harness.scheduler.drain();

      // Both fire at the same slot, in no set order.
      expect(
        harness.scheduler
          .firings()
          .map((firing) => [firing.name, firing.scheduledTime])
          .sort(),
      ).toEqual([
        ['once-deleted', scheduledTime],
        ['once-kept', scheduledTime],
      ]);
      await expect(
        harness.client.send(new GetScheduleCommand({ Name: 'once-deleted' })),
      ).rejects.toBeInstanceOf(ResourceNotFoundException);
      expect((await harness.client.send(new GetScheduleCommand({ Name: 'once-kept' }))).State).toBe(
        'ENABLED',
      );
      // Hours later (emulated), neither fired again.
      await new Promise((resolve) => setTimeout(resolve, 200));
      expect(harness.scheduler.firings()).toHaveLength(2);
    });
  });

  it('never fires a DISABLED schedule, and fires it once enabled', async () => {
    await withHarness({ timeScale: 60_000, start: new Date('2026-12-06T10:00:00Z') }, async (harness) => {
      const schedule = {
        Name: 'paused',
        ScheduleExpression: 'rate(1 minute)',
        FlexibleTimeWindow: { Mode: 'OFF' as const },
        Target: { Arn: harness.echoArn, RoleArn: ROLE_ARN },
      };
      await harness.client.send(new CreateScheduleCommand({ ...schedule, State: 'DISABLED' }));

      // 200 real ms: over three emulated hours, 180 minutes of a rate(1 minute) schedule.
      await new Promise((resolve) => setTimeout(resolve, 200));
      expect(firingsOf(harness, 'paused')).toEqual([]);

      await harness.client.send(new UpdateScheduleCommand({ ...schedule, State: 'ENABLED' }));
      await waitFor(
        () => firingsOf(harness, 'paused'),
        (list) => list.length >= 1,
      );
    });
  });

  it('a restarted emulator whose clock starts earlier does not fire a slot twice', async () => {
    const storage = createMemoryStorage();
    const start = new Date('2026-12-06T10:30:00Z');
    let firstProcess: SchedulerHarness | undefined;
    await withHarness({ timeScale: 18_000, start, storage }, async (first) => {
      firstProcess = first;
      await first.client.send(
        new CreateScheduleCommand({
          Name: 'hourly-cron',
          ScheduleExpression: 'cron(0 * * * ? *)',
          FlexibleTimeWindow: { Mode: 'OFF' },
          Target: { Arn: first.echoArn, RoleArn: ROLE_ARN },
        }),
      );
      await waitFor(
        () => firingsOf(first, 'hourly-cron'),
        (list) => list.length >= 1,
      );
    });
    // Read once the first process has stopped: every slot it started firing is in its log.
    const lastSlotBefore = Math.max(
      ...firingsOf(firstProcess!, 'hourly-cron').map((firing) => Date.parse(firing.scheduledTime)),
    );

    // The second process's clock starts at 10:30 again, before the slots the first one fired.
    await withHarness({ timeScale: 18_000, start, storage }, async (second) => {
      const firings = await waitFor(
        () => firingsOf(second, 'hourly-cron'),
        (list) => list.length >= 1,
      );
      expect(Date.parse(firings[0]!.scheduledTime)).toBe(lastSlotBefore + 3_600_000);
    });
  });

  it('retries a throttled start with the attempt number in the input', async () => {
    let throttles = 2;
    await withHarness(
      {
        timeScale: 1800,
        start: new Date('2026-12-06T10:30:00Z'),
        targets: (real) => ({
          ...real,
          startExecution: async (arn, input) => {
            if (throttles-- > 0)
              throw Object.assign(new Error('Rate exceeded'), { code: 'ThrottlingException' });
            return real.startExecution(arn, input);
          },
        }),
      },
      async (harness) => {
        harness.scheduler.createSchedule({
          Name: 'throttled',
          ScheduleExpression: 'cron(0 * * * ? *)',
          FlexibleTimeWindow: { Mode: 'OFF' },
          Target: { Arn: harness.echoArn, RoleArn: ROLE_ARN, Input: CONTEXT_INPUT },
        });

        const [firing] = await waitFor(
          () => firingsOf(harness, 'throttled'),
          (list) => list.length >= 1,
        );

        expect(firing!.attempts.map((attempt) => attempt.ok)).toEqual([false, false, true]);
        expect(firing!.attempts[0]!.error).toEqual({ code: 'ThrottlingException', message: 'Rate exceeded' });
        const { input } = await executionInput(harness, firing!);
        expect(input).toMatchObject({ attempt: '3', executionId: firing!.executionId });
      },
    );
  });

  it('records what cannot be delivered on the dead-letter queue, without retrying a missing target', async () => {
    await withHarness({ timeScale: 1800, start: new Date('2026-12-06T10:30:00Z') }, async (harness) => {
      const missing = harness.echoArn.replace(':echo', ':deleted-machine');
      const created = harness.clock.now().getTime();
      const { ScheduleArn } = harness.scheduler.createSchedule({
        Name: 'broken',
        ScheduleExpression: 'cron(0 * * * ? *)',
        FlexibleTimeWindow: { Mode: 'OFF' },
        Target: { Arn: missing, RoleArn: ROLE_ARN, DeadLetterConfig: { Arn: DLQ_ARN } },
      });

      const [firing] = await waitFor(
        () => firingsOf(harness, 'broken'),
        (list) => list.length >= 1,
      );

      expect(firing!.attempts).toHaveLength(1);
      expect(firing!.result).toMatchObject({
        ok: false,
        deadLettered: true,
        error: { code: 'StateMachineDoesNotExist' },
      });
      expect(harness.scheduler.deadLetters()).toEqual([
        expect.objectContaining({
          deadLetterArn: DLQ_ARN,
          scheduleArn: ScheduleArn,
          targetArn: missing,
          scheduledTime: nextHour(created),
          attempts: 1,
          error: expect.objectContaining({ code: 'StateMachineDoesNotExist' }),
        }),
      ]);
    });
  });

  it('invokes a Lambda target with the rendered input as payload', async () => {
    await withHarness({ timeScale: 1800, start: new Date('2026-12-06T10:30:00Z') }, async (harness) => {
      const payloads: unknown[] = [];
      const fn = harness.lambda.registerFunction('on-schedule', async (payload) => {
        payloads.push(payload);
        return { ok: true };
      });
      const created = harness.clock.now().getTime();
      harness.scheduler.createSchedule({
        Name: 'to-lambda',
        ScheduleExpression: 'cron(0 * * * ? *)',
        FlexibleTimeWindow: { Mode: 'OFF' },
        Target: { Arn: fn.FunctionArn, RoleArn: ROLE_ARN, Input: CONTEXT_INPUT },
      });

      const [firing] = await waitFor(
        () => firingsOf(harness, 'to-lambda'),
        (list) => list.length >= 1,
      );

      expect(firing!.result).toEqual({ ok: true, functionResult: { ok: true } });
      expect(payloads).toEqual([expect.objectContaining({ scheduledTime: nextHour(created), attempt: '1' })]);
    });
  });
});
