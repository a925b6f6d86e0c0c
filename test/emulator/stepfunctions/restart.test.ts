import { DescribeExecutionCommand, GetExecutionHistoryCommand } from '@aws-sdk/client-sfn';
import { describe, expect, it } from 'vitest';
import { createMemoryStorage } from '../kit.js';
import { createTestLambda, functionArn, startHarness } from './helpers.js';

const submitThenWait = {
  StartAt: 'Submit',
  States: {
    Submit: { Type: 'Task', Resource: functionArn('submit'), ResultPath: '$.job', Next: 'WaitForJob' },
    WaitForJob: { Type: 'Wait', Seconds: 3600, Next: 'Done' },
    Done: { Type: 'Succeed' },
  },
};

describe('restart', () => {
  it('resumes an execution left RUNNING by a stopped emulator at the state it was in, same ARN', async () => {
    // Prepare: an emulator at real time stops while the execution waits an hour
    const storage = createMemoryStorage();
    const lambda = createTestLambda();
    lambda.register('submit', (payload) => ({
      jobId: `job-for-${(payload as { request: string }).request}`,
    }));
    const first = await startHarness({ timeScale: 1, storage, lambda });
    const arn = first.service.createStateMachine('restartable', submitThenWait);
    const { executionArn } = first.service.startExecution(arn, { request: 'r1' }, 'run-1');
    expect((await first.service.waitForExecution(executionArn, 100)).status).toBe('RUNNING');
    await first.close();

    // Act: a new emulator on the same storage, with time running fast enough to finish the wait
    const second = await startHarness({ timeScale: 1_000_000, storage, lambda });
    const result = await second.service.waitForExecution(executionArn, 5000);

    // Assess
    expect(result).toMatchObject({ executionArn, status: 'SUCCEEDED', redriveCount: 1 });
    expect(JSON.parse(result.output!)).toEqual({ request: 'r1', job: { jobId: 'job-for-r1' } });
    // Submit had finished before the stop: it is not run again (Step Functions never re-runs a done state).
    expect(lambda.calls.map((call) => call.name)).toEqual(['submit']);
    const described = await second.client.send(new DescribeExecutionCommand({ executionArn }));
    expect(described.redriveDate).toBeInstanceOf(Date);
    const { events } = await second.client.send(
      new GetExecutionHistoryCommand({ executionArn, maxResults: 100 }),
    );
    const types = events!.map((event) => event.type);
    expect(types.slice(0, 5)).toEqual([
      'ExecutionStarted',
      'TaskStateEntered',
      'LambdaFunctionScheduled',
      'LambdaFunctionStarted',
      'LambdaFunctionSucceeded',
    ]);
    expect(types).toContain('ExecutionRedriven');
    expect(
      types.slice(types.indexOf('ExecutionRedriven') + 1, types.indexOf('ExecutionRedriven') + 2),
    ).toEqual(['WaitStateEntered']);
    expect(types.at(-1)).toBe('ExecutionSucceeded');
    expect(events!.map((event) => event.id)).toEqual(events!.map((_, index) => index + 1));
    await second.close();
  });
});
