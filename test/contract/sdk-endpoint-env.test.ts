/**
 * The embedded local AWS as any AWS SDK v3 application meets it: clients built with no options at all,
 * configured only through the standard environment variables (AWS SDKs and Tools Reference Guide,
 * "Service-specific endpoints": AWS_ENDPOINT_URL; "Environment variables": AWS_REGION, AWS_ACCESS_KEY_ID,
 * AWS_SECRET_ACCESS_KEY).
 *
 * S3 Control is left out on purpose: its endpoint rules put the account id in the host
 * (`{AccountId}.{authority}` for a custom endpoint, i.e. `000000000000.127.0.0.1:<port>`), which cannot resolve
 * locally; the product reaches it through `createS3ControlClient`'s fixed endpoint provider instead.
 */
import {
  EventBridgeClient,
  ListEventBusesCommand,
  PutEventsCommand,
  type PutEventsCommandOutput,
} from '@aws-sdk/client-eventbridge';
import { CreateBucketCommand, GetObjectCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import {
  DescribeExecutionCommand,
  type DescribeExecutionCommandOutput,
  ListStateMachinesCommand,
  SFNClient,
  StartExecutionCommand,
} from '@aws-sdk/client-sfn';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type LocalAws, startLocalAws } from '../../emulator/local-aws.js';
import { deployProject, type LocalProject } from '../../local/deploy-local.js';

const bucket = 'env-configured-bucket';

describe('AWS SDK v3 configured only by the environment', () => {
  const savedEnv = { ...process.env };
  let aws: LocalAws;
  let project: LocalProject;

  beforeAll(async () => {
    aws = await startLocalAws({ inMemory: true, port: 0, timeScale: 600 });
    project = await deployProject(aws);
    // Nothing inherited may steer the clients (AWS_ENDPOINT_URL_S3, AWS_PROFILE, …): only these four.
    for (const name of Object.keys(process.env)) if (name.startsWith('AWS_')) delete process.env[name];
    Object.assign(process.env, {
      AWS_ENDPOINT_URL: aws.url,
      AWS_REGION: aws.region,
      AWS_ACCESS_KEY_ID: 'local',
      AWS_SECRET_ACCESS_KEY: 'local',
    });
  });

  afterAll(async () => {
    for (const name of Object.keys(process.env)) if (!(name in savedEnv)) delete process.env[name];
    Object.assign(process.env, savedEnv);
    await aws?.stop();
  });

  it('reaches S3, EventBridge and Step Functions and runs a batch job to SUCCEEDED', async () => {
    // Prepare
    const s3 = new S3Client({});
    const eventBridge = new EventBridgeClient({});
    const sfn = new SFNClient({});
    const s3Requests: { hostname: string; path: string }[] = [];
    s3.middlewareStack.add(
      (next) => async (args) => {
        const request = args.request as { hostname: string; path: string };
        s3Requests.push({ hostname: request.hostname, path: request.path });
        return next(args);
      },
      { step: 'finalizeRequest', name: 'recordS3Addressing' },
    );
    const manifest = `${bucket},data/one.txt\n${bucket},data/two.txt\n`;

    try {
      // Act
      await s3.send(new CreateBucketCommand({ Bucket: bucket }));
      for (const key of ['data/one.txt', 'data/two.txt']) {
        await s3.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: `body of ${key}` }));
      }
      await s3.send(new PutObjectCommand({ Bucket: bucket, Key: 'manifest.csv', Body: manifest }));
      const got = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: 'data/one.txt' }));
      const body = await got.Body?.transformToString();

      const buses = await eventBridge.send(new ListEventBusesCommand({}));
      const put: PutEventsCommandOutput = await eventBridge.send(
        new PutEventsCommand({
          Entries: [
            {
              EventBusName: project.busName,
              Source: 'contract.sdk-endpoint-env',
              DetailType: 'Env Configured Client',
              Detail: JSON.stringify({ ok: true }),
            },
          ],
        }),
      );

      const machines = await sfn.send(new ListStateMachinesCommand({}));
      const { executionArn } = await sfn.send(
        new StartExecutionCommand({
          stateMachineArn: project.stateMachineArns.batchJob,
          name: 'env-configured-run',
          input: JSON.stringify({
            operation: { S3PutObjectTagging: { TagSet: [{ Key: 'classification', Value: 'public' }] } },
            manifest: { bucket, key: 'manifest.csv' },
            report: { bucket, prefix: 'reports' },
            wait: { minSeconds: 5, maxSeconds: 60 },
          }),
        }),
      );
      const execution = await pollExecution(sfn, executionArn!, 30_000);

      // Assess
      expect(body).toBe('body of data/one.txt');
      // The endpoint is an IP address, so the SDK's S3 endpoint rules address buckets in the path by
      // themselves (no forcePathStyle): `<bucket>.127.0.0.1` is not a hostname.
      expect(s3Requests.length).toBeGreaterThan(0);
      for (const request of s3Requests) {
        expect(request.hostname).toBe(new URL(aws.url).hostname);
        expect(request.path.startsWith(`/${bucket}`)).toBe(true);
      }
      expect(buses.EventBuses?.map((b) => b.Name)).toContain(project.busName);
      expect(put.FailedEntryCount).toBe(0);
      expect(
        aws.events.readEventLog(project.busName).some((e) => e['detail-type'] === 'Env Configured Client'),
      ).toBe(true);
      expect(machines.stateMachines?.map((m) => m.stateMachineArn)).toContain(
        project.stateMachineArns.batchJob,
      );
      expect(execution.status).toBe('SUCCEEDED');
      const tagged = aws.s3.backend.headObject({ bucket, key: 'data/two.txt' });
      expect(tagged.tags).toEqual([{ Key: 'classification', Value: 'public' }]);
    } finally {
      s3.destroy();
      eventBridge.destroy();
      sfn.destroy();
    }
  });
});

async function pollExecution(
  sfn: SFNClient,
  executionArn: string,
  timeoutMs: number,
): Promise<DescribeExecutionCommandOutput> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const execution = await sfn.send(new DescribeExecutionCommand({ executionArn }));
    if (execution.status !== 'RUNNING') return execution;
    if (Date.now() > deadline) throw new Error(`${executionArn} still RUNNING after ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
