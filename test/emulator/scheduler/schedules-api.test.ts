import {
  ConflictException,
  CreateScheduleCommand,
  type CreateScheduleCommandInput,
  CreateScheduleGroupCommand,
  DeleteScheduleCommand,
  DeleteScheduleGroupCommand,
  GetScheduleCommand,
  GetScheduleGroupCommand,
  ListScheduleGroupsCommand,
  ListSchedulesCommand,
  ListTagsForResourceCommand,
  ResourceNotFoundException,
  TagResourceCommand,
  UpdateScheduleCommand,
  ValidationException,
} from '@aws-sdk/client-scheduler';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ACCOUNT_ID, REGION, ROLE_ARN, type SchedulerHarness, startSchedulerHarness } from './helpers.js';

const START = new Date('2026-12-06T10:00:00Z');

/** The emulated clock runs at real speed from START: a date set during the test is within its first minute. */
const duringTest = () => ({
  asymmetricMatch: (date: unknown) =>
    date instanceof Date && date.getTime() >= START.getTime() && date.getTime() < START.getTime() + 60_000,
  toString: () => 'a date during the test',
});

describe('EventBridge Scheduler API', () => {
  let harness: SchedulerHarness;

  beforeEach(async () => {
    // Real time: nothing fires during these tests unless a test asks for it.
    harness = await startSchedulerHarness({ timeScale: 1, start: START });
  });
  afterEach(() => harness.close());

  const schedule = (overrides: Partial<CreateScheduleCommandInput> = {}): CreateScheduleCommandInput => ({
    Name: 'weekly-public-tagging',
    ScheduleExpression: 'cron(0 3 ? * SUN *)',
    ScheduleExpressionTimezone: 'Europe/Paris',
    FlexibleTimeWindow: { Mode: 'FLEXIBLE', MaximumWindowInMinutes: 15 },
    Target: {
      Arn: harness.echoArn,
      RoleArn: ROLE_ARN,
      Input: '{"campaign":"weekly-public-tagging","scheduledTime":"<aws.scheduler.scheduled-time>"}',
    },
    ...overrides,
  });

  it('creates a schedule and returns it with the API’s defaults', async () => {
    const created = await harness.client.send(new CreateScheduleCommand(schedule()));

    expect(created.ScheduleArn).toBe(
      `arn:aws:scheduler:${REGION}:${ACCOUNT_ID}:schedule/default/weekly-public-tagging`,
    );
    const got = await harness.client.send(new GetScheduleCommand({ Name: 'weekly-public-tagging' }));
    expect(got).toMatchObject({
      Arn: created.ScheduleArn,
      Name: 'weekly-public-tagging',
      GroupName: 'default',
      ScheduleExpression: 'cron(0 3 ? * SUN *)',
      ScheduleExpressionTimezone: 'Europe/Paris',
      State: 'ENABLED',
      ActionAfterCompletion: 'NONE',
      FlexibleTimeWindow: { Mode: 'FLEXIBLE', MaximumWindowInMinutes: 15 },
      Target: {
        Arn: harness.echoArn,
        RoleArn: ROLE_ARN,
        RetryPolicy: { MaximumEventAgeInSeconds: 86_400, MaximumRetryAttempts: 185 },
      },
    });
    expect(got.CreationDate).toEqual(duringTest());
    expect(got.LastModificationDate).toEqual(got.CreationDate);
    expect(got.StartDate).toBeUndefined();
  });

  it('refuses a second schedule of the same name, and names what is missing', async () => {
    await harness.client.send(new CreateScheduleCommand(schedule()));

    const conflict = await harness.client.send(new CreateScheduleCommand(schedule())).catch((error) => error);
    expect(conflict).toBeInstanceOf(ConflictException);
    expect(conflict.message).toBe('Schedule weekly-public-tagging already exists.');
    expect(conflict.$metadata.httpStatusCode).toBe(409);
    await expect(harness.client.send(new GetScheduleCommand({ Name: 'nope' }))).rejects.toBeInstanceOf(
      ResourceNotFoundException,
    );
    await expect(
      harness.client.send(new GetScheduleCommand({ Name: 'weekly-public-tagging', GroupName: 'other' })),
    ).rejects.toThrow('Schedule group other does not exist.');
    await expect(
      harness.client.send(new CreateScheduleCommand(schedule({ GroupName: 'other' }))),
    ).rejects.toBeInstanceOf(ResourceNotFoundException);
  });

  it.each([
    ['cron(0 1 * * * *)'],
    ['cron(71 8 1 * ? *)'],
    ['rate(10 seconds)'],
    ['rate(0 minutes)'],
    [' rate(10 minutes)'],
    ['at(2021-12-31)'],
    ['at(2026-02-30T10:00:00)'],
  ])('rejects the expression %s as AWS words it', async (expression) => {
    const error = await harness.client
      .send(new CreateScheduleCommand(schedule({ ScheduleExpression: expression })))
      .catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(ValidationException);
    expect((error as Error).message).toBe(`Invalid Schedule Expression ${expression}.`);
  });

  it.each([
    [{ Name: 'has space' }, "at 'name' failed to satisfy constraint: Member must satisfy regular expression"],
    [{ ScheduleExpressionTimezone: 'Mars/Olympus' }, 'Invalid ScheduleExpressionTimezone Mars/Olympus.'],
    [{ FlexibleTimeWindow: { Mode: 'FLEXIBLE' } }, 'MaximumWindowInMinutes is required'],
    [
      { StartDate: new Date(START.getTime() - 3_600_000) },
      'The StartDate you specify cannot be earlier than 5 minutes ago.',
    ],
    [
      { State: 'PAUSED' },
      "at 'state' failed to satisfy constraint: Member must satisfy enum value set: [ENABLED, DISABLED]",
    ],
  ] as [Partial<CreateScheduleCommandInput>, string][])('rejects %j', async (overrides, message) => {
    await expect(harness.client.send(new CreateScheduleCommand(schedule(overrides)))).rejects.toThrow(
      message,
    );
  });

  it('rejects a target without RoleArn, or with a retry policy out of range', async () => {
    await expect(
      harness.client.send(
        new CreateScheduleCommand(schedule({ Target: { Arn: harness.echoArn, RoleArn: 'not-a-role' } })),
      ),
    ).rejects.toThrow("at 'target.roleArn' failed to satisfy constraint");
    await expect(
      harness.client.send(
        new CreateScheduleCommand(
          schedule({
            Target: { Arn: harness.echoArn, RoleArn: ROLE_ARN, RetryPolicy: { MaximumRetryAttempts: 186 } },
          }),
        ),
      ),
    ).rejects.toThrow('Member must have value less than or equal to 185');
  });

  it('UpdateSchedule replaces the schedule; omitted optional fields return to their defaults', async () => {
    await harness.client.send(
      new CreateScheduleCommand(schedule({ Description: 'weekly', State: 'DISABLED' })),
    );

    await harness.client.send(
      new UpdateScheduleCommand({
        Name: 'weekly-public-tagging',
        ScheduleExpression: 'rate(2 hours)',
        FlexibleTimeWindow: { Mode: 'OFF' },
        Target: { Arn: harness.echoArn, RoleArn: ROLE_ARN },
      }),
    );

    const got = await harness.client.send(new GetScheduleCommand({ Name: 'weekly-public-tagging' }));
    expect(got).toMatchObject({
      ScheduleExpression: 'rate(2 hours)',
      ScheduleExpressionTimezone: 'UTC',
      State: 'ENABLED',
      FlexibleTimeWindow: { Mode: 'OFF' },
    });
    expect(got.Description).toBeUndefined();
    expect(got.CreationDate!.getTime()).toBeLessThanOrEqual(got.LastModificationDate!.getTime());
    await expect(
      harness.client.send(new UpdateScheduleCommand({ ...schedule(), Name: 'missing' })),
    ).rejects.toThrow('Schedule missing does not exist.');
  });

  it('lists schedules by group, name prefix and state, page by page', async () => {
    await harness.client.send(new CreateScheduleGroupCommand({ Name: 'campaigns' }));
    for (const name of ['c-1', 'c-2', 'c-3', 'c-4']) {
      await harness.client.send(new CreateScheduleCommand(schedule({ Name: name, GroupName: 'campaigns' })));
    }
    await harness.client.send(
      new CreateScheduleCommand(schedule({ Name: 'c-off', GroupName: 'campaigns', State: 'DISABLED' })),
    );
    await harness.client.send(new CreateScheduleCommand(schedule({ Name: 'other' })));

    const names: string[] = [];
    let NextToken: string | undefined;
    let pages = 0;
    do {
      const page = await harness.client.send(
        new ListSchedulesCommand({
          GroupName: 'campaigns',
          NamePrefix: 'c-',
          State: 'ENABLED',
          MaxResults: 3,
          NextToken,
        }),
      );
      names.push(...page.Schedules!.map((summary) => summary.Name!));
      NextToken = page.NextToken;
      pages++;
    } while (NextToken && pages < 10);

    expect(names).toEqual(['c-1', 'c-2', 'c-3', 'c-4']);
    expect(pages).toBe(2);
    const all = await harness.client.send(new ListSchedulesCommand({}));
    expect(all.Schedules!.map((summary) => `${summary.GroupName}/${summary.Name}`)).toEqual([
      'campaigns/c-1',
      'campaigns/c-2',
      'campaigns/c-3',
      'campaigns/c-4',
      'campaigns/c-off',
      'default/other',
    ]);
    expect(all.Schedules![0]).toMatchObject({ State: 'ENABLED', Target: { Arn: harness.echoArn } });
    await expect(harness.client.send(new ListSchedulesCommand({ NextToken: 'not-a-token' }))).rejects.toThrow(
      'Invalid NextToken.',
    );
  });

  it('schedule groups: create, get, tag, list, delete with their schedules; default stays', async () => {
    const { ScheduleGroupArn } = await harness.client.send(
      new CreateScheduleGroupCommand({ Name: 'campaigns', Tags: [{ Key: 'team', Value: 'storage' }] }),
    );
    expect(ScheduleGroupArn).toBe(`arn:aws:scheduler:${REGION}:${ACCOUNT_ID}:schedule-group/campaigns`);
    await expect(
      harness.client.send(new CreateScheduleGroupCommand({ Name: 'campaigns' })),
    ).rejects.toBeInstanceOf(ConflictException);
    await harness.client.send(
      new TagResourceCommand({ ResourceArn: ScheduleGroupArn, Tags: [{ Key: 'env', Value: 'dev' }] }),
    );
    expect(
      (await harness.client.send(new ListTagsForResourceCommand({ ResourceArn: ScheduleGroupArn }))).Tags,
    ).toEqual([
      { Key: 'team', Value: 'storage' },
      { Key: 'env', Value: 'dev' },
    ]);
    expect(await harness.client.send(new GetScheduleGroupCommand({ Name: 'campaigns' }))).toMatchObject({
      Arn: ScheduleGroupArn,
      Name: 'campaigns',
      State: 'ACTIVE',
      CreationDate: duringTest(),
    });
    const groups = await harness.client.send(new ListScheduleGroupsCommand({}));
    expect(groups.ScheduleGroups!.map((group) => group.Name)).toEqual(['campaigns', 'default']);
    await harness.client.send(new CreateScheduleCommand(schedule({ GroupName: 'campaigns' })));

    await harness.client.send(new DeleteScheduleGroupCommand({ Name: 'campaigns' }));

    await expect(
      harness.client.send(new GetScheduleGroupCommand({ Name: 'campaigns' })),
    ).rejects.toBeInstanceOf(ResourceNotFoundException);
    expect((await harness.client.send(new ListSchedulesCommand({}))).Schedules).toEqual([]);
    await expect(
      harness.client.send(new DeleteScheduleGroupCommand({ Name: 'default' })),
    ).rejects.toBeInstanceOf(ValidationException);
  });

  it('deletes a schedule', async () => {
    await harness.client.send(new CreateScheduleCommand(schedule()));

    await harness.client.send(new DeleteScheduleCommand({ Name: 'weekly-public-tagging' }));

    await expect(
      harness.client.send(new GetScheduleCommand({ Name: 'weekly-public-tagging' })),
    ).rejects.toBeInstanceOf(ResourceNotFoundException);
    await expect(
      harness.client.send(new DeleteScheduleCommand({ Name: 'weekly-public-tagging' })),
    ).rejects.toBeInstanceOf(ResourceNotFoundException);
  });

  it('the in-process API mirrors the operations with Dates', () => {
    const { ScheduleArn } = harness.scheduler.createSchedule({
      Name: 'in-process',
      ScheduleExpression: 'at(2027-01-01T00:00:00)',
      FlexibleTimeWindow: { Mode: 'OFF' },
      Target: { Arn: harness.echoArn, RoleArn: ROLE_ARN },
      ActionAfterCompletion: 'DELETE',
    });

    const got = harness.scheduler.getSchedule({ Name: 'in-process' });
    expect(got).toMatchObject({
      Arn: ScheduleArn,
      ActionAfterCompletion: 'DELETE',
      CreationDate: duringTest(),
    });
    expect(harness.scheduler.listSchedules().Schedules.map((summary) => summary.Name)).toEqual([
      'in-process',
    ]);
    harness.scheduler.deleteSchedule({ Name: 'in-process' });
    expect(() => harness.scheduler.getSchedule({ Name: 'in-process' })).toThrow(
      'Schedule in-process does not exist.',
    );
  });
});
