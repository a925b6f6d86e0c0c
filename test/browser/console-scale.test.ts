/**
 * The console with 1,000 jobs and 10,000 events: every page renders one page of them. The render time is
 * printed (issue 13 asks for under 1 s); the assertion is only a sanity bound, timing is not a test's job.
 */
import { CreateJobCommand, S3ControlClient } from '@aws-sdk/client-s3-control';
import { type Browser, chromium } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Harness, seededManifest, startSeededHarness } from '../workflow/harness.js';

const JOBS = 1_000;
const EVENTS = 10_000;
let browser: Browser;
let h: Harness;

beforeAll(async () => {
  browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--no-sandbox'] });
  ({ h } = await startSeededHarness(3));
  const etag = h.aws.s3.backend.headObject(seededManifest).etag;
  const client = new S3ControlClient({
    region: h.aws.region,
    endpoint: h.aws.url,
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
    // No `<account>.` host prefix: a loopback IP cannot take one.
    endpointProvider: () => ({ url: new URL(h.aws.url) }),
  });
  // ConfirmationRequired keeps every job Suspended: the seed costs requests, not task work.
  for (let i = 0; i < JOBS; i++) {
    await client.send(
      new CreateJobCommand({
        AccountId: h.aws.accountId,
        ConfirmationRequired: true,
        ClientRequestToken: `seed-${i}`,
        Priority: i % 100,
        RoleArn: `arn:aws:iam::${h.aws.accountId}:role/batch`,
        Operation: { S3PutObjectTagging: { TagSet: [{ Key: 'k', Value: 'v' }] } },
        Manifest: {
          Spec: { Format: 'S3BatchOperations_CSV_20180820', Fields: ['Bucket', 'Key'] },
          Location: { ObjectArn: `arn:aws:s3:::${seededManifest.bucket}/${seededManifest.key}`, ETag: etag },
        },
        Report: { Enabled: false },
      }),
    );
  }
  client.destroy();
  for (let i = 0; i < EVENTS; i += 10) {
    h.aws.events.putEvents(
      Array.from({ length: 10 }, (_, j) => ({
        Source: 'console.seed',
        DetailType: j % 2 === 0 ? 'Seed Even' : 'Seed Odd',
        Detail: JSON.stringify({ n: i + j }),
        EventBusName: h.project.busName,
      })),
    );
  }
}, 240_000);

afterAll(async () => {
  await browser?.close();
  await h?.stop();
});

describe('the local console at scale', () => {
  it.each(['jobs', 'executions', 'campaigns', 'events', 'objects'])(
    'renders the %s page paged',
    async (name) => {
      const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
      const started = Date.now();
      await page.goto(`${h.aws.url}/_console/#${name}`);
      await page.waitForSelector(`body[data-rendered="${name}"]`, { timeout: 10_000 });
      const elapsed = Date.now() - started;
      console.log(`console ${name} page rendered in ${elapsed} ms (${JOBS} jobs, ${EVENTS}+ events)`);
      expect(elapsed).toBeLessThan(5_000);
      if (name === 'jobs') {
        expect(await page.locator('tr[data-job]').count()).toBe(50);
        expect(await page.locator('h2').first().textContent()).toBe(`Jobs (${JOBS})`);
      }
      if (name === 'events') expect(await page.locator('tr.event').count()).toBe(50);
      await page.close();
    },
  );
});
