/**
 * `s3bo demo --campaign` (`npm start -- --campaign`): two campaigns on an in-memory local AWS in scaled time,
 * started by their schedules on the emulated EventBridge Scheduler, not by hand:
 * - a weekly tagging campaign over three targets with different generator filters, two at a time;
 * - a weekly restore campaign whose targets' restored objects are copied back to STANDARD (phase 2).
 * Their weekly slot is set a few emulated minutes ahead of the emulated clock, so they fire within seconds.
 */
import type { LocalAws } from '../../emulator/index.js';
import { parseCampaign } from '../../src/core/campaign/parse-campaign.js';
import { runIdFor } from '../../src/core/campaign/run-id.js';
import type { CliContext } from '../context.js';
import { println } from '../io.js';
import type { CampaignFile } from './campaign-file.js';
import { createCampaignProgressPrinter, renderCampaignResult } from './campaign-render.js';
import { campaignRunEnding } from './campaign-run.js';
import { watchCampaign } from './campaign-watch.js';
import { renderTable } from './table.js';

export const campaignDemoBuckets = {
  data: 's3bo-demo-data',
  archive: 's3bo-demo-archive',
  reports: 's3bo-demo-reports',
};

/** What each tagging target must tag, and objects none may touch. */
export const campaignDemoLayout = {
  logs: Array.from({ length: 120 }, (_, i) => `logs/2026/app-${i}.log`),
  images: Array.from({ length: 80 }, (_, i) => `assets/photo ${i}.jpg`),
  large: Array.from({ length: 40 }, (_, i) => `exports/export-${i}.csv`),
  untouched: ['assets/logo.png', 'exports/small.csv', 'readme.txt'],
  archived: Array.from({ length: 30 }, (_, i) => `audit/2025/ledger-${i}.csv`),
  archivedUntouched: ['audit/2025/summary.txt'],
};

export function seedCampaignDemo(aws: LocalAws): void {
  const s3 = aws.s3.backend;
  for (const bucket of Object.values(campaignDemoBuckets)) s3.ensureBucket(bucket);
  const { logs, images, large, untouched, archived, archivedUntouched } = campaignDemoLayout;
  for (const key of [...logs, ...images, ...untouched])
    s3.putObject(campaignDemoBuckets.data, key, Buffer.from(key));
  for (const key of large) s3.putObject(campaignDemoBuckets.data, key, Buffer.alloc(4096, 0x61));
  for (const key of archived) {
    s3.putObject(campaignDemoBuckets.archive, key, Buffer.from(`ledger ${key}\n`), {
      storageClass: 'GLACIER',
    });
  }
  for (const key of archivedUntouched) s3.putObject(campaignDemoBuckets.archive, key, Buffer.from('summary'));
}

/** `cron(m h ? * DOW *)` in UTC: every week at the weekday and minute of `slot`. */
export function weeklyAt(slot: Date): string {
  const days = ['SUN', 'MON', 'TUE', 'WED', 'THU', 'FRI', 'SAT'];
  return `cron(${slot.getUTCMinutes()} ${slot.getUTCHours()} ? * ${days[slot.getUTCDay()]} *)`;
}

const wait = { minSeconds: 5, maxSeconds: 120, timeoutSeconds: 86_400 };
const tag = (value: string) => ({
  S3PutObjectTagging: { TagSet: [{ Key: 'classification', Value: value }] },
});

export function demoTaggingCampaign(slot: Date) {
  const generator = (filter: object) => ({ sourceBucket: campaignDemoBuckets.data, filter });
  return {
    name: 'weekly-tagging',
    description: 'Every week: classify logs, images and large exports',
    schedule: { expression: weeklyAt(slot), timezone: 'UTC' },
    job: {
      operation: tag('internal'),
      report: { bucket: campaignDemoBuckets.reports, prefix: 'campaigns/tagging', scope: 'AllTasks' },
      wait,
      priority: 10,
    },
    targets: [
      { name: 'logs', manifestGenerator: generator({ keyNameConstraint: { matchAnyPrefix: ['logs/'] } }) },
      {
        name: 'images',
        manifestGenerator: generator({
          keyNameConstraint: { matchAnyPrefix: ['assets/'], matchAnySuffix: ['.jpg'] },
        }),
        overrides: { operation: tag('public') },
      },
      {
        name: 'large',
        manifestGenerator: generator({
          keyNameConstraint: { matchAnyPrefix: ['exports/'] },
          objectSizeGreaterThanBytes: 1024,
        }),
        overrides: { operation: tag('confidential') },
      },
    ],
    concurrency: 2,
    budget: { maxUsd: 5 },
  };
}

export function demoRestoreCampaign(slot: Date) {
  return {
    name: 'archive-restore',
    description: 'Every week: restore the archived ledgers and copy them back to STANDARD',
    schedule: { expression: weeklyAt(slot), timezone: 'UTC' },
    job: {
      operation: { S3InitiateRestoreObject: {} },
      report: { bucket: campaignDemoBuckets.reports, prefix: 'campaigns/restore', scope: 'AllTasks' },
      wait,
    },
    targets: [
      {
        name: 'ledgers',
        manifestGenerator: {
          sourceBucket: campaignDemoBuckets.archive,
          filter: { keyNameConstraint: { matchAnyPrefix: ['audit/'] }, matchAnyStorageClass: ['GLACIER'] },
        },
      },
    ],
    budget: { maxUsd: 5 },
    restore: {
      tier: 'STANDARD',
      expirationDays: 3,
      // biome-ignore lint/suspicious/noThenProperty: the campaign schema names phase 2 `restore.then`.
      then: {
        operation: {
          S3PutObjectCopy: {
            TargetResource: `arn:aws:s3:::${campaignDemoBuckets.archive}`,
            StorageClass: 'STANDARD',
          },
        },
        report: { bucket: campaignDemoBuckets.reports, prefix: 'campaigns/copy', scope: 'AllTasks' },
      },
    },
  };
}

/** Waits (bounded) until the Scheduler has started `name`'s campaign execution; returns its ARN. */
export async function scheduledExecution(
  aws: LocalAws,
  name: string,
  timeoutMs: number,
  sleep: (ms: number) => Promise<void>,
): Promise<string> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const fired = aws.scheduler.firings().find((firing) => firing.name === name);
    if (fired?.result.ok && fired.result.executionArn) return fired.result.executionArn;
    if (fired && !fired.result.ok)
      throw new Error(`the schedule of ${name} failed: ${fired.result.error.message}`);
    if (Date.now() > deadline) throw new Error(`the schedule of ${name} did not fire within ${timeoutMs} ms`);
    await sleep(50);
  }
}

/** Follows one scheduled run to its end and prints its progress and table. */
export async function followScheduledRun(
  ctx: CliContext,
  aws: LocalAws,
  campaign: object,
  slot: Date,
): Promise<string> {
  const parsed = parseCampaign(campaign);
  const file: CampaignFile = { ...parsed, path: '(demo)', asWritten: campaign };
  const name = file.campaign.name;
  const executionArn = await scheduledExecution(aws, name, 60_000, ctx.io.sleep);
  println(ctx.io.stdout, `${name}: the Scheduler started ${executionArn}`);
  const printer = createCampaignProgressPrinter({ ...ctx.io, stderr: ctx.io.stdout }, true);
  let watched: Awaited<ReturnType<typeof watchCampaign>>;
  try {
    watched = await watchCampaign(
      ctx,
      { executionArn, runId: runIdFor(name, slot), targets: file.targets },
      { intervalSeconds: 0.25, timeoutSeconds: 120, onProgress: (targets) => printer.update(targets) },
    );
  } finally {
    printer.done();
  }
  const ending = await campaignRunEnding(ctx, watched.execution);
  println(ctx.io.stdout);
  if (ending.kind === 'completed') {
    println(ctx.io.stdout, renderCampaignResult(ending.result, executionArn));
    return ending.result.outcome;
  }
  println(ctx.io.stdout, `${name}: ended ${watched.execution.status} ${watched.execution.error ?? ''}`);
  return watched.execution.status;
}

/** The campaign events on the stage bus, one row each. */
export function renderCampaignEvents(aws: LocalAws, busName: string): string {
  const rows = aws.events
    .readEventLog(busName)
    .filter((event) => /^Campaign /.test(event['detail-type']))
    .map((event) => {
      const detail = event.detail as Record<string, unknown>;
      return [
        event['detail-type'],
        String(detail.campaign ?? ''),
        String(detail.target ?? detail.runId ?? ''),
        [detail.phase, detail.outcome].filter((part) => part !== undefined).join(' '),
      ];
    });
  return renderTable(['event', 'campaign', 'target / run', 'outcome / phase'], rows);
}
