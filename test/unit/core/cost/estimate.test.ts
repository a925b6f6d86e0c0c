import { describe, expect, it } from 'vitest';
import { estimateJobCost, orchestrationAssumptions } from '../../../../src/core/cost/estimate.js';
import { priceTables } from '../../../../src/core/cost/prices.js';

const prices = priceTables['us-east-1']!;
const million = 1_000_000;
/** The orchestration lines every estimate carries, by hand from the table. */
const orchestrationUsd =
  (orchestrationAssumptions.stateTransitions / 1_000) * prices.stepFunctionsTransitions.usd +
  (orchestrationAssumptions.lambdaInvocations / million) * prices.lambdaRequests.usd +
  (orchestrationAssumptions.events / million) * prices.eventBridgeCustomEvents.usd;

describe('estimateJobCost', () => {
  it('prices a 1,000,000-object tagging job as the job fee, the objects and one PUT per object', () => {
    const estimate = estimateJobCost({
      operation: { S3PutObjectTagging: { TagSet: [{ Key: 'k', Value: 'v' }] } },
      objectCount: million,
      region: 'us-east-1',
    });

    // $0.25 job + 1M objects × $1.00/M + 1M PUT × $0.005/1,000 = 0.25 + 1.00 + 5.00
    const byHand = 0.25 + 1.0 + (million / 1_000) * 0.005 + orchestrationUsd;
    expect(estimate.totalUsd).toBeCloseTo(byHand, 6);
    expect(estimate.totalUsd).toBeCloseTo(6.25 + 0.0025 + 0.000006 + 0.000003, 6);
    expect(estimate.lines.map((line) => [line.item, line.usd])).toEqual([
      ['S3 Batch Operations job fee', 0.25],
      ['S3 Batch Operations objects processed', 1],
      ['PutObjectTagging requests', 5],
      ['Step Functions state transitions (orchestration)', 0.0025],
      ['Lambda invocations (orchestration)', 0.000006],
      ['EventBridge custom events (orchestration)', 0.000003],
    ]);
  });

  it('prices a 1,000,000-object Glacier Bulk restore with free Bulk requests and retrieval', () => {
    const estimate = estimateJobCost({
      operation: { S3InitiateRestoreObject: { ExpirationInDays: 7, GlacierJobTier: 'BULK' } },
      objectCount: million,
      totalBytes: 500 * 1024 ** 3,
      region: 'us-east-1',
    });

    // Flexible Retrieval Bulk: $0.00 per 1,000 requests and $0.00 per GB, so only the Batch fees remain.
    const byHand = 0.25 + 1.0 + (million / 1_000) * 0 + 500 * 0 + orchestrationUsd;
    expect(estimate.totalUsd).toBeCloseTo(byHand, 6);
    expect(estimate.lines.find((l) => l.item === 'Restore requests (GLACIER BULK)')?.usd).toBe(0);
    expect(estimate.lines.find((l) => l.item === 'Restore retrieval (GLACIER BULK)')?.quantity).toBe(500);
  });

  it('prices a Deep Archive Standard restore per request and per GB retrieved', () => {
    const estimate = estimateJobCost({
      operation: { S3InitiateRestoreObject: { GlacierJobTier: 'STANDARD' } },
      objectCount: million,
      totalBytes: 100 * 1024 ** 3,
      storageClass: 'DEEP_ARCHIVE',
      region: 'us-east-1',
    });

    // 1M × $0.10/1,000 = $100; 100 GB × $0.02 = $2
    expect(estimate.totalUsd).toBeCloseTo(0.25 + 1 + 100 + 2 + orchestrationUsd, 6);
  });

  it('says when retrieval is left out because the total size is unknown', () => {
    const estimate = estimateJobCost({
      operation: { S3InitiateRestoreObject: { GlacierJobTier: 'STANDARD' } },
      objectCount: 10,
      region: 'us-east-1',
    });

    expect(estimate.notes.join(' ')).toMatch(/\$0\.01 per GB .*total size is unknown/);
  });

  it('counts a LambdaInvoke job’s GB-seconds at the given memory', () => {
    const estimate = estimateJobCost({
      operation: { LambdaInvoke: { FunctionArn: 'f' } },
      objectCount: 1_000,
      region: 'us-east-1',
      lambda: { memoryMb: 512, averageDurationMs: 200 },
    });

    // 1,000 × 0.5 GB × 0.2 s = 100 GB-s
    const compute = estimate.lines.find((l) => l.item === 'Lambda compute at 512 MB');
    expect(compute?.quantity).toBeCloseTo(100, 9);
    expect(compute?.usd).toBeCloseTo(100 * 0.0000166667, 6);
  });

  it('rejects a region without a price table, naming the field', () => {
    expect(() =>
      estimateJobCost({ operation: { S3PutObjectTagging: {} }, objectCount: 1, region: 'xx-nowhere-1' }),
    ).toThrow(/region: has no price table/);
  });

  it('gives every price its source page and the date it was checked', () => {
    const all = JSON.stringify(priceTables);
    const entries = all.match(/"usd":/g)?.length ?? 0;
    expect(all.match(/"source":"[^"]*https:\/\/[^"]+"/g)?.length).toBe(entries);
    expect(all.match(/"checked":"\d{4}-\d{2}-\d{2}"/g)?.length).toBe(entries);
  });
});
