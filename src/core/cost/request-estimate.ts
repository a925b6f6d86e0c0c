import type { JobRequestWithDefaults } from '../../generated/types.js';
import { RequestValidationError } from '../errors.js';
import type { ResolvedManifestSource } from '../manifest-source/resolve-manifest-source.js';
import type { ObjectStorePort } from '../ports.js';
import { maxGeneratorListedObjects } from './count-generated-objects.js';
import { countSourceObjects } from './count-objects.js';
import { type CostEstimate, estimateJobCost } from './estimate.js';
import { priceTables } from './prices.js';

const formatUsd = (usd: number): string => `$${Number(usd.toFixed(6))}`;

/**
 * The estimate for a validated request whose source of objects is resolved, checked against its `budget`.
 * Objects are counted from every source (count-objects.ts); an upper bound is what the budget is checked
 * against. Undefined: no estimate could be made (no price table for the region, a generator source bucket
 * too large to list) and none was asked for; with a budget, either is a RequestValidationError.
 */
export async function estimateRequestCost(
  objects: ObjectStorePort,
  request: Pick<JobRequestWithDefaults, 'operation' | 'budget'>,
  source: ResolvedManifestSource,
  region: string,
): Promise<CostEstimate | undefined> {
  const budget = request.budget;
  if (!priceTables[region] && !budget) return undefined;
  const count = await countSourceObjects(objects, source);
  if (count === undefined) {
    if (budget) {
      throw new RequestValidationError(
        'budget',
        `cannot be checked: the generator's source bucket lists more than ${maxGeneratorListedObjects.toLocaleString('en-US')} objects, too many to count before the job is created`,
      );
    }
    return undefined;
  }
  const estimate = estimateJobCost({
    operation: request.operation as Record<string, unknown>,
    ...count,
    region,
  });
  if (budget && estimate.totalUsd > budget.maxUsd) {
    const objectsCounted = `${count.objectCountIsUpperBound ? 'at most ' : ''}${count.objectCount} objects`;
    throw new RequestValidationError(
      'budget.maxUsd',
      `estimated ${formatUsd(estimate.totalUsd)} (${objectsCounted}, ${region}) exceeds the budget of ` +
        `${formatUsd(budget.maxUsd)}`,
    );
  }
  return estimate;
}
