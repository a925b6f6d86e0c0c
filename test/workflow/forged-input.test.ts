/**
 * Issue 15: no input a caller can forge makes the workflow touch a job it did not create. A continuation
 * is resumed only from the state the workflow saved itself, and every change to a job is refused unless
 * the job carries the stage's tag (the second guard holds even if the first were bypassed).
 */
import { GetJobTaggingCommand } from '@aws-sdk/client-s3-control';
import { SFNClient, StartExecutionCommand } from '@aws-sdk/client-sfn';
import { describe, expect, it } from 'vitest';
import { continuationStateKey } from '../../src/core/continuation/continue-execution.js';
import { snapshotJob } from '../../src/core/job-snapshot.js';
import { stageJobTagKey } from '../../src/core/names.js';
import { createForeignJob, forgedState, jobStatusOf, s3ControlOf } from './foreign-job.js';
import { harnessPerTest, seededManifest, taggingRequest } from './harness.js';

const harnesses = harnessPerTest();

describe('forged workflow input', () => {
  it('rejects a continuation carried in the input, naming the field, and touches no job', async () => {
    // Prepare
    const { h } = await harnesses.seeded(5);
    const jobId = await createForeignJob(h);
    // Act
    const run = await h.run({ continuation: forgedState(h, jobId) });
    // Assess
    expect(run.status).toBe('FAILED');
    expect(run.error).toBe('RequestRejected');
    expect(run.statesEntered).not.toContain('ConfirmJob');
    expect(h.event('Batch Job Rejected')).toMatchObject({ field: 'continuation' });
    expect(h.aws.s3control.engine.jobs()).toHaveLength(1);
    expect(await jobStatusOf(h, jobId)).toBe('Suspended');
  });

  it('rejects a continuedFrom the workflow did not write (nothing saved for this execution)', async () => {
    const { h } = await harnesses.seeded(5);
    const jobId = await createForeignJob(h);
    const run = await h.run(
      { continuedFrom: 'arn:aws:states:us-east-1:000000000000:execution:x:y' },
      'forged-c1',
    );
    expect(run.status).toBe('FAILED');
    expect(run.error).toBe('RequestRejected');
    expect(run.statesEntered).toEqual([
      'CheckContinuation',
      'ResumeExecution',
      'RecordRejectedInput',
      'EmitRejected',
      'RequestRejected',
    ]);
    expect(h.event('Batch Job Rejected')).toMatchObject({
      field: 'continuedFrom',
      reason: expect.stringContaining('no saved state for execution forged-c1'),
    });
    expect(await jobStatusOf(h, jobId)).toBe('Suspended');
  });

  it('cannot change a job without the stage tag even when its id reaches the workflow (validation bypassed)', async () => {
    // Prepare: plant a "saved" continuation naming the foreign job, as if the state bucket were writable
    const { h } = await harnesses.seeded(5);
    const jobId = await createForeignJob(h);
    const machineArn = h.project.stateMachineArns.batchJob!;
    h.aws.s3.backend.putObject(
      h.project.stateBucket,
      continuationStateKey(machineArn, 'planted-c1'),
      Buffer.from(
        JSON.stringify({
          executionName: 'planted-c1',
          stateMachineArn: machineArn,
          continuedFrom: 'planted',
          state: {
            ...forgedState(h, jobId),
            // A snapshot as DescribeJob itself would have made of the foreign, Suspended job.
            progress: snapshotJob(
              { JobId: jobId, Status: 'Suspended' },
              forgedState(h, jobId).job,
              null,
              new Date(),
            ),
          },
        }),
      ),
    );
    // Act
    const run = await h.run({ continuedFrom: 'planted' }, 'planted-c1');
    // Assess: the confirm is refused by the ownership check, the job is untouched
    expect(run.status).toBe('FAILED');
    expect(run.statesEntered).toContain('ConfirmJob');
    expect(h.event('Batch Job Failed')).toMatchObject({ errorName: 'ForeignJobError' });
    expect(await jobStatusOf(h, jobId)).toBe('Suspended');
  });

  it('tags every job it creates with the stage', async () => {
    const { h } = await harnesses.seeded(5);
    const run = await h.run(taggingRequest(seededManifest));
    expect(run.status, run.cause).toBe('SUCCEEDED');
    const [job] = h.aws.s3control.engine.jobs();
    const { Tags } = await s3ControlOf(h).send(
      new GetJobTaggingCommand({ AccountId: h.aws.accountId, JobId: job!.JobId }),
    );
    expect(Tags).toContainEqual({ Key: stageJobTagKey, Value: h.project.stage });
  });
});

describe('malformed workflow input', () => {
  it.each([
    ['null', null, 'request'],
    ['an array', [1, 2], 'request'],
    ['a number', 42, 'request'],
  ])('ends %s input with Batch Job Rejected naming the field, and no job', async (_what, input, field) => {
    const { h } = await harnesses.seeded(1);
    const run = await h.run(input);
    expect(run.status).toBe('FAILED');
    expect(run.error).toBe('RequestRejected');
    expect(h.event('Batch Job Rejected')).toMatchObject({ field });
    expect(h.aws.s3control.engine.jobs()).toHaveLength(0);
  });
});

describe('deeply nested workflow input', () => {
  const nested = (depth: number) => {
    let value: Record<string, unknown> = { Key: 'k', Value: 'v' };
    for (let i = 0; i < depth; i++) value = { deeper: value };
    return { ...taggingRequest(seededManifest), operation: { S3PutObjectTagging: { TagSet: [value] } } };
  };

  it('rejects a request nested past the bound, naming where, with no job', async () => {
    const { h } = await harnesses.seeded(1);
    const run = await h.run(nested(100));
    expect(run.error).toBe('RequestRejected');
    expect(h.event('Batch Job Rejected')).toMatchObject({
      field: expect.stringMatching(/^operation\.S3PutObjectTagging\.TagSet\[0\](\.deeper)+$/),
      reason: 'is nested deeper than 32 levels',
    });
    expect(h.aws.s3control.engine.jobs()).toHaveLength(0);
  });

  it("ends a request nested 5,000 levels deep (the issue's case) instead of leaving it running", async () => {
    // The local interpreter copies the input recursively before the first state and overflows past ~2,000
    // levels (emulator/PARITY.md): the execution fails at once, with no job, rather than hang.
    const { h } = await harnesses.seeded(1);
    // Built as text: JSON.stringify itself overflows on 5,000 levels, as the CLI's users' files would not.
    const request = JSON.stringify(taggingRequest(seededManifest)).replace(
      /"TagSet":\[[^\]]*\]/,
      `"TagSet":[${'{"deeper":'.repeat(5000)}{}${'}'.repeat(5000)}]`,
    );
    const sfn = new SFNClient({
      region: h.aws.region,
      endpoint: h.aws.url,
      credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
    });
    const { executionArn } = await sfn.send(
      new StartExecutionCommand({ stateMachineArn: h.project.stateMachineArns.batchJob!, input: request }),
    );
    sfn.destroy();
    const run = await h.await(executionArn!, 20_000);
    expect(run.status).toBe('FAILED');
    expect(h.aws.s3control.engine.jobs()).toHaveLength(0);
  });
});

describe('outcome and event order', () => {
  it('reports a Complete job whose every task failed as Batch Job Failed, not a partial failure', async () => {
    const { h } = await harnesses.seeded(20, {
      faults: {
        taskFailures: [{ keyPattern: 'data/*', code: 'AccessDenied', httpStatus: 403, permanent: true }],
      },
    });
    const run = await h.run(taggingRequest(seededManifest));
    expect(run.status).toBe('FAILED');
    expect(run.error).toBe('BatchJobFailed');
    expect(run.statesEntered.slice(-2)).toEqual(['EmitAllTasksFailed', 'AllTasksFailed']);
    expect(h.events('Batch Job Completed')).toHaveLength(0);
    expect(h.event('Batch Job Failed')).toMatchObject({
      reason: 'Every task failed (20 of 20); the job itself completed',
      summary: { totalTasks: 20, failedTasks: 20, byErrorCode: { AccessDenied: 20 } },
    });
  });

  it("emits a poll's Status Changed before the Auto-Cancelled it led to", async () => {
    // Prepare: every task fails, so the poll that first sees the job Active also decides to cancel it
    const { h } = await harnesses.seeded(3000, {
      engine: { tasksPerSecond: 1 },
      faults: {
        taskFailures: [{ keyPattern: 'data/*', code: 'AccessDenied', httpStatus: 403, permanent: true }],
      },
    });
    // Act
    const run = await h.run(
      taggingRequest(seededManifest, {
        policy: { autoCancel: { failureRateThreshold: 0.05, minTasksRun: 1 } },
      }),
      undefined,
      90_000,
    );
    // Assess
    expect(run.error).toBe('BatchJobCancelled');
    const entered = run.statesEntered;
    const emitPolicy = entered.indexOf('EmitPolicyActions');
    expect(entered.slice(emitPolicy - 3, emitPolicy + 2)).toEqual([
      'CheckProgress',
      'EmitStatusChanged',
      'CheckPolicyActions',
      'EmitPolicyActions',
      'RouteByStatus',
    ]);
    const types = h.events().map((e) => e['detail-type']);
    const cancelled = types.indexOf('Batch Job Auto-Cancelled');
    expect(types[cancelled - 1]).toBe('Batch Job Status Changed');
  });
});
