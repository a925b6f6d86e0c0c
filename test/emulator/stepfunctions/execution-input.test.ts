import {
  CreateStateMachineCommand,
  GetExecutionHistoryCommand,
  StartExecutionCommand,
} from '@aws-sdk/client-sfn';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { functionArn, type Harness, ROLE_ARN, startHarness } from './helpers.js';

/** Keeps the whole input under `request`, then hands it to a Lambda function, like the batch-job workflow. */
const keepThenCall = {
  StartAt: 'Keep',
  States: {
    Keep: { Type: 'Pass', Parameters: { 'request.$': '$' }, Next: 'Call' },
    Call: { Type: 'Task', Resource: functionArn('echo'), End: true },
  },
};

/** `{"a":{"a":…1…}}`, `depth` objects deep, as JSON text (an object this deep cannot always be stringified). */
const nestedText = (depth: number) => `${'{"a":'.repeat(depth)}1${'}'.repeat(depth)}`;

describe('execution input', () => {
  let harness: Harness;
  beforeEach(async () => {
    harness = await startHarness({ timeScale: 1000 });
    harness.lambda.register('echo', (payload) => ({ received: payload }));
  });
  afterEach(() => harness.close());

  const create = async (name: string, definition: object) =>
    (
      await harness.client.send(
        new CreateStateMachineCommand({ name, definition: JSON.stringify(definition), roleArn: ROLE_ARN }),
      )
    ).stateMachineArn!;
  const historyOf = async (executionArn: string) =>
    (await harness.client.send(new GetExecutionHistoryCommand({ executionArn }))).events ?? [];

  it('ends an execution the interpreter cannot run FAILED with States.Runtime, never leaving it RUNNING', async () => {
    // Prepare: 5,000 levels fit in 256 KB and Step Functions documents no nesting limit, so StartExecution takes
    // it; the interpreter's recursive clone of the input overflows the stack before the first state.
    const stateMachineArn = await create('deep', keepThenCall);
    const input = nestedText(5000);

    // Act
    const { executionArn } = await harness.client.send(new StartExecutionCommand({ stateMachineArn, input }));
    const result = await harness.service.waitForExecution(executionArn!, 5000);

    // Assess
    expect(result).toMatchObject({ status: 'FAILED', error: 'States.Runtime' });
    expect(result.cause).toMatch(/Maximum call stack size exceeded/);
    const events = await historyOf(executionArn!);
    expect(events.at(-1)).toMatchObject({
      type: 'ExecutionFailed',
      executionFailedEventDetails: { error: 'States.Runtime', cause: result.cause },
    });
    expect(events[0]?.executionStartedEventDetails?.input).toBe(input);
  });

  it('accepts the JSON text null as input and runs the execution with it', async () => {
    // Prepare: any JSON value is valid state data ("State machine data", Step Functions developer guide)
    const stateMachineArn = await create('null-input', {
      StartAt: 'Forward',
      States: { Forward: { Type: 'Pass', Next: 'Done' }, Done: { Type: 'Succeed' } },
    });

    // Act
    const { executionArn } = await harness.client.send(
      new StartExecutionCommand({ stateMachineArn, input: 'null' }),
    );
    const result = await harness.service.waitForExecution(executionArn!, 5000);

    // Assess
    expect(result).toMatchObject({ status: 'SUCCEEDED', input: 'null', output: 'null' });
    const events = await historyOf(executionArn!);
    expect(events[0]?.executionStartedEventDetails?.input).toBe('null');
    expect(events[1]?.stateEnteredEventDetails).toMatchObject({ name: 'Forward', input: 'null' });
  });

  it('fails States.Runtime when a path is applied to a null input, as AWS does', async () => {
    // Prepare: AWS answers "Unable to apply Path transformation to null or empty input" even for `$`
    // (awslabs/states-language issue 29, confirmed by AWS Support as intended).
    const stateMachineArn = await create('null-path', keepThenCall);

    // Act
    const { executionArn } = await harness.client.send(
      new StartExecutionCommand({ stateMachineArn, input: 'null' }),
    );
    const result = await harness.service.waitForExecution(executionArn!, 5000);

    // Assess
    expect(result).toMatchObject({ status: 'FAILED', error: 'States.Runtime' });
    expect((await historyOf(executionArn!)).at(-1)?.type).toBe('ExecutionFailed');
    expect(harness.lambda.calls).toEqual([]);
  });

  it('starts with null when the in-process caller passes null, and with {} when it passes nothing', async () => {
    // Prepare
    const stateMachineArn = await create('null-in-process', {
      StartAt: 'Forward',
      States: { Forward: { Type: 'Pass', End: true } },
    });

    // Act
    const withNull = harness.service.startExecution(stateMachineArn, null, 'with-null');
    const withNothing = harness.service.startExecution(stateMachineArn, undefined, 'with-nothing');

    // Assess
    const [nullResult, nothingResult] = await Promise.all([
      harness.service.waitForExecution(withNull.executionArn, 5000),
      harness.service.waitForExecution(withNothing.executionArn, 5000),
    ]);
    expect(nullResult).toMatchObject({ status: 'SUCCEEDED', input: 'null', output: 'null' });
    expect(nothingResult).toMatchObject({ status: 'SUCCEEDED', input: '{}', output: '{}' });
  });
});
