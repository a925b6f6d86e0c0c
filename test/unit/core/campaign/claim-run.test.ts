import { describe, expect, it } from 'vitest';
import { claimCampaignRun } from '../../../../src/core/campaign/claim-run.js';
import { ConfigurationError, RequestValidationError } from '../../../../src/core/errors.js';
import { aCampaign, aCampaignExecution } from '../../../builders/campaign.js';
import { MemoryObjectStore } from '../../../doubles/memory-ports.js';

const stateBucket = 'state';
const clock = { now: () => new Date('2026-03-01T02:00:09.000Z') };
const scheduled = { campaign: aCampaign(), scheduledTime: '2026-03-01T02:00:00Z', trigger: 'schedule' };
const otherExecution = {
  ...aCampaignExecution,
  arn: `${aCampaignExecution.arn.slice(0, -1)}2`,
  name: 'run-2',
};

function claim(objects: MemoryObjectStore, input: unknown, execution = aCampaignExecution) {
  return claimCampaignRun({ objects, stateBucket, clock }, { input, execution });
}

describe('claimCampaignRun', () => {
  it('names the run after the campaign and its scheduled minute, and claims it in the state bucket', async () => {
    // Prepare
    const objects = new MemoryObjectStore();

    // Act
    const run = await claim(objects, scheduled);

    // Assess
    expect(run).toEqual({
      runId: 'weekly-tagging-20260301T0200Z',
      campaign: 'weekly-tagging',
      scheduledTime: '2026-03-01T02:00:00.000Z',
      trigger: 'schedule',
      claimKey: 'campaign-runs/weekly-tagging/weekly-tagging-20260301T0200Z.json',
      duplicate: false,
      claimedBy: aCampaignExecution.arn,
    });
    const saved = JSON.parse(objects.objects.get(`${stateBucket}/${run.claimKey}`)!.toString('utf8'));
    expect(saved).toEqual({
      runId: run.runId,
      campaign: 'weekly-tagging',
      scheduledTime: '2026-03-01T02:00:00.000Z',
      trigger: 'schedule',
      executionArn: aCampaignExecution.arn,
      claimedAt: '2026-03-01T02:00:09.000Z',
    });
  });

  it('makes a second execution for the same scheduled time a duplicate, naming the owner, and leaves the claim', async () => {
    // Prepare
    const objects = new MemoryObjectStore();
    const first = await claim(objects, scheduled);
    const saved = objects.objects.get(`${stateBucket}/${first.claimKey}`);

    // Act: a Scheduler retry a few seconds later
    const second = await claim(
      objects,
      { ...scheduled, scheduledTime: '2026-03-01T02:00:30Z' },
      otherExecution,
    );

    // Assess
    expect(second).toMatchObject({ runId: first.runId, duplicate: true, claimedBy: aCampaignExecution.arn });
    expect(objects.objects.get(`${stateBucket}/${first.claimKey}`)).toEqual(saved);
  });

  it('lets the owning execution claim again (a retried ClaimRun), not as a duplicate', async () => {
    // Prepare
    const objects = new MemoryObjectStore();
    await claim(objects, scheduled);

    // Act
    const again = await claim(objects, scheduled);

    // Assess
    expect(again.duplicate).toBe(false);
  });

  it('runs another scheduled time, and another campaign at the same time, as runs of their own', async () => {
    // Prepare
    const objects = new MemoryObjectStore();
    await claim(objects, scheduled);

    // Act
    const nextWeek = await claim(
      objects,
      { ...scheduled, scheduledTime: '2026-03-08T02:00:00Z' },
      otherExecution,
    );
    const other = await claim(
      objects,
      { ...scheduled, campaign: aCampaign({ name: 'other' }) },
      otherExecution,
    );

    // Assess
    expect([nextWeek.duplicate, other.duplicate]).toEqual([false, false]);
    expect([nextWeek.runId, other.runId]).toEqual(['weekly-tagging-20260308T0200Z', 'other-20260301T0200Z']);
  });

  it("names a manual run without a scheduled time after its execution's start", async () => {
    // Act
    const run = await claim(new MemoryObjectStore(), { campaign: aCampaign(), trigger: 'manual' });

    // Assess
    expect(run).toMatchObject({
      runId: 'weekly-tagging-20260301T0200Z',
      trigger: 'manual',
      scheduledTime: aCampaignExecution.startTime,
    });
  });

  it('refuses a claim the workflow did not write, starting nothing', async () => {
    // Prepare
    const objects = new MemoryObjectStore();
    objects.put(stateBucket, 'campaign-runs/weekly-tagging/weekly-tagging-20260301T0200Z.json', 'not json');

    // Act / Assess
    await expect(claim(objects, scheduled)).rejects.toThrow('names no claiming execution');
  });

  it.each([
    ['null', null, 'input'],
    ['no campaign', { trigger: 'manual' }, 'campaign'],
    ['a campaign without a usable name', { campaign: { name: 'Bad Name' } }, 'campaign.name'],
    ['an unknown trigger', { campaign: aCampaign(), trigger: 'cron' }, 'trigger'],
    ['a bad scheduled time', { campaign: aCampaign(), scheduledTime: 'sunday' }, 'scheduledTime'],
    ['a scheduled run without its time', { campaign: aCampaign(), trigger: 'schedule' }, 'scheduledTime'],
    ['an unknown field', { ...scheduled, runId: 'x' }, 'runId'],
  ])('refuses %s, naming the field, before claiming anything', async (_case, input, field) => {
    // Prepare
    const objects = new MemoryObjectStore();

    // Act
    const claimed = claim(objects, input);

    // Assess
    await expect(claimed).rejects.toBeInstanceOf(RequestValidationError);
    await expect(claimed).rejects.toMatchObject({ field });
    expect(objects.objects.size).toBe(0);
  });

  it('needs the state bucket', async () => {
    await expect(
      claimCampaignRun(
        { objects: new MemoryObjectStore(), stateBucket: undefined, clock },
        { input: scheduled, execution: aCampaignExecution },
      ),
    ).rejects.toBeInstanceOf(ConfigurationError);
  });
});
