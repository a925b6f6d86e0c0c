import type { JobRequestWithDefaults } from '../../generated/types.js';
import { RequestValidationError } from '../errors.js';
import type { ObjectStorePort } from '../ports.js';
import { countManifestRows } from './count-manifest-rows.js';
import { type CostEstimate, estimateJobCost } from './estimate.js';
import { priceTables } from './prices.js';

const formatUsd = (usd: number): string => `$${Number(usd.toFixed(6))}`;

/**
 * The estimate for a validated request, checked against its `budget`. Objects are counted from a CSV
 * manifest's rows; an inventory manifest is not counted (its gzipped data files would all have to be read),
 * so it gets no estimate and cannot carry a budget. Undefined: no estimate could be made and none was asked.
 */
export async function estimateRequestCost(
  objects: ObjectStorePort,
  request: Pick<JobRequestWithDefaults, 'operation' | 'manifest' | 'budget'>,
  region: string,
): Promise<CostEstimate | undefined> {
  const budget = request.budget;
  if (request.manifest.format !== 'S3BatchOperations_CSV_20180820') {
    if (budget) {
      throw new RequestValidationError(
        'budget',
        'needs a CSV manifest (S3BatchOperations_CSV_20180820): inventory manifests are not counted',
      );
    }
    return undefined;
  }
  if (!priceTables[region] && !budget) return undefined;
  const objectCount = await countManifestRows(objects, request.manifest);
  const estimate = estimateJobCost({
    operation: request.operation as Record<string, unknown>,
    objectCount,
    region,
  });
  if (budget && estimate.totalUsd > budget.maxUsd) {
    throw new RequestValidationError(
      'budget.maxUsd',
      `estimated ${formatUsd(estimate.totalUsd)} (${objectCount} objects, ${region}) exceeds the budget of ` +
        `${formatUsd(budget.maxUsd)}`,
    );
  }
  return estimate;
}
