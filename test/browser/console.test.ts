/**
 * The local console in headless Debian Chromium: a job's progress bar reaches 100 %, the execution graph
 * highlights FetchReport, a cancel from the page cancels a slow job; screenshots go to docs/console/.
 */
import { mkdirSync } from 'node:fs';
import { type Browser, chromium, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  aTaggingCampaign,
  campaignMachineArn,
  runCampaign,
  seedTaggingLayout,
} from '../workflow/campaign-helpers.js';
import { type Harness, seededManifest, startSeededHarness, taggingRequest } from '../workflow/harness.js';

const SCREENSHOTS = 'docs/console';
let browser: Browser;
let h: Harness;
let page: Page;

beforeAll(async () => {
  browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--no-sandbox'] });
  // 20 tasks per emulated second at ×20: 200 objects take about half a real second per 100 tasks, watchable.
  ({ h } = await startSeededHarness(200, { timeScale: 20, engine: { tasksPerSecond: 20 } }));
  page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
  mkdirSync(SCREENSHOTS, { recursive: true });
});

afterAll(async () => {
  await browser?.close();
  await h?.stop();
});

describe('the local console', () => {
  it("shows a job's progress bar reaching 100 % and the execution graph highlighting FetchReport", async () => {
    const run = h.run(taggingRequest(seededManifest), 'console-job', 90_000);
    await page.goto(`${h.aws.url}/_console/#jobs`);
    const bar = page.locator('tr[data-job] [role=progressbar]').first();
    await bar.waitFor({ timeout: 20_000 });
    await expect
      .poll(async () => bar.getAttribute('aria-valuenow'), { timeout: 60_000, interval: 200 })
      .toBe('100');
    await page.screenshot({ path: `${SCREENSHOTS}/jobs.png`, fullPage: true });
    expect((await run).status).toBe('SUCCEEDED');

    await page.goto(`${h.aws.url}/_console/#executions`);
    await page.locator('[data-execution]').first().click();
    const fetchReport = page.locator('svg g.node[data-state="FetchReport"]');
    await expect
      .poll(async () => fetchReport.getAttribute('class'), { timeout: 10_000 })
      .toContain('visited');
    expect(await page.locator('svg g.node[data-state="ConfirmJob"]').getAttribute('class')).not.toContain(
      'visited',
    );
    await page.screenshot({ path: `${SCREENSHOTS}/executions.png`, fullPage: true });
  });

  it('cancels a slow job from the page through S3 Control', async () => {
    // Held in Suspended until someone confirms it: the page can cancel it however slow the machine is.
    const run = h.run(
      taggingRequest(seededManifest, { priority: 5, confirmationRequired: true }),
      'console-slow',
      90_000,
    );
    await page.goto(`${h.aws.url}/_console/#jobs`);
    const slowJobId = await eventuallyRunningJob();
    await page.locator(`tr[data-job="${slowJobId}"] button[data-action=cancel]`).click();
    await expect
      .poll(() => h.aws.s3control.engine.jobs().find((job) => job.JobId === slowJobId)?.Status, {
        timeout: 20_000,
      })
      .toMatch(/^Cancell(ing|ed)$/);
    const job = h.aws.s3control.engine.jobs().find((j) => j.JobId === slowJobId)!;
    expect(job.StatusUpdateReason).toBe('Cancelled in the local console');
    expect((await run).status).toBe('FAILED');
  });

  it("shows a campaign run's targets, each with its job's progress bar reaching 100 %", async () => {
    seedTaggingLayout(h);
    const run = runCampaign(
      h,
      { campaign: aTaggingCampaign() },
      { name: 'console-campaign', timeoutMs: 90_000 },
    );
    await page.goto(`${h.aws.url}/_console/#campaigns`);
    const targets = page.locator('.campaign-run[data-run="console-campaign"] tr.target');
    await expect.poll(() => targets.count(), { timeout: 60_000, interval: 250 }).toBe(3);
    const bars = targets.locator('[role=progressbar]');
    await expect
      .poll(async () => Promise.all((await bars.all()).map((bar) => bar.getAttribute('aria-valuenow'))), {
        timeout: 60_000,
        interval: 250,
      })
      .toEqual(['100', '100', '100']);
    expect((await run).status).toBe('SUCCEEDED');
    await expect
      .poll(() => page.locator('.campaign-run[data-run="console-campaign"] h3').textContent(), {
        timeout: 10_000,
      })
      .toContain('3/3 targets ended');
  });

  it('renders the events, objects and campaigns pages, a schedule with its next run', async () => {
    const campaign = aTaggingCampaign();
    h.aws.scheduler.createSchedule({
      Name: campaign.name,
      ScheduleExpression: campaign.schedule.expression,
      ScheduleExpressionTimezone: campaign.schedule.timezone,
      FlexibleTimeWindow: { Mode: 'OFF' },
      Target: {
        Arn: campaignMachineArn(h),
        RoleArn: `arn:aws:iam::${h.aws.accountId}:role/campaign-scheduler`,
        Input: JSON.stringify({ campaign, trigger: 'schedule' }),
      },
    });
    for (const name of ['events', 'objects', 'campaigns']) {
      await page.goto(`${h.aws.url}/_console/#${name}`);
      await page.waitForSelector(`body[data-rendered="${name}"]`, { timeout: 10_000 });
      await page.screenshot({ path: `${SCREENSHOTS}/${name}.png`, fullPage: true });
    }
    expect(await page.locator('#error').textContent()).toBe('');
    // The campaigns page was rendered last: its schedule row shows the next Sunday 03:00, Paris time.
    const schedule = page.locator('tr', { hasText: `default/${campaign.name}` });
    expect(await schedule.textContent()).toMatch(/\d{4}-\d{2}-\d{2}T\d{2}:00:00\.000Z/);
  });
});

/** The id of the second run's job, once the page offers to cancel it. */
async function eventuallyRunningJob(): Promise<string> {
  let jobId: string | undefined;
  await expect
    .poll(
      () => {
        jobId = h.aws.s3control.engine
          .jobs()
          .find(
            (job) => job.Priority === 5 && !['Complete', 'Cancelled', 'Failed'].includes(job.Status),
          )?.JobId;
        return jobId !== undefined;
      },
      { timeout: 20_000 },
    )
    .toBe(true);
  await page.locator(`tr[data-job="${jobId}"] button[data-action=cancel]`).waitFor({ timeout: 10_000 });
  return jobId!;
}
