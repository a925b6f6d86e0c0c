/**
 * ClaimRun: the first state of the campaign workflow. Names the run (`<campaign>-<YYYYMMDDTHHmmZ>` of its
 * scheduled time) and claims it with a conditional PutObject (`If-None-Match: *`) of
 * `campaign-runs/<campaign>/<runId>.json` in the stage's state bucket. S3 lets exactly one writer create a
 * key, so of every execution started for one scheduled time (EventBridge Scheduler delivers at least once,
 * retries, or a person reruns that time) exactly one runs the campaign; the others end as duplicates and
 * start nothing. A retried ClaimRun of the winning execution finds its own claim and goes on.
 */
import type { CampaignRun, ClaimCampaignRunInput } from '../../generated/types.js';
import { ConfigurationError, RequestValidationError } from '../errors.js';
import type { Clock, ObjectStorePort } from '../ports.js';
import { claimKeyFor, runIdFor } from './run-id.js';

export interface ClaimRunDeps {
  objects: ObjectStorePort;
  stateBucket: string | undefined;
  clock: Clock;
}

/** What the claim object holds: enough for `s3bo campaign status` to list runs without Step Functions. */
export interface RunClaim {
  runId: string;
  campaign: string;
  scheduledTime: string;
  trigger: 'schedule' | 'manual';
  executionArn: string;
  claimedAt: string;
}

const campaignName = /^[a-z0-9][a-z0-9-]{0,39}$/;
const envelopeKeys = new Set(['campaign', 'scheduledTime', 'trigger']);
/** A claim is a few hundred bytes; anything much larger is not one of ours. */
const maxClaimBytes = 64 * 1024;

export async function claimCampaignRun(
  deps: ClaimRunDeps,
  task: ClaimCampaignRunInput,
): Promise<CampaignRun> {
  if (!deps.stateBucket) {
    throw new ConfigurationError('S3BO_STATE_BUCKET', 'is needed to claim campaign runs');
  }
  const envelope = readEnvelope(task.input);
  const scheduledTime = envelope.scheduledTime ?? new Date(task.execution.startTime);
  const runId = runIdFor(envelope.campaign, scheduledTime);
  const claimKey = claimKeyFor(envelope.campaign, runId);
  const claim: RunClaim = {
    runId,
    campaign: envelope.campaign,
    scheduledTime: scheduledTime.toISOString(),
    trigger: envelope.trigger,
    executionArn: task.execution.arn,
    claimedAt: deps.clock.now().toISOString(),
  };
  const written = await deps.objects.putObjectIfAbsent(
    deps.stateBucket,
    claimKey,
    JSON.stringify(claim),
    'application/json',
  );
  const claimedBy =
    written === 'created' ? task.execution.arn : await readClaimOwner(deps, deps.stateBucket, claimKey);
  return {
    runId,
    campaign: envelope.campaign,
    scheduledTime: claim.scheduledTime,
    trigger: envelope.trigger,
    claimKey,
    duplicate: claimedBy !== task.execution.arn,
    claimedBy,
  };
}

interface Envelope {
  campaign: string;
  scheduledTime: Date | undefined;
  trigger: 'schedule' | 'manual';
}

/**
 * The execution input's envelope, `{ campaign, scheduledTime?, trigger }`; the campaign itself is checked by
 * ResolveTargets, once the run is claimed. Without a usable name there is no run to claim or report on.
 */
function readEnvelope(input: unknown): Envelope {
  if (typeof input !== 'object' || input === null || Array.isArray(input)) {
    throw new RequestValidationError('input', 'must be { campaign, scheduledTime?, trigger }');
  }
  const fields = input as Record<string, unknown>;
  const unknown = Object.keys(fields).find((key) => !envelopeKeys.has(key));
  if (unknown !== undefined) throw new RequestValidationError(unknown, 'is not a known property');
  const campaign = fields.campaign as Record<string, unknown> | undefined;
  if (typeof campaign !== 'object' || campaign === null || Array.isArray(campaign)) {
    throw new RequestValidationError('campaign', 'is required: the campaign to run, as an object');
  }
  if (typeof campaign.name !== 'string' || !campaignName.test(campaign.name)) {
    throw new RequestValidationError('campaign.name', `must match ${campaignName.source}`);
  }
  const trigger = fields.trigger ?? 'manual';
  if (trigger !== 'schedule' && trigger !== 'manual') {
    throw new RequestValidationError('trigger', 'must be "schedule" or "manual"');
  }
  let scheduledTime: Date | undefined;
  if (fields.scheduledTime !== undefined) {
    // <aws.scheduler.scheduled-time> is RFC 3339 in UTC, e.g. 2022-03-22T18:59:43Z.
    const text = fields.scheduledTime;
    scheduledTime = typeof text === 'string' && /^\d{4}-\d{2}-\d{2}T/.test(text) ? new Date(text) : undefined;
    if (scheduledTime === undefined || Number.isNaN(scheduledTime.getTime())) {
      throw new RequestValidationError(
        'scheduledTime',
        'must be an RFC 3339 date-time, e.g. 2026-03-01T03:00:00Z',
      );
    }
  } else if (trigger === 'schedule') {
    throw new RequestValidationError(
      'scheduledTime',
      'is required when trigger is "schedule" (the schedule passes <aws.scheduler.scheduled-time>)',
    );
  }
  return { campaign: campaign.name, scheduledTime, trigger };
}

async function readClaimOwner(deps: ClaimRunDeps, bucket: string, key: string): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of await deps.objects.getObjectStream(bucket, key)) {
    size += chunk.length;
    if (size > maxClaimBytes)
      throw new Error(`s3://${bucket}/${key} is not a run claim (over ${maxClaimBytes} bytes)`);
    chunks.push(Buffer.from(chunk));
  }
  let owner: unknown;
  try {
    owner = (JSON.parse(Buffer.concat(chunks).toString('utf8')) as Partial<RunClaim>).executionArn;
  } catch {
    owner = undefined;
  }
  // A claim this workflow did not write: the run is taken all the same, so nothing starts.
  if (typeof owner !== 'string' || owner === '') {
    throw new Error(`s3://${bucket}/${key} exists but names no claiming execution: the run is not started`);
  }
  return owner;
}
