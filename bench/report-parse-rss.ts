/**
 * Child process of the report-parse bench: summarises one report file with the product path and prints its
 * peak RSS and what made it up as JSON. Run in a fresh process so the peak RSS is the parse's own, not the
 * bench's (which holds other passes' garbage), and under plain `node` from an esbuild bundle (see
 * `bundleRssScript`), so the tsx loader and its worker thread are not counted. bench/index.ts imports
 * every bench file, hence the guard.
 */
import { realpathSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { forEachReportRow } from '../src/core/report/result-rows.js';
import { ReportSummaryBuilder } from '../src/core/report/summary.js';
import { bundleForPlainNode, peakRssMb } from './lib/child-script.js';
import { readReport } from './report-parse-data.js';

export const rssScript = fileURLToPath(import.meta.url);

const MiB = 1024 * 1024;

/** What the child prints: counts to check, peak RSS before and after the parse, and its memory at the peaks. */
export interface RssChildResult {
  rows: number;
  failed: number;
  /** Peak RSS once the script is loaded, before the report is opened: the runtime's own floor. */
  startMaxRssMb: number;
  maxRssMb: number;
  /** getrusage's maxRSS, for comparison: on Linux it keeps the high-water mark of the forked parent. */
  ruMaxRssMb: number;
  /** The highest of each `process.memoryUsage()` figure sampled every 20 ms during the parse. */
  peakHeapTotalMb: number;
  peakHeapUsedMb: number;
  peakExternalMb: number;
  peakArrayBuffersMb: number;
}

/** Bundles this script (with the product parser) into `dir` for plain `node`; resolves with the bundle's path. */
export const bundleRssScript = (dir: string): Promise<string> =>
  bundleForPlainNode(rssScript, join(dir, 'report-parse-rss.mjs'));

async function main(path: string): Promise<void> {
  const startMaxRssMb = peakRssMb();
  const peak = { heapTotal: 0, heapUsed: 0, external: 0, arrayBuffers: 0 };
  const sample = (): void => {
    const usage = process.memoryUsage();
    peak.heapTotal = Math.max(peak.heapTotal, usage.heapTotal);
    peak.heapUsed = Math.max(peak.heapUsed, usage.heapUsed);
    peak.external = Math.max(peak.external, usage.external);
    peak.arrayBuffers = Math.max(peak.arrayBuffers, usage.arrayBuffers);
  };
  const timer = setInterval(sample, 20);
  const summary = new ReportSummaryBuilder('bench-rss');
  const rows = await forEachReportRow(readReport(path), (row) => summary.addRow(row));
  clearInterval(timer);
  sample();
  const built = summary.build();
  const result: RssChildResult = {
    rows,
    failed: built.failedTasks,
    startMaxRssMb,
    maxRssMb: peakRssMb(),
    // maxRSS is in KiB (getrusage).
    ruMaxRssMb: process.resourceUsage().maxRSS / 1024,
    peakHeapTotalMb: peak.heapTotal / MiB,
    peakHeapUsedMb: peak.heapUsed / MiB,
    peakExternalMb: peak.external / MiB,
    peakArrayBuffersMb: peak.arrayBuffers / MiB,
  };
  process.stdout.write(`${JSON.stringify(result)}\n`);
}

const entry = process.argv[1];
if (entry !== undefined && realpathSync(entry) === realpathSync(rssScript)) {
  const path = process.argv[2];
  if (path === undefined) throw new Error('usage: node report-parse-rss.mjs <report.csv>');
  await main(path);
}
