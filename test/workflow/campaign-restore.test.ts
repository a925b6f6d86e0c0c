// biome-ignore-all lint/suspicious/noThenProperty: `then` is a restore campaign's second job (schemas/campaign.schema.json), a plain data field, never a function.
/**
 * A restore campaign on the embedded local AWS: its Map runs each target on the restore-then machine, which
 * restores, waits and copies back to STANDARD (restore-then's own behaviour is tested in
 * restore-then.test.ts); the campaign reports both jobs of every target.
 */
import { describe, expect, it } from 'vitest';
import type { Campaign } from '../../src/generated/types.js';
import { executionsOf, runCampaign } from './campaign-helpers.js';
import { type Harness, harnessPerTest, reportBucket } from './harness.js';

const harnesses = harnessPerTest();

/** One of the local stage's allowedBuckets: the record-restore rule listens on them. */
const archiveBucket = 's3-batch-orchestrator-local-data';
/** A 5-hour Glacier restore takes about a second. */
const timeScale = 20_000;
const runId = 'archive-restore-20260301T0200Z';

const glacier = ['audit/2025/jan.csv', 'audit/2025/feb.csv'];
const listed = ['exports/q1.csv', 'exports/q2.csv', 'exports/q3.csv'];

function seedArchive(h: Harness): void {
  h.aws.s3.backend.ensureBucket(archiveBucket);
  for (const key of [...glacier, ...listed]) {
    h.aws.s3.backend.putObject(archiveBucket, key, Buffer.from(`body of ${key}`), {
      storageClass: 'GLACIER',
    });
  }
  // Not archived, under the same prefix: the generator's storage class filter leaves it out.
  h.aws.s3.backend.putObject(archiveBucket, 'audit/2025/readme.txt', Buffer.from('readme'));
  h.writeManifest(
    'campaign-manifests',
    'exports.csv',
    listed.map((key) => [archiveBucket, key]),
  );
}

function aRestoreCampaign(): Campaign {
  const wait = { minSeconds: 5, maxSeconds: 60, timeoutSeconds: 86_400 };
  return {
    name: 'archive-restore',
    schedule: { expression: 'cron(0 2 1 * ? *)' },
    job: {
      operation: { S3InitiateRestoreObject: {} },
      report: { bucket: reportBucket, prefix: 'campaigns/restore', scope: 'AllTasks' },
      wait,
    },
    targets: [
      {
        name: 'audit',
        manifestGenerator: {
          sourceBucket: archiveBucket,
          filter: { keyNameConstraint: { matchAnyPrefix: ['audit/'] }, matchAnyStorageClass: ['GLACIER'] },
        },
      },
      { name: 'exports', manifest: { bucket: 'campaign-manifests', key: 'exports.csv' } },
    ],
    concurrency: 2,
    budget: { maxUsd: 5 },
    restore: {
      tier: 'STANDARD',
      expirationDays: 3,
      then: {
        operation: {
          S3PutObjectCopy: { TargetResource: `arn:aws:s3:::${archiveBucket}`, StorageClass: 'STANDARD' },
        },
        report: { bucket: reportBucket, prefix: 'campaigns/copy', scope: 'AllTasks' },
      },
    },
  };
}

const storageClassOf = (h: Harness, key: string) =>
  h.aws.s3.backend.headObject({ bucket: archiveBucket, key }).storageClass;

describe('a restore campaign', () => {
  it('runs every target on the restore-then machine and reports both jobs of each', async () => {
    // Prepare
    const h = await harnesses.start({ timeScale });
    seedArchive(h);

    // Act
    const run = await runCampaign(
      h,
      { campaign: aRestoreCampaign(), scheduledTime: '2026-03-01T02:00:00Z', trigger: 'schedule' },
      { timeoutMs: 180_000 },
    );

    // Assess: the campaign's children are restore-then executions, named after the run and the target
    expect(run.status).toBe('SUCCEEDED');
    expect(run.statesEntered).toContain('RunRestoreThen');
    expect(run.statesEntered).not.toContain('RunBatchJob');
    const children = await executionsOf(h, h.project.stateMachineArns.restoreThen!);
    expect(children.map((c) => c.name).sort()).toEqual([`${runId}-audit`, `${runId}-exports`]);
    // Assess: every archived object is back in STANDARD; the unarchived one was never part of a job
    for (const key of [...glacier, ...listed]) expect(storageClassOf(h, key), key).toBe('STANDARD');
    // Assess: the table
    const completed = h.event('Campaign Completed');
    expect(completed).toMatchObject({ outcome: 'Succeeded', runId });
    const [audit, exports] = completed.targets;
    expect(audit).toMatchObject({
      name: 'audit',
      outcome: 'Succeeded',
      totals: { tasks: 2, succeeded: 2, failed: 0 },
      restore: { outcome: 'Succeeded', totals: { tasks: 2, succeeded: 2, failed: 0 } },
      then: { outcome: 'Succeeded', totals: { tasks: 2, succeeded: 2, failed: 0 } },
      restored: 2,
      notRestored: 0,
    });
    expect(audit.jobId).toBe(audit.then.jobId);
    expect(exports).toMatchObject({
      name: 'exports',
      outcome: 'Succeeded',
      restored: 3,
      totals: { tasks: 3 },
    });
    // Assess: each target's estimate holds the restore and the copy
    const started = h.event('Campaign Started');
    expect(
      started.targets.map((t: { kind: string; objectCount: number }) => [t.kind, t.objectCount]),
    ).toEqual([
      ['restore-then', 2],
      ['restore-then', 3],
    ]);
  });
});
