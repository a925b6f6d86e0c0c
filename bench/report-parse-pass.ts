/**
 * Child process of the report-parse bench: runs one timed pass over a report file and prints what it counted
 * and how long it took as JSON. Every timed pass (raw scan, product, uDSV, PapaParse, row objects, csv-parse)
 * runs in a fresh process of its own, so none pays for the heap another left behind in a shared bench process
 * (collections there scan ~200 MiB of other passes' survivors), and each starts from the same cold JIT. Run
 * under plain `node` from an esbuild bundle (see `bundlePassScript`), like report-parse-rss.ts, so the tsx
 * loader adds no work to any of them. bench/index.ts imports every bench file, hence the guard.
 */
import { realpathSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { forEachReportRow, parseReportRows } from '../src/core/report/result-rows.js';
import { ReportSummaryBuilder } from '../src/core/report/summary.js';
import { bundleForPlainNode, peakRssMb } from './lib/child-script.js';
import { csvParseRecords, papaParseRecords, rawScan, udsvRecords } from './report-parse-baselines.js';
import { readReport } from './report-parse-data.js';

export const passScript = fileURLToPath(import.meta.url);

/** What one pass counted: records, failed tasks, and for the product the PermanentFailure count. */
export interface PassCounts {
  rows: number;
  failed: number;
  /** Failed tasks whose error code was read as PermanentFailure (product summary only). */
  permanentFailures?: number;
}

/** What the child prints. */
export interface PassChildResult extends PassCounts {
  pass: PassName;
  /** Wall-clock time of the pass, from opening the file to the last count. */
  ms: number;
  /** CPU time (user + system) the process spent during the pass, all threads. */
  cpuMs: number;
  /** VmHWM after the pass (Linux), else getrusage maxRSS. */
  maxRssMb: number;
}

/** The product as fetchReportSummary runs it: row views into ReportSummaryBuilder. */
async function productSummary(path: string): Promise<PassCounts> {
  const summary = new ReportSummaryBuilder('bench');
  const rows = await forEachReportRow(readReport(path), (row) => summary.addRow(row));
  const built = summary.build();
  if (built.totalTasks !== rows) throw new Error(`report-parse: summary counted ${built.totalTasks}/${rows}`);
  return { rows, failed: built.failedTasks, permanentFailures: built.byErrorCode['PermanentFailure'] ?? 0 };
}

/** The product materialising every row as an object (`parseReportRows`). */
async function productRowObjects(path: string): Promise<PassCounts> {
  let rows = 0;
  let failed = 0;
  let chars = 0;
  for await (const row of parseReportRows(readReport(path))) {
    rows++;
    if (row.taskStatus !== 'succeeded') failed++;
    chars += row.key.length + row.resultMessage.length;
  }
  if (chars === 0) throw new Error('report-parse: rows were empty');
  return { rows, failed };
}

/** Raw scan counts lines only; every generated row is one line plus the newlines inside failed messages. */
async function rawScanCounts(path: string): Promise<PassCounts> {
  return { rows: await rawScan(path), failed: 0 };
}

export const passes = {
  'raw scan': rawScanCounts,
  product: productSummary,
  uDSV: udsvRecords,
  PapaParse: papaParseRecords,
  'row objects': productRowObjects,
  'csv-parse': csvParseRecords,
} satisfies Record<string, (path: string) => Promise<PassCounts>>;

export type PassName = keyof typeof passes;

/** Bundles this script (with the product parser and the baselines) into `dir`; resolves with its path. */
export const bundlePassScript = (dir: string): Promise<string> =>
  bundleForPlainNode(passScript, join(dir, 'report-parse-pass.mjs'));

async function main(pass: string, path: string): Promise<void> {
  if (!Object.hasOwn(passes, pass)) throw new Error(`report-parse-pass: unknown pass ${pass}`);
  const name = pass as PassName;
  const cpu = process.cpuUsage();
  const started = performance.now();
  const counts = await passes[name](path);
  const ms = performance.now() - started;
  const used = process.cpuUsage(cpu);
  const result: PassChildResult = {
    pass: name,
    ...counts,
    ms,
    cpuMs: (used.user + used.system) / 1000,
    maxRssMb: peakRssMb(),
  };
  process.stdout.write(`${JSON.stringify(result)}\n`);
}

const entry = process.argv[1];
if (entry !== undefined && realpathSync(entry) === realpathSync(passScript)) {
  const [pass, path] = process.argv.slice(2);
  if (pass === undefined || path === undefined) {
    throw new Error('usage: node report-parse-pass.mjs <pass> <report.csv>');
  }
  await main(pass, path);
}
