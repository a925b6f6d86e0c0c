import { describe, expect, it } from 'vitest';
import type { Storage } from '../../../emulator/contracts.js';
import { createEventsService, type EventsService } from '../../../emulator/events/index.js';
import { createMemoryStorage, scaledClock } from '../kit.js';
import { ACCOUNT_ID, eventually, REGION } from './helpers.js';

const STATE_MACHINE = `arn:aws:states:${REGION}:${ACCOUNT_ID}:stateMachine:on-schedule`;
const START = new Date('2026-12-06T10:30:00Z');

interface Started {
  event: { time: string; resources: string[]; 'detail-type': string };
  /** Emulated time when the target was called. */
  at: number;
}

function startEvents(storage: Storage, timeScale: number) {
  const clock = scaledClock(timeScale, START);
  const started: Started[] = [];
  const service = createEventsService({
    storage,
    clock,
    accountId: ACCOUNT_ID,
    region: REGION,
    targets: {
      startExecution: async (_arn, input) => {
        started.push({ event: JSON.parse(input), at: clock.now().getTime() });
      },
      invokeLambda: { invoke: async () => ({}) },
    },
  });
  const call = (operation: string, body: object) =>
    service.handler({
      method: 'POST',
      url: '/',
      path: '/',
      query: new URLSearchParams(),
      host: 'localhost',
      headers: { 'x-amz-target': `AWSEvents.${operation}` },
      body: Buffer.from(JSON.stringify(body)),
    });
  return { service, started, call, clock };
}

async function stop(service: EventsService) {
  service.close();
  await service.drain();
}

describe('cron(...) rules', () => {
  it('fire at their UTC slots in emulated time, with the slot as the event time', async () => {
    // 1,800x: an emulated hour passes every two real seconds.
    const { service, started, call, clock } = startEvents(createMemoryStorage(), 1800);
    try {
      const created = clock.now().getTime();
      const slot = (Math.floor(created / 3_600_000) + 1) * 3_600_000;
      const put = await call('PutRule', { Name: 'hourly', ScheduleExpression: 'cron(0 * * * ? *)' });
      expect(put.status).toBe(200);
      await call('PutTargets', { Rule: 'hourly', Targets: [{ Id: 'sfn', Arn: STATE_MACHINE }] });

      await eventually(() => expect(started.length).toBeGreaterThan(0), 5000);

      const [first] = started;
      expect(first!.event).toMatchObject({
        'detail-type': 'Scheduled Event',
        time: new Date(slot).toISOString().replace('.000Z', 'Z'),
        resources: [`arn:aws:events:${REGION}:${ACCOUNT_ID}:rule/hourly`],
      });
      // Not before the slot.
      expect(first!.at).toBeGreaterThanOrEqual(slot);
    } finally {
      await stop(service);
    }
  });

  it('are validated with the shared cron grammar', async () => {
    const { service, call } = startEvents(createMemoryStorage(), 1);
    try {
      for (const expression of ['cron(0 1 * * * *)', 'cron(61 * * * ? *)', 'cron(0 0 ? * 2#6 *)']) {
        const response = await call('PutRule', { Name: 'bad', ScheduleExpression: expression });
        expect(response.status).toBe(400);
        expect(JSON.parse(String(response.body))).toMatchObject({ __type: 'ValidationException' });
      }
      const rangeWithNth = await call('PutRule', {
        Name: 'bad',
        ScheduleExpression: 'cron(0 9 ? * MON-FRI#1 *)',
      });
      expect(rangeWithNth.status).toBe(400);
      const lastFriday = await call('PutRule', { Name: 'good', ScheduleExpression: 'cron(0 9 ? * 6L *)' });
      expect(lastFriday.status).toBe(200);
    } finally {
      await stop(service);
    }
  });

  it('never fire a disabled rule, nor a slot twice after a restart whose clock starts earlier', async () => {
    const storage = createMemoryStorage();
    const first = startEvents(storage, 18_000);
    try {
      await first.call('PutRule', { Name: 'hourly', ScheduleExpression: 'cron(0 * * * ? *)' });
      await first.call('PutRule', {
        Name: 'off',
        ScheduleExpression: 'cron(* * * * ? *)',
        State: 'DISABLED',
      });
      await first.call('PutTargets', { Rule: 'hourly', Targets: [{ Id: 'sfn', Arn: STATE_MACHINE }] });
      await first.call('PutTargets', { Rule: 'off', Targets: [{ Id: 'sfn', Arn: STATE_MACHINE }] });
      await eventually(() => expect(first.started.length).toBeGreaterThan(0), 5000);
    } finally {
      await stop(first.service);
    }
    expect(first.started.every((start) => start.event.resources[0]!.endsWith('rule/hourly'))).toBe(true);
    const lastSlot = Math.max(...first.started.map((start) => Date.parse(start.event.time)));

    const second = startEvents(storage, 18_000);
    try {
      await eventually(() => expect(second.started.length).toBeGreaterThan(0), 5000);
      expect(Date.parse(second.started[0]!.event.time)).toBe(lastSlot + 3_600_000);
    } finally {
      await stop(second.service);
    }
  });
});
