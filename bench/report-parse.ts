/**
 * Completion-report parsing throughput. Generates a 1,000,000-row result CSV in the shape S3 Batch
 * Operations writes (no header; AWS's column order with the HTTP status before the error code on most
 * failed rows, the schema order on some; URL-encoded keys; long quoted messages with commas, escaped
 * quotes and newlines), then reads the same file, through the same `fs.createReadStream` settings, with:
 *
 * - raw scan: counting 0x0A bytes with Buffer#indexOf — the floor: reading the bytes and nothing more;
 * - the product parser as fetchReportSummary uses it (row views feeding ReportSummaryBuilder);
 * - the product parser materialising every row as an object (`parseReportRows`);
 * - uDSV and PapaParse (the fastest general-purpose JS CSV parsers installed; the faster is the baseline)
 *   and csv-parse, all streaming, each counting records and failed tasks (checked against the generator).
 *
 * The raw-scan/product/uDSV/PapaParse comparison is run RUNS times (each the fastest of REPEATS passes taking
 * turns, page cache warm) and the median ratios reported, since the raw scan alone swings ~2x on a shared
 * machine; taking turns within a run keeps a change of load from favouring whichever parser ran in a calm spell.
 * Peak RSS on 10,000,000 rows is measured in a fresh child process under plain `node`, from an esbuild bundle
 * of report-parse-rss.ts (tsx's loader and its worker thread would add ~30 MiB that is not the parser's),
 * with the child's heap, external and ArrayBuffer peaks to say what the RSS holds. MB here are MiB.
 */
import { execFile } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { forEachReportRow, parseReportRows } from '../src/core/report/result-rows.js';
import { ReportSummaryBuilder } from '../src/core/report/summary.js';
import { type Benchmark, type Figure, round } from './benchmark.js';
import {
  type CsvCounts,
  csvParseRecords,
  papaParseRecords,
  rawScan,
  udsvRecords,
} from './report-parse-baselines.js';
import { failedRows, readReport, writeReport } from './report-parse-data.js';
import { bundleRssScript, type RssChildResult } from './report-parse-rss.js';

const ROWS = 1_000_000;
const ROWS_10M = 10_000_000;
/** Independent runs of the raw-scan/product comparison; the median ratio is the headline. */
const RUNS = 3;
/** Passes per run (fastest kept), alternating raw scan and product so both see the same load. */
const REPEATS = 3;
const MiB = 1024 * 1024;

export interface ReportParseResult extends Record<string, Figure> {
  mbPerSec: number;
  rowsPerSec: number;
  peakRssMb: number;
  /** Best run's ratio (kept for continuity); the headline is medianVsRawScan. */
  vsRawScan: number;
  medianVsRawScan: number;
  /** Per run: `{ vsRawScan, mbPerSec, rawScanMbPerSec }`, keyed "1".."3" (figures have no arrays). */
  runs: Record<
    string,
    {
      vsRawScan: number;
      vsFastestCsv: number;
      mbPerSec: number;
      rawScanMbPerSec: number;
      fastestCsvMbPerSec: number;
    }
  >;
  /** Median over the runs of (faster of uDSV and PapaParse in that run) / product in that run. */
  vsFastestCsv: number;
  fastestCsv: string;
  udsvMbPerSec: number;
  papaParseMbPerSec: number;
  vsCsvParse: number;
  csvParseMbPerSec: number;
  rowObjectsMbPerSec: number;
  rowObjectsVsRawScan: number;
  rawScanMbPerSec: number;
  peakRssMb10M: number;
  /** The 10M child's maxRSS before it opened the report (node's own floor), and its peaks during the parse. */
  startRssMb10M: number;
  /** getrusage maxRSS of the same child: on Linux it includes the forked bench's pages, so it reads high. */
  ruMaxRssMb10M: number;
  heapUsedMb10M: number;
  heapTotalMb10M: number;
  externalMb10M: number;
  arrayBuffersMb10M: number;
  fileMb10M: number;
  rssBeforeMb: number;
  fileMb: number;
  rows: number;
}

const median = (values: number[]): number =>
  [...values].sort((x, y) => x - y)[Math.floor(values.length / 2)]!;

/** Generates a 10M-row report and summarises it in a fresh `node` process (its own maxRSS). */
async function peakRss10M(
  dir: string,
  log: (line: string) => void,
): Promise<RssChildResult & { fileMb: number }> {
  const path = join(dir, 'results-10m.csv');
  try {
    const [bytes, script] = await Promise.all([writeReport(path, ROWS_10M), bundleRssScript(dir)]);
    const { stdout } = await promisify(execFile)(process.execPath, [script, path], { timeout: 300_000 });
    const child = JSON.parse(stdout) as RssChildResult;
    if (child.rows !== ROWS_10M || child.failed !== failedRows(ROWS_10M)) {
      throw new Error(`report-parse: 10M child counted ${child.rows}/${child.failed}`);
    }
    log(
      `10M rows (${(bytes / MiB).toFixed(0)} MiB) in a fresh node process: peak RSS ${child.maxRssMb.toFixed(1)} MiB ` +
        `(VmHWM; ${child.startMaxRssMb.toFixed(1)} MiB before opening the report; getrusage maxRSS ` +
        `${child.ruMaxRssMb.toFixed(1)} MiB; peaks: heap used ` +
        `${child.peakHeapUsedMb.toFixed(1)} of ${child.peakHeapTotalMb.toFixed(1)} MiB, external ` +
        `${child.peakExternalMb.toFixed(1)} MiB of which ArrayBuffers ${child.peakArrayBuffersMb.toFixed(1)} MiB)`,
    );
    return { ...child, fileMb: bytes / MiB };
  } finally {
    await rm(path, { force: true });
  }
}

/**
 * Times one pass. Peak RSS is sampled on a 5 ms timer, which fires between chunks; not per chunk, because
 * reading RSS costs a /proc read and would slow the pass being measured.
 */
async function measure<T>(pass: () => Promise<T>): Promise<{ ms: number; peakRss: number; value: T }> {
  peakRss = process.memoryUsage.rss();
  const timer = setInterval(sampleRss, 5);
  try {
    const started = performance.now();
    const value = await pass();
    const ms = performance.now() - started;
    sampleRss();
    return { ms, peakRss, value };
  } finally {
    clearInterval(timer);
  }
}

let peakRss = 0;
function sampleRss(): void {
  const rss = process.memoryUsage.rss();
  if (rss > peakRss) peakRss = rss;
}

/** Keeps the fastest pass and the highest RSS seen across passes. */
class Best<T> {
  ms = Number.POSITIVE_INFINITY;
  peakRss = 0;
  value: T | undefined;
  add(run: { ms: number; peakRss: number; value: T }): void {
    if (run.ms < this.ms) {
      this.ms = run.ms;
      this.value = run.value;
    }
    this.peakRss = Math.max(this.peakRss, run.peakRss);
  }
}

async function productSummary(path: string): Promise<number> {
  const summary = new ReportSummaryBuilder('bench');
  const rows = await forEachReportRow(readReport(path), (row) => summary.addRow(row));
  const built = summary.build();
  if (built.totalTasks !== rows || built.failedTasks !== failedRows(ROWS)) {
    throw new Error(
      `report-parse: summary counted ${built.totalTasks}/${built.failedTasks}, expected ${ROWS}`,
    );
  }
  if (built.byErrorCode['PermanentFailure'] !== failedRows(ROWS)) {
    throw new Error('report-parse: error codes were not read in both column orders');
  }
  return rows;
}

async function productRowObjects(path: string): Promise<number> {
  let rows = 0;
  let keyChars = 0;
  for await (const row of parseReportRows(readReport(path))) {
    rows++;
    keyChars += row.key.length + row.resultMessage.length;
  }
  if (keyChars === 0) throw new Error('report-parse: rows were empty');
  return rows;
}

export const benchmark: Benchmark<ReportParseResult> = {
  name: 'report-parse',

  async run(log) {
    const dir = await mkdtemp(join(tmpdir(), 's3bo-bench-report-'));
    const path = join(dir, 'results.csv');
    try {
      const startedGen = performance.now();
      const bytes = await writeReport(path, ROWS);
      log(
        `generated ${ROWS.toLocaleString('en')} rows, ${(bytes / MiB).toFixed(1)} MiB in ${Math.round(performance.now() - startedGen)} ms`,
      );
      const mb = bytes / MiB;

      const mbps = (ms: number): number => mb / (ms / 1000);
      const rssBefore = process.memoryUsage.rss();
      const product = new Best<number>();
      const raw = new Best<number>();
      const udsv = new Best<CsvCounts>();
      const papa = new Best<CsvCounts>();
      const runs: ReportParseResult['runs'] = {};
      for (let run = 1; run <= RUNS; run++) {
        const runRaw = new Best<number>();
        const runProduct = new Best<number>();
        const runUdsv = new Best<CsvCounts>();
        const runPapa = new Best<CsvCounts>();
        // All four in turn within each pass, so a change in the machine's load hits them alike.
        for (let pass = 0; pass < REPEATS; pass++) {
          runRaw.add(await measure(() => rawScan(path)));
          runProduct.add(await measure(() => productSummary(path)));
          runUdsv.add(await measure(() => udsvRecords(path)));
          runPapa.add(await measure(() => papaParseRecords(path)));
        }
        for (const [all, one] of [
          [raw, runRaw],
          [product, runProduct],
        ] as const) {
          all.add({ ms: one.ms, peakRss: one.peakRss, value: one.value ?? 0 });
        }
        for (const [all, one] of [
          [udsv, runUdsv],
          [papa, runPapa],
        ] as const) {
          all.add({ ms: one.ms, peakRss: one.peakRss, value: one.value ?? { rows: 0, failed: 0 } });
        }
        const vs = runRaw.ms / runProduct.ms;
        const fastestCsvMs = Math.min(runUdsv.ms, runPapa.ms);
        runs[String(run)] = {
          vsRawScan: round(vs, 3),
          vsFastestCsv: round(fastestCsvMs / runProduct.ms, 2),
          mbPerSec: round(mbps(runProduct.ms), 1),
          rawScanMbPerSec: round(mbps(runRaw.ms), 1),
          fastestCsvMbPerSec: round(mbps(fastestCsvMs), 1),
        };
        log(
          `run ${run}: product ${mbps(runProduct.ms).toFixed(0)} MiB/s, raw scan ${mbps(runRaw.ms).toFixed(0)} MiB/s ` +
            `(${vs.toFixed(3)}x), uDSV ${mbps(runUdsv.ms).toFixed(0)} MiB/s, PapaParse ` +
            `${mbps(runPapa.ms).toFixed(0)} MiB/s (${(fastestCsvMs / runProduct.ms).toFixed(2)}x the faster)`,
        );
      }
      const medianVsRawScan = median(Object.values(runs).map((r) => r.vsRawScan));
      const vsFastestCsv = median(Object.values(runs).map((r) => r.vsFastestCsv));
      log(`median vs raw scan ${medianVsRawScan}x, vs the faster of uDSV and PapaParse ${vsFastestCsv}x`);

      log(`uDSV (best pass)   ${mbps(udsv.ms).toFixed(0)} MiB/s`);
      log(`PapaParse (best)   ${mbps(papa.ms).toFixed(0)} MiB/s`);
      // After the product passes, so the garbage of a million row objects does not inflate their RSS.
      const objects = new Best<number>();
      for (let pass = 0; pass < REPEATS; pass++) objects.add(await measure(() => productRowObjects(path)));
      log(`product (rows)     ${mbps(objects.ms).toFixed(0)} MiB/s`);
      const csv = await measure(() => csvParseRecords(path));
      log(`csv-parse          ${mbps(csv.ms).toFixed(0)} MiB/s`);

      for (const [name, count] of [
        ['product rows', objects.value],
        ['product summary rows', product.value],
      ] as const) {
        if (count !== ROWS) throw new Error(`report-parse: ${name} ${count} !== ${ROWS}`);
      }
      for (const [name, counts] of [
        ['csv-parse', csv.value],
        ['uDSV', udsv.value],
        ['PapaParse', papa.value],
      ] as const) {
        if (counts?.rows !== ROWS || counts.failed !== failedRows(ROWS)) {
          throw new Error(`report-parse: ${name} counted ${counts?.rows}/${counts?.failed}`);
        }
      }
      const rss10M = await peakRss10M(dir, log);

      const mbPerSec = mbps(product.ms);
      return {
        mbPerSec: round(mbPerSec, 1),
        rowsPerSec: Math.round(ROWS / (product.ms / 1000)),
        peakRssMb: round(product.peakRss / MiB, 1),
        vsRawScan: round(raw.ms / product.ms, 3),
        medianVsRawScan,
        runs,
        vsFastestCsv,
        fastestCsv: udsv.ms <= papa.ms ? 'uDSV' : 'PapaParse',
        udsvMbPerSec: round(mbps(udsv.ms), 1),
        papaParseMbPerSec: round(mbps(papa.ms), 1),
        vsCsvParse: round(csv.ms / product.ms, 2),
        csvParseMbPerSec: round(mbps(csv.ms), 1),
        rowObjectsMbPerSec: round(mbps(objects.ms), 1),
        rowObjectsVsRawScan: round(raw.ms / objects.ms, 3),
        rawScanMbPerSec: round(mbps(raw.ms), 1),
        peakRssMb10M: round(rss10M.maxRssMb, 1),
        startRssMb10M: round(rss10M.startMaxRssMb, 1),
        ruMaxRssMb10M: round(rss10M.ruMaxRssMb, 1),
        heapUsedMb10M: round(rss10M.peakHeapUsedMb, 1),
        heapTotalMb10M: round(rss10M.peakHeapTotalMb, 1),
        externalMb10M: round(rss10M.peakExternalMb, 1),
        arrayBuffersMb10M: round(rss10M.peakArrayBuffersMb, 1),
        fileMb10M: round(rss10M.fileMb, 0),
        rssBeforeMb: round(rssBefore / MiB, 1),
        fileMb: round(mb, 1),
        rows: ROWS,
      };
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  },

  print(r, log) {
    log(`file              ${r.fileMb} MiB, ${r.rows.toLocaleString('en')} rows`);
    log(
      `product parser    ${r.mbPerSec} MiB/s, ${r.rowsPerSec.toLocaleString('en')} rows/s ` +
        `(row views into ReportSummaryBuilder, as fetchReportSummary runs it)`,
    );
    const runs = Object.entries(r.runs).map(([run, v]) => `run ${run} ${v.vsRawScan}x`);
    const csvRuns = Object.entries(r.runs).map(([run, v]) => `run ${run} ${v.vsFastestCsv}x`);
    log(
      `  vs raw scan     median ${r.medianVsRawScan}x of ${runs.join(', ')} (raw scan best ${r.rawScanMbPerSec} MiB/s)`,
    );
    log(
      `  vs fastest CSV  median ${r.vsFastestCsv}x of ${csvRuns.join(', ')}; best passes: ${r.fastestCsv} ` +
        `(uDSV ${r.udsvMbPerSec} MiB/s, PapaParse ${r.papaParseMbPerSec} MiB/s)`,
    );
    log(`  vs csv-parse    ${r.vsCsvParse}x  (csv-parse ${r.csvParseMbPerSec} MiB/s)`);
    log(
      `  peak RSS        ${r.peakRssMb} MiB in the bench process (before the passes: ${r.rssBeforeMb} MiB)`,
    );
    log(
      `  peak RSS 10M    ${r.peakRssMb10M} MiB, fresh node process, ${r.fileMb10M} MiB file ` +
        `(node alone ${r.startRssMb10M} MiB; heap used ${r.heapUsedMb10M}/${r.heapTotalMb10M} MiB, ` +
        `external ${r.externalMb10M} MiB, ArrayBuffers ${r.arrayBuffersMb10M} MiB)`,
    );
    log(
      `row objects       ${r.rowObjectsMbPerSec} MiB/s, ${r.rowObjectsVsRawScan}x raw scan (parseReportRows)`,
    );
  },
};
