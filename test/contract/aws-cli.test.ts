/**
 * The README's AWS CLI commands, run for real against an in-process local AWS. The CLI is Debian's awscli
 * package (`/usr/bin/aws`, 2.9; .ci/run installs it) or else whatever `aws` is on PATH.
 *
 * AWS CLI 2.9 predates AWS_ENDPOINT_URL (service-specific endpoints came in 2.13), so every command passes
 * `--endpoint-url`. S3 Control is reached with the server as an HTTP proxy: the CLI puts the account id in
 * the host (`000000000000.s3-control.us-east-1.amazonaws.com`), which only a proxy can take.
 *
 * The server runs in this process, so commands run with the async execFile: a sync spawn would block the
 * event loop the server answers on.
 */
import { execFile } from 'node:child_process';
import { accessSync, constants, existsSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type LocalAws, startLocalAws } from '../../emulator/local-aws.js';
import { deployProject, type LocalProject } from '../../local/deploy-local.js';

const run = promisify(execFile);

const accountId = '000000000000';
const bucket = 'demo-bucket';
const objectKey = 'docs/hello 1.txt';
const stateMachineName = 's3-batch-orchestrator-local-batch-job';
const stateMachineArn = `arn:aws:states:us-east-1:${accountId}:stateMachine:${stateMachineName}`;
const s3ControlEndpoint = 'http://s3-control.us-east-1.amazonaws.com';
const commandTimeoutMs = 30_000;

/** `/usr/bin/aws` (Debian's awscli) if present, else the first `aws` on PATH. */
function findAwsCli(): string {
  if (existsSync('/usr/bin/aws')) return '/usr/bin/aws';
  for (const dir of (process.env.PATH ?? '').split(delimiter).filter(Boolean)) {
    const candidate = join(dir, 'aws');
    try {
      accessSync(candidate, constants.X_OK);
      return candidate;
    } catch {
      // not here
    }
  }
  throw new Error(
    'AWS CLI not found: neither /usr/bin/aws nor `aws` on PATH. Install it (Debian: `apt-get install awscli`; .ci/run does this).',
  );
}

/**
 * The child's environment: the README's fake credentials and region, no inherited AWS settings or config
 * files, and no proxy variables except the one a command asks for (NO_PROXY must not exempt amazonaws.com
 * from the S3 Control proxy, and a global proxy must not catch the loopback endpoint).
 */
function cliEnvironment(workDir: string): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  const dropped = /^(AWS_|HTTPS?_PROXY$|NO_PROXY$|ALL_PROXY$)/i;
  for (const [name, value] of Object.entries(process.env)) if (!dropped.test(name)) env[name] = value;
  return {
    ...env,
    AWS_REGION: 'us-east-1',
    // AWS CLI v1 (a possible `aws` on PATH) reads only AWS_DEFAULT_REGION.
    AWS_DEFAULT_REGION: 'us-east-1',
    AWS_ACCESS_KEY_ID: 'local',
    AWS_SECRET_ACCESS_KEY: 'local',
    AWS_PAGER: '',
    AWS_CONFIG_FILE: join(workDir, 'no-config'),
    AWS_SHARED_CREDENTIALS_FILE: join(workDir, 'no-credentials'),
  };
}

async function eventually<T>(
  read: () => Promise<T>,
  done: (value: T) => boolean,
  timeoutMs: number,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await read();
    if (done(value)) return value;
    if (Date.now() > deadline) throw new Error(`not done after ${timeoutMs} ms: ${JSON.stringify(value)}`);
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

describe('the README AWS CLI commands against the local AWS', () => {
  let local: LocalAws;
  let project: LocalProject;
  let workDir: string;
  let awsCli: string;
  let env: NodeJS.ProcessEnv;

  /** `aws --endpoint-url <local> <args…>`; with `viaProxy`, S3 Control's AWS endpoint through the server. */
  async function aws(args: string[], options: { viaProxy?: boolean } = {}): Promise<string> {
    const endpoint = options.viaProxy ? s3ControlEndpoint : local.url;
    try {
      const { stdout } = await run(awsCli, ['--endpoint-url', endpoint, ...args], {
        cwd: workDir,
        env: options.viaProxy ? { ...env, HTTP_PROXY: local.url } : env,
        timeout: commandTimeoutMs,
      });
      return stdout;
    } catch (error) {
      const { stderr, message } = error as { stderr?: string; message: string };
      throw new Error(`aws ${args.join(' ')} failed: ${stderr?.trim() || message}`);
    }
  }
  const awsJson = async <T>(args: string[], options?: { viaProxy?: boolean }): Promise<T> =>
    JSON.parse(await aws([...args, '--output', 'json'], options)) as T;

  let manifestETag: string;

  beforeAll(async () => {
    awsCli = findAwsCli();
    workDir = await mkdtemp(join(tmpdir(), 's3bo-aws-cli-'));
    env = cliEnvironment(workDir);
    local = await startLocalAws({ inMemory: true, port: 0, timeScale: 20 });
    project = await deployProject(local);
  });

  afterAll(async () => {
    await local?.stop();
    if (workDir) await rm(workDir, { recursive: true, force: true });
  });

  it('makes a bucket, copies objects in, lists them and reads the manifest ETag', async () => {
    // Prepare
    await writeFile(join(workDir, 'hello.txt'), 'hello from the AWS CLI\n');
    await writeFile(join(workDir, 'manifest.csv'), `${bucket},docs/hello%201.txt\n`);

    // Act
    await aws(['s3', 'mb', `s3://${bucket}`]);
    await aws(['s3', 'cp', 'hello.txt', `s3://${bucket}/${objectKey}`]);
    await aws(['s3', 'cp', 'manifest.csv', `s3://${bucket}/manifest.csv`]);
    const listing = await aws(['s3', 'ls', `s3://${bucket}`, '--recursive']);
    const etag = await aws([
      's3api',
      'head-object',
      '--bucket',
      bucket,
      '--key',
      'manifest.csv',
      '--query',
      'ETag',
      '--output',
      'text',
    ]);
    manifestETag = etag.trim().replace(/^"|"$/g, '');

    // Assess
    expect(listing).toContain(objectKey);
    expect(listing).toContain('manifest.csv');
    expect(manifestETag).toMatch(/^[0-9a-f]{32}$/);
    expect(local.s3.backend.getObjectBody({ bucket, key: objectKey }).toString()).toBe(
      'hello from the AWS CLI\n',
    );
  });

  it('creates, describes and lists an S3 Batch Operations job through the server as a proxy', async () => {
    // Prepare
    await writeFile(
      join(workDir, 'job.json'),
      JSON.stringify({
        Operation: { S3PutObjectTagging: { TagSet: [{ Key: 'reviewed', Value: 'yes' }] } },
        Report: {
          Bucket: `arn:aws:s3:::${bucket}`,
          Format: 'Report_CSV_20180820',
          Enabled: true,
          Prefix: 'reports',
          ReportScope: 'AllTasks',
        },
        Manifest: {
          Spec: { Format: 'S3BatchOperations_CSV_20180820', Fields: ['Bucket', 'Key'] },
          Location: { ObjectArn: `arn:aws:s3:::${bucket}/manifest.csv`, ETag: manifestETag },
        },
        Priority: 42,
        RoleArn: `arn:aws:iam::${accountId}:role/S3BatchJobRole`,
        ConfirmationRequired: false,
      }),
    );
    const account = ['--account-id', accountId];

    // Act
    const { JobId } = await awsJson<{ JobId: string }>(
      [
        's3control',
        'create-job',
        ...account,
        '--client-request-token',
        't-1',
        '--cli-input-json',
        'file://job.json',
      ],
      { viaProxy: true },
    );
    const { Job } = await eventually(
      () =>
        awsJson<{ Job: { Status: string; Priority: number; ProgressSummary: Record<string, number> } }>(
          ['s3control', 'describe-job', ...account, '--job-id', JobId],
          { viaProxy: true },
        ),
      ({ Job }) => ['Complete', 'Failed', 'Cancelled'].includes(Job.Status),
      30_000,
    );
    const { Jobs } = await awsJson<{ Jobs: { JobId: string; Status: string }[] }>(
      ['s3control', 'list-jobs', ...account],
      { viaProxy: true },
    );

    // Assess
    expect(Job.Status).toBe('Complete');
    expect(Job.Priority).toBe(42);
    expect(Job.ProgressSummary).toMatchObject({ TotalNumberOfTasks: 1, NumberOfTasksSucceeded: 1 });
    expect(Jobs.find((job) => job.JobId === JobId)?.Status).toBe('Complete');
  });

  it('configures a daily S3 Inventory, reads it back and finds the report it delivers', async () => {
    // Prepare: the README's configuration ("Latest S3 Inventory")
    await writeFile(
      join(workDir, 'inventory.json'),
      JSON.stringify({
        Id: 'daily-all',
        IsEnabled: true,
        IncludedObjectVersions: 'Current',
        Schedule: { Frequency: 'Daily' },
        OptionalFields: ['Size', 'StorageClass', 'ETag'],
        Destination: {
          S3BucketDestination: {
            Bucket: 'arn:aws:s3:::inventory-bucket',
            Format: 'CSV',
            Prefix: 'inventory',
          },
        },
      }),
    );
    await aws(['s3', 'mb', 's3://inventory-bucket']);

    // Act
    await aws([
      's3api',
      'put-bucket-inventory-configuration',
      '--bucket',
      bucket,
      '--id',
      'daily-all',
      '--inventory-configuration',
      'file://inventory.json',
    ]);
    const got = await awsJson<{ InventoryConfiguration: { Id: string; Schedule: { Frequency: string } } }>([
      's3api',
      'get-bucket-inventory-configuration',
      '--bucket',
      bucket,
      '--id',
      'daily-all',
    ]);
    const listed = await awsJson<{ InventoryConfigurationList: { Id: string }[] }>([
      's3api',
      'list-bucket-inventory-configurations',
      '--bucket',
      bucket,
    ]);
    // `s3bo inventory run` does this through the admin route; here in-process, as the server is ours.
    const report = local.s3.inventory.run(bucket, 'daily-all');
    const delivered = await aws(['s3', 'ls', 's3://inventory-bucket/inventory/', '--recursive']);

    // Assess
    expect(got.InventoryConfiguration).toMatchObject({ Id: 'daily-all', Schedule: { Frequency: 'Daily' } });
    expect(listed.InventoryConfigurationList.map((config) => config.Id)).toEqual(['daily-all']);
    expect(delivered).toContain(report.manifestKey);
    expect(delivered).toContain(report.manifestKey.replace(/manifest\.json$/, 'manifest.checksum'));
    expect(report.manifestKey).toMatch(
      /^inventory\/demo-bucket\/daily-all\/\d{4}-\d\d-\d\dT\d\d-\d\dZ\/manifest\.json$/,
    );
  });

  it('puts an event on the stage bus', async () => {
    // Act
    const answer = await awsJson<{ FailedEntryCount: number; Entries: { EventId?: string }[] }>([
      'events',
      'put-events',
      '--entries',
      JSON.stringify([
        {
          Source: 'readme.aws-cli',
          DetailType: 'README Check',
          Detail: JSON.stringify({ ok: true }),
          EventBusName: project.busName,
        },
      ]),
    ]);

    // Assess
    expect(answer.FailedEntryCount).toBe(0);
    expect(answer.Entries[0]?.EventId).toBeTruthy();
    expect(local.events.readEventLog(project.busName).some((e) => e['detail-type'] === 'README Check')).toBe(
      true,
    );
  });

  it('runs the batch-job state machine to SUCCEEDED, which tags the object', async () => {
    // Prepare
    await writeFile(
      join(workDir, 'request.json'),
      JSON.stringify({
        operation: { S3PutObjectTagging: { TagSet: [{ Key: 'classification', Value: 'public' }] } },
        manifest: { bucket, key: 'manifest.csv' },
        report: { bucket, prefix: 'reports' },
        wait: { minSeconds: 5, maxSeconds: 60 },
      }),
    );

    // Act
    const { stateMachines } = await awsJson<{ stateMachines: { name: string }[] }>([
      'stepfunctions',
      'list-state-machines',
    ]);
    const { executionArn } = await awsJson<{ executionArn: string }>([
      'stepfunctions',
      'start-execution',
      '--state-machine-arn',
      stateMachineArn,
      '--name',
      'readme-run-1',
      '--input',
      'file://request.json',
    ]);
    const execution = await eventually(
      () =>
        awsJson<{ status: string; output?: string }>([
          'stepfunctions',
          'describe-execution',
          '--execution-arn',
          executionArn,
        ]),
      ({ status }) => status !== 'RUNNING',
      60_000,
    );
    const { TagSet } = await awsJson<{ TagSet: { Key: string; Value: string }[] }>([
      's3api',
      'get-object-tagging',
      '--bucket',
      bucket,
      '--key',
      objectKey,
    ]);

    // Assess
    expect(stateMachines.map((machine) => machine.name)).toContain(stateMachineName);
    expect(project.stateMachineArns.batchJob).toBe(stateMachineArn);
    expect(execution.status).toBe('SUCCEEDED');
    expect(TagSet).toEqual([{ Key: 'classification', Value: 'public' }]);
  }, 120_000);
});
