import {
  DescribeExecutionCommand,
  ExecutionAlreadyExists,
  ExecutionDoesNotExist,
  GetExecutionHistoryCommand,
  type HistoryEvent,
  SendTaskFailureCommand,
  SendTaskSuccessCommand,
  SFNClient,
  StartExecutionCommand,
  StopExecutionCommand,
} from '@aws-sdk/client-sfn';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import { createWorkflowAdapter, executionArnFor } from '../../../src/adapters/aws/sfn.js';
import { ServiceRequestRejectedError } from '../../../src/core/errors.js';

const sfn = mockClient(SFNClient);
const stateMachineArn =
  'arn:aws:states:us-west-2:123456789012:stateMachine:s3-batch-orchestrator-dev-batch-job';
const executionArn =
  'arn:aws:states:us-west-2:123456789012:execution:s3-batch-orchestrator-dev-batch-job:run-1';
const startDate = new Date('2024-05-01T10:00:00Z');

const historyEvent = (id: number): HistoryEvent => ({
  id,
  previousEventId: id - 1,
  type: 'TaskStateEntered',
  timestamp: new Date(startDate.getTime() + id * 1000),
  stateEnteredEventDetails: { name: `State${id}`, input: '{}' },
});

describe('createWorkflowAdapter', () => {
  beforeEach(() => {
    sfn.reset();
  });

  describe('startExecution', () => {
    it('starts an execution with the input as JSON', async () => {
      // Prepare
      sfn.on(StartExecutionCommand).resolves({ executionArn, startDate });

      // Act
      const started = await createWorkflowAdapter(new SFNClient({})).startExecution(
        stateMachineArn,
        'run-1',
        {
          request: { priority: 10 },
        },
      );

      // Assess
      expect(started).toEqual({ executionArn, startDate: '2024-05-01T10:00:00.000Z', alreadyExisted: false });
      expect(sfn.commandCalls(StartExecutionCommand)[0]?.args[0].input).toEqual({
        stateMachineArn,
        name: 'run-1',
        input: '{"request":{"priority":10}}',
      });
    });

    it('returns the existing execution when the name was used with the same input', async () => {
      // Prepare
      sfn
        .on(StartExecutionCommand)
        .rejects(new ExecutionAlreadyExists({ message: 'Execution Already Exists', $metadata: {} }));
      sfn.on(DescribeExecutionCommand, { executionArn }).resolves({
        executionArn,
        stateMachineArn,
        status: 'SUCCEEDED',
        startDate,
        input: '{ "a": 1, "b": [2] }',
      });

      // Act
      const started = await createWorkflowAdapter(new SFNClient({})).startExecution(
        stateMachineArn,
        'run-1',
        {
          b: [2],
          a: 1,
        },
      );

      // Assess
      expect(started).toEqual({ executionArn, startDate: '2024-05-01T10:00:00.000Z', alreadyExisted: true });
    });

    it('rejects a reused name with a different input', async () => {
      // Prepare
      sfn
        .on(StartExecutionCommand)
        .rejects(new ExecutionAlreadyExists({ message: 'Execution Already Exists', $metadata: {} }));
      sfn
        .on(DescribeExecutionCommand)
        .resolves({ executionArn, stateMachineArn, startDate, input: '{"a":2}' });

      // Act
      const error = await createWorkflowAdapter(new SFNClient({}))
        .startExecution(stateMachineArn, 'run-1', { a: 1 })
        .catch((e: unknown) => e);

      // Assess
      expect(error).toBeInstanceOf(ServiceRequestRejectedError);
      expect((error as Error).message).toContain('exists with a different input');
    });
  });

  it('executionArnFor derives the execution ARN from the state machine ARN', () => {
    expect(executionArnFor(stateMachineArn, 'run-1')).toBe(executionArn);
    expect(() => executionArnFor('arn:aws:s3:::bucket', 'x')).toThrow(ServiceRequestRejectedError);
  });

  it('describeExecution maps dates to ISO strings', async () => {
    // Prepare
    sfn.on(DescribeExecutionCommand).resolves({
      executionArn,
      stateMachineArn,
      name: 'run-1',
      status: 'FAILED',
      startDate,
      stopDate: new Date('2024-05-01T10:05:00Z'),
      input: '{}',
      error: 'BatchJobFailed',
      cause: 'job failed',
    });

    // Act
    const execution = await createWorkflowAdapter(new SFNClient({})).describeExecution(executionArn);

    // Assess
    expect(execution).toEqual({
      executionArn,
      stateMachineArn,
      name: 'run-1',
      status: 'FAILED',
      startDate: '2024-05-01T10:00:00.000Z',
      stopDate: '2024-05-01T10:05:00.000Z',
      input: '{}',
      error: 'BatchJobFailed',
      cause: 'job failed',
    });
  });

  it('describeExecution translates ExecutionDoesNotExist into ServiceRequestRejectedError', async () => {
    sfn.on(DescribeExecutionCommand).rejects(new ExecutionDoesNotExist({ message: 'nope', $metadata: {} }));

    const error = await createWorkflowAdapter(new SFNClient({}))
      .describeExecution(executionArn)
      .catch((e: unknown) => e);

    expect(error).toBeInstanceOf(ServiceRequestRejectedError);
  });

  describe('getExecutionHistory', () => {
    it('follows nextToken across pages', async () => {
      // Prepare
      sfn
        .on(GetExecutionHistoryCommand)
        .resolvesOnce({ events: [historyEvent(1), historyEvent(2)], nextToken: 't2' })
        .resolvesOnce({ events: [historyEvent(3)] });

      // Act
      const history = await createWorkflowAdapter(new SFNClient({})).getExecutionHistory(executionArn);

      // Assess
      expect(history.truncated).toBe(false);
      expect(history.events.map((event) => event.id)).toEqual([1, 2, 3]);
      expect(history.events[0]).toEqual({
        id: 1,
        previousEventId: 0,
        type: 'TaskStateEntered',
        timestamp: '2024-05-01T10:00:01.000Z',
        details: { name: 'State1', input: '{}' },
      });
      const calls = sfn.commandCalls(GetExecutionHistoryCommand);
      expect(calls.map((call) => call.args[0].input.nextToken)).toEqual([undefined, 't2']);
    });

    it('stops at maxEvents and says the history was truncated', async () => {
      // Prepare
      sfn
        .on(GetExecutionHistoryCommand)
        .resolves({ events: [historyEvent(1), historyEvent(2)], nextToken: 'more' });

      // Act
      const history = await createWorkflowAdapter(new SFNClient({})).getExecutionHistory(executionArn, {
        maxEvents: 2,
      });

      // Assess
      expect(history.truncated).toBe(true);
      expect(history.events).toHaveLength(2);
      const calls = sfn.commandCalls(GetExecutionHistoryCommand);
      expect(calls).toHaveLength(1);
      expect(calls[0]?.args[0].input.maxResults).toBe(2);
    });
  });

  it('stopExecution passes error and cause', async () => {
    sfn.on(StopExecutionCommand).resolves({ stopDate: new Date('2024-05-01T11:00:00Z') });

    const stopped = await createWorkflowAdapter(new SFNClient({})).stopExecution(executionArn, {
      error: 'OperatorCancelled',
      cause: 'cancelled from the CLI',
    });

    expect(stopped).toEqual({ stopDate: '2024-05-01T11:00:00.000Z' });
    expect(sfn.commandCalls(StopExecutionCommand)[0]?.args[0].input).toEqual({
      executionArn,
      error: 'OperatorCancelled',
      cause: 'cancelled from the CLI',
    });
  });

  it('sendTaskSuccess sends JSON output; sendTaskFailure sends error and cause', async () => {
    // Prepare
    sfn.on(SendTaskSuccessCommand).resolves({});
    sfn.on(SendTaskFailureCommand).resolves({});
    const adapter = createWorkflowAdapter(new SFNClient({}));

    // Act
    await adapter.sendTaskSuccess('token-1', { status: 'Complete' });
    await adapter.sendTaskFailure('token-2', { error: 'BatchJobFailed', cause: 'manifest unreadable' });

    // Assess
    expect(sfn.commandCalls(SendTaskSuccessCommand)[0]?.args[0].input).toEqual({
      taskToken: 'token-1',
      output: '{"status":"Complete"}',
    });
    expect(sfn.commandCalls(SendTaskFailureCommand)[0]?.args[0].input).toEqual({
      taskToken: 'token-2',
      error: 'BatchJobFailed',
      cause: 'manifest unreadable',
    });
  });
});
