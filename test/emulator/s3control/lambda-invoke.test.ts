import { readFileSync } from 'node:fs';
import { CreateJobCommand, type CreateJobCommandInput } from '@aws-sdk/client-s3-control';
import { afterEach, describe, expect, it } from 'vitest';
import { ACCOUNT_ID, aCreateJobInput, createTestEnv, seedObjects, type TestEnv, waitFor } from './helpers.js';

const fixture = (name: string) =>
  JSON.parse(readFileSync(new URL(`../../fixtures/${name}`, import.meta.url), 'utf8'));
const FUNCTION_ARN = `arn:aws:lambda:us-east-1:${ACCOUNT_ID}:function:process-object`;

function lambdaJob(
  manifest: { etag: string; objectArn: string },
  version: '1.0' | '2.0',
): CreateJobCommandInput {
  return aCreateJobInput(manifest, {
    Operation: {
      LambdaInvoke: {
        FunctionArn: FUNCTION_ARN,
        InvocationSchemaVersion: version,
        ...(version === '2.0' ? { UserArguments: { k1: 'v1', k2: 'v2' } } : {}),
      },
    },
    Priority: 1,
  });
}

interface Invocation {
  invocationSchemaVersion: string;
  invocationId: string;
  job: { id: string; userArguments?: Record<string, string> };
  tasks: {
    taskId: string;
    s3Key: string;
    s3VersionId: string | null;
    s3Bucket?: string;
    s3BucketArn?: string;
  }[];
}

/** Registers `process-object` on the emulator's Lambda; returns the events it received, in call order. */
function registerProcessObject(env: TestEnv, behaviour: (event: Invocation) => unknown): Invocation[] {
  const invocations: Invocation[] = [];
  env.lambda.registerFunction('process-object', async (event) => {
    invocations.push(event as Invocation);
    return behaviour(event as Invocation);
  });
  return invocations;
}

const respond = (event: Invocation, resultCode: string, resultString = 'ok') => ({
  ...fixture('lambda-response.json'),
  invocationId: event.invocationId,
  results: [{ taskId: event.tasks[0]!.taskId, resultCode, resultString }],
});

describe('LambdaInvoke tasks', () => {
  let env: TestEnv;
  afterEach(async () => env?.close());

  it("sends the schema 2.0 event in the fixture's shape, URL-encoded keys included", async () => {
    env = await createTestEnv();
    env.s3.ensureBucket('reports');
    const invocations = registerProcessObject(env, (event) => respond(event, 'Succeeded', '["Mary Major"]'));
    const { JobId } = await env.client.send(
      new CreateJobCommand(lambdaJob(seedObjects(env.s3, 'powertools-dataset', ['prefix/a b.json']), '2.0')),
    );
    await waitFor(env, JobId!, (j) => j.Status === 'Complete');

    const reference = fixture('lambda-invocation-v2.json');
    const event = invocations[0]!;
    expect(env.lambdaTargets).toEqual([FUNCTION_ARN]);
    expect(invocations).toHaveLength(1);
    expect(Object.keys(event)).toEqual(Object.keys(reference));
    expect(Object.keys(event.tasks[0]!)).toEqual(Object.keys(reference.tasks[0]));
    expect(event).toMatchObject({
      invocationSchemaVersion: '2.0',
      job: { id: JobId, userArguments: reference.job.userArguments },
      tasks: [{ s3Key: 'prefix/a%20b.json', s3VersionId: null, s3Bucket: 'powertools-dataset' }],
    });
    const reportKey = `job-${JobId}/manifest.json`;
    const report = JSON.parse(env.s3.getObjectBody({ bucket: 'reports', key: reportKey }).toString());
    const rows = env.s3.getObjectBody({ bucket: 'reports', key: report.Results[0].Key }).toString();
    expect(rows).toBe('powertools-dataset,prefix/a%20b.json,,succeeded,200,,"[""Mary Major""]"\n');
  });

  it('sends schema 1.0 with the bucket ARN', async () => {
    env = await createTestEnv();
    env.s3.ensureBucket('reports');
    const invocations = registerProcessObject(env, (event) => respond(event, 'Succeeded'));
    const { JobId } = await env.client.send(
      new CreateJobCommand(lambdaJob(seedObjects(env.s3, 'src-bucket', ['k']), '1.0')),
    );
    await waitFor(env, JobId!, (j) => j.Status === 'Complete');
    const event = invocations[0]!;
    expect(event.invocationSchemaVersion).toBe('1.0');
    expect(event.job).toEqual({ id: JobId });
    expect(event.tasks[0]).toMatchObject({ s3Key: 'k', s3BucketArn: 'arn:aws:s3:::src-bucket' });
  });

  it('retries TemporaryFailure, and fails on PermanentFailure and function errors', async () => {
    env = await createTestEnv();
    env.s3.ensureBucket('reports');
    const attempts = new Map<string, number>();
    registerProcessObject(env, (event) => {
      const key = event.tasks[0]!.s3Key;
      attempts.set(key, (attempts.get(key) ?? 0) + 1);
      if (key === 'flaky') return respond(event, attempts.get(key)! < 2 ? 'TemporaryFailure' : 'Succeeded');
      if (key === 'always-temporary') return respond(event, 'TemporaryFailure', 'still busy');
      if (key === 'permanent') return respond(event, 'PermanentFailure', 'bad object');
      throw new Error('Task timed out after 3.00 seconds');
    });
    const manifest = seedObjects(env.s3, 'src-bucket', ['flaky', 'always-temporary', 'permanent', 'crash']);
    const { JobId } = await env.client.send(new CreateJobCommand(lambdaJob(manifest, '2.0')));
    const { job } = await waitFor(env, JobId!, (j) => j.Status === 'Complete');

    expect(attempts.get('flaky')).toBe(2);
    expect(attempts.get('always-temporary')).toBe(3);
    expect(job.ProgressSummary).toMatchObject({ NumberOfTasksSucceeded: 1, NumberOfTasksFailed: 3 });
    const report = JSON.parse(
      env.s3.getObjectBody({ bucket: 'reports', key: `job-${JobId}/manifest.json` }).toString(),
    );
    const failed = report.Results.find(
      (r: { TaskExecutionStatus: string }) => r.TaskExecutionStatus === 'failed',
    );
    const rows = env.s3.getObjectBody({ bucket: 'reports', key: failed.Key }).toString().trim().split('\n');
    expect(rows).toEqual([
      'src-bucket,always-temporary,,failed,200,TemporaryFailure,still busy',
      'src-bucket,permanent,,failed,200,PermanentFailure,bad object',
      'src-bucket,crash,,failed,200,PermanentFailure,"Lambda returned function error: {""errorMessage"":""Task timed out after 3.00 seconds"",""errorType"":""Error""}"',
    ]);
  });
});
