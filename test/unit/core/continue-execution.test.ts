import { describe, expect, it } from 'vitest';
import {
  continuationName,
  continuationStateKey,
  continueInFreshExecution,
  resumeContinuation,
  stateMachineArnOf,
} from '../../../src/core/continuation/continue-execution.js';
import { RequestValidationError } from '../../../src/core/errors.js';
import type { WorkflowPort } from '../../../src/core/ports.js';
import type { WorkflowState } from '../../../src/core/workflow-state.js';
import { memoryObjectStore } from '../../doubles/memory-ports.js';

const machineArn = 'arn:aws:states:us-east-1:123456789012:stateMachine:s3-batch-orchestrator-dev-batch-job';
const executionArn =
  'arn:aws:states:us-east-1:123456789012:execution:s3-batch-orchestrator-dev-batch-job:run-1';
const continuedArn = `${executionArn.replace(/run-1$/, '')}run-1-c1`;
const stateBucket = 'state-bucket';

function recordingWorkflow() {
  const started: { arn: string; name: string; input: object }[] = [];
  const workflow: WorkflowPort = {
    async startExecution(arn, name, input) {
      started.push({ arn, name, input });
      return {
        executionArn: `${arn.replace(':stateMachine:', ':execution:')}:${name}`,
        alreadyExisted: false,
      };
    },
    async sendTaskSuccess() {},
  };
  return { workflow, started };
}

const longJobState = () =>
  ({
    request: { operation: { S3PutObjectTagging: { TagSet: [] } } },
    execution: { arn: executionArn, name: 'run-1', startTime: '2026-11-26T10:00:00Z' },
    job: { jobId: 'j1', accountId: '123456789012', continuations: 0 },
    progress: { polls: 500, pollsInExecution: 500 },
    attempts: [],
  }) as unknown as WorkflowState;

describe('continuation names', () => {
  it('derives the state machine ARN from the execution ARN', () => {
    expect(stateMachineArnOf(executionArn)).toBe(machineArn);
  });

  it.each([
    ['run-1', 1, 'run-1-c1'],
    ['run-1-c1', 2, 'run-1-c2'],
    ['x'.repeat(80), 3, `${'x'.repeat(77)}-c3`],
  ])('names continuation %s #%i %s', (name, n, expected) => {
    expect(continuationName(name, n)).toBe(expected);
    expect(continuationName(name, n).length).toBeLessThanOrEqual(80);
  });
});

describe('continueInFreshExecution', () => {
  it('saves the state under the next execution name and starts it with only continuedFrom', async () => {
    // Prepare
    const { workflow, started } = recordingWorkflow();
    const objects = memoryObjectStore();
    // Act
    const result = await continueInFreshExecution({ workflow, objects, stateBucket }, longJobState());
    // Assess
    expect(result.continuation).toBe(1);
    expect(started).toEqual([{ arn: machineArn, name: 'run-1-c1', input: { continuedFrom: executionArn } }]);
    const saved = JSON.parse(
      Buffer.from(
        objects.objects.get(`${stateBucket}/${continuationStateKey(machineArn, 'run-1-c1')}`)!,
      ).toString(),
    );
    expect(saved).toMatchObject({
      executionName: 'run-1-c1',
      stateMachineArn: machineArn,
      continuedFrom: executionArn,
      state: { job: { jobId: 'j1', continuations: 1 }, progress: { polls: 500, pollsInExecution: 0 } },
    });
  });

  it('refuses to continue without a state bucket rather than lose the state', async () => {
    const { workflow, started } = recordingWorkflow();
    await expect(
      continueInFreshExecution(
        { workflow, objects: memoryObjectStore(), stateBucket: undefined },
        longJobState(),
      ),
    ).rejects.toMatchObject({ name: 'ConfigurationError' });
    expect(started).toHaveLength(0);
  });
});

describe('resumeContinuation', () => {
  const continued = { arn: continuedArn, name: 'run-1-c1', startTime: '2026-11-26T11:00:00Z' };

  it('restores the state saved for this execution, with this execution as its own', async () => {
    const { workflow } = recordingWorkflow();
    const objects = memoryObjectStore();
    await continueInFreshExecution({ workflow, objects, stateBucket }, longJobState());

    const state = await resumeContinuation({ objects, stateBucket }, continued);

    expect(state.execution).toEqual(continued);
    expect(state.job).toMatchObject({ jobId: 'j1', continuations: 1 });
    expect(state.progress).toMatchObject({ pollsInExecution: 0 });
  });

  it('rejects an execution for which the workflow saved nothing (a forged continuedFrom)', async () => {
    const resumed = resumeContinuation({ objects: memoryObjectStore(), stateBucket }, continued);
    await expect(resumed).rejects.toBeInstanceOf(RequestValidationError);
    await expect(resumed).rejects.toMatchObject({ field: 'continuedFrom' });
  });

  it('rejects state saved for another execution name or state machine', async () => {
    const objects = memoryObjectStore();
    const key = continuationStateKey(machineArn, 'run-1-c1');
    await objects.putObject(
      stateBucket,
      key,
      JSON.stringify({ executionName: 'other', stateMachineArn: machineArn, state: longJobState() }),
    );
    await expect(resumeContinuation({ objects, stateBucket }, continued)).rejects.toThrow(/belongs to/);
  });
});
