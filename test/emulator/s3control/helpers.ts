/**
 * Test harness: the S3 Control service on the emulator's own endpoint, driven by the REAL S3ControlClient
 * (custom endpointProvider, since the SDK puts the account id in the host), over the emulator's real
 * in-memory parts (test/emulator/kit.ts): S3 backend, EventBridge event log, Lambda, fault injector, clock.
 */
import {
  type CreateJobCommandInput,
  DescribeJobCommand,
  type JobDescriptor,
  S3ControlClient,
} from '@aws-sdk/client-s3-control';
import type { LambdaInvoker, S3Backend } from '../../../emulator/contracts.js';
import { createEventsService, type EventEnvelope } from '../../../emulator/events/index.js';
import { createLambdaService, type LambdaService } from '../../../emulator/lambda/index.js';
import type { S3Operations } from '../../../emulator/s3/index.js';
import {
  createS3ControlService,
  type EngineOptions,
  type S3ControlService,
} from '../../../emulator/s3control/index.js';
import {
  ACCOUNT_ID,
  countCalls,
  countingStorage,
  createFaultInjector,
  createMemoryStorage,
  type FaultConfig,
  memoryS3,
  REGION,
  scaledClock,
  serveServices,
} from '../kit.js';

export { ACCOUNT_ID };
export const ROLE_ARN = `arn:aws:iam::${ACCOUNT_ID}:role/S3BatchJobRole`;

export function createClient(url: string): S3ControlClient {
  return new S3ControlClient({
    region: REGION,
    endpoint: url,
    credentials: { accessKeyId: 'AKIDLOCAL', secretAccessKey: 'local-secret' },
    endpointProvider: () => ({ url: new URL(url) }),
    maxAttempts: 1,
  });
}

export interface TestEnv {
  client: S3ControlClient;
  service: S3ControlService;
  /** S3 Control's own storage; counts document writes. */
  storage: ReturnType<typeof countingStorage>;
  /** The emulator's S3 backend, to seed objects and read results (calls from here are not counted). */
  s3: S3Operations & S3Backend;
  /** Task-level calls the job engine made on S3, by method name. */
  s3Calls: Map<string, number>;
  /** Real milliseconds the job engine's calls spent inside the S3 backend. */
  s3BusyMs(): number;
  /** The emulator's Lambda: register the functions a LambdaInvoke job calls. */
  lambda: LambdaService;
  /** Every function name or ARN the job engine invoked, in call order (then the real Lambda ran it). */
  lambdaTargets: string[];
  /** Events S3 Control sent to EventBridge's default bus, oldest first (its event log). */
  events(): EventEnvelope[];
  url: string;
  /** Stops the engine and replaces the whole service with a fresh one over the same storage. */
  restart(): Promise<void>;
  close(): Promise<void>;
}

export interface TestEnvOptions {
  timeScale?: number;
  engine?: Partial<EngineOptions>;
  autoStart?: boolean;
  faults?: FaultConfig;
}

export async function createTestEnv(options: TestEnvOptions = {}): Promise<TestEnv> {
  const clock = scaledClock(options.timeScale ?? 1000);
  const storage = countingStorage();
  const s3 = memoryS3(clock);
  const { counted, calls, busyMs } = countCalls<S3Backend>(s3.backend);
  const faults = createFaultInjector(options.faults ?? {});
  const lambda = createLambdaService({ region: REGION, accountId: ACCOUNT_ID });
  const events = createEventsService({
    storage: createMemoryStorage(),
    clock,
    accountId: ACCOUNT_ID,
    region: REGION,
    schedules: false,
    targets: { startExecution: async () => undefined, invokeLambda: lambda.invoker },
  });
  const lambdaTargets: string[] = [];
  const invoker: LambdaInvoker = {
    invoke: (functionNameOrArn, payload) => {
      lambdaTargets.push(functionNameOrArn);
      return lambda.invoker.invoke(functionNameOrArn, payload);
    },
  };
  const build = () =>
    createS3ControlService({
      storage,
      clock,
      s3: counted,
      events: events.sink,
      lambda: invoker,
      faults,
      region: REGION,
      accountId: ACCOUNT_ID,
      engine: { preparingSeconds: 1, completingSeconds: 1, ...options.engine },
    });
  let service = build();
  if (options.autoStart !== false) service.engine.start();
  const server = await serveServices({
    s3: s3.handler,
    // Through a closure, so `restart` swaps the service behind the same endpoint.
    s3control: (request) => service.handler(request),
  });
  const env: TestEnv = {
    client: createClient(server.url),
    get service() {
      return service;
    },
    storage,
    s3: s3.backend,
    s3Calls: calls,
    s3BusyMs: busyMs,
    lambda,
    lambdaTargets,
    events: () => events.readEventLog('default'),
    url: server.url,
    async restart() {
      await service.engine.stop();
      service = build();
      service.engine.start();
    },
    async close() {
      await service.engine.stop();
      env.client.destroy();
      await server.close();
      events.close();
      s3.close();
    },
  };
  return env;
}

/** Puts objects `keys` (plain) in `bucket` and a CSV manifest listing them (URL-encoded); returns its ETag. */
export function seedObjects(
  s3: S3Backend,
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
  return env
    .events()
    .map((event) => event.detail as { serviceEventDetails: { jobId: string; status: string } })
    .filter((detail) => detail.serviceEventDetails.jobId === jobId)
    .map((detail) => detail.serviceEventDetails.status);
}
