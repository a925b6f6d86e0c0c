/**
 * Running the campaign state machine on the embedded local AWS: a campaign over the harness's buckets, its
 * runs, and its child executions (the batch-job runs it started) with their times.
 */
import { DescribeExecutionCommand, ListExecutionsCommand, SFNClient } from '@aws-sdk/client-sfn';
import type { Campaign } from '../../src/generated/types.js';
import type { Harness, WorkflowRun } from './harness.js';
import { reportBucket } from './harness.js';

export const dataBucket = 'campaign-data';

/** A tagging campaign over `dataBucket`; three generator targets with different filters. */
export function aTaggingCampaign(overrides: Partial<Campaign> = {}): Campaign {
  return {
    name: 'weekly-tagging',
    schedule: { expression: 'cron(0 3 ? * SUN *)', timezone: 'Europe/Paris' },
    job: {
      operation: { S3PutObjectTagging: { TagSet: [{ Key: 'classification', Value: 'internal' }] } },
      report: { bucket: reportBucket, prefix: 'campaigns', scope: 'AllTasks' },
      wait: { minSeconds: 5, maxSeconds: 60, timeoutSeconds: 86_400 },
      priority: 10,
    },
    targets: [
      {
        name: 'logs',
        manifestGenerator: {
          sourceBucket: dataBucket,
          filter: { keyNameConstraint: { matchAnyPrefix: ['logs/'] } },
        },
      },
      {
        name: 'images',
        manifestGenerator: {
          sourceBucket: dataBucket,
          filter: { keyNameConstraint: { matchAnyPrefix: ['assets/'], matchAnySuffix: ['.jpg'] } },
        },
        overrides: {
          operation: { S3PutObjectTagging: { TagSet: [{ Key: 'classification', Value: 'public' }] } },
        },
      },
      {
        name: 'large',
        manifestGenerator: {
          sourceBucket: dataBucket,
          filter: { keyNameConstraint: { matchAnyPrefix: ['exports/'] }, objectSizeGreaterThanBytes: 100 },
        },
        overrides: {
          operation: { S3PutObjectTagging: { TagSet: [{ Key: 'classification', Value: 'confidential' }] } },
        },
      },
    ],
    concurrency: 2,
    ...overrides,
  };
}

/** Which objects each target of aTaggingCampaign must tag, and which none may touch. */
export const taggingLayout = {
  logs: ['logs/2026/app.log', 'logs/2026/db.log', 'logs/web.log'],
  images: ['assets/cat.jpg', 'assets/dog.jpg'],
  large: ['exports/big-1.csv', 'exports/big-2.csv'],
  untouched: ['assets/cat.png', 'exports/small.csv', 'other/readme.txt', 'logsbook.txt'],
} as const;

/** Seeds the layout: `exports/big-*` are 200 bytes, everything else under 100. */
export function seedTaggingLayout(h: Pick<Harness, 'aws'>): void {
  h.aws.s3.backend.ensureBucket(dataBucket);
  for (const [group, keys] of Object.entries(taggingLayout)) {
    for (const key of keys) {
      const body = group === 'large' ? Buffer.alloc(200, 0x61) : Buffer.from(`body of ${key}`);
      h.aws.s3.backend.putObject(dataBucket, key, body);
    }
  }
}

export const tagsOf = (h: Pick<Harness, 'aws'>, key: string) =>
  h.aws.s3.backend.headObject({ bucket: dataBucket, key }).tags;

/** Starts the campaign machine by hand (as `s3bo campaign run` would) and waits for it. */
export async function runCampaign(
  h: Harness,
  input: { campaign: unknown; scheduledTime?: string; trigger?: 'schedule' | 'manual' },
  options: { name?: string; timeoutMs?: number } = {},
): Promise<WorkflowRun> {
  const { executionArn } = h.aws.sfn.startExecution(
    campaignMachineArn(h),
    { trigger: 'manual', ...input },
    options.name,
  );
  return h.await(executionArn, options.timeoutMs ?? 120_000);
}

export function campaignMachineArn(h: Harness): string {
  const arn = h.project.stateMachineArns.campaign;
  if (!arn) throw new Error('the local deploy created no campaign state machine');
  return arn;
}

export interface ChildExecution {
  name: string;
  executionArn: string;
  status: string;
  startMs: number;
  stopMs: number;
}

/** The batch-job executions, with their start and stop times (what the campaign's Map started). */
export const batchJobExecutions = (h: Harness): Promise<ChildExecution[]> =>
  executionsOf(h, h.project.stateMachineArns.batchJob!);

/** Every execution of a state machine (at most 100), described. */
export async function executionsOf(h: Harness, stateMachineArn: string): Promise<ChildExecution[]> {
  const sfn = new SFNClient({
    region: h.aws.region,
    endpoint: h.aws.url,
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
  });
  try {
    const { executions = [] } = await sfn.send(
      new ListExecutionsCommand({ stateMachineArn, maxResults: 100 }),
    );
    const described = await Promise.all(
      executions.map((e) => sfn.send(new DescribeExecutionCommand({ executionArn: e.executionArn! }))),
    );
    return described.map((d) => ({
      name: d.name!,
      executionArn: d.executionArn!,
      status: d.status!,
      startMs: d.startDate!.getTime(),
      stopMs: (d.stopDate ?? new Date(8.64e15)).getTime(),
    }));
  } finally {
    sfn.destroy();
  }
}

/** The most executions running at one instant. */
export function maxOverlap(executions: readonly ChildExecution[]): number {
  const edges = executions.flatMap((e) => [
    { at: e.startMs, delta: 1 },
    { at: e.stopMs, delta: -1 },
  ]);
  // An execution that stops at the instant another starts does not overlap it.
  edges.sort((a, b) => a.at - b.at || a.delta - b.delta);
  let running = 0;
  let most = 0;
  for (const edge of edges) {
    running += edge.delta;
    most = Math.max(most, running);
  }
  return most;
}

/** Polls the async `read` every 50 ms until `done` holds, for at most `timeoutMs`. */
export async function eventuallyAsync<T>(
  read: () => Promise<T>,
  done: (value: T) => boolean,
  timeoutMs = 20_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await read();
    if (done(value)) return value;
    if (Date.now() > deadline)
      throw new Error(`condition not met within ${timeoutMs} ms: ${JSON.stringify(value)}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
