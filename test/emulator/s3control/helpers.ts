/**
 * Test harness: the S3 Control service behind a minimal node:http server, driven by the REAL
 * S3ControlClient (custom endpointProvider, since the SDK puts the account id in the host).
 * The in-memory fakes live in fakes.ts and are re-exported here.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  type CreateJobCommandInput,
  DescribeJobCommand,
  type JobDescriptor,
  S3ControlClient,
} from '@aws-sdk/client-s3-control';
import type { HttpRequest, ServiceHandler } from '../../../emulator/contracts.js';
import {
  createS3ControlService,
  type EngineOptions,
  type S3ControlService,
} from '../../../emulator/s3control/index.js';
import {
  createScaledClock,
  FakeFaults,
  FakeLambda,
  FakeS3,
  MemoryStorage,
  RecordingEventSink,
} from './fakes.js';

export * from './fakes.js';

export const ACCOUNT_ID = '123456789012';
export const ROLE_ARN = `arn:aws:iam::${ACCOUNT_ID}:role/S3BatchJobRole`;

/** Serves a (swappable) handler on 127.0.0.1:<random port>. */
export async function serve(getHandler: () => ServiceHandler): Promise<{ url: string; server: Server }> {
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', async () => {
      const target = new URL(req.url ?? '/', 'http://local');
      const headers: Record<string, string> = {};
      for (const [name, value] of Object.entries(req.headers)) {
        if (value !== undefined) headers[name.toLowerCase()] = Array.isArray(value) ? value.join(',') : value;
      }
      const request: HttpRequest = {
        method: req.method ?? 'GET',
        url: `${target.pathname}${target.search}`,
        path: target.pathname,
        query: target.searchParams,
        headers,
        host: headers.host ?? '',
        body: Buffer.concat(chunks),
      };
      const response = await getHandler()(request);
      res.writeHead(response.status, response.headers ?? {});
      res.end(response.body ?? '');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}`, server };
}

export function createClient(url: string): S3ControlClient {
  return new S3ControlClient({
    region: 'us-east-1',
    endpoint: url,
    credentials: { accessKeyId: 'AKIDLOCAL', secretAccessKey: 'local-secret' },
    endpointProvider: () => ({ url: new URL(url) }),
    maxAttempts: 1,
  });
}

export interface TestEnv {
  client: S3ControlClient;
  service: S3ControlService;
  storage: MemoryStorage;
  s3: FakeS3;
  events: RecordingEventSink;
  lambda: FakeLambda;
  faults: FakeFaults;
  url: string;
  /** Stops the engine and replaces the whole service with a fresh one over the same storage. */
  restart(): Promise<void>;
  close(): Promise<void>;
}

export interface TestEnvOptions {
  timeScale?: number;
  engine?: Partial<EngineOptions>;
  autoStart?: boolean;
}

export async function createTestEnv(options: TestEnvOptions = {}): Promise<TestEnv> {
  const storage = new MemoryStorage();
  const s3 = new FakeS3();
  const events = new RecordingEventSink();
  const lambda = new FakeLambda();
  const faults = new FakeFaults();
  const clock = createScaledClock(options.timeScale ?? 1000);
  const build = () =>
    createS3ControlService({
      storage,
      clock,
      s3,
      events,
      lambda,
      faults,
      region: 'us-east-1',
      accountId: ACCOUNT_ID,
      engine: { preparingSeconds: 1, completingSeconds: 1, ...options.engine },
    });
  let service = build();
  if (options.autoStart !== false) service.engine.start();
  const { url, server } = await serve(() => service.handler);
  const env: TestEnv = {
    client: createClient(url),
    get service() {
      return service;
    },
    storage,
    s3,
    events,
    lambda,
    faults,
    url,
    async restart() {
      await service.engine.stop();
      service = build();
      service.engine.start();
    },
    async close() {
      await service.engine.stop();
      env.client.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
  return env;
}

/** Puts objects `keys` (plain) in `bucket` and a CSV manifest listing them (URL-encoded); returns its ETag. */
export function seedObjects(
  s3: FakeS3,
  bucket: string,
  keys: string[],
  manifestKey = 'manifests/manifest.csv',
) {
  s3.ensureBucket(bucket);
  for (const key of keys) s3.putObject(bucket, key, Buffer.from(`body of ${key}`));
  const csv = keys.map((key) => `${bucket},${encodeURIComponent(key).replace(/%2F/g, '/')}`).join('\n');
  const info = s3.putObject(bucket, manifestKey, Buffer.from(`${csv}\n`));
  return { etag: info.etag.replace(/"/g, ''), objectArn: `arn:aws:s3:::${bucket}/${manifestKey}` };
}

/** CreateJob input for a job over `manifest` (a tagging job reporting AllTasks to `reports`); override the rest. */
export function aCreateJobInput(
  manifest: { etag: string; objectArn: string },
  overrides: Partial<CreateJobCommandInput> = {},
): CreateJobCommandInput {
  return {
    AccountId: ACCOUNT_ID,
    Operation: { S3PutObjectTagging: { TagSet: [{ Key: 'confidential', Value: 'true' }] } },
    Report: {
      Bucket: 'arn:aws:s3:::reports',
      Format: 'Report_CSV_20180820',
      Enabled: true,
      ReportScope: 'AllTasks',
    },
    Manifest: {
      Spec: { Format: 'S3BatchOperations_CSV_20180820', Fields: ['Bucket', 'Key'] },
      Location: { ObjectArn: manifest.objectArn, ETag: manifest.etag },
    },
    Priority: 10,
    RoleArn: ROLE_ARN,
    ...overrides,
  };
}

export async function describe(env: TestEnv, jobId: string): Promise<JobDescriptor> {
  const { Job } = await env.client.send(new DescribeJobCommand({ AccountId: ACCOUNT_ID, JobId: jobId }));
  return Job!;
}

/** Polls DescribeJob until `predicate` holds (or fails after `timeoutMs`); returns every status seen. */
export async function waitFor(
  env: TestEnv,
  jobId: string,
  predicate: (job: JobDescriptor) => boolean,
  timeoutMs = 20_000,
): Promise<{ job: JobDescriptor; seen: string[] }> {
  const seen: string[] = [];
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const job = await describe(env, jobId);
    if (seen[seen.length - 1] !== job.Status) seen.push(job.Status!);
    if (predicate(job)) return { job, seen };
    if (Date.now() > deadline) throw new Error(`timed out; statuses seen: ${seen.join(' → ')}`);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

/** Statuses a job went through, from the JobCreated/JobStatusChanged events it emitted. */
export function eventStatuses(env: TestEnv, jobId: string): string[] {
  return env.events.entries
    .map((entry) => JSON.parse(entry.Detail))
    .filter((detail) => detail.serviceEventDetails.jobId === jobId)
    .map((detail) => detail.serviceEventDetails.status);
}
