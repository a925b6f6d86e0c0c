import { describe, expect, it } from 'vitest';
import {
  continuationName,
  continueInFreshExecution,
  stateMachineArnOf,
} from '../../../src/core/continuation/continue-execution.js';
import type { WorkflowPort } from '../../../src/core/ports.js';
import type { WorkflowState } from '../../../src/core/workflow-state.js';

const executionArn =
  'arn:aws:states:us-east-1:123456789012:execution:s3-batch-orchestrator-dev-batch-job:run-1';

describe('continuation', () => {
  it('derives the state machine ARN from the execution ARN', () => {
    expect(stateMachineArnOf(executionArn)).toBe(
      'arn:aws:states:us-east-1:123456789012:stateMachine:s3-batch-orchestrator-dev-batch-job',
    );
  });

  it.each([
    ['run-1', 1, 'run-1-c1'],
    ['run-1-c1', 2, 'run-1-c2'],
    ['x'.repeat(80), 3, `${'x'.repeat(77)}-c3`],
  ])('names continuation %s #%i %s', (name, n, expected) => {
    expect(continuationName(name, n)).toBe(expected);
    expect(continuationName(name, n).length).toBeLessThanOrEqual(80);
  });

  it('starts the next execution with the carried state, its poll count reset', async () => {
    const started: { arn: string; name: string; input: object }[] = [];
    const workflow: WorkflowPort = {
      async startExecution(arn, name, input) {
        started.push({ arn, name, input });
        return { executionArn: `${arn}:${name}`, alreadyExisted: false };
      },
      async sendTaskSuccess() {},
    };
    const state = {
      request: { operation: {} },
      execution: { arn: executionArn, name: 'run-1', startTime: '2026-11-26T10:00:00Z' },
      job: { jobId: 'j1', continuations: 0 },
      progress: { polls: 500, pollsInExecution: 500 },
      attempts: [],
    } as unknown as WorkflowState;

    const result = await continueInFreshExecution(workflow, state);

    expect(result.continuation).toBe(1);
    expect(started[0]).toMatchObject({
      name: 'run-1-c1',
      input: {
        continuation: {
          job: { jobId: 'j1', continuations: 1 },
          progress: { polls: 500, pollsInExecution: 0 },
        },
      },
    });
  });
});
