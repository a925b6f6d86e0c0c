import {
  CreateStateMachineCommand,
  GetExecutionHistoryCommand,
  ListStateMachinesCommand,
  StartExecutionCommand,
} from '@aws-sdk/client-sfn';
import { afterEach, describe, expect, it } from 'vitest';
import type { FaultInjector } from '../../../emulator/contracts.js';
import { functionArn, type Harness, ROLE_ARN, startHarness } from './helpers.js';

describe('emulated time and other state types', () => {
  let harness: Harness;
  afterEach(() => harness.close());

  const runToEnd = async (name: string, definition: object, input: object = {}) => {
    const { stateMachineArn } = await harness.client.send(
      new CreateStateMachineCommand({ name, definition: JSON.stringify(definition), roleArn: ROLE_ARN }),
    );
    const { executionArn } = await harness.client.send(
      new StartExecutionCommand({ stateMachineArn, input: JSON.stringify(input) }),
    );
    return harness.service.waitForExecution(executionArn!, 10_000);
  };

  it('times out the execution after its TimeoutSeconds of emulated time', async () => {
    harness = await startHarness({ timeScale: 1000 });
    const result = await runToEnd('timing-out', {
      StartAt: 'Hold',
      TimeoutSeconds: 60,
      States: { Hold: { Type: 'Wait', Seconds: 3600, End: true } },
    });
    expect(result).toMatchObject({ status: 'TIMED_OUT', error: 'States.Timeout' });
  });

  it('times a Lambda task out after its TimeoutSeconds and lets Catch route States.Timeout', async () => {
    harness = await startHarness({ timeScale: 1000 });
    harness.lambda.register('hang', () => new Promise(() => undefined));
    const result = await runToEnd('task-timeout', {
      StartAt: 'Call',
      States: {
        Call: {
          Type: 'Task',
          Resource: functionArn('hang'),
          TimeoutSeconds: 30,
          Catch: [{ ErrorEquals: ['States.Timeout'], Next: 'Recovered' }],
          End: true,
        },
        Recovered: { Type: 'Pass', End: true },
      },
    });
    expect(result.status).toBe('SUCCEEDED');
    expect(JSON.parse(result.output!)).toMatchObject({ Error: 'States.Timeout' });
    const { events } = await harness.client.send(
      new GetExecutionHistoryCommand({ executionArn: result.executionArn }),
    );
    expect(events?.map((event) => event.type)).toContain('LambdaFunctionTimedOut');
  });

  it('waits until a TimestampPath in emulated time', async () => {
    harness = await startHarness({ timeScale: 10_000 });
    const result = await runToEnd(
      'until',
      {
        StartAt: 'Until',
        States: { Until: { Type: 'Wait', TimestampPath: '$.at', End: true } },
      },
      { at: '2030-01-01T01:00:00Z' }, // an emulated hour after the test clock starts: 0.36 s real
    );
    expect(result.status).toBe('SUCCEEDED');
    expect(result.stopDate! * 1000).toBeGreaterThanOrEqual(Date.parse('2030-01-01T01:00:00Z'));
  });

  it('runs Lambda tasks inside a Map state', async () => {
    harness = await startHarness({ timeScale: 1000 });
    harness.lambda.register('square', (payload) => (payload as number) ** 2);
    const result = await runToEnd(
      'mapping',
      {
        StartAt: 'Each',
        States: {
          Each: {
            Type: 'Map',
            ItemsPath: '$.values',
            ItemProcessor: {
              StartAt: 'Square',
              States: { Square: { Type: 'Task', Resource: functionArn('square'), End: true } },
            },
            End: true,
          },
        },
      },
      { values: [1, 2, 3] },
    );
    expect(JSON.parse(result.output!)).toEqual([1, 4, 9]);
  });

  it('answers with the injected fault instead of acting', async () => {
    const faults: FaultInjector = {
      before: async (service, operation) =>
        service === 'sfn' && operation === 'ListStateMachines'
          ? { code: 'ThrottlingException', httpStatus: 400, message: 'Rate exceeded' }
          : undefined,
      taskFailure: () => undefined,
      putEventsFailureRate: 0,
    };
    harness = await startHarness({ faults });
    await expect(harness.client.send(new ListStateMachinesCommand({}))).rejects.toMatchObject({
      name: 'ThrottlingException',
      message: 'Rate exceeded',
    });
  });
});
