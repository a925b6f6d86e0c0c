import { describe, expect, it } from 'vitest';
import { estimateRequestCost } from '../../../../src/core/cost/request-estimate.js';
import { parseJobRequest } from '../../../../src/core/request-validation.js';
import { memoryObjectStore } from '../../../doubles/memory-ports.js';

const objects = memoryObjectStore({ 'manifests/two.csv': 'data,a\ndata,b\n' });
const request = (overrides: Record<string, unknown>) =>
  parseJobRequest({
    operation: { S3PutObjectTagging: { TagSet: [] } },
    manifest: { bucket: 'manifests', key: 'two.csv' },
    report: { enabled: false },
    ...overrides,
  });

describe('estimateRequestCost', () => {
  it('estimates a CSV manifest from its rows', async () => {
    const estimate = await estimateRequestCost(objects, request({}), 'us-east-1');
    expect(estimate).toMatchObject({ objectCount: 2, region: 'us-east-1' });
  });

  it('refuses an estimate over budget.maxUsd, stating the estimate', async () => {
    await expect(
      estimateRequestCost(objects, request({ budget: { maxUsd: 0.1 } }), 'us-east-1'),
    ).rejects.toMatchObject({
      name: 'RequestValidationError',
      field: 'budget.maxUsd',
      reason: expect.stringMatching(
        /^estimated \$0\.252\d* \(2 objects, us-east-1\) exceeds the budget of \$0\.1$/,
      ),
    });
  });

  it('gives an inventory manifest no estimate, and refuses a budget on one', async () => {
    const inventory = {
      manifest: {
        bucket: 'manifests',
        key: 'inv/manifest.json',
        format: 'S3InventoryReport_CSV_20161130',
        etag: 'e',
      },
    };
    expect(await estimateRequestCost(objects, request(inventory), 'us-east-1')).toBeUndefined();
    await expect(
      estimateRequestCost(objects, request({ ...inventory, budget: { maxUsd: 5 } }), 'us-east-1'),
    ).rejects.toMatchObject({ field: 'budget' });
  });

  it('skips the estimate in a region without a price table unless a budget asks for one', async () => {
    expect(await estimateRequestCost(objects, request({}), 'xx-nowhere-1')).toBeUndefined();
    await expect(
      estimateRequestCost(objects, request({ budget: { maxUsd: 5 } }), 'xx-nowhere-1'),
    ).rejects.toMatchObject({ field: 'region' });
  });
});
