import {
  CreateStateMachineCommand,
  GetExecutionHistoryCommand,
  StartExecutionCommand,
} from '@aws-sdk/client-sfn';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { functionArn, type Harness, ROLE_ARN, startHarness } from './helpers.js';

/** A task whose token is parked and never returned, so only its timeout ends it; Catch routes the timeout. */
const parkedTask = (timeout: Record<string, unknown>, resource: string) => ({
  StartAt: 'WaitForProgress',
  States: {
    WaitForProgress: {
      Type: 'Task',
      Resource: resource,
      Parameters: {
        FunctionName: functionArn('park'),
        Payload: { 'taskToken.$': '$$.Task.Token' },
      },
      ...timeout,
      ResultPath: null,
      Catch: [{ ErrorEquals: ['States.Timeout'], ResultPath: '$.error', Next: 'DescribeJob' }],
      Next: 'DescribeJob',
    },
    DescribeJob: { Type: 'Pass', End: true },
  },
});

describe('history of a timed-out task', () => {
  let harness: Harness;
  beforeEach(async () => {
    harness = await startHarness({ timeScale: 1000 });
    harness.lambda.register('park', () => ({ parked: true }));
    harness.lambda.register('hang', () => new Promise(() => undefined));
  });
  afterEach(() => harness.close());

  const runToEnd = async (name: string, definition: object, input: object) => {
    const { stateMachineArn } = await harness.client.send(
      new CreateStateMachineCommand({ name, definition: JSON.stringify(definition), roleArn: ROLE_ARN }),
    );
    const { executionArn } = await harness.client.send(
      new StartExecutionCommand({ stateMachineArn, input: JSON.stringify(input) }),
    );
    const result = await harness.service.waitForExecution(executionArn!, 5000);
    const { events } = await harness.client.send(new GetExecutionHistoryCommand({ executionArn }));
    return { result, events: events ?? [] };
  };

  // What AWS records for a `.waitForTaskToken` task that times out (Step Functions API reference, HistoryEvent):
  // each event once, the TaskTimedOut carrying States.Timeout.
  const timedOutTaskHistory = [
    'ExecutionStarted',
    'TaskStateEntered',
    'TaskScheduled',
    'TaskStarted',
    'TaskSubmitted',
    'TaskTimedOut',
    'TaskStateExited',
    'PassStateEntered',
    'PassStateExited',
    'ExecutionSucceeded',
  ];

  it.each([
    ['TimeoutSeconds', { TimeoutSeconds: 1 }],
    ['TimeoutSecondsPath', { TimeoutSecondsPath: '$.waitSeconds' }],
  ])('records one of each event for a waitForTaskToken task timed out by %s', async (field, timeout) => {
    // Prepare
    const definition = parkedTask(timeout, 'arn:aws:states:::lambda:invoke.waitForTaskToken');

    // Act
    const { result, events } = await runToEnd(`parked-${field}`, definition, { waitSeconds: 1 });

    // Assess
    expect(result.status).toBe('SUCCEEDED');
    expect(JSON.parse(result.output!).error).toMatchObject({ Error: 'States.Timeout' });
    expect(events.map((event) => event.type)).toEqual(timedOutTaskHistory);
    expect(events.find((event) => event.type === 'TaskTimedOut')?.taskTimedOutEventDetails).toMatchObject({
      resourceType: 'lambda',
      resource: 'invoke.waitForTaskToken',
      error: 'States.Timeout',
    });
  });

  it('records one LambdaFunctionTimedOut for a Lambda function task timed out by TimeoutSeconds', async () => {
    // Prepare
    const definition = {
      StartAt: 'Call',
      States: {
        Call: {
          Type: 'Task',
          Resource: functionArn('hang'),
          TimeoutSeconds: 1,
          Catch: [{ ErrorEquals: ['States.Timeout'], Next: 'Recovered' }],
          End: true,
        },
        Recovered: { Type: 'Pass', End: true },
      },
    };

    // Act
    const { result, events } = await runToEnd('lambda-timeout', definition, {});

    // Assess
    expect(result.status).toBe('SUCCEEDED');
    expect(events.map((event) => event.type)).toEqual([
      'ExecutionStarted',
      'TaskStateEntered',
      'LambdaFunctionScheduled',
      'LambdaFunctionStarted',
      'LambdaFunctionTimedOut',
      'TaskStateExited',
      'PassStateEntered',
      'PassStateExited',
      'ExecutionSucceeded',
    ]);
  });

  it('records each retried attempt of a timed-out task once', async () => {
    // Prepare: one retry, so two attempts time out
    const definition = parkedTask({ TimeoutSeconds: 1 }, 'arn:aws:states:::lambda:invoke.waitForTaskToken');
    Object.assign(definition.States.WaitForProgress, {
      Retry: [{ ErrorEquals: ['States.Timeout'], IntervalSeconds: 1, MaxAttempts: 1 }],
    });

    // Act
    const { result, events } = await runToEnd('parked-retried', definition, {});

    // Assess
    expect(result.status).toBe('SUCCEEDED');
    const attempt = ['TaskScheduled', 'TaskStarted', 'TaskSubmitted', 'TaskTimedOut'];
    expect(events.map((event) => event.type)).toEqual([
      'ExecutionStarted',
      'TaskStateEntered',
      ...attempt,
      ...attempt,
      'TaskStateExited',
      'PassStateEntered',
      'PassStateExited',
      'ExecutionSucceeded',
    ]);
  });
});
