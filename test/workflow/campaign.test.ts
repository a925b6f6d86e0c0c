/**
 * The campaign state machine on the embedded local AWS, started by hand: its targets run as child
 * executions of the real batch-job machine against emulated S3 Batch Operations.
 */
import { describe, expect, it } from 'vitest';
import { claimKeyFor } from '../../src/core/campaign/run-id.js';
import {
  aTaggingCampaign,
  batchJobExecutions,
  maxOverlap,
  runCampaign,
  seedTaggingLayout,
  taggingLayout,
  tagsOf,
} from './campaign-helpers.js';
import { harnessPerTest } from './harness.js';

const harnesses = harnessPerTest();
const scheduledTime = '2026-03-01T02:00:00Z';
const runId = 'weekly-tagging-20260301T0200Z';

describe('the campaign workflow', () => {
  it('runs three targets, each job tagging exactly the objects its filter matches, at most two at once', async () => {
    // Prepare
    const h = await harnesses.start();
    seedTaggingLayout(h);

    // Act
    const run = await runCampaign(h, { campaign: aTaggingCampaign(), scheduledTime, trigger: 'schedule' });

    // Assess: the path
    expect(run.status).toBe('SUCCEEDED');
    expect(
      run.statesEntered.filter(
        (s) => !['RouteTarget', 'RunBatchJob', 'SummarizeTarget', 'TargetDone'].includes(s),
      ),
    ).toEqual([
      'ClaimRun',
      'CheckClaim',
      'ResolveTargets',
      'CheckResolved',
      'EmitStarted',
      'RunTargets',
      'Aggregate',
      'EmitCompleted',
      'Finish',
      'RouteByOutcome',
      'CampaignDone',
    ]);
    // Assess: the objects, one by one
    const tag = (value: string) => [{ Key: 'classification', Value: value }];
    for (const key of taggingLayout.logs) expect(tagsOf(h, key), key).toEqual(tag('internal'));
    for (const key of taggingLayout.images) expect(tagsOf(h, key), key).toEqual(tag('public'));
    for (const key of taggingLayout.large) expect(tagsOf(h, key), key).toEqual(tag('confidential'));
    for (const key of taggingLayout.untouched) expect(tagsOf(h, key), key).toEqual([]);
    // Assess: the children and their concurrency
    const children = await batchJobExecutions(h);
    expect(children.map((c) => c.name).sort()).toEqual([
      `${runId}-images`,
      `${runId}-large`,
      `${runId}-logs`,
    ]);
    expect(children.every((c) => c.status === 'SUCCEEDED')).toBe(true);
    expect(maxOverlap(children)).toBe(2);
    // Assess: every job carries the campaign and stage tags
    const jobs = h.aws.s3control.engine.jobs();
    expect(jobs).toHaveLength(3);
    for (const job of jobs) {
      expect(job.Tags).toEqual(
        expect.arrayContaining([
          { Key: 's3bo:campaign', Value: 'weekly-tagging' },
          { Key: 's3bo:stage', Value: h.project.stage },
        ]),
      );
    }
    // Assess: the events and the output
    const started = h.event('Campaign Started');
    expect(started).toMatchObject({
      campaign: 'weekly-tagging',
      runId,
      scheduledTime: '2026-03-01T02:00:00.000Z',
      trigger: 'schedule',
      concurrency: 2,
      estimate: { totalUsd: expect.any(Number), complete: true },
    });
    expect(
      started.targets.map((t: { name: string; objectCount: number }) => [t.name, t.objectCount]),
    ).toEqual([
      ['logs', 3],
      ['images', 2],
      ['large', 2],
    ]);
    const completed = h.event('Campaign Completed');
    expect(completed).toMatchObject({
      campaign: 'weekly-tagging',
      runId,
      outcome: 'Succeeded',
      totals: {
        targets: 3,
        succeededTargets: 3,
        failedTargets: 0,
        tasks: 7,
        succeededTasks: 7,
        failedTasks: 0,
      },
      cost: { estimatedUsd: started.estimate.totalUsd },
    });
    expect(
      completed.targets.map((t: { name: string; outcome: string; totals: unknown }) => [
        t.name,
        t.outcome,
        t.totals,
      ]),
    ).toEqual([
      ['logs', 'Succeeded', { tasks: 3, succeeded: 3, failed: 0 }],
      ['images', 'Succeeded', { tasks: 2, succeeded: 2, failed: 0 }],
      ['large', 'Succeeded', { tasks: 2, succeeded: 2, failed: 0 }],
    ]);
    for (const target of completed.targets) {
      expect(target.jobId).toEqual(expect.any(String));
      expect(children.map((c) => c.executionArn)).toContain(target.executionArn);
    }
    expect(run.output).toEqual({
      runId,
      outcome: 'Succeeded',
      completed: expect.objectContaining({ runId }),
    });
    expect(
      h.aws.s3.backend.headObject({
        bucket: h.project.stateBucket,
        key: claimKeyFor('weekly-tagging', runId),
      }).size,
    ).toBeGreaterThan(0);
  });

  it('keeps the other targets going when one fails: they complete, the campaign is PartialFailure with the table', async () => {
    // Prepare: the second target's source bucket does not exist
    const h = await harnesses.start();
    seedTaggingLayout(h);
    const campaign = aTaggingCampaign();
    campaign.targets[1]!.manifestGenerator!.sourceBucket = 'missing-bucket';

    // Act
    const run = await runCampaign(h, { campaign, scheduledTime });

    // Assess
    expect(run.status).toBe('SUCCEEDED');
    for (const key of taggingLayout.logs)
      expect(tagsOf(h, key)).toEqual([{ Key: 'classification', Value: 'internal' }]);
    for (const key of taggingLayout.large)
      expect(tagsOf(h, key)).toEqual([{ Key: 'classification', Value: 'confidential' }]);
    for (const key of taggingLayout.images) expect(tagsOf(h, key)).toEqual([]);
    const completed = h.event('Campaign Completed');
    expect(completed.outcome).toBe('PartialFailure');
    expect(completed.targets.map((t: { name: string; outcome: string }) => [t.name, t.outcome])).toEqual([
      ['logs', 'Succeeded'],
      ['images', 'Rejected'],
      ['large', 'Succeeded'],
    ]);
    expect(completed.targets[1]).toMatchObject({
      executionArn: expect.stringContaining(`${runId}-images`),
      reason: expect.stringContaining('missing-bucket'),
    });
    expect(completed.reason).toMatch(/^1 of 3 targets did not succeed: images Rejected/);
    expect(h.event('Batch Job Rejected')).toMatchObject({ executionArn: completed.targets[1].executionArn });
    const started = h.event('Campaign Started');
    expect(started.targets[1]).toMatchObject({
      name: 'images',
      estimatedUsd: 0,
      unresolved: { field: 'targets[1].manifestGenerator.sourceBucket' },
    });
  });

  it('runs one target at a time with concurrency 1; a job whose every task fails makes its target Failed', async () => {
    // Prepare: the third target's CSV manifest lists objects that do not exist
    const h = await harnesses.start();
    seedTaggingLayout(h);
    h.writeManifest('campaign-manifests', 'ghosts.csv', [
      ['campaign-data', 'ghosts/a.txt'],
      ['campaign-data', 'ghosts/b.txt'],
    ]);
    const campaign = aTaggingCampaign({ concurrency: 1 });
    campaign.targets[2] = { name: 'ghosts', manifest: { bucket: 'campaign-manifests', key: 'ghosts.csv' } };

    // Act
    const run = await runCampaign(h, { campaign, scheduledTime });

    // Assess
    const children = await batchJobExecutions(h);
    expect(children).toHaveLength(3);
    expect(maxOverlap(children)).toBe(1);
    const completed = h.event('Campaign Completed');
    expect(run.status).toBe('SUCCEEDED');
    expect(completed.outcome).toBe('PartialFailure');
    expect(completed.targets[2]).toMatchObject({
      name: 'ghosts',
      outcome: 'Failed',
      reason: expect.stringContaining('BatchJobFailed'),
    });
    expect(completed.totals).toMatchObject({ targets: 3, succeededTargets: 2, failedTargets: 1 });
  });

  it('starts nothing and emits nothing for a second trigger of the same scheduled time', async () => {
    // Prepare
    const h = await harnesses.start();
    seedTaggingLayout(h);
    const first = await runCampaign(h, { campaign: aTaggingCampaign(), scheduledTime, trigger: 'schedule' });
    const childrenBefore = (await batchJobExecutions(h)).length;
    const eventsBefore = h.events().length;

    // Act: EventBridge Scheduler delivers the same scheduled time again
    const second = await runCampaign(h, {
      campaign: aTaggingCampaign(),
      scheduledTime: '2026-03-01T02:00:41Z',
      trigger: 'schedule',
    });

    // Assess
    expect(first.status).toBe('SUCCEEDED');
    expect(second.status).toBe('SUCCEEDED');
    expect(second.statesEntered).toEqual(['ClaimRun', 'CheckClaim', 'RecordDuplicate', 'Duplicate']);
    expect(second.output).toEqual({ duplicate: true, runId, claimedBy: first.executionArn });
    expect((await batchJobExecutions(h)).length).toBe(childrenBefore);
    expect(h.events().length).toBe(eventsBefore);
  });

  it('lets exactly one of two executions started at once for the same scheduled time run the campaign', async () => {
    // Prepare
    const h = await harnesses.start();
    seedTaggingLayout(h);
    const input = { campaign: aTaggingCampaign(), scheduledTime, trigger: 'schedule' as const };

    // Act
    const runs = await Promise.all([runCampaign(h, input), runCampaign(h, input)]);

    // Assess
    const duplicates = runs.filter(
      (r) => (r.output as { duplicate?: boolean } | undefined)?.duplicate === true,
    );
    expect(duplicates).toHaveLength(1);
    expect(runs.every((r) => r.status === 'SUCCEEDED')).toBe(true);
    expect(await batchJobExecutions(h)).toHaveLength(3);
    expect(h.events('Campaign Started')).toHaveLength(1);
    expect(h.events('Campaign Completed')).toHaveLength(1);
  });

  it('starts no job for a campaign estimated over its budget, and says so in Campaign Completed', async () => {
    // Prepare
    const h = await harnesses.start();
    seedTaggingLayout(h);

    // Act: three jobs cost at least $0.75 in job fees alone
    const run = await runCampaign(h, {
      campaign: aTaggingCampaign({ budget: { maxUsd: 0.5 } }),
      scheduledTime,
    });

    // Assess
    expect(run.status).toBe('FAILED');
    expect(run.error).toBe('CampaignFailed');
    expect(run.statesEntered).toEqual([
      'ClaimRun',
      'CheckClaim',
      'ResolveTargets',
      'CheckResolved',
      'Aggregate',
      'EmitCompleted',
      'Finish',
      'RouteByOutcome',
      'CampaignFailed',
    ]);
    expect(await batchJobExecutions(h)).toEqual([]);
    expect(h.aws.s3control.engine.jobs()).toEqual([]);
    expect(h.events('Campaign Started')).toEqual([]);
    expect(h.events('Batch Job Submitted')).toEqual([]);
    expect(h.event('Campaign Completed')).toMatchObject({
      outcome: 'Failed',
      field: 'budget.maxUsd',
      reason: expect.stringMatching(/^budget\.maxUsd: the run is estimated at \$0\.75\d* over 3 targets/),
      targets: [{ outcome: 'NotStarted' }, { outcome: 'NotStarted' }, { outcome: 'NotStarted' }],
    });
    for (const key of taggingLayout.logs) expect(tagsOf(h, key)).toEqual([]);
  });

  it('reports an invalid campaign as Failed naming the field, starting nothing', async () => {
    // Prepare
    const h = await harnesses.start();
    const campaign = aTaggingCampaign();
    campaign.targets[2]!.name = 'logs';

    // Act
    const run = await runCampaign(h, { campaign, scheduledTime });

    // Assess
    expect(run.error).toBe('CampaignFailed');
    expect(h.event('Campaign Completed')).toMatchObject({
      outcome: 'Failed',
      field: 'targets[2].name',
      targets: [],
    });
    expect(await batchJobExecutions(h)).toEqual([]);
  });

  it('rejects an input that names no campaign run, claiming nothing', async () => {
    // Prepare
    const h = await harnesses.start();

    // Act
    const run = await runCampaign(h, { campaign: { name: 'Not A Name' } });

    // Assess
    expect(run.status).toBe('FAILED');
    expect(run.error).toBe('CampaignRejected');
    expect(run.statesEntered).toEqual(['ClaimRun', 'CampaignRejected']);
    expect(h.events()).toEqual([]);
    expect([...h.aws.s3.backend.listObjectVersions(h.project.stateBucket, 'campaign-runs/')]).toEqual([]);
  });
});
