import {
  CreateStateMachineCommand,
  GetExecutionHistoryCommand,
  SendTaskFailureCommand,
  SendTaskHeartbeatCommand,
  SendTaskSuccessCommand,
  StartExecutionCommand,
} from '@aws-sdk/client-sfn';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { eventually, functionArn, type Harness, ROLE_ARN, startHarness } from './helpers.js';

const waitForCallback = (heartbeatSeconds?: number) => ({
  StartAt: 'WaitForJobEvent',
  States: {
    WaitForJobEvent: {
      Type: 'Task',
      Resource: 'arn:aws:states:::lambda:invoke.waitForTaskToken',
      Parameters: {
        FunctionName: functionArn('register'),
        Payload: { 'jobId.$': '$.jobId', 'taskToken.$': '$$.Task.Token' },
      },
      ...(heartbeatSeconds === undefined ? {} : { HeartbeatSeconds: heartbeatSeconds }),
      ResultPath: '$.callback',
      Catch: [{ ErrorEquals: ['States.HeartbeatTimeout'], ResultPath: '$.error', Next: 'TimedOut' }],
      End: true,
    },
    TimedOut: { Type: 'Fail', Error: 'CallbackTimedOut' },
  },
});

describe('.waitForTaskToken', () => {
  let harness: Harness;
  let tokens: string[];

  beforeEach(async () => {
    harness = await startHarness({ timeScale: 1000 });
    tokens = [];
    harness.lambda.register('register', (payload) => {
      tokens.push((payload as { taskToken: string }).taskToken);
      return { registered: true };
    });
  });
  afterEach(() => harness.close());

  const run = async (name: string, definition: object) => {
    const { stateMachineArn } = await harness.client.send(
      new CreateStateMachineCommand({ name, definition: JSON.stringify(definition), roleArn: ROLE_ARN }),
    );
    const { executionArn } = await harness.client.send(
      new StartExecutionCommand({ stateMachineArn, input: JSON.stringify({ jobId: 'job-7' }) }),
    );
    await eventually(
      () => tokens.length,
      (count) => count === 1,
    );
    return executionArn!;
  };

  it('passes the token to the target and resumes with SendTaskSuccess output', async () => {
    const executionArn = await run('callback', waitForCallback());
    const running = await harness.service.waitForExecution(executionArn, 50);
    expect(running.status).toBe('RUNNING');

    await harness.client.send(new SendTaskHeartbeatCommand({ taskToken: tokens[0] }));
    await harness.client.send(
      new SendTaskSuccessCommand({ taskToken: tokens[0], output: JSON.stringify({ status: 'Complete' }) }),
    );

    const result = await harness.service.waitForExecution(executionArn, 5000);
    expect(result.status).toBe('SUCCEEDED');
    expect(JSON.parse(result.output!)).toEqual({ jobId: 'job-7', callback: { status: 'Complete' } });
    const { events } = await harness.client.send(new GetExecutionHistoryCommand({ executionArn }));
    expect(events?.map((event) => event.type)).toEqual([
      'ExecutionStarted',
      'TaskStateEntered',
      'TaskScheduled',
      'TaskStarted',
      'TaskSubmitted',
      'TaskSucceeded',
      'TaskStateExited',
      'ExecutionSucceeded',
    ]);
    await expect(
      harness.client.send(new SendTaskSuccessCommand({ taskToken: tokens[0], output: '{}' })),
    ).rejects.toMatchObject({ name: 'TaskTimedOut' });
  });

  it('fails the task with SendTaskFailure error and cause', async () => {
    const executionArn = await run('callback-failure', waitForCallback());

    await harness.client.send(
      new SendTaskFailureCommand({ taskToken: tokens[0], error: 'JobFailed', cause: 'manifest unreadable' }),
    );

    const result = await harness.service.waitForExecution(executionArn, 5000);
    expect(result).toMatchObject({ status: 'FAILED', error: 'JobFailed', cause: 'manifest unreadable' });
  });

  it('times the task out after HeartbeatSeconds of emulated time without a heartbeat', async () => {
    const executionArn = await run('callback-heartbeat', waitForCallback(60));

    const result = await harness.service.waitForExecution(executionArn, 5000);

    expect(result).toMatchObject({ status: 'FAILED', error: 'CallbackTimedOut' });
  });

  it('times the task out after TimeoutSecondsPath of emulated time, then rejects the stale token', async () => {
    const definition = waitForCallback();
    const { Catch: _catch, ...task } = definition.States.WaitForJobEvent;
    definition.States.WaitForJobEvent = {
      ...task,
      TimeoutSecondsPath: '$.waitSeconds',
      Catch: [{ ErrorEquals: ['States.Timeout'], ResultPath: '$.error', Next: 'TimedOut' }],
    } as typeof definition.States.WaitForJobEvent;
    const { stateMachineArn } = await harness.client.send(
      new CreateStateMachineCommand({
        name: 'callback-timeout-path',
        definition: JSON.stringify(definition),
        roleArn: ROLE_ARN,
      }),
    );
    const { executionArn } = await harness.client.send(
      new StartExecutionCommand({
        stateMachineArn,
        input: JSON.stringify({ jobId: 'job-7', waitSeconds: 600 }),
      }),
    );

    const result = await harness.service.waitForExecution(executionArn!, 5000);

    // 600 emulated seconds at a time scale of 1,000 take 0.6 s: in real seconds the execution would still
    // be RUNNING when waitForExecution gives up after 5 s.
    expect(result).toMatchObject({ status: 'FAILED', error: 'CallbackTimedOut' });
    await expect(
      harness.client.send(new SendTaskSuccessCommand({ taskToken: tokens[0]!, output: '{}' })),
    ).rejects.toMatchObject({ name: 'TaskTimedOut' });
  });

  it('rejects malformed tokens and invalid output', async () => {
    await run('callback-errors', waitForCallback());
    await expect(
      harness.client.send(new SendTaskSuccessCommand({ taskToken: 'garbage', output: '{}' })),
    ).rejects.toMatchObject({ name: 'InvalidToken' });
    await expect(
      harness.client.send(new SendTaskSuccessCommand({ taskToken: tokens[0], output: '{oops' })),
    ).rejects.toMatchObject({ name: 'InvalidOutput' });
  });
});
