/**
 * Validates a campaign (schemas/campaign.schema.json and the rules a schema cannot express) and builds every
 * target's job request (target-requests.ts): a campaign with one invalid target is invalid. Pure: the same
 * check runs in the campaign workflow (ResolveTargets), in tests over campaigns/ and in the CLI.
 */
import type { CampaignWithDefaults } from '../../generated/types.js';
import { validateCampaign } from '../../generated/validators.js';
import { RequestValidationError } from '../errors.js';
import { campaignJobTagKey, stageJobTagKey } from '../names.js';
import { explainSchemaError, mostSpecific, type SchemaError } from '../schema-errors.js';
import { checkScheduleExpression, checkTimezone } from './schedule-expression.js';
import { buildTargetRequests, type TargetRequest } from './target-requests.js';

export type { TargetRequest } from './target-requests.js';

export interface ParsedCampaign {
  /** The campaign with its schema's defaults filled (concurrency, schedule.timezone, schedule.enabled). */
  campaign: CampaignWithDefaults;
  /** Every target's request, in the campaign's order. */
  targets: TargetRequest[];
}

/**
 * A campaign's deepest path is a request's deepest path (8 levels) under `job` or `targets[i].overrides`;
 * this bound keeps Ajv and structuredClone far from their stack limits whatever the input.
 */
const maxCampaignDepth = 40;

type Json = Record<string, unknown>;

export function parseCampaign(input: unknown): ParsedCampaign {
  if (typeof input !== 'object' || input === null || Array.isArray(input)) {
    throw new RequestValidationError('campaign', 'must be a JSON object');
  }
  checkDepth(input);
  const candidate: unknown = structuredClone(input);
  if (!validateCampaign(candidate)) {
    const { field, reason } = explainSchemaError(
      mostSpecific((validateCampaign.errors ?? []) as SchemaError[]),
      'campaign',
    );
    throw new RequestValidationError(field, reason);
  }
  const campaign = candidate;
  checkScheduleExpression(campaign.schedule.expression);
  checkTimezone(campaign.schedule.timezone);
  checkTargetNames(campaign);
  checkReservedTags(campaign);
  return { campaign, targets: buildTargetRequests(input as Json, campaign) };
}

function checkTargetNames(campaign: CampaignWithDefaults): void {
  const seen = new Map<string, number>();
  campaign.targets.forEach((target, index) => {
    const first = seen.get(target.name);
    if (first !== undefined) {
      throw new RequestValidationError(
        `targets[${index}].name`,
        `"${target.name}" is also the name of targets[${first}]: names are unique within a campaign`,
      );
    }
    seen.set(target.name, index);
  });
}

/** The orchestrator's own job tags: the stage's (ownership) and the campaign's. */
function checkReservedTags(campaign: CampaignWithDefaults): void {
  const tagSets: [string, Record<string, string> | undefined][] = [
    ['job.tags', campaign.job.tags],
    ...campaign.targets.map((target, i): [string, Record<string, string> | undefined] => [
      `targets[${i}].overrides.tags`,
      target.overrides?.tags,
    ]),
  ];
  for (const [field, tags] of tagSets) {
    for (const key of [stageJobTagKey, campaignJobTagKey]) {
      if (tags && key in tags) {
        throw new RequestValidationError(
          `${field}.${key}`,
          'is reserved: the orchestrator sets it on every job',
        );
      }
    }
  }
}

/** Iterative, so no input can overflow the stack while it is being measured. */
function checkDepth(input: object): void {
  const stack: { value: object; depth: number }[] = [{ value: input, depth: 1 }];
  for (let next = stack.pop(); next !== undefined; next = stack.pop()) {
    if (next.depth > maxCampaignDepth) {
      throw new RequestValidationError('campaign', `is nested deeper than ${maxCampaignDepth} levels`);
    }
    for (const value of Object.values(next.value)) {
      if (typeof value === 'object' && value !== null) stack.push({ value, depth: next.depth + 1 });
    }
  }
}
