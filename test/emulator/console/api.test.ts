/**
 * The console's JSON routes without a browser: a job's page row, actions that go through S3 Control and
 * need the console's own header, bad paging answered 400 naming the parameter, unknown routes 404, and
 * which state machines count as fan-out (their runs are the Campaigns page's campaign runs).
 */
import { CreateJobCommand } from '@aws-sdk/client-s3-control';
import { afterEach, describe, expect, it } from 'vitest';
import { startsChildExecutions } from '../../../emulator/console/parent-runs-view.js';
import { type LocalAws, startLocalAws } from '../../../emulator/local-aws.js';
import { createS3ControlClient } from '../../../src/adapters/aws/index.js';

let aws: LocalAws | undefined;
afterEach(async () => {
  await aws?.stop();
  aws = undefined;
});

/** A tagging job over one object, held in Suspended (ConfirmationRequired) so it waits for the console. */
async function suspendedJob(local: LocalAws): Promise<string> {
  local.s3.backend.ensureBucket('data');
  local.s3.backend.putObject('data', 'a.txt', Buffer.from('a'));
  const manifest = local.s3.backend.putObject('data', 'manifest.csv', Buffer.from('data,a.txt\n'));
  const client = createS3ControlClient({
    region: local.region,
    endpoints: { default: local.url },
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
  });
  try {
    const { JobId } = await client.send(
      new CreateJobCommand({
        AccountId: local.accountId,
        ConfirmationRequired: true,
        Operation: { S3PutObjectTagging: { TagSet: [{ Key: 'k', Value: 'v' }] } },
        Manifest: {
          Spec: { Format: 'S3BatchOperations_CSV_20180820', Fields: ['Bucket', 'Key'] },
          Location: { ObjectArn: 'arn:aws:s3:::data/manifest.csv', ETag: manifest.etag },
        },
        Report: { Enabled: false },
        Priority: 10,
        RoleArn: `arn:aws:iam::${local.accountId}:role/batch`,
        ClientRequestToken: 'console-api-test',
      }),
    );
    return JobId!;
  } finally {
    client.destroy();
  }
}

const api = (local: LocalAws, route: string, init?: RequestInit) =>
  fetch(`${local.url}/_console/api/${route}`, init);

describe('the console API', () => {
  it("lists a job with its progress and actions, and acts on it only with the console's header", async () => {
    aws = await startLocalAws({ inMemory: true, port: 0 });
    const jobId = await suspendedJob(aws);
    const job = () => aws!.s3control.engine.jobs().find((j) => j.JobId === jobId)!;
    await expect.poll(() => job().Status, { timeout: 10_000 }).toBe('Suspended');

    const page = (await (await api(aws, 'jobs?limit=10')).json()) as {
      total: number;
      items: { jobId: string; status: string; actions: Record<string, boolean>; total: number }[];
      counts: Record<string, number>;
    };
    expect(page.total).toBe(1);
    expect(page.counts).toEqual({ Suspended: 1 });
    expect(page.items[0]).toMatchObject({
      jobId,
      status: 'Suspended',
      total: 1,
      actions: { confirm: true, cancel: true, priority: true },
    });

    // Without the header (what a page on another origin could send): refused, nothing changes
    const forged = await api(aws, `jobs/${jobId}/priority?priority=42`, { method: 'POST' });
    expect(forged.status).toBe(403);
    expect(job().Priority).toBe(10);

    const headers = { 'x-s3bo-console': '1' };
    expect((await api(aws, `jobs/${jobId}/priority?priority=42`, { method: 'POST', headers })).status).toBe(
      200,
    );
    expect(job().Priority).toBe(42);
    expect((await api(aws, `jobs/${jobId}/cancel`, { method: 'POST', headers })).status).toBe(200);
    await expect.poll(() => job().Status, { timeout: 10_000 }).toMatch(/^Cancell(ing|ed)$/);
    expect(job().StatusUpdateReason).toBe('Cancelled in the local console');

    const unknownJob = await api(aws, 'jobs/no-such-job/cancel', { method: 'POST', headers });
    expect(unknownJob.status).toBe(404);
  });

  it('answers bad paging with 400 naming the parameter, an unknown route with 404, and no fan-out runs', async () => {
    aws = await startLocalAws({ inMemory: true, port: 0 });

    const badLimit = await api(aws, 'jobs?limit=0');
    expect(badLimit.status).toBe(400);
    expect(await badLimit.json()).toEqual({
      code: 'InvalidParameter',
      message: 'limit must be an integer in 1..200',
    });
    const missing = await api(aws, 'executions');
    expect(await missing.json()).toMatchObject({
      code: 'MissingParameter',
      message: expect.stringContaining('stateMachineArn'),
    });
    expect((await api(aws, 'no-such-route')).status).toBe(404);
    expect(await (await api(aws, 'runs')).json()).toEqual([]);
  });

  it('counts a state machine as fan-out when any state, nested or not, starts an execution', () => {
    const task = (Resource: string) => ({ Type: 'Task', Resource, End: true });
    const machine = (state: object) => JSON.stringify({ StartAt: 'S', States: { S: state } });
    expect(startsChildExecutions(machine(task('arn:aws:states:::states:startExecution.sync:2')))).toBe(true);
    expect(
      startsChildExecutions(
        machine({
          Type: 'Map',
          ItemProcessor: { StartAt: 'C', States: { C: task('arn:aws:states:::states:startExecution') } },
          End: true,
        }),
      ),
    ).toBe(true);
    expect(startsChildExecutions(machine(task('arn:aws:states:::lambda:invoke')))).toBe(false);
  });
});
