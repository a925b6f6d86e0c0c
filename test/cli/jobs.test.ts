/** jobs / describe / cancel / confirm / priority against the emulator's S3 Control over HTTP. */
import { CreateJobCommand } from '@aws-sdk/client-s3-control';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  ACCOUNT_ID,
  createTestEnv,
  ROLE_ARN,
  seedObjects,
  type TestEnv,
  waitFor,
} from '../emulator/s3control/helpers.js';
import { s3bo } from './helpers.js';

let env: TestEnv;
let jobIds: string[];
const cli = (...args: string[]) => s3bo(['--endpoint', env.url, '--account-id', ACCOUNT_ID, ...args]);

beforeEach(async () => {
  // Not started: jobs stay where CreateJob put them, so the test controls every transition.
  env = await createTestEnv({ autoStart: false });
  const manifest = seedObjects(env.s3, 'src-bucket', ['a', 'b']);
  jobIds = [];
  for (const priority of [10, 20]) {
    const { JobId } = await env.client.send(
      new CreateJobCommand({
        AccountId: ACCOUNT_ID,
        ConfirmationRequired: true,
        Operation: { S3PutObjectTagging: { TagSet: [{ Key: 'k', Value: 'v' }] } },
        Report: { Enabled: false },
        Manifest: {
          Spec: { Format: 'S3BatchOperations_CSV_20180820', Fields: ['Bucket', 'Key'] },
          Location: { ObjectArn: manifest.objectArn, ETag: manifest.etag },
        },
        Priority: priority,
        RoleArn: ROLE_ARN,
        Description: `job at ${priority}`,
      }),
    );
    jobIds.push(JobId!);
  }
});
afterEach(async () => env?.close());

describe('s3bo jobs', () => {
  it('lists the jobs as a table', async () => {
    const result = await cli('jobs');
    expect(result.code).toBe(0);
    const lines = result.stdout.trimEnd().split('\n');
    expect(lines[0]).toMatch(/^JOB ID\s+STATUS\s+PRIORITY/);
    expect(lines).toHaveLength(3);
    for (const id of jobIds) expect(result.stdout).toContain(id);
  });

  it('stops at --max and says there are more', async () => {
    const result = await cli('--json', 'jobs', '--max', '1');
    expect(result.code).toBe(0);
    expect(JSON.parse(result.stdout)).toMatchObject({ truncated: true, jobs: [{}] });
  });

  it('rejects an unknown --status (exit 2)', async () => {
    const result = await cli('jobs', '--status', 'Active,Done');
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('"Done"');
  });
});

describe('s3bo cancel / confirm / priority / describe', () => {
  it('cancels a job', async () => {
    const result = await cli('cancel', jobIds[0]!, '--reason', 'wrong manifest');
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(new RegExp(`job ${jobIds[0]}: Cancel`));
    const described = await cli('--json', 'describe', jobIds[0]!);
    expect(JSON.parse(described.stdout).Status).toMatch(/^Cancel/);
  });

  it('confirms a job awaiting confirmation', async () => {
    env.service.engine.start();
    await waitFor(env, jobIds[0]!, (job) => job.Status === 'Suspended');
    const result = await cli('confirm', jobIds[0]!);
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(new RegExp(`^job ${jobIds[0]}: \\w+\\n$`));
    const { job } = await waitFor(env, jobIds[0]!, (j) => j.Status !== 'Suspended');
    expect(job.Status).not.toBe('Suspended');
  });

  it('changes the priority', async () => {
    const result = await cli('priority', jobIds[1]!, '99');
    expect(result).toMatchObject({ code: 0, stdout: `job ${jobIds[1]}: priority 99\n` });
  });

  it('exits 3 for a job that does not exist', async () => {
    const result = await cli('describe', 'no-such-job-0000');
    expect(result.code).toBe(3);
    expect(result.stderr).toMatch(/^error: S3Control\.DescribeJob failed/);
  });

  it('exits 3 with a hint when nothing listens on the endpoint', async () => {
    const result = await s3bo(['--endpoint', 'http://127.0.0.1:9', 'jobs']);
    expect(result.code).toBe(3);
    expect(result.stderr).toContain('s3bo local');
  });
});
