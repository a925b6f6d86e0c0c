import {
  DescribeExecutionCommand,
  GetExecutionHistoryCommand,
  type HistoryEvent,
  ListExecutionsCommand,
  SendTaskSuccessCommand,
  StopExecutionCommand,
} from '@aws-sdk/client-sfn';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createMemoryStorage } from '../kit.js';
import { createTestLambda, eventually, functionArn, type Harness, startHarness } from './helpers.js';

/** A child that waits `$.wait` emulated seconds, then answers with what it got, or fails on `$.fail`. */
const child = {
  StartAt: 'ShouldFail',
  States: {
    ShouldFail: {
      Type: 'Choice',
      Choices: [{ Variable: '$.fail', IsPresent: true, Next: 'Boom' }],
      Default: 'Work',
    },
    Work: { Type: 'Wait', SecondsPath: '$.wait', Next: 'Answer' },
    Answer: { Type: 'Pass', Parameters: { 'got.$': '$.item', done: true }, End: true },
    Boom: { Type: 'Fail', Error: 'ChildBroke', Cause: 'the child was told to fail' },
  },
};

/** A parent running one child task with `resource`, its Parameters from the parent's input. */
const parentOf = (resource: string, extra: Record<string, unknown> = {}) => ({
  StartAt: 'RunChild',
  States: {
    RunChild: {
      Type: 'Task',
      Resource: resource,
      Parameters: { 'StateMachineArn.$': '$.child', 'Name.$': '$.name', 'Input.$': '$.input' },
      ResultPath: '$.result',
      ...extra,
      End: true,
    },
    ...('Catch' in extra ? { Caught: { Type: 'Pass', End: true } } : {}),
  },
});

const SYNC2 = 'arn:aws:states:::states:startExecution.sync:2';
const SYNC = 'arn:aws:states:::states:startExecution.sync';
const FIRE_AND_FORGET = 'arn:aws:states:::states:startExecution';

describe('states:startExecution child executions', () => {
  let harness: Harness;
  let childArn: string;

  beforeEach(async () => {
    harness = await startHarness({ timeScale: 1000 });
    childArn = harness.service.createStateMachine('child', child);
  });
  afterEach(() => harness.close());

  const run = async (definition: object, input: object, name = 'parent-run') => {
    const parentArn = harness.service.createStateMachine(`parent-${name}`, definition);
    const { executionArn } = harness.service.startExecution(parentArn, input, name);
    return harness.service.waitForExecution(executionArn, 10_000);
  };
  const history = async (executionArn: string): Promise<HistoryEvent[]> =>
    (await harness.client.send(new GetExecutionHistoryCommand({ executionArn, maxResults: 1000 }))).events!;
  const childExecutions = async () =>
    (await harness.client.send(new ListExecutionsCommand({ stateMachineArn: childArn }))).executions!;

  it('.sync:2 waits for the child and returns its DescribeExecution with Input and Output as JSON', async () => {
    const result = await run(parentOf(SYNC2), {
      child: childArn,
      name: 'target-logs',
      input: { item: 'logs', wait: 30 },
    });

    expect(result.status).toBe('SUCCEEDED');
    const output = JSON.parse(result.output!).result;
    const childExecutionArn = `arn:aws:states:us-east-1:123456789012:execution:child:target-logs`;
    expect(output).toEqual({
      ExecutionArn: childExecutionArn,
      Input: { item: 'logs', wait: 30 },
      InputDetails: { Included: true },
      Name: 'target-logs',
      Output: { got: 'logs', done: true },
      OutputDetails: { Included: true },
      RedriveCount: 0,
      RedriveStatus: 'NOT_REDRIVABLE',
      RedriveStatusReason: 'Execution is SUCCEEDED and cannot be redriven',
      StartDate: expect.any(Number),
      StateMachineArn: childArn,
      Status: 'SUCCEEDED',
      StopDate: expect.any(Number),
    });
    // Dates are epoch milliseconds and the child really waited its 30 emulated seconds.
    expect(output.StopDate - output.StartDate).toBeGreaterThanOrEqual(30_000);
    const described = await harness.client.send(
      new DescribeExecutionCommand({ executionArn: childExecutionArn }),
    );
    expect(described.startDate!.getTime()).toBe(output.StartDate);

    const events = await history(result.executionArn);
    expect(events.map((event) => event.type)).toEqual([
      'ExecutionStarted',
      'TaskStateEntered',
      'TaskScheduled',
      'TaskStarted',
      'TaskSubmitted',
      'TaskSucceeded',
      'TaskStateExited',
      'ExecutionSucceeded',
    ]);
    const scheduled = events[2]!.taskScheduledEventDetails!;
    expect(scheduled).toMatchObject({ resourceType: 'states', resource: 'startExecution.sync:2' });
    expect(JSON.parse(scheduled.parameters!)).toEqual({
      StateMachineArn: childArn,
      Name: 'target-logs',
      Input: { item: 'logs', wait: 30 },
    });
    const submitted = JSON.parse(events[4]!.taskSubmittedEventDetails!.output!);
    expect(submitted).toMatchObject({ ExecutionArn: childExecutionArn, StartDate: output.StartDate });
    expect(submitted.SdkHttpMetadata.HttpStatusCode).toBe(200);
    expect(events[5]!.taskSucceededEventDetails).toMatchObject({
      resourceType: 'states',
      resource: 'startExecution.sync:2',
    });
  });

  it('.sync returns Input and Output as JSON text', async () => {
    const result = await run(parentOf(SYNC), {
      child: childArn,
      name: 'as-text',
      input: { item: 'text', wait: 1 },
    });

    const output = JSON.parse(result.output!).result;
    expect(output.Input).toBe('{"item":"text","wait":1}');
    expect(JSON.parse(output.Output)).toEqual({ got: 'text', done: true });
    const events = await history(result.executionArn);
    expect(events[2]!.taskScheduledEventDetails!.resource).toBe('startExecution.sync');
  });

  it('startExecution without .sync returns StartExecution’s response and leaves the child running', async () => {
    const result = await run(parentOf(FIRE_AND_FORGET), {
      child: childArn,
      name: 'fire-and-forget',
      input: { item: 'later', wait: 3600 },
    });

    expect(result.status).toBe('SUCCEEDED');
    const output = JSON.parse(result.output!).result;
    expect(output).toMatchObject({
      ExecutionArn: 'arn:aws:states:us-east-1:123456789012:execution:child:fire-and-forget',
      StartDate: expect.any(Number),
      SdkHttpMetadata: { HttpStatusCode: 200 },
    });
    const [started] = await childExecutions();
    expect(started).toMatchObject({ name: 'fire-and-forget', status: 'RUNNING' });
    const types = (await history(result.executionArn)).map((event) => event.type);
    expect(types).not.toContain('TaskSubmitted');
    expect(types).toContain('TaskSucceeded');
  });

  it('fails the task with States.TaskFailed and the child’s description as cause, which a Catch takes', async () => {
    const result = await run(
      parentOf(SYNC2, {
        Catch: [
          { ErrorEquals: ['ChildBroke'], ResultPath: '$.byName', Next: 'Caught' },
          { ErrorEquals: ['States.TaskFailed'], ResultPath: '$.failure', Next: 'Caught' },
        ],
      }),
      { child: childArn, name: 'breaks', input: { item: 'x', fail: true } },
    );

    expect(result.status).toBe('SUCCEEDED');
    const { failure, byName } = JSON.parse(result.output!);
    expect(byName).toBeUndefined();
    expect(failure.Error).toBe('States.TaskFailed');
    const cause = JSON.parse(failure.Cause);
    expect(Object.keys(cause)).toEqual([
      'Cause',
      'Error',
      'ExecutionArn',
      'Input',
      'InputDetails',
      'Name',
      'RedriveCount',
      'RedriveStatus',
      'StartDate',
      'StateMachineArn',
      'Status',
      'StopDate',
    ]);
    expect(cause).toMatchObject({
      Cause: 'the child was told to fail',
      Error: 'ChildBroke',
      Input: '{"item":"x","fail":true}',
      Status: 'FAILED',
      RedriveStatus: 'REDRIVABLE',
    });
    const failed = (await history(result.executionArn)).find((event) => event.type === 'TaskFailed');
    expect(failed!.taskFailedEventDetails).toMatchObject({
      resourceType: 'states',
      resource: 'startExecution.sync:2',
      error: 'States.TaskFailed',
      cause: failure.Cause,
    });
  });

  it('returns the running child for the same name and input, and refuses another input or a closed name', async () => {
    const twice = {
      StartAt: 'First',
      States: {
        First: {
          Type: 'Task',
          Resource: FIRE_AND_FORGET,
          Parameters: { StateMachineArn: childArn, Name: 'once', Input: { item: 'a', wait: 3600 } },
          ResultPath: '$.first',
          Next: 'Again',
        },
        Again: {
          Type: 'Task',
          Resource: FIRE_AND_FORGET,
          Parameters: { StateMachineArn: childArn, Name: 'once', Input: { item: 'a', wait: 3600 } },
          ResultPath: '$.again',
          Next: 'OtherInput',
        },
        OtherInput: {
          Type: 'Task',
          Resource: SYNC2,
          Parameters: { StateMachineArn: childArn, Name: 'once', Input: { item: 'b', wait: 1 } },
          Catch: [
            {
              ErrorEquals: ['StepFunctions.ExecutionAlreadyExistsException'],
              ResultPath: '$.refused',
              Next: 'Done',
            },
          ],
          End: true,
        },
        Done: { Type: 'Succeed' },
      },
    };
    const result = await run(twice, {});

    expect(result.status).toBe('SUCCEEDED');
    const output = JSON.parse(result.output!);
    expect(output.again.ExecutionArn).toBe(output.first.ExecutionArn);
    expect(output.again.StartDate).toBe(output.first.StartDate);
    expect(output.refused.Error).toBe('StepFunctions.ExecutionAlreadyExistsException');
    expect(await childExecutions()).toHaveLength(1);

    // Once the child has closed, even the same input is refused.
    await harness.client.send(new StopExecutionCommand({ executionArn: output.first.ExecutionArn }));
    const again = await run(
      parentOf(SYNC2),
      { child: childArn, name: 'once', input: { item: 'a', wait: 3600 } },
      'second',
    );
    expect(again).toMatchObject({ status: 'FAILED', error: 'StepFunctions.ExecutionAlreadyExistsException' });
  });

  it('stopping the parent aborts a .sync child with the cause AWS gives', async () => {
    const parentArn = harness.service.createStateMachine('stoppable', parentOf(SYNC2));
    const { executionArn } = harness.service.startExecution(
      parentArn,
      { child: childArn, name: 'long', input: { item: 'x', wait: 86_400 } },
      'stopped-parent',
    );
    await eventually(childExecutions, (executions) => executions.length === 1);

    await harness.client.send(new StopExecutionCommand({ executionArn, error: 'Operator', cause: 'enough' }));

    const childExecution = 'arn:aws:states:us-east-1:123456789012:execution:child:long';
    const stopped = await harness.service.waitForExecution(childExecution, 5000);
    expect(stopped).toMatchObject({
      status: 'ABORTED',
      cause: `The Task state in AWS Step Functions execution [${executionArn}] which was managing this resource was aborted`,
    });
    expect(stopped.error).toBeUndefined();
    const parentTypes = (await history(executionArn)).map((event) => event.type);
    expect(parentTypes.at(-1)).toBe('ExecutionAborted');
    expect(parentTypes).not.toContain('TaskFailed');
  });

  it('a task timing out stops its child and fails with States.Timeout', async () => {
    const result = await run(parentOf(SYNC2, { TimeoutSeconds: 60 }), {
      child: childArn,
      name: 'too-slow',
      input: { item: 'x', wait: 3600 },
    });

    expect(result).toMatchObject({ status: 'FAILED', error: 'States.Timeout' });
    const types = (await history(result.executionArn)).map((event) => event.type);
    expect(types).toContain('TaskSubmitted');
    expect(types).toContain('TaskTimedOut');
    const childExecution = 'arn:aws:states:us-east-1:123456789012:execution:child:too-slow';
    expect((await harness.service.waitForExecution(childExecution, 5000)).status).toBe('ABORTED');
  });

  it('startExecution.waitForTaskToken waits for the token the child was given', async () => {
    const tokens: string[] = [];
    harness.lambda.register('register', (payload) => {
      tokens.push((payload as { token: string }).token);
      return {};
    });
    const callbackChild = harness.service.createStateMachine('callback-child', {
      StartAt: 'Register',
      States: { Register: { Type: 'Task', Resource: functionArn('register'), End: true } },
    });
    const parentArn = harness.service.createStateMachine('callback-parent', {
      StartAt: 'RunChild',
      States: {
        RunChild: {
          Type: 'Task',
          Resource: `${FIRE_AND_FORGET}.waitForTaskToken`,
          Parameters: { StateMachineArn: callbackChild, Input: { 'token.$': '$$.Task.Token' } },
          End: true,
        },
      },
    });
    const { executionArn } = harness.service.startExecution(parentArn, {}, 'callback');
    await eventually(
      () => tokens.length,
      (count) => count === 1,
    );

    await harness.client.send(new SendTaskSuccessCommand({ taskToken: tokens[0], output: '{"answer":42}' }));

    const result = await harness.service.waitForExecution(executionArn, 5000);
    expect(result.status).toBe('SUCCEEDED');
    expect(JSON.parse(result.output!)).toEqual({ answer: 42 });
    const types = (await history(executionArn)).map((event) => event.type);
    expect(types).toEqual(expect.arrayContaining(['TaskSubmitted', 'TaskSucceeded']));
  });

  it('Map with MaxConcurrency 2 never has more than two children running', async () => {
    const fanOut = {
      StartAt: 'Targets',
      States: {
        Targets: {
          Type: 'Map',
          ItemsPath: '$.targets',
          MaxConcurrency: 2,
          ItemSelector: { 'name.$': '$$.Map.Item.Value.name', 'wait.$': '$$.Map.Item.Value.wait' },
          ItemProcessor: {
            StartAt: 'RunTarget',
            States: {
              RunTarget: {
                Type: 'Task',
                Resource: SYNC2,
                Parameters: {
                  StateMachineArn: childArn,
                  'Name.$': '$.name',
                  Input: { 'item.$': '$.name', 'wait.$': '$.wait' },
                },
                OutputPath: '$.Output',
                End: true,
              },
            },
          },
          End: true,
        },
      },
    };
    const targets = [40, 10, 30, 20, 10].map((wait, index) => ({ name: `t${index}`, wait }));

    const result = await run(fanOut, { targets });

    expect(result.status).toBe('SUCCEEDED');
    expect(JSON.parse(result.output!)).toEqual(targets.map((target) => ({ got: target.name, done: true })));
    const executions = await childExecutions();
    expect(executions).toHaveLength(5);
    // Sweep over [start, stop) intervals: how many children ran at once.
    const edges = executions.flatMap((execution) => [
      { at: execution.startDate!.getTime(), delta: 1 },
      { at: execution.stopDate!.getTime(), delta: -1 },
    ]);
    edges.sort((a, b) => a.at - b.at || a.delta - b.delta);
    let running = 0;
    let most = 0;
    for (const edge of edges) {
      running += edge.delta;
      most = Math.max(most, running);
    }
    expect(most).toBe(2);
    const types = (await history(result.executionArn)).map((event) => event.type);
    expect(types.filter((type) => type === 'TaskSubmitted')).toHaveLength(5);
    expect(types.filter((type) => type === 'MapIterationSucceeded')).toHaveLength(5);
  });

  it('a failing Map iteration abandons the others: their .sync children are aborted', async () => {
    const fanOut = {
      StartAt: 'Targets',
      States: {
        Targets: {
          Type: 'Map',
          ItemsPath: '$.targets',
          ItemProcessor: {
            StartAt: 'RunTarget',
            States: {
              RunTarget: {
                Type: 'Task',
                Resource: SYNC2,
                Parameters: { StateMachineArn: childArn, 'Name.$': '$.name', 'Input.$': '$' },
                End: true,
              },
            },
          },
          Catch: [{ ErrorEquals: ['States.ALL'], ResultPath: '$.failure', Next: 'Recovered' }],
          End: true,
        },
        Recovered: { Type: 'Pass', End: true },
      },
    };

    const result = await run(fanOut, {
      targets: [
        { name: 'slow', item: 'slow', wait: 86_400 },
        { name: 'fails', item: 'fails', wait: 1, fail: true },
      ],
    });

    expect(result.status).toBe('SUCCEEDED');
    const slow = 'arn:aws:states:us-east-1:123456789012:execution:child:slow';
    expect((await harness.service.waitForExecution(slow, 5000)).status).toBe('ABORTED');
    const types = (await history(result.executionArn)).map((event) => event.type);
    // The abandoned iteration records no outcome of its own.
    expect(types.filter((type) => type === 'TaskFailed')).toHaveLength(1);
    expect(types.filter((type) => type === 'TaskSucceeded')).toHaveLength(0);
  });
});

describe('child executions across a restart', () => {
  /** RunChild (.sync:2), then a Lambda task `after`. */
  const parentThenLambda = {
    StartAt: 'RunChild',
    States: {
      RunChild: { ...parentOf(SYNC2).States.RunChild, End: undefined, Next: 'After' },
      After: { Type: 'Task', Resource: functionArn('after'), ResultPath: '$.after', End: true },
    },
  };

  const startParent = async (timeScale: number, wait: number, afterHangs: boolean) => {
    const storage = createMemoryStorage();
    const lambda = createTestLambda();
    let hang = afterHangs;
    lambda.register('after', () => (hang ? new Promise(() => undefined) : { ran: true }));
    const first = await startHarness({ timeScale, storage, lambda });
    const childArn = first.service.createStateMachine('child', child);
    const parentArn = first.service.createStateMachine('parent', parentThenLambda);
    const { executionArn } = first.service.startExecution(
      parentArn,
      { child: childArn, name: 'adopted', input: { item: 'kept', wait } },
      'restarted-parent',
    );
    const childExecutions = async (harness: Harness) =>
      (await harness.client.send(new ListExecutionsCommand({ stateMachineArn: childArn }))).executions!;
    return {
      storage,
      lambda,
      first,
      executionArn,
      childExecutions,
      release: () => {
        hang = false;
      },
    };
  };

  it('a parent restarted while its child runs waits for that child again', async () => {
    const { storage, lambda, first, executionArn, childExecutions } = await startParent(1, 3600, false);
    await eventually(
      () => childExecutions(first),
      (executions) => executions.length === 1,
    );
    await first.close();

    const second = await startHarness({ timeScale: 100_000, storage, lambda });
    try {
      const parent = await second.service.waitForExecution(executionArn, 10_000);

      expect(parent).toMatchObject({ status: 'SUCCEEDED', redriveCount: 1 });
      const output = JSON.parse(parent.output!);
      expect(output.result).toMatchObject({ Name: 'adopted', Status: 'SUCCEEDED', RedriveCount: 1 });
      expect(output.after).toEqual({ ran: true });
      expect((await childExecutions(second)).map((execution) => execution.name)).toEqual(['adopted']);
    } finally {
      await second.close();
    }
  });

  it('a parent restarted after its child closed adopts the closed child instead of failing on its name', async () => {
    const { storage, lambda, first, executionArn, childExecutions, release } = await startParent(
      1000,
      10,
      true,
    );
    await eventually(
      () => childExecutions(first),
      (executions) => executions.length === 1 && executions[0]!.status === 'SUCCEEDED',
    );
    expect((await first.service.waitForExecution(executionArn, 50)).status).toBe('RUNNING');
    await first.close();
    release();

    const second = await startHarness({ timeScale: 1000, storage, lambda });
    try {
      const parent = await second.service.waitForExecution(executionArn, 10_000);

      expect(parent).toMatchObject({ status: 'SUCCEEDED', redriveCount: 1 });
      const output = JSON.parse(parent.output!);
      expect(output.result).toMatchObject({ Name: 'adopted', Status: 'SUCCEEDED', RedriveCount: 0 });
      expect(output.result.Output).toEqual({ got: 'kept', done: true });
      expect(output.after).toEqual({ ran: true });
      expect((await childExecutions(second)).map((execution) => execution.name)).toEqual(['adopted']);
    } finally {
      await second.close();
    }
  });
});
