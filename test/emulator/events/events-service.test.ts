import {
  CreateEventBusCommand,
  DeleteRuleCommand,
  DescribeEventBusCommand,
  DescribeRuleCommand,
  DisableRuleCommand,
  EventBridgeClient,
  InvalidEventPatternException,
  ListRulesCommand,
  ListTargetsByRuleCommand,
  PutEventsCommand,
  PutRuleCommand,
  PutTargetsCommand,
  RemoveTargetsCommand,
  ResourceNotFoundException,
  TestEventPatternCommand,
} from '@aws-sdk/client-eventbridge';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createEventsService, type EventsService } from '../../../emulator/events/index.js';
import { renderInputTemplate } from '../../../emulator/events/input-transformer.js';
import {
  createFaultInjector,
  createMemoryStorage,
  type MemoryStorage,
  scaledClock,
  serveServices,
} from '../kit.js';
import { ACCOUNT_ID, CREDENTIALS, eventually, fixture, REGION } from './helpers.js';

const STATE_MACHINE = `arn:aws:states:${REGION}:${ACCOUNT_ID}:stateMachine:RunBatchJob`;
const BUS = 's3-batch-orchestrator-test';

interface Harness {
  service: EventsService;
  client: EventBridgeClient;
  server: Awaited<ReturnType<typeof serveServices>>;
  storage: MemoryStorage;
  executions: { arn: string; input: string }[];
}

async function startHarness(
  options: { failureRate?: number; random?: () => number; failExecutions?: number } = {},
) {
  const storage = createMemoryStorage();
  const executions: { arn: string; input: string }[] = [];
  let failuresLeft = options.failExecutions ?? 0;
  const service = createEventsService({
    storage,
    clock: scaledClock(1000),
    faults: createFaultInjector({ putEventsFailureRate: options.failureRate ?? 0 }),
    accountId: ACCOUNT_ID,
    region: REGION,
    random: options.random ?? Math.random,
    targets: {
      startExecution: async (arn, input) => {
        if (failuresLeft-- > 0) throw Object.assign(new Error('throttled'), { name: 'ThrottlingException' });
        executions.push({ arn, input });
      },
      invokeLambda: { invoke: async () => ({}) },
    },
  });
  const server = await serveServices({ events: service.handler });
  const client = new EventBridgeClient({ endpoint: server.url, region: REGION, credentials: CREDENTIALS });
  return { service, client, server, storage, executions } satisfies Harness;
}

const jobEvent = (detail: object) => ({
  EventBusName: BUS,
  Source: 's3-batch-orchestrator',
  DetailType: 'Batch Job Submitted',
  Detail: JSON.stringify(detail),
});

describe('EventBridge emulator over the wire', () => {
  let h: Harness;
  beforeEach(async () => {
    h = await startHarness();
  });
  afterEach(async () => {
    h.client.destroy();
    h.service.close();
    await h.server.close();
  });

  it('delivers a matching event to a Step Functions target with the InputTransformer applied', async () => {
    // Prepare
    await h.client.send(new CreateEventBusCommand({ Name: BUS }));
    const { RuleArn } = await h.client.send(
      new PutRuleCommand({
        Name: 'on-submitted',
        EventBusName: BUS,
        EventPattern: JSON.stringify({
          source: ['s3-batch-orchestrator'],
          detail: { priority: [{ numeric: ['>=', 10] }] },
        }),
      }),
    );
    await h.client.send(
      new PutTargetsCommand({
        Rule: 'on-submitted',
        EventBusName: BUS,
        Targets: [
          {
            Id: 'run',
            Arn: STATE_MACHINE,
            InputTransformer: {
              InputPathsMap: { job: '$.detail.jobId', priority: '$.detail.priority', tags: '$.detail.tags' },
              InputTemplate:
                '{"jobId": <job>, "priority": <priority>, "summary": "job <job> at <priority>", "tags": <tags>, "rule": "<aws.events.rule-arn>"}',
            },
          },
        ],
      }),
    );

    // Act
    const result = await h.client.send(
      new PutEventsCommand({
        Entries: [
          jobEvent({ jobId: 'j-1', priority: 10, tags: ['a'] }),
          jobEvent({ jobId: 'j-2', priority: 1 }),
        ],
      }),
    );

    // Assess
    expect(result.FailedEntryCount).toBe(0);
    expect(result.Entries?.every((entry) => entry.EventId)).toBe(true);
    await h.service.drain();
    expect(h.executions).toHaveLength(1);
    expect(h.executions[0]!.arn).toBe(STATE_MACHINE);
    expect(JSON.parse(h.executions[0]!.input)).toEqual({
      jobId: 'j-1',
      priority: 10,
      summary: 'job j-1 at 10',
      tags: ['a'],
      rule: RuleArn,
    });
  });

  it('appends every accepted event as one JSON line to events/<bus>.jsonl', async () => {
    await h.client.send(new CreateEventBusCommand({ Name: BUS }));
    const time = new Date('2024-05-01T10:00:00Z');
    const { Entries } = await h.client.send(
      new PutEventsCommand({
        Entries: [{ ...jobEvent({ jobId: 'j-1' }), Time: time, Resources: ['arn:x'] }],
      }),
    );

    const lines = h.storage.readLines(`events/${BUS}.jsonl`);
    expect(lines).toHaveLength(1);
    expect(JSON.parse(lines[0]!)).toEqual({
      version: '0',
      id: Entries![0]!.EventId,
      'detail-type': 'Batch Job Submitted',
      source: 's3-batch-orchestrator',
      account: ACCOUNT_ID,
      time: '2024-05-01T10:00:00Z',
      region: REGION,
      resources: ['arn:x'],
      detail: { jobId: 'j-1' },
    });
    expect(h.service.readEventLog(BUS).map((event) => event.id)).toEqual([Entries![0]!.EventId]);
  });

  it('reports invalid entries per entry and still accepts the valid ones', async () => {
    const { FailedEntryCount, Entries } = await h.client.send(
      new PutEventsCommand({
        Entries: [
          { Source: 'a', DetailType: 'b', Detail: '{"ok":true}' },
          { DetailType: 'b', Detail: '{}' },
          { Source: 'a', DetailType: 'b', Detail: '[1]' },
          { Source: 'a', DetailType: 'b', Detail: 'not json' },
        ],
      }),
    );
    expect(FailedEntryCount).toBe(3);
    expect(Entries![0]!.EventId).toBeDefined();
    expect(Entries![1]).toMatchObject({
      ErrorCode: 'InvalidArgument',
      ErrorMessage: expect.stringContaining('Source'),
    });
    expect(Entries![2]).toMatchObject({ ErrorCode: 'MalformedDetail' });
    expect(Entries![3]).toMatchObject({ ErrorCode: 'MalformedDetail' });
    expect(h.service.readEventLog('default')).toHaveLength(1);
  });

  it('rejects more than 10 entries and oversized requests with ValidationException', async () => {
    const entry = { Source: 'a', DetailType: 'b', Detail: '{}' };
    // ValidationException is not modelled for PutEvents, so the SDK raises its base class with that name.
    await expect(
      h.client.send(new PutEventsCommand({ Entries: Array(11).fill(entry) })),
    ).rejects.toMatchObject({
      name: 'ValidationException',
    });
    const big = { ...entry, Detail: JSON.stringify({ pad: 'x'.repeat(256 * 1024) }) };
    await expect(h.client.send(new PutEventsCommand({ Entries: [big] }))).rejects.toThrow(
      'Total size of the entries in the request is over the limit.',
    );
  });

  it('accepts events for a bus that does not exist and drops them, as AWS does', async () => {
    const { FailedEntryCount, Entries } = await h.client.send(
      new PutEventsCommand({ Entries: [{ ...jobEvent({}), EventBusName: 'no-such-bus' }] }),
    );
    expect(FailedEntryCount).toBe(0);
    expect(Entries![0]!.EventId).toBeDefined();
    expect(h.storage.readLines('events/no-such-bus.jsonl')).toEqual([]);
  });

  it('manages buses and rules with AWS error codes', async () => {
    await expect(h.client.send(new DescribeEventBusCommand({ Name: BUS }))).rejects.toBeInstanceOf(
      ResourceNotFoundException,
    );
    await h.client.send(new CreateEventBusCommand({ Name: BUS }));
    const bus = await h.client.send(new DescribeEventBusCommand({ Name: BUS }));
    expect(bus.Arn).toBe(`arn:aws:events:${REGION}:${ACCOUNT_ID}:event-bus/${BUS}`);

    await expect(
      h.client.send(new PutRuleCommand({ Name: 'bad', EventBusName: BUS, EventPattern: '{"source": "x"}' })),
    ).rejects.toBeInstanceOf(InvalidEventPatternException);
    await h.client.send(
      new PutRuleCommand({ Name: 'r1', EventBusName: BUS, EventPattern: '{"source":["x"]}' }),
    );
    await h.client.send(
      new PutTargetsCommand({ Rule: 'r1', EventBusName: BUS, Targets: [{ Id: 't', Arn: STATE_MACHINE }] }),
    );
    await h.client.send(new DisableRuleCommand({ Name: 'r1', EventBusName: BUS }));

    const described = await h.client.send(new DescribeRuleCommand({ Name: 'r1', EventBusName: BUS }));
    expect(described).toMatchObject({
      State: 'DISABLED',
      Arn: `arn:aws:events:${REGION}:${ACCOUNT_ID}:rule/${BUS}/r1`,
    });
    const { Rules } = await h.client.send(new ListRulesCommand({ EventBusName: BUS, NamePrefix: 'r' }));
    expect(Rules?.map((rule) => rule.Name)).toEqual(['r1']);
    const { Targets } = await h.client.send(new ListTargetsByRuleCommand({ Rule: 'r1', EventBusName: BUS }));
    expect(Targets).toEqual([{ Id: 't', Arn: STATE_MACHINE }]);

    await expect(h.client.send(new DeleteRuleCommand({ Name: 'r1', EventBusName: BUS }))).rejects.toThrow(
      "Rule can't be deleted since it has targets.",
    );
    await h.client.send(new RemoveTargetsCommand({ Rule: 'r1', EventBusName: BUS, Ids: ['t'] }));
    await h.client.send(new DeleteRuleCommand({ Name: 'r1', EventBusName: BUS }));
    await expect(h.client.send(new DescribeRuleCommand({ Name: 'r1', EventBusName: BUS }))).rejects.toThrow(
      `Rule r1 does not exist on EventBus ${BUS}.`,
    );
  });

  it('does not deliver to disabled rules', async () => {
    await h.client.send(
      new PutRuleCommand({ Name: 'r', EventPattern: '{"source":["a"]}', State: 'DISABLED' }),
    );
    await h.client.send(new PutTargetsCommand({ Rule: 'r', Targets: [{ Id: 't', Arn: STATE_MACHINE }] }));
    await h.client.send(new PutEventsCommand({ Entries: [{ Source: 'a', DetailType: 'b', Detail: '{}' }] }));
    await h.service.drain();
    expect(h.executions).toEqual([]);
  });

  it('answers TestEventPattern with the fixtures', async () => {
    const pattern = JSON.stringify(await fixture('eventbridge-pattern-batch-job-events.json'));
    const matching = await h.client.send(
      new TestEventPatternCommand({
        EventPattern: pattern,
        Event: JSON.stringify(await fixture('cloudtrail-job-status-changed.json')),
      }),
    );
    const other = await h.client.send(
      new TestEventPatternCommand({
        EventPattern: pattern,
        Event: JSON.stringify(await fixture('s3-object-created.json')),
      }),
    );
    expect([matching.Result, other.Result]).toEqual([true, false]);
  });
});

describe('EventBridge emulator faults and delivery', () => {
  it('fails a random subset of entries with InternalFailure when putEventsFailureRate is set', async () => {
    // Prepare: fail every other entry deterministically.
    let call = 0;
    const h = await startHarness({ failureRate: 0.5, random: () => (call++ % 2 === 0 ? 0.1 : 0.9) });
    try {
      // Act
      const { FailedEntryCount, Entries } = await h.client.send(
        new PutEventsCommand({
          Entries: Array.from({ length: 4 }, () => ({ Source: 'a', DetailType: 'b', Detail: '{}' })),
        }),
      );
      // Assess
      expect(FailedEntryCount).toBe(2);
      expect(Entries!.map((entry) => entry.ErrorCode ?? 'ok')).toEqual([
        'InternalFailure',
        'ok',
        'InternalFailure',
        'ok',
      ]);
      expect(h.service.readEventLog()).toHaveLength(2);
    } finally {
      h.client.destroy();
      await h.server.close();
    }
  });

  it('retries a failing Step Functions target and records every attempt', async () => {
    const h = await startHarness({ failExecutions: 1 });
    try {
      await h.client.send(new PutRuleCommand({ Name: 'r', EventPattern: '{"source":["a"]}' }));
      await h.client.send(new PutTargetsCommand({ Rule: 'r', Targets: [{ Id: 't', Arn: STATE_MACHINE }] }));
      await h.client.send(
        new PutEventsCommand({ Entries: [{ Source: 'a', DetailType: 'b', Detail: '{"x":1}' }] }),
      );
      await h.service.drain();
      expect(h.executions).toHaveLength(1);
      expect(JSON.parse(h.executions[0]!.input)).toMatchObject({ source: 'a', detail: { x: 1 } });
      expect(h.service.deliveries().map((d) => [d.attempt, d.ok, d.error?.name])).toEqual([
        [1, false, 'ThrottlingException'],
        [2, true, undefined],
      ]);
    } finally {
      h.client.destroy();
      await h.server.close();
    }
  });

  it('publishes through the sink to the default bus and invokes Lambda targets', async () => {
    const storage = createMemoryStorage();
    const invoked: unknown[] = [];
    const service = createEventsService({
      storage,
      clock: scaledClock(1),
      accountId: ACCOUNT_ID,
      region: REGION,
      targets: {
        startExecution: async () => {},
        invokeLambda: { invoke: async (_arn, payload) => void invoked.push(payload) },
      },
    });
    await service.handler({
      method: 'POST',
      url: '/',
      path: '/',
      query: new URLSearchParams(),
      host: 'localhost',
      headers: { 'x-amz-target': 'AWSEvents.PutRule' },
      body: Buffer.from(
        JSON.stringify({
          Name: 'ct',
          EventPattern: await fixtureText('eventbridge-pattern-batch-job-events.json'),
        }),
      ),
    });
    await service.handler({
      method: 'POST',
      url: '/',
      path: '/',
      query: new URLSearchParams(),
      host: 'localhost',
      headers: { 'x-amz-target': 'AWSEvents.PutTargets' },
      body: Buffer.from(
        JSON.stringify({
          Rule: 'ct',
          Targets: [
            {
              Id: 'fn',
              Arn: `arn:aws:lambda:${REGION}:${ACCOUNT_ID}:function:wake`,
              InputPath: '$.detail.serviceEventDetails',
            },
          ],
        }),
      ),
    });
    const cloudTrail = (await fixture('cloudtrail-job-status-changed.json')) as { detail: object };
    service.sink.putEvents(
      [
        {
          Source: 'aws.s3',
          DetailType: 'AWS Service Event via CloudTrail',
          Detail: JSON.stringify(cloudTrail.detail),
        },
      ],
      ACCOUNT_ID,
      REGION,
    );
    await eventually(() => expect(invoked).toHaveLength(1));
    expect(invoked[0]).toMatchObject({ status: 'Complete', jobId: 'e849b567-5232-44be-9a0c-40988f14e80c' });
    expect(service.readEventLog()).toHaveLength(1);
  });
});

describe('renderInputTemplate', () => {
  const event = {
    version: '0',
    id: 'id-1',
    'detail-type': 'Object Created',
    source: 'aws.s3',
    account: ACCOUNT_ID,
    time: '2024-01-01T00:00:00Z',
    region: REGION,
    resources: [],
    detail: { bucket: { name: 'b' }, object: { key: 'say "hi".csv', size: 5 } },
  };
  const context = { ruleArn: 'arn:rule', ruleName: 'rule', ingestionTime: '2024-01-01T00:00:01Z' };
  const render = (InputTemplate: string) =>
    renderInputTemplate(
      {
        InputPathsMap: {
          key: '$.detail.object.key',
          size: '$.detail.object.size',
          bucket: '$.detail.bucket',
          missing: '$.detail.nope',
        },
        InputTemplate,
      },
      event,
      context,
    );

  it('inserts JSON values outside strings', () => {
    expect(JSON.parse(render('{"k": <key>, "s": <size>, "b": <bucket>, "m": <missing>}'))).toEqual({
      k: 'say "hi".csv',
      s: 5,
      b: { name: 'b' },
      m: null,
    });
  });

  it('inserts escaped text inside strings', () => {
    expect(JSON.parse(render('{"text": "<key> is <size> bytes in <bucket><missing>"}'))).toEqual({
      text: 'say "hi".csv is 5 bytes in {"name":"b"}',
    });
  });

  it('renders a quoted string template as a JSON string', () => {
    expect(JSON.parse(render('"<key> in rule <aws.events.rule-name>"'))).toBe('say "hi".csv in rule rule');
  });

  it('renders plain-text templates with raw values', () => {
    expect(render('<key> is <size> bytes')).toBe('say "hi".csv is 5 bytes');
  });

  it('inserts the original event unescaped for aws.events.event and aws.events.event.json', () => {
    const rendered = JSON.parse(
      render('{"withoutDetail": <aws.events.event>, "full": <aws.events.event.json>}'),
    );
    expect(rendered.withoutDetail).not.toHaveProperty('detail');
    expect(rendered.withoutDetail.id).toBe('id-1');
    expect(rendered.full).toEqual(event);
  });
});

async function fixtureText(name: string): Promise<string> {
  return JSON.stringify(await fixture(name));
}

describe('scheduled rules', () => {
  it('fires rate(...) rules in emulated time with a Scheduled Event', async () => {
    const started: string[] = [];
    const service = createEventsService({
      storage: createMemoryStorage(),
      clock: scaledClock(60_000), // one emulated minute per real millisecond
      accountId: ACCOUNT_ID,
      region: REGION,
      targets: {
        startExecution: async (_arn, input) => void started.push(input),
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
    try {
      expect((await call('PutRule', { Name: 'tick', ScheduleExpression: 'rate(1 minutes)' })).status).toBe(
        400,
      );
      await call('PutRule', { Name: 'tick', ScheduleExpression: 'rate(1 minute)' });
      await call('PutTargets', { Rule: 'tick', Targets: [{ Id: 't', Arn: STATE_MACHINE }] });
      await eventually(() => expect(started.length).toBeGreaterThan(0));
      expect(JSON.parse(started[0]!)).toMatchObject({
        source: 'aws.events',
        'detail-type': 'Scheduled Event',
        resources: [`arn:aws:events:${REGION}:${ACCOUNT_ID}:rule/tick`],
        detail: {},
      });
    } finally {
      service.close();
      await service.drain();
    }
  });
});
