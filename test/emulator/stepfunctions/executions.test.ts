import {
  CreateStateMachineCommand,
  DescribeExecutionCommand,
  DescribeStateMachineCommand,
  DescribeStateMachineForExecutionCommand,
  GetExecutionHistoryCommand,
  ListExecutionsCommand,
  ListStateMachinesCommand,
  StartExecutionCommand,
  StopExecutionCommand,
} from '@aws-sdk/client-sfn';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ACCOUNT, type Harness, REGION, ROLE_ARN, startHarness } from './helpers.js';

/** Waits an emulated hour: long enough to stay RUNNING at a time scale of 1. */
const slow = {
  StartAt: 'Hold',
  States: { Hold: { Type: 'Wait', Seconds: 3600, Next: 'Done' }, Done: { Type: 'Pass', End: true } },
};
const quick = {
  StartAt: 'First',
  States: {
    First: { Type: 'Pass', Result: { a: 1 }, ResultPath: '$.first', Next: 'Second' },
    Second: { Type: 'Pass', Next: 'Third' },
    Third: { Type: 'Succeed' },
  },
};

describe('Step Functions API', () => {
  let harness: Harness;
  beforeEach(async () => {
    harness = await startHarness({ timeScale: 1 });
  });
  afterEach(() => harness.close());

  const create = async (name: string, definition: object) =>
    (
      await harness.client.send(
        new CreateStateMachineCommand({ name, definition: JSON.stringify(definition), roleArn: ROLE_ARN }),
      )
    ).stateMachineArn!;
  const start = (stateMachineArn: string, name: string | undefined, input: object) =>
    harness.client.send(new StartExecutionCommand({ stateMachineArn, name, input: JSON.stringify(input) }));

  describe('state machines', () => {
    it('returns the existing ARN for the same name and definition, and rejects a different definition', async () => {
      const arn = await create('machine', quick);
      expect(arn).toBe(`arn:aws:states:${REGION}:${ACCOUNT}:stateMachine:machine`);
      expect(await create('machine', quick)).toBe(arn);
      await expect(create('machine', slow)).rejects.toMatchObject({ name: 'StateMachineAlreadyExists' });
      const described = await harness.client.send(new DescribeStateMachineCommand({ stateMachineArn: arn }));
      expect(described).toMatchObject({
        name: 'machine',
        status: 'ACTIVE',
        type: 'STANDARD',
        roleArn: ROLE_ARN,
      });
      expect(JSON.parse(described.definition!)).toEqual(quick);
      const listed = await harness.client.send(new ListStateMachinesCommand({}));
      expect(listed.stateMachines?.map((machine) => machine.name)).toEqual(['machine']);
    });

    it('rejects invalid definitions and names with AWS error codes', async () => {
      await expect(create('broken', { StartAt: 'Missing', States: {} })).rejects.toMatchObject({
        name: 'InvalidDefinition',
      });
      await expect(create('bad name', quick)).rejects.toMatchObject({ name: 'InvalidName' });
      await expect(
        harness.client.send(
          new DescribeStateMachineCommand({
            stateMachineArn: `arn:aws:states:${REGION}:${ACCOUNT}:stateMachine:nope`,
          }),
        ),
      ).rejects.toMatchObject({ name: 'StateMachineDoesNotExist', $metadata: { httpStatusCode: 400 } });
    });
  });

  describe('execution names', () => {
    it('returns the running execution for the same name and input, and rejects another input', async () => {
      const arn = await create('slow', slow);
      const first = await start(arn, 'job-1', { jobId: 'a' });
      const again = await start(arn, 'job-1', { jobId: 'a' });
      expect(again.executionArn).toBe(first.executionArn);
      expect(again.startDate).toEqual(first.startDate);
      await expect(start(arn, 'job-1', { jobId: 'b' })).rejects.toMatchObject({
        name: 'ExecutionAlreadyExists',
      });
    });

    it('rejects the name of a closed execution, whatever the input', async () => {
      const arn = await create('quick', quick);
      const { executionArn } = await start(arn, 'once', {});
      await harness.service.waitForExecution(executionArn!, 5000);
      await expect(start(arn, 'once', {})).rejects.toMatchObject({ name: 'ExecutionAlreadyExists' });
    });

    it('rejects invalid execution names and input', async () => {
      const arn = await create('quick', quick);
      await expect(start(arn, 'has:colon', {})).rejects.toMatchObject({ name: 'InvalidName' });
      await expect(
        harness.client.send(new StartExecutionCommand({ stateMachineArn: arn, input: '{not json' })),
      ).rejects.toMatchObject({ name: 'InvalidExecutionInput' });
    });
  });

  it('aborts a running execution on StopExecution, with its error and cause', async () => {
    const arn = await create('slow', slow);
    const { executionArn } = await start(arn, 'to-stop', {});

    const { stopDate } = await harness.client.send(
      new StopExecutionCommand({ executionArn, error: 'Operator.Cancelled', cause: 'no longer needed' }),
    );

    const described = await harness.client.send(new DescribeExecutionCommand({ executionArn }));
    expect(described).toMatchObject({
      status: 'ABORTED',
      error: 'Operator.Cancelled',
      cause: 'no longer needed',
    });
    expect(described.stopDate).toEqual(stopDate);
    const { events } = await harness.client.send(
      new GetExecutionHistoryCommand({ executionArn, reverseOrder: true }),
    );
    expect(events?.[0]).toMatchObject({
      type: 'ExecutionAborted',
      executionAbortedEventDetails: { error: 'Operator.Cancelled', cause: 'no longer needed' },
    });
  });

  describe('GetExecutionHistory', () => {
    it('lists the state events in order with ids, and pages forwards and backwards', async () => {
      const arn = await create('quick', quick);
      const { executionArn } = await start(arn, 'history', { x: 1 });
      await harness.service.waitForExecution(executionArn!, 5000);

      const all = (await harness.client.send(new GetExecutionHistoryCommand({ executionArn }))).events!;
      expect(all.map((event) => [event.id, event.previousEventId, event.type])).toEqual([
        [1, 0, 'ExecutionStarted'],
        [2, 1, 'PassStateEntered'],
        [3, 2, 'PassStateExited'],
        [4, 3, 'PassStateEntered'],
        [5, 4, 'PassStateExited'],
        [6, 5, 'SucceedStateEntered'],
        [7, 6, 'SucceedStateExited'],
        [8, 7, 'ExecutionSucceeded'],
      ]);
      expect(
        all.filter((e) => e.stateEnteredEventDetails).map((e) => e.stateEnteredEventDetails!.name),
      ).toEqual(['First', 'Second', 'Third']);
      expect(all[0]!.timestamp).toBeInstanceOf(Date);
      expect(JSON.parse(all[0]!.executionStartedEventDetails!.input!)).toEqual({ x: 1 });

      const page1 = await harness.client.send(
        new GetExecutionHistoryCommand({ executionArn, maxResults: 3, reverseOrder: true }),
      );
      const page2 = await harness.client.send(
        new GetExecutionHistoryCommand({
          executionArn,
          maxResults: 3,
          reverseOrder: true,
          nextToken: page1.nextToken,
        }),
      );
      expect([...page1.events!, ...page2.events!].map((event) => event.id)).toEqual([8, 7, 6, 5, 4, 3]);

      const withoutData = await harness.client.send(
        new GetExecutionHistoryCommand({ executionArn, includeExecutionData: false, maxResults: 1 }),
      );
      expect(withoutData.events![0]!.executionStartedEventDetails?.input).toBeUndefined();
    });
  });

  it('filters ListExecutions by status, newest first, with pagination', async () => {
    const slowArn = await create('mixed', slow);
    const running = await start(slowArn, 'running-1', {});
    const toStop = await start(slowArn, 'stopped-1', {});
    await harness.client.send(new StopExecutionCommand({ executionArn: toStop.executionArn }));
    const running2 = await start(slowArn, 'running-2', {});

    const list = (statusFilter?: 'RUNNING' | 'ABORTED', nextToken?: string, maxResults?: number) =>
      harness.client.send(
        new ListExecutionsCommand({ stateMachineArn: slowArn, statusFilter, nextToken, maxResults }),
      );

    expect((await list('RUNNING')).executions?.map((e) => e.name)).toEqual(['running-2', 'running-1']);
    expect((await list('ABORTED')).executions?.map((e) => e.executionArn)).toEqual([toStop.executionArn]);
    const first = await list(undefined, undefined, 2);
    const second = await list(undefined, first.nextToken, 2);
    expect(first.executions).toHaveLength(2);
    expect(second.executions).toHaveLength(1);
    expect(second.nextToken).toBeUndefined();
    expect([...first.executions!, ...second.executions!].map((e) => e.executionArn).sort()).toEqual(
      [running.executionArn, toStop.executionArn, running2.executionArn].sort(),
    );
  });

  it('describes the state machine an execution started with, even after an update', async () => {
    const arn = await create('versioned', slow);
    const { executionArn } = await start(arn, 'before-update', {});
    harness.service.createStateMachine('versioned', quick, ROLE_ARN);

    const forExecution = await harness.client.send(
      new DescribeStateMachineForExecutionCommand({ executionArn }),
    );
    expect(JSON.parse(forExecution.definition!)).toEqual(slow);
    const current = await harness.client.send(new DescribeStateMachineCommand({ stateMachineArn: arn }));
    expect(JSON.parse(current.definition!)).toEqual(quick);
  });

  it('answers DescribeExecution for an unknown execution with ExecutionDoesNotExist', async () => {
    await expect(
      harness.client.send(
        new DescribeExecutionCommand({
          executionArn: `arn:aws:states:${REGION}:${ACCOUNT}:execution:nope:nope`,
        }),
      ),
    ).rejects.toMatchObject({ name: 'ExecutionDoesNotExist' });
    await expect(
      harness.client.send(new DescribeExecutionCommand({ executionArn: 'not-an-arn' })),
    ).rejects.toMatchObject({ name: 'InvalidArn' });
  });
});
