// biome-ignore-all lint/suspicious/noThenProperty: `then` is a restore campaign's second job (schemas/campaign.schema.json), a plain data field, never a function.
/**
 * ResolveTargets: validates the campaign, builds every target's child input, resolves and counts each
 * target's objects and estimates the whole run (a restore target adds its second job over the same
 * objects), and checks the sum against `budget.maxUsd`. An invalid or over-budget campaign is a result
 * (`rejected`), not an error: the workflow reports it in Campaign Completed and starts no job.
 *
 * A target whose objects cannot be read now (a missing bucket or manifest) is not the campaign's failure: it
 * is estimated at $0 (its job cannot be created, so it costs nothing), marked `unresolved`, and still runs, so
 * its own workflow reports what is wrong while the other targets go on.
 */
import type {
  CampaignEstimate,
  CampaignRun,
  CampaignStartedDetail,
  CampaignTargetPlan,
  CampaignWithDefaults,
  ResolveCampaignInput,
  ResolvedCampaign,
  ResolvedTarget,
} from '../../generated/types.js';
import { countSourceObjects, type ObjectCount } from '../cost/count-objects.js';
import { estimateJobCost } from '../cost/estimate.js';
import { priceTables } from '../cost/prices.js';
import { operationName } from '../create-job-input.js';
import { ObjectNotFoundError, RequestValidationError } from '../errors.js';
import {
  resolveManifestSource,
  summarizeManifestSource,
} from '../manifest-source/resolve-manifest-source.js';
import type { Clock, ObjectStorePort } from '../ports.js';
import { parseCampaign, type TargetRequest } from './parse-campaign.js';
import { childExecutionName } from './run-id.js';

export interface ResolveCampaignDeps {
  objects: ObjectStorePort;
  config: { region?: string };
  clock: Clock;
}

/** The Campaign Started detail's own fields; emit-events adds eventId, executionArn, stage, occurredAt. */
export type CampaignStartedFields = Omit<
  CampaignStartedDetail,
  'eventId' | 'executionArn' | 'stage' | 'occurredAt'
>;

const round = (usd: number): number => Math.round(usd * 1e6) / 1e6;
export const formatUsd = (usd: number): string => `$${Number(usd.toFixed(6))}`;

export async function resolveCampaign(
  deps: ResolveCampaignDeps,
  input: ResolveCampaignInput,
): Promise<ResolvedCampaign> {
  let parsed: ReturnType<typeof parseCampaign>;
  try {
    parsed = parseCampaign(input.campaign);
  } catch (error) {
    if (!(error instanceof RequestValidationError)) throw error;
    return {
      rejected: { field: error.field, reason: error.reason },
      concurrency: 1,
      targets: [],
      estimate: { totalUsd: 0, complete: false },
    };
  }
  const { campaign, targets } = parsed;
  if (campaign.name !== input.run.campaign) {
    // The claim named the run after the input's campaign; the same input cannot name another.
    throw new Error(`campaign ${campaign.name} does not match the claimed run ${input.run.runId}`);
  }
  const region = deps.config.region ?? 'us-east-1';
  const priced = priceTables[region] !== undefined;
  const now = deps.clock.now();

  const resolved: ResolvedTarget[] = [];
  const uncounted: string[] = [];
  // Sequential, at most 100 targets (the schema's bound): listings and inventory reads stay one at a time.
  for (const target of targets) {
    const { plan, counted } = await planTarget(deps.objects, target, input.run, { region, priced, now });
    if (!counted && plan.unresolved === undefined) uncounted.push(`targets[${target.index}]`);
    resolved.push({ plan, input: childInput(target, campaign, input.run) });
  }

  const estimate: CampaignEstimate = {
    totalUsd: round(resolved.reduce((sum, target) => sum + target.plan.estimatedUsd, 0)),
    ...(campaign.budget ? { budgetUsd: campaign.budget.maxUsd } : {}),
    complete: priced && uncounted.length === 0 && resolved.every((t) => t.plan.unresolved === undefined),
  };
  const base = { concurrency: campaign.concurrency, targets: resolved, estimate };
  const overBudget = checkBudget(campaign, estimate, resolved, { region, priced, uncounted });
  if (overBudget) return { rejected: overBudget, ...base };

  const started: CampaignStartedFields = {
    campaign: campaign.name,
    runId: input.run.runId,
    scheduledTime: input.run.scheduledTime,
    trigger: input.run.trigger,
    concurrency: campaign.concurrency,
    targets: resolved.map((target) => target.plan),
    estimate,
  };
  return { ...base, started };
}

interface PlanContext {
  region: string;
  priced: boolean;
  now: Date;
}

async function planTarget(
  objects: ObjectStorePort,
  target: TargetRequest,
  run: CampaignRun,
  context: PlanContext,
): Promise<{ plan: CampaignTargetPlan; counted: boolean }> {
  const plan: CampaignTargetPlan = {
    name: target.name,
    kind: target.kind,
    operation: operationName(target.parsed),
    executionName: childExecutionName(run.runId, target.name),
    estimatedUsd: 0,
  };
  let count: ObjectCount | undefined;
  try {
    // Relative generator ages count back from now here; SubmitJob counts them from its own start.
    const source = await resolveManifestSource(objects, target.parsed, {
      now: context.now,
      submitTime: context.now,
    });
    plan.manifestSource = summarizeManifestSource(source);
    if (!context.priced) return { plan, counted: false };
    count = await countSourceObjects(objects, source);
  } catch (error) {
    if (!(error instanceof RequestValidationError) && !(error instanceof ObjectNotFoundError)) throw error;
    const field =
      error instanceof RequestValidationError
        ? `targets[${target.index}].${error.field}`
        : `targets[${target.index}]`;
    plan.unresolved = {
      field,
      reason: error instanceof RequestValidationError ? error.reason : error.message,
    };
    return { plan, counted: false };
  }
  if (count === undefined) return { plan, counted: false };
  plan.objectCount = count.objectCount;
  if (count.objectCountIsUpperBound) plan.objectCountIsUpperBound = true;
  const jobs = [target.parsed.operation, ...(target.thenParsed ? [target.thenParsed.operation] : [])];
  plan.estimatedUsd = round(
    jobs.reduce(
      (sum, operation) =>
        sum +
        estimateJobCost({ operation: operation as Record<string, unknown>, ...count, region: context.region })
          .totalUsd,
      0,
    ),
  );
  return { plan, counted: true };
}

/** The child execution's input: the request, or the restore-then machine's input (campaign-design.md). */
function childInput(target: TargetRequest, campaign: CampaignWithDefaults, run: CampaignRun): unknown {
  if (target.kind === 'batch-job') return target.request;
  return {
    request: target.request,
    restore: target.restore ?? campaign.restore,
    ...(target.then ? { then: target.then } : {}),
    campaign: campaign.name,
    target: target.name,
    runId: run.runId,
  };
}

/** Why the run must not start, budget-wise; undefined when it may. */
function checkBudget(
  campaign: CampaignWithDefaults,
  estimate: CampaignEstimate,
  targets: ResolvedTarget[],
  context: { region: string; priced: boolean; uncounted: string[] },
): { field: string; reason: string } | undefined {
  const budget = campaign.budget;
  if (!budget) return undefined;
  if (!context.priced) {
    return {
      field: 'budget.maxUsd',
      reason: `cannot be checked: no price table for region ${context.region} (src/core/cost/prices.ts)`,
    };
  }
  if (context.uncounted.length > 0) {
    return {
      field: 'budget.maxUsd',
      reason: `cannot be checked: the objects of ${context.uncounted.join(', ')} cannot be counted before the jobs start (a generator source bucket listing more than 1,000,000 objects)`,
    };
  }
  if (estimate.totalUsd <= budget.maxUsd) return undefined;
  const largest = [...targets]
    .sort((a, b) => b.plan.estimatedUsd - a.plan.estimatedUsd)
    .slice(0, 3)
    .map((t) => `${t.plan.name} ${formatUsd(t.plan.estimatedUsd)}`)
    .join(', ');
  return {
    field: 'budget.maxUsd',
    reason: `the run is estimated at ${formatUsd(estimate.totalUsd)} over ${targets.length} target${targets.length === 1 ? '' : 's'} (largest: ${largest}), more than the budget of ${formatUsd(budget.maxUsd)}: no job was started`,
  };
}
