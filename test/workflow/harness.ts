/**
 * Drives the real batch-job state machine on the embedded local AWS: in memory, on a free loopback port,
 * with emulated time running fast so a job's minutes take milliseconds.
 */
import { GetExecutionHistoryCommand, type HistoryEvent, SFNClient } from '@aws-sdk/client-sfn';
import { afterEach } from 'vitest';
import type { FaultConfig } from '../../emulator/faults.js';
import { type LocalAws, type LocalAwsOptions, startLocalAws } from '../../emulator/local-aws.js';
import type { EngineOptions } from '../../emulator/s3control/index.js';
import { type DeployOptions, deployProject, type LocalProject } from '../../local/deploy-local.js';

// biome-ignore lint/suspicious/noExplicitAny: tests assert on event details field by field.
export type EventDetail = Record<string, any>;

export interface Harness {
  aws: LocalAws;
  project: LocalProject;
  /** Puts a small object at each key. */
  seedObjects(bucket: string, keys: string[]): void;
  writeManifest(bucket: string, key: string, rows: [string, string][]): void;
  run(request: unknown, name?: string, timeoutMs?: number): Promise<WorkflowRun>;
  /** Waits for an execution already started (e.g. a continuation) and reads its history. */
  await(executionArn: string, timeoutMs?: number): Promise<WorkflowRun>;
  events(detailType?: string): { 'detail-type': string; detail: EventDetail }[];
  /** The detail of the first event of that type on the stage bus; throws when there is none. */
  event(detailType: string): EventDetail;
  stop(): Promise<void>;
}

export interface WorkflowRun {
  executionArn: string;
  status: string;
  error?: string;
  cause?: string;
  output: Record<string, unknown> | undefined;
  statesEntered: string[];
  historyEvents: number;
}

export async function startHarness(
  options: {
    faults?: FaultConfig;
    engine?: Partial<EngineOptions>;
    timeScale?: number;
    /** Campaigns the local deploy schedules (DeployOptions.campaigns). */
    campaigns?: DeployOptions['campaigns'];
  } = {},
): Promise<Harness> {
  const localOptions: LocalAwsOptions = { inMemory: true, port: 0, timeScale: options.timeScale ?? 600 };
  if (options.faults) localOptions.faults = options.faults;
  if (options.engine) localOptions.engine = options.engine;
  const aws = await startLocalAws(localOptions);
  const project = await deployProject(aws, options.campaigns ? { campaigns: options.campaigns } : {});
  aws.s3.backend.ensureBucket(reportBucket);
  const sfn = new SFNClient({
    region: aws.region,
    endpoint: aws.url,
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
  });
  const stateMachineArn = project.stateMachineArns.batchJob!;
  let stopped = false;
  const readEvents: Harness['events'] = (detailType) =>
    aws.events
      .readEventLog(project.busName)
      .filter((e) => !detailType || e['detail-type'] === detailType) as ReturnType<Harness['events']>;
  const awaitExecution: Harness['await'] = async (executionArn, timeoutMs = 60_000) => {
    const description = await aws.sfn.waitForExecution(executionArn, timeoutMs);
    const history = await fullHistory(sfn, executionArn);
    return {
      executionArn,
      status: description.status,
      ...(description.error ? { error: description.error } : {}),
      ...(description.cause ? { cause: description.cause } : {}),
      output: description.output ? JSON.parse(description.output) : undefined,
      statesEntered: history
        .filter((e) => e.type?.endsWith('StateEntered'))
        .map((e) => e.stateEnteredEventDetails?.name ?? '?'),
      historyEvents: history.length,
    };
  };
  return {
    aws,
    project,
    seedObjects(bucket, keys) {
      aws.s3.backend.ensureBucket(bucket);
      for (const key of keys) aws.s3.backend.putObject(bucket, key, Buffer.from(`body of ${key}`));
    },
    writeManifest(bucket, key, rows) {
      aws.s3.backend.ensureBucket(bucket);
      const csv = rows.map(([b, k]) => `${b},${encodeURIComponent(k).replace(/%2F/g, '/')}\n`).join('');
      aws.s3.backend.putObject(bucket, key, Buffer.from(csv));
    },
    async run(request, name, timeoutMs = 60_000) {
      const { executionArn } = aws.sfn.startExecution(stateMachineArn, request, name);
      return awaitExecution(executionArn, timeoutMs);
    },
    await: awaitExecution,
    events: readEvents,
    event(detailType) {
      const [first] = readEvents(detailType);
      if (!first) throw new Error(`no "${detailType}" event on ${project.busName}`);
      return first.detail;
    },
    async stop() {
      if (stopped) return;
      stopped = true;
      sfn.destroy();
      await aws.stop();
    },
  };
}

/** Every event of an execution's history, page by page (at most 100 pages). */
export async function fullHistory(sfn: SFNClient, executionArn: string): Promise<HistoryEvent[]> {
  const events: HistoryEvent[] = [];
  let nextToken: string | undefined;
  for (let page = 0; page < 100; page++) {
    const answer = await sfn.send(
      new GetExecutionHistoryCommand({ executionArn, maxResults: 1000, nextToken }),
    );
    events.push(...(answer.events ?? []));
    nextToken = answer.nextToken;
    if (!nextToken) break;
  }
  return events;
}

export const reportBucket = 'reports';

/** A tagging request over the given manifest, reporting into `reports`. */
export function taggingRequest(
  manifest: { bucket: string; key: string },
  overrides: Record<string, unknown> = {},
) {
  return {
    operation: { S3PutObjectTagging: { TagSet: [{ Key: 'classification', Value: 'public' }] } },
    manifest,
    report: { bucket: reportBucket, prefix: 'batch', scope: 'AllTasks' },
    priority: 10,
    wait: { minSeconds: 5, maxSeconds: 60, timeoutSeconds: 86_400 },
    ...overrides,
  };
}

/** Polls `read` until `done` holds, every 20 ms, for at most `timeoutMs`. */
export async function eventually<T>(
  read: () => T,
  done: (value: T) => boolean,
  timeoutMs = 20_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = read();
    if (done(value)) return value;
    if (Date.now() > deadline)
      throw new Error(`condition not met within ${timeoutMs} ms: ${JSON.stringify(value)}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

export const objectKeys = (n: number, prefix = 'data/'): string[] =>
  Array.from({ length: n }, (_, i) => `${prefix}object ${i}.txt`);

/** The manifest every seeded harness writes. */
export const seededManifest = { bucket: 'manifests', key: 'tag.csv' };

/** A harness with `n` objects in `data-bucket` and a CSV manifest listing them at `seededManifest`. */
export async function startSeededHarness(
  n: number,
  options: Parameters<typeof startHarness>[0] = {},
): Promise<{ h: Harness; keys: string[] }> {
  const h = await startHarness(options);
  const keys = objectKeys(n);
  h.seedObjects('data-bucket', keys);
  h.writeManifest(
    seededManifest.bucket,
    seededManifest.key,
    keys.map((k) => ['data-bucket', k]),
  );
  return { h, keys };
}

/** Harnesses for the tests of one file: every harness a test starts is stopped after it. */
export function harnessPerTest() {
  const started: Harness[] = [];
  afterEach(async () => {
    await Promise.all(started.splice(0).map((h) => h.stop()));
  });
  return {
    async start(options: Parameters<typeof startHarness>[0] = {}): Promise<Harness> {
      const h = await startHarness(options);
      started.push(h);
      return h;
    },
    async seeded(n: number, options: Parameters<typeof startHarness>[0] = {}) {
      const seeded = await startSeededHarness(n, options);
      started.push(seeded.h);
      return seeded;
    },
  };
}

/** The poll loop: the states a run may pass through any number of times while the job runs. */
const POLL_LOOP = new Set([
  'DescribeJob',
  'CheckProgress',
  'EmitStatusChanged',
  'CheckPolicyActions',
  'EmitPolicyActions',
  'RouteByStatus',
  'WaitForProgress',
  'WaitFallback',
]);

/**
 * Whether `path` is exactly `segments`, in order, with only poll-loop states (any number, none included)
 * between consecutive segments: how long a job runs decides how often the loop turns, nothing else.
 */
export function followsPath(path: string[], segments: string[][]): boolean {
  const matchesAt = (segment: string[], at: number) => segment.every((state, i) => path[at + i] === state);
  if (!matchesAt(segments[0]!, 0)) return false;
  let at = segments[0]!.length;
  for (const segment of segments.slice(1)) {
    let next = at;
    while (next < path.length && !matchesAt(segment, next)) {
      if (!POLL_LOOP.has(path[next]!)) return false;
      next++;
    }
    if (next >= path.length) return false;
    at = next + segment.length;
  }
  return at === path.length;
}

/** The states every submitted job's run starts with, up to its first progress check. */
export const SUBMITTED_START = [
  'CheckContinuation',
  'Initialize',
  'SubmitJob',
  'EmitSubmitted',
  'DescribeJob',
  'CheckProgress',
];

/** The states after the last poll of a finished job, through `outcome` (e.g. EmitCompleted, Succeeded). */
export const finishedWith = (...outcome: string[]) => [
  'RouteByStatus',
  'FetchReport',
  'CheckRedrive',
  'RouteByOutcome',
  ...outcome,
];
