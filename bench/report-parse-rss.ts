/**
 * Child process of the report-parse bench: summarises one report file with the product path and prints
 * `{ rows, maxRssMb }` as JSON. Run in a fresh process so the peak RSS is the parse's own, not the
 * bench's (which holds other passes' garbage). bench/index.ts imports every bench file, hence the guard.
 */
import { realpathSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { forEachReportRow } from '../src/core/report/result-rows.js';
import { ReportSummaryBuilder } from '../src/core/report/summary.js';
import { readReport } from './report-parse-baselines.js';

export const rssScript = fileURLToPath(import.meta.url);

async function main(path: string): Promise<void> {
  const summary = new ReportSummaryBuilder('bench-rss');
  const rows = await forEachReportRow(readReport(path), (row) => summary.addRow(row));
  const built = summary.build();
  // maxRSS is in KiB (getrusage).
  const maxRssMb = process.resourceUsage().maxRSS / 1024;
  process.stdout.write(`${JSON.stringify({ rows, failed: built.failedTasks, maxRssMb })}\n`);
}

const entry = process.argv[1];
if (entry !== undefined && realpathSync(entry) === realpathSync(rssScript)) {
  const path = process.argv[2];
  if (path === undefined) throw new Error('usage: tsx bench/report-parse-rss.ts <report.csv>');
  await main(path);
}
