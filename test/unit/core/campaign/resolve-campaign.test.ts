// biome-ignore-all lint/suspicious/noThenProperty: `then` is a restore campaign's second job (schemas/campaign.schema.json), a plain data field, never a function.
import { describe, expect, it } from 'vitest';
import {
  type CampaignStartedFields,
  resolveCampaign,
} from '../../../../src/core/campaign/resolve-campaign.js';
import { estimateJobCost } from '../../../../src/core/cost/estimate.js';
import type { CampaignRun } from '../../../../src/generated/types.js';
import { aCampaign, aCampaignExecution, aRestoreCampaign } from '../../../builders/campaign.js';
import { MemoryObjectStore } from '../../../doubles/memory-ports.js';

const clock = { now: () => new Date('2026-03-01T02:00:10.000Z') };
const region = 'us-east-1';
const tagging = { S3PutObjectTagging: { TagSet: [{ Key: 'classification', Value: 'internal' }] } };
const costOf = (operation: Record<string, unknown>, objectCount: number) =>
  estimateJobCost({ operation, objectCount, region }).totalUsd;
const round = (usd: number) => Math.round(usd * 1e6) / 1e6;

function runOf(campaign: string): CampaignRun {
  const runId = `${campaign}-20260301T0200Z`;
  return {
    runId,
    campaign,
    scheduledTime: '2026-03-01T02:00:00.000Z',
    trigger: 'schedule',
    claimKey: `campaign-runs/${campaign}/${runId}.json`,
    duplicate: false,
    claimedBy: aCampaignExecution.arn,
  };
}

/** logs/ holds 2 objects, 2 of the images are .jpg, the exports CSV lists 3 objects. */
function seededStore(): MemoryObjectStore {
  const store = new MemoryObjectStore();
  for (const key of ['logs/a.log', 'logs/b.log', 'img/x.jpg', 'img/y.jpg', 'img/z.png'])
    store.put('data', key, 'x');
  store.put('manifests', 'exports.csv', 'data,e1\ndata,e2\ndata,e3\n');
  store.put('manifests', 'audit.csv', 'archive,a1\narchive,a2\narchive,a3\narchive,a4\n');
  return store;
}

function resolve(campaign: unknown, objects = seededStore(), name = 'weekly-tagging') {
  return resolveCampaign(
    { objects, config: { region }, clock },
    { campaign, run: runOf(name), execution: aCampaignExecution },
  );
}

describe('resolveCampaign', () => {
  it('counts and estimates every target, sums them, and builds each child input and the Started detail', async () => {
    // Act
    const resolved = await resolve(aCampaign());

    // Assess
    const expected = [
      ['logs', 2, costOf(tagging, 2)],
      ['images', 2, costOf(tagging, 2)],
      ['exports', 3, costOf(tagging, 3)],
    ] as const;
    expect(resolved.rejected).toBeUndefined();
    expect(resolved.concurrency).toBe(2);
    expect(resolved.targets.map(({ plan }) => [plan.name, plan.objectCount, plan.estimatedUsd])).toEqual(
      expected,
    );
    expect(resolved.targets.map(({ plan }) => plan.executionName)).toEqual([
      'weekly-tagging-20260301T0200Z-logs',
      'weekly-tagging-20260301T0200Z-images',
      'weekly-tagging-20260301T0200Z-exports',
    ]);
    expect(resolved.targets[2]!.plan.manifestSource).toEqual({
      kind: 'csv',
      bucket: 'manifests',
      key: 'exports.csv',
    });
    expect(resolved.targets[0]!.plan.manifestSource).toMatchObject({
      kind: 'generator',
      sourceBucket: 'data',
    });
    expect(resolved.estimate).toEqual({
      totalUsd: round(expected.reduce((sum, [, , usd]) => sum + usd, 0)),
      complete: true,
    });
    expect(resolved.targets[1]!.input).toMatchObject({
      priority: 20,
      tags: { 's3bo:campaign': 'weekly-tagging' },
      manifestGenerator: { sourceBucket: 'data' },
    });
    expect(resolved.started).toEqual({
      campaign: 'weekly-tagging',
      runId: 'weekly-tagging-20260301T0200Z',
      scheduledTime: '2026-03-01T02:00:00.000Z',
      trigger: 'schedule',
      concurrency: 2,
      targets: resolved.targets.map(({ plan }) => plan),
      estimate: resolved.estimate,
    });
  });

  it('refuses a run estimated over budget.maxUsd: every target listed, nothing to start', async () => {
    // Prepare: the three jobs cost a little more than $0.75 together
    const total = costOf(tagging, 2) * 2 + costOf(tagging, 3);

    // Act
    const resolved = await resolve(aCampaign({ budget: { maxUsd: 0.75 } }));

    // Assess
    expect(total).toBeGreaterThan(0.75);
    expect(resolved.rejected).toEqual({
      field: 'budget.maxUsd',
      reason: expect.stringMatching(
        /^the run is estimated at \$0\.75\d* over 3 targets \(largest: exports .*\), more than the budget of \$0\.75: no job was started$/,
      ),
    });
    expect(resolved.targets).toHaveLength(3);
    expect(resolved.started).toBeUndefined();
    expect(resolved.estimate.budgetUsd).toBe(0.75);
  });

  it('lets a run within its budget start', async () => {
    expect((await resolve(aCampaign({ budget: { maxUsd: 0.76 } }))).rejected).toBeUndefined();
  });

  it("adds a restore target's second job over the same objects to its estimate", async () => {
    // Act
    const resolved = await resolve(aRestoreCampaign(), seededStore(), 'archive-restore');

    // Assess
    const restore = { S3InitiateRestoreObject: { GlacierJobTier: 'BULK', ExpirationInDays: 7 } };
    const copy = {
      S3PutObjectCopy: {
        TargetResource: 'arn:aws:s3:::archive',
        StorageClass: 'STANDARD',
        MetadataDirective: 'COPY',
      },
    };
    expect(resolved.targets[0]!.plan).toMatchObject({
      kind: 'restore-then',
      operation: 'S3InitiateRestoreObject',
      objectCount: 4,
      estimatedUsd: round(costOf(restore, 4) + costOf(copy, 4)),
    });
    expect(resolved.targets[0]!.input).toEqual({
      request: expect.objectContaining({
        operation: restore,
        manifest: { bucket: 'manifests', key: 'audit.csv' },
      }),
      restore: aRestoreCampaign().restore,
      then: expect.objectContaining({ operation: copy }),
      campaign: 'archive-restore',
      target: 'audit',
      runId: 'archive-restore-20260301T0200Z',
    });
  });

  it('runs a target whose objects cannot be read now, estimated at $0 and marked, so it fails on its own', async () => {
    // Prepare
    const objects = seededStore();
    objects.objects.delete('manifests/exports.csv');

    // Act
    const resolved = await resolve(aCampaign({ budget: { maxUsd: 1 } }), objects);

    // Assess
    expect(resolved.rejected).toBeUndefined();
    expect(resolved.targets[2]!.plan).toMatchObject({
      estimatedUsd: 0,
      unresolved: { field: 'targets[2].manifest.key', reason: expect.stringContaining('does not exist') },
    });
    expect(resolved.estimate.complete).toBe(false);
    expect((resolved.started as CampaignStartedFields).targets).toHaveLength(3);
  });

  it('turns an invalid campaign into a rejection naming the field, with no target', async () => {
    // Prepare
    const campaign = aCampaign();
    delete campaign.targets[1]!.manifestGenerator;

    // Act
    const resolved = await resolve(campaign);

    // Assess
    expect(resolved).toEqual({
      rejected: { field: 'targets[1].manifest', reason: expect.stringContaining('required') },
      concurrency: 1,
      targets: [],
      estimate: { totalUsd: 0, complete: false },
    });
  });

  it('cannot check a budget in a region without a price table', async () => {
    // Act
    const resolved = await resolveCampaign(
      { objects: seededStore(), config: { region: 'eu-north-9' }, clock },
      {
        campaign: aCampaign({ budget: { maxUsd: 1 } }),
        run: runOf('weekly-tagging'),
        execution: aCampaignExecution,
      },
    );

    // Assess
    expect(resolved.rejected).toEqual({
      field: 'budget.maxUsd',
      reason: expect.stringContaining('no price table'),
    });
  });
});
