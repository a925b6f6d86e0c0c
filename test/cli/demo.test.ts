/**
 * `s3bo demo` (what `npm start` runs) and `s3bo demo --campaign` (`npm start -- --campaign`), in-process:
 * each starts its own in-memory local AWS, and must end with what it says it shows.
 */
import { describe, expect, it } from 'vitest';
import { fakeIo, s3bo } from './helpers.js';

/** Real pauses between polls: the demo's local AWS runs in this process. */
function pausingIo() {
  const fake = fakeIo();
  fake.onSleep = () => new Promise((resolve) => setTimeout(resolve, 10));
  return fake;
}

describe('s3bo demo', () => {
  it('tags the seeded objects through the batch-job workflow: a partial failure from the restricted prefix', async () => {
    // Act
    const result = await s3bo(['demo', '--objects', '400', '--time-scale', '600'], { fake: pausingIo() });
    // Assess: 2 of 400 keys are under restricted/ (1 in 200), refused by the demo's fault configuration
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toMatch(/Outcome\s+PartialFailure/);
    expect(result.stdout).toContain('Batch Job Completed');
  }, 60_000);

  it('--campaign: both campaigns fire from their schedules; tagging and restore-then-copy succeed', async () => {
    // Act
    const result = await s3bo(['demo', '--campaign'], { fake: pausingIo() });
    // Assess
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toMatch(/weekly-tagging: the Scheduler started arn:aws:states:/);
    expect(result.stdout).toMatch(/archive-restore: the Scheduler started arn:aws:states:/);
    expect(result.stdout.match(/^Outcome\s+Succeeded$/gm)).toHaveLength(2);
    expect(result.stdout).toMatch(/^logs\s+Succeeded\s+\S+\s+120\s+120\s+0\s/m);
    expect(result.stdout).toMatch(/^ledgers\s+Succeeded\s+\S+\s+30\s+30\s+0\s.*30 \/ 0$/m);
    expect(result.stdout).toMatch(/Campaign Phase Completed\s+archive-restore\s+ledgers\s+then Succeeded/);
  }, 90_000);
});
