/**
 * Starting a campaign run by hand and reading what a campaign execution came to. A manual run is for a
 * scheduled time (now, to the minute, unless given), so it has the run id a schedule firing at that time
 * would have: the campaign workflow's claim lets only one of them run (src/core/campaign/claim-run.ts).
 */
import type { ExecutionDescription } from '../../src/adapters/aws/index.js';
import { runIdFor } from '../../src/core/campaign/run-id.js';
import { type CliContext, stateMachineArnOf } from '../context.js';
import { CliUsageError } from '../errors.js';
import type { CampaignFile } from './campaign-file.js';
import type { CampaignResult } from './campaign-render.js';
import { latestStateDocument } from './execution-state.js';

export interface StartedCampaignRun {
  executionArn: string;
  runId: string;
  scheduledTime: string;
  alreadyExisted: boolean;
}

export function parseScheduledTime(value: string | undefined, now: Date): Date {
  if (value === undefined) return now;
  const time = new Date(value);
  if (
    !/^\d{4}-\d\d-\d\dT\d\d:\d\d(:\d\d(\.\d+)?)?(Z|[+-]\d\d:\d\d)$/.test(value) ||
    Number.isNaN(time.getTime())
  ) {
    throw new CliUsageError(
      `--scheduled-time: an ISO 8601 time with a zone, e.g. 2026-12-06T03:00:00Z (got ${value})`,
    );
  }
  return time;
}

export async function startCampaignRun(
  ctx: CliContext,
  campaign: CampaignFile,
  scheduledTime: Date,
): Promise<StartedCampaignRun> {
  const minute = new Date(Math.floor(scheduledTime.getTime() / 60_000) * 60_000);
  const runId = runIdFor(campaign.campaign.name, minute);
  const input = { campaign: campaign.asWritten, scheduledTime: minute.toISOString(), trigger: 'manual' };
  const started = await ctx
    .workflow()
    .startExecution(stateMachineArnOf(ctx.config, ctx.accountId(), 'campaign'), `${runId}-manual`, input);
  return {
    executionArn: started.executionArn,
    runId,
    scheduledTime: input.scheduledTime,
    alreadyExisted: started.alreadyExisted,
  };
}

export type CampaignRunEnding =
  | { kind: 'completed'; result: CampaignResult }
  | { kind: 'duplicate'; runId: string; claimedBy?: string }
  | { kind: 'unknown' };

const isRecord = (value: unknown): value is Record<string, unknown> =>
  value !== null && typeof value === 'object' && !Array.isArray(value);

/**
 * A Succeeded or PartialFailure run outputs `{ runId, outcome, completed }`; a Failed one fails the
 * execution, so its table is read from the last state document that holds it (`aggregate.completed`).
 */
export async function campaignRunEnding(
  ctx: CliContext,
  execution: ExecutionDescription,
): Promise<CampaignRunEnding> {
  const fromDocument = (doc: unknown): CampaignRunEnding | undefined => {
    if (!isRecord(doc)) return undefined;
    if (doc.duplicate === true && typeof doc.runId === 'string') {
      return {
        kind: 'duplicate',
        runId: doc.runId,
        ...(typeof doc.claimedBy === 'string' ? { claimedBy: doc.claimedBy } : {}),
      };
    }
    const completed = isRecord(doc.completed)
      ? doc.completed
      : isRecord(doc.aggregate) && isRecord(doc.aggregate.completed)
        ? doc.aggregate.completed
        : undefined;
    return completed ? { kind: 'completed', result: completed as unknown as CampaignResult } : undefined;
  };
  if (execution.output !== undefined) {
    const ending = fromDocument(JSON.parse(execution.output));
    if (ending) return ending;
  }
  const history = await ctx
    .workflow()
    .getExecutionHistory(execution.executionArn, { reverseOrder: true, maxEvents: 100 });
  for (const doc of latestStateDocument(history.events)) {
    const ending = fromDocument(doc);
    if (ending) return ending;
  }
  return { kind: 'unknown' };
}
