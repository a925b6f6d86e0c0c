import { describe, expect, it } from 'vitest';
import { maxGeneratorListedObjects } from '../../../../src/core/cost/count-generated-objects.js';
import { estimateJobCost } from '../../../../src/core/cost/estimate.js';
import { estimateRequestCost } from '../../../../src/core/cost/request-estimate.js';
import { resolveManifestSource } from '../../../../src/core/manifest-source/resolve-manifest-source.js';
import type { ObjectStorePort } from '../../../../src/core/ports.js';
import { parseJobRequest } from '../../../../src/core/request-validation.js';
import { putInventoryReport } from '../../../builders/inventory-report.js';
import { MemoryObjectStore, memoryObjectStore } from '../../../doubles/memory-ports.js';

const operation = { S3PutObjectTagging: { TagSet: [] } };
const now = new Date('2026-11-26T12:00:00Z');

/** Resolves the request's source as SubmitJob does, then estimates it. */
async function estimate(
  objects: MemoryObjectStore,
  overrides: Record<string, unknown>,
  region = 'us-east-1',
) {
  const request = parseJobRequest({
    operation,
    manifest: { bucket: 'manifests', key: 'two.csv' },
    report: { enabled: false },
    ...overrides,
  });
  const source = await resolveManifestSource(objects, request, { now, submitTime: now });
  return estimateRequestCost(objects, request, source, region);
}

const totalFor = (objectCount: number) =>
  estimateJobCost({ operation, objectCount, region: 'us-east-1' }).totalUsd;

function generatorStore(keys: number): MemoryObjectStore {
  const store = new MemoryObjectStore(7, 2);
  for (let i = 0; i < keys; i++) store.put('gen-source', `logs/${i}.log`, 'x');
  return store;
}

describe('estimateRequestCost', () => {
  it('estimates a CSV manifest from its rows, and says so', async () => {
    const objects = memoryObjectStore({ 'manifests/two.csv': 'data,a\ndata,b\n' });
    expect(await estimate(objects, {})).toMatchObject({
      objectCount: 2,
      objectCountSource: 'csvRows',
      objectCountIsUpperBound: false,
      region: 'us-east-1',
    });
  });

  it('refuses an estimate over budget.maxUsd, stating the estimate', async () => {
    const objects = memoryObjectStore({ 'manifests/two.csv': 'data,a\ndata,b\n' });
    await expect(estimate(objects, { budget: { maxUsd: 0.1 } })).rejects.toMatchObject({
      name: 'RequestValidationError',
      field: 'budget.maxUsd',
      reason: expect.stringMatching(
        /^estimated \$0\.252\d* \(2 objects, us-east-1\) exceeds the budget of \$0\.1$/,
      ),
    });
  });

  it("estimates a named inventory report from its data files' rows", async () => {
    // Prepare
    const objects = new MemoryObjectStore();
    const key = putInventoryReport(objects, {
      destinationBucket: 'inventories',
      base: 'src/cfg',
      sourceBucket: 'src',
      folder: '2026-11-25T00-00Z',
      files: [
        [{ key: 'a' }, { key: 'b' }],
        [{ key: 'c' }, { key: 'd', deleteMarker: true }],
      ],
    });
    const manifest = { bucket: 'inventories', key, format: 'S3InventoryReport_CSV_20161130' };

    // Act
    const result = await estimate(objects, { manifest, budget: { maxUsd: 5 } });

    // Assess
    expect(result).toMatchObject({
      objectCount: 3,
      objectCountSource: 'inventoryRows',
      totalUsd: totalFor(3),
    });
  });

  it("estimates the newest inventory report's rows", async () => {
    const objects = new MemoryObjectStore();
    const report = (folder: string, rows: number) =>
      putInventoryReport(objects, {
        destinationBucket: 'inventories',
        base: 'src/cfg',
        sourceBucket: 'src',
        folder,
        files: [Array.from({ length: rows }, (_, i) => ({ key: `k${i}` }))],
      });
    report('2026-11-24T00-00Z', 1);
    report('2026-11-26T00-00Z', 4);
    const manifest = { inventory: { bucket: 'inventories', sourceBucket: 'src', configId: 'cfg' } };

    expect(await estimate(objects, { manifest })).toMatchObject({
      objectCount: 4,
      objectCountSource: 'inventoryRows',
    });
  });

  it('estimates a generator from a listing of its source bucket, and holds it to the budget', async () => {
    const generator = { manifestGenerator: { sourceBucket: 'gen-source' } };
    expect(await estimate(generatorStore(5), { ...generator, manifest: undefined })).toMatchObject({
      objectCount: 5,
      objectCountSource: 'generatorListing',
      objectCountIsUpperBound: false,
    });
    await expect(
      estimate(generatorStore(5), { ...generator, manifest: undefined, budget: { maxUsd: totalFor(5) / 2 } }),
    ).rejects.toMatchObject({
      field: 'budget.maxUsd',
      reason: expect.stringContaining('(5 objects, us-east-1)'),
    });
  });

  it('checks a budget against the upper bound when the filter uses what a listing cannot show', async () => {
    // Prepare
    const request = {
      manifest: undefined,
      manifestGenerator: { sourceBucket: 'gen-source', filter: { eligibleForReplication: true } },
    };

    // Act
    const bounded = await estimate(generatorStore(4), request);

    // Assess
    expect(bounded).toMatchObject({ objectCount: 4, objectCountIsUpperBound: true });
    expect(bounded?.notes).toContainEqual(expect.stringMatching(/^4 objects is an upper bound/));
    await expect(
      estimate(generatorStore(4), { ...request, budget: { maxUsd: totalFor(4) - 0.000001 } }),
    ).rejects.toMatchObject({
      field: 'budget.maxUsd',
      reason: expect.stringContaining('(at most 4 objects, us-east-1)'),
    });
    await expect(
      estimate(generatorStore(4), { ...request, budget: { maxUsd: totalFor(4) } }),
    ).resolves.toBeDefined();
  });

  it(`gives no estimate past ${maxGeneratorListedObjects} listed objects, and refuses a budget then, naming budget`, async () => {
    // Prepare: a bucket that lists full pages for as long as it is asked
    const pagesAsked: number[] = [];
    const endless: ObjectStorePort = {
      headObject: () => Promise.reject(new Error('not used')),
      getObjectStream: () => Promise.reject(new Error('not used')),
      putObject: () => Promise.reject(new Error('not used')),
      putObjectIfAbsent: () => Promise.reject(new Error('not used')),
      getObjectWithEtag: () => Promise.reject(new Error('not used')),
      putObjectIfMatch: () => Promise.reject(new Error('not used')),
      async *listObjects(_bucket, options) {
        for (let page = 0; page < options.maxPages; page++) {
          pagesAsked.push(page);
          const objects = Array.from({ length: 1000 }, (_, i) => ({
            key: `k${page}-${i}`,
            size: 1,
            lastModified: '2026-01-01T00:00:00.000Z',
            storageClass: 'STANDARD',
          }));
          yield { objects, commonPrefixes: [], truncated: true };
        }
      },
    };
    const request = (budget?: number) =>
      parseJobRequest({
        operation,
        manifestGenerator: { sourceBucket: 'huge' },
        report: { enabled: false },
        ...(budget === undefined ? {} : { budget: { maxUsd: budget } }),
      });
    const source = await resolveManifestSource(endless, request(), { now, submitTime: now });

    // Act
    const withoutBudget = await estimateRequestCost(endless, request(), source, 'us-east-1');

    // Assess: the page that passed the bound was the last one asked for
    expect(withoutBudget).toBeUndefined();
    expect(pagesAsked).toHaveLength(maxGeneratorListedObjects / 1000 + 1);
    await expect(estimateRequestCost(endless, request(1000), source, 'us-east-1')).rejects.toMatchObject({
      field: 'budget',
      reason:
        "cannot be checked: the generator's source bucket lists more than 1,000,000 objects, too many to count before the job is created",
    });
  });

  it('skips the estimate in a region without a price table unless a budget asks for one', async () => {
    const objects = memoryObjectStore({ 'manifests/two.csv': 'data,a\ndata,b\n' });
    expect(await estimate(objects, {}, 'xx-nowhere-1')).toBeUndefined();
    await expect(estimate(objects, { budget: { maxUsd: 5 } }, 'xx-nowhere-1')).rejects.toMatchObject({
      field: 'region',
    });
  });
});
