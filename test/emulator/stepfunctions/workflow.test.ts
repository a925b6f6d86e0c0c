import {
  CreateStateMachineCommand,
  DescribeExecutionCommand,
  GetExecutionHistoryCommand,
  type HistoryEvent,
  StartExecutionCommand,
} from '@aws-sdk/client-sfn';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { functionArn, functionError, type Harness, ROLE_ARN, startHarness } from './helpers.js';

const lambdaRetrier = {
  ErrorEquals: ['ServiceThrottledError'],
  IntervalSeconds: 2,
  MaxAttempts: 3,
  BackoffRate: 2,
};

/** Pass → Task(Lambda) → Choice → Wait(SecondsPath) → Succeed, recording the Context object on the way. */
const pipeline = {
  StartAt: 'Initialize',
  States: {
    Initialize: {
      Type: 'Pass',
      Parameters: {
        'n.$': '$.n',
        waitSeconds: 600,
        context: {
          'executionId.$': '$$.Execution.Id',
          'executionName.$': '$$.Execution.Name',
          'startTime.$': '$$.Execution.StartTime',
          'stateMachineId.$': '$$.StateMachine.Id',
          'stateName.$': '$$.State.Name',
          'input.$': '$$.Execution.Input',
        },
      },
      Next: 'Double',
    },
    Double: { Type: 'Task', Resource: functionArn('double'), ResultPath: '$.result', Next: 'IsLarge' },
    IsLarge: {
      Type: 'Choice',
      Choices: [{ Variable: '$.result.doubled', NumericGreaterThanEquals: 4, Next: 'WaitForProgress' }],
      Default: 'Done',
    },
    WaitForProgress: { Type: 'Wait', SecondsPath: '$.waitSeconds', Next: 'Done' },
    Done: { Type: 'Succeed' },
  },
};

describe('Step Functions executions', () => {
  let harness: Harness;

  beforeEach(async () => {
    harness = await startHarness({ timeScale: 1000 });
    harness.lambda.register('double', (payload) => ({ doubled: (payload as { n: number }).n * 2 }));
  });
  afterEach(() => harness.close());

  const createMachine = async (name: string, definition: object) =>
    (
      await harness.client.send(
        new CreateStateMachineCommand({ name, definition: JSON.stringify(definition), roleArn: ROLE_ARN }),
      )
    ).stateMachineArn!;

  const history = async (executionArn: string): Promise<HistoryEvent[]> =>
    (await harness.client.send(new GetExecutionHistoryCommand({ executionArn, maxResults: 1000 }))).events ??
    [];

  it('runs Pass, Lambda Task, Choice, a scaled Wait and Succeed, with the Context object', async () => {
    // Prepare
    const stateMachineArn = await createMachine('pipeline', pipeline);
    const started = Date.now();

    // Act
    const { executionArn, startDate } = await harness.client.send(
      new StartExecutionCommand({ stateMachineArn, name: 'run-1', input: JSON.stringify({ n: 2 }) }),
    );
    const result = await harness.service.waitForExecution(executionArn!, 10_000);

    // Assess
    expect(result.status).toBe('SUCCEEDED');
    expect(Date.now() - started).toBeLessThan(3000); // 600 emulated seconds at 1000x is 0.6 s
    const output = JSON.parse(result.output!);
    expect(output.result).toEqual({ doubled: 4 });
    expect(output.context).toEqual({
      executionId: executionArn,
      executionName: 'run-1',
      startTime: startDate!.toISOString(),
      stateMachineId: stateMachineArn,
      stateName: 'Initialize',
      input: { n: 2 },
    });
    const described = await harness.client.send(new DescribeExecutionCommand({ executionArn }));
    expect(described.status).toBe('SUCCEEDED');
    expect(described.stopDate!.getTime()).toBeGreaterThanOrEqual(described.startDate!.getTime() + 600_000);
    expect((await history(executionArn!)).map((event) => event.type)).toEqual([
      'ExecutionStarted',
      'PassStateEntered',
      'PassStateExited',
      'TaskStateEntered',
      'LambdaFunctionScheduled',
      'LambdaFunctionStarted',
      'LambdaFunctionSucceeded',
      'TaskStateExited',
      'ChoiceStateEntered',
      'ChoiceStateExited',
      'WaitStateEntered',
      'WaitStateExited',
      'SucceedStateEntered',
      'SucceedStateExited',
      'ExecutionSucceeded',
    ]);
  });

  it('retries a named Lambda error and then succeeds', async () => {
    // Prepare
    let calls = 0;
    harness.lambda.register('flaky', () => {
      calls += 1;
      if (calls < 3) throw functionError('ServiceThrottledError', 'slow down');
      return { ok: true };
    });
    const stateMachineArn = await createMachine('retrying', {
      StartAt: 'Call',
      States: { Call: { Type: 'Task', Resource: functionArn('flaky'), Retry: [lambdaRetrier], End: true } },
    });

    // Act
    const { executionArn } = await harness.client.send(new StartExecutionCommand({ stateMachineArn }));
    const result = await harness.service.waitForExecution(executionArn!, 10_000);

    // Assess
    expect(result.status).toBe('SUCCEEDED');
    expect(JSON.parse(result.output!)).toEqual({ ok: true });
    const events = await history(executionArn!);
    expect(events.filter((event) => event.type === 'LambdaFunctionScheduled')).toHaveLength(3);
    const failures = events.filter((event) => event.type === 'LambdaFunctionFailed');
    expect(failures.map((event) => event.lambdaFunctionFailedEventDetails?.error)).toEqual([
      'ServiceThrottledError',
      'ServiceThrottledError',
    ]);
    expect(JSON.parse(failures[0]!.lambdaFunctionFailedEventDetails!.cause!)).toMatchObject({
      errorType: 'ServiceThrottledError',
      errorMessage: 'slow down',
    });
  });

  it('catches a named Lambda error into a Fail state and fails with that state error', async () => {
    // Prepare
    harness.lambda.register('validate', () => {
      throw functionError('RequestValidationError', 'manifest: missing');
    });
    const stateMachineArn = await createMachine('catching', {
      StartAt: 'Validate',
      States: {
        Validate: {
          Type: 'Task',
          Resource: functionArn('validate'),
          Retry: [lambdaRetrier],
          Catch: [{ ErrorEquals: ['RequestValidationError'], ResultPath: '$.error', Next: 'Rejected' }],
          End: true,
        },
        Rejected: { Type: 'Fail', Error: 'JobRejected', CausePath: '$.error.Cause' },
      },
    });

    // Act
    const { executionArn } = await harness.client.send(new StartExecutionCommand({ stateMachineArn }));
    const result = await harness.service.waitForExecution(executionArn!, 10_000);

    // Assess
    expect(result.status).toBe('FAILED');
    expect(result.error).toBe('JobRejected');
    expect(JSON.parse(result.cause!)).toMatchObject({
      errorType: 'RequestValidationError',
      errorMessage: 'manifest: missing',
    });
    const types = (await history(executionArn!)).map((event) => event.type);
    expect(types.slice(-4)).toEqual([
      'LambdaFunctionFailed',
      'TaskStateExited',
      'FailStateEntered',
      'ExecutionFailed',
    ]);
  });

  it('fails the execution with the function error when nothing catches it', async () => {
    // Prepare
    harness.lambda.register('broken', () => {
      throw functionError('TypeError', 'x is undefined');
    });
    const stateMachineArn = await createMachine('uncaught', {
      StartAt: 'Call',
      States: { Call: { Type: 'Task', Resource: functionArn('broken'), End: true } },
    });

    // Act
    const { executionArn } = await harness.client.send(new StartExecutionCommand({ stateMachineArn }));
    const result = await harness.service.waitForExecution(executionArn!, 10_000);

    // Assess
    expect(result).toMatchObject({ status: 'FAILED', error: 'TypeError' });
    expect(JSON.parse(result.cause!).errorMessage).toBe('x is undefined');
  });

  it('invokes the optimized lambda:invoke integration and returns its Payload envelope', async () => {
    // Prepare
    const stateMachineArn = await createMachine('optimized', {
      StartAt: 'Call',
      States: {
        Call: {
          Type: 'Task',
          Resource: 'arn:aws:states:::lambda:invoke',
          Parameters: { FunctionName: functionArn('double'), 'Payload.$': '$' },
          ResultSelector: { 'body.$': '$.Payload', 'status.$': '$.StatusCode' },
          End: true,
        },
      },
    });

    // Act
    const { executionArn } = await harness.client.send(
      new StartExecutionCommand({ stateMachineArn, input: JSON.stringify({ n: 5 }) }),
    );
    const result = await harness.service.waitForExecution(executionArn!, 10_000);

    // Assess
    expect(JSON.parse(result.output!)).toEqual({ body: { doubled: 10 }, status: 200 });
    const types = (await history(executionArn!)).map((event) => event.type);
    expect(types).toEqual([
      'ExecutionStarted',
      'TaskStateEntered',
      'TaskScheduled',
      'TaskStarted',
      'TaskSucceeded',
      'TaskStateExited',
      'ExecutionSucceeded',
    ]);
  });
});
