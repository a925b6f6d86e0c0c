/**
 * The local console in headless Debian Chromium: a job's progress bar reaches 100 %, the execution graph
 * highlights FetchReport, a cancel from the page cancels a slow job; screenshots go to docs/console/.
 */
import { mkdirSync } from 'node:fs';
import { type Browser, chromium, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
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
    const run = h.run(taggingRequest(seededManifest, { priority: 5 }), 'console-slow', 90_000);
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

  it('renders the events, objects and campaigns pages', async () => {
    for (const name of ['events', 'objects', 'campaigns']) {
      await page.goto(`${h.aws.url}/_console/#${name}`);
      await page.waitForSelector(`body[data-rendered="${name}"]`, { timeout: 10_000 });
      await page.screenshot({ path: `${SCREENSHOTS}/${name}.png`, fullPage: true });
    }
    expect(await page.locator('#error').textContent()).toBe('');
  });
});

/** The id of a job of the second run while it is still cancellable. */
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
