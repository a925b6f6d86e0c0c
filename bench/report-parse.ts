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
 * Every timed pass runs in a fresh `node` process of its own (report-parse-pass.ts, bundled with esbuild), timed
 * inside the child from opening the file to the last count, so no parser pays for the heap another pass left in
 * a shared process, and each starts with a cold JIT. The raw-scan/product/uDSV/PapaParse comparison is run RUNS
 * times (each the fastest of REPEATS passes taking turns, page cache warm) and the median ratios reported, since
 * the raw scan alone swings ~2x on a shared machine; taking turns within a run keeps a change of load from
 * favouring whichever parser ran in a calm spell. Wall-clock time is the headline; each child's CPU time is
 * logged beside it. Peak RSS on 10,000,000 rows is measured in a fresh child process under plain `node`, from an
 * esbuild bundle of report-parse-rss.ts (tsx's loader and its worker thread would add ~30 MiB that is not the
 * parser's), with the child's heap, external and ArrayBuffer peaks to say what the RSS holds. MB here are MiB.
 */
import { execFile } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { type Benchmark, type Figure, round } from './benchmark.js';
import { failedRows, writeReport } from './report-parse-data.js';
import { bundlePassScript, type PassChildResult, type PassName } from './report-parse-pass.js';
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
  /** Highest VmHWM of the product's child processes (1M rows, node's own ~45 MiB included). */
  peakRssMb: number;
  /** Best run's ratio (kept for continuity); the headline is medianVsRawScan. */
  vsRawScan: number;
  medianVsRawScan: number;
  /** Per run: ratios, MiB/s and CPU ms of its fastest passes, keyed "1".."3" (figures have no arrays). */
  runs: Record<
    string,
    {
      vsRawScan: number;
      vsFastestCsv: number;
      mbPerSec: number;
      rawScanMbPerSec: number;
      fastestCsvMbPerSec: number;
      /** CPU time (all threads) of the fastest pass of each, in its child. */
      productCpuMs: number;
      fastestCsvCpuMs: number;
      rawScanCpuMs: number;
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

/** Runs one pass in a fresh `node` process and checks what it counted. */
async function runPass(script: string, pass: PassName, path: string): Promise<PassChildResult> {
  const { stdout } = await promisify(execFile)(process.execPath, [script, pass, path], { timeout: 120_000 });
  const child = JSON.parse(stdout) as PassChildResult;
  checkCounts(child);
  return child;
}

/** Every parser must have split the quoted multi-line messages right; the raw scan counts physical lines. */
function checkCounts(child: PassChildResult): void {
  const ok =
    child.pass === 'raw scan'
      ? child.rows > ROWS
      : child.rows === ROWS &&
        child.failed === failedRows(ROWS) &&
        (child.pass !== 'product' || child.permanentFailures === failedRows(ROWS));
  if (!ok) {
    throw new Error(
      `report-parse: ${child.pass} counted ${child.rows}/${child.failed}` +
        (child.pass === 'product'
          ? ` (${child.permanentFailures} PermanentFailure, both column orders)`
          : ''),
    );
  }
}

/** Keeps the fastest pass (its CPU time with it) and the highest peak RSS seen across passes. */
class Best {
  ms = Number.POSITIVE_INFINITY;
  cpuMs = Number.POSITIVE_INFINITY;
  maxRssMb = 0;
  add(run: { ms: number; cpuMs: number; maxRssMb: number }): void {
    if (run.ms < this.ms) {
      this.ms = run.ms;
      this.cpuMs = run.cpuMs;
    }
    this.maxRssMb = Math.max(this.maxRssMb, run.maxRssMb);
  }
}

/** The passes of the headline comparison, in the order each pass of a run takes its turn. */
const compared = ['raw scan', 'product', 'uDSV', 'PapaParse'] as const satisfies readonly PassName[];

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
      const script = await bundlePassScript(dir);
      const best = Object.fromEntries(compared.map((name) => [name, new Best()])) as Record<
        (typeof compared)[number],
        Best
      >;
      const runs: ReportParseResult['runs'] = {};
      for (let run = 1; run <= RUNS; run++) {
        const inRun = Object.fromEntries(compared.map((name) => [name, new Best()])) as typeof best;
        // All four in turn within each pass, so a change in the machine's load hits them alike.
        for (let pass = 0; pass < REPEATS; pass++) {
          for (const name of compared) inRun[name].add(await runPass(script, name, path));
        }
        for (const name of compared) best[name].add(inRun[name]);
        const product = inRun.product;
        const raw = inRun['raw scan'];
        const fastestCsv = inRun.uDSV.ms <= inRun.PapaParse.ms ? inRun.uDSV : inRun.PapaParse;
        const vs = raw.ms / product.ms;
        runs[String(run)] = {
          vsRawScan: round(vs, 3),
          vsFastestCsv: round(fastestCsv.ms / product.ms, 2),
          mbPerSec: round(mbps(product.ms), 1),
          rawScanMbPerSec: round(mbps(raw.ms), 1),
          fastestCsvMbPerSec: round(mbps(fastestCsv.ms), 1),
          productCpuMs: Math.round(product.cpuMs),
          fastestCsvCpuMs: Math.round(fastestCsv.cpuMs),
          rawScanCpuMs: Math.round(raw.cpuMs),
        };
        log(
          `run ${run}: product ${mbps(product.ms).toFixed(0)} MiB/s, raw scan ${mbps(raw.ms).toFixed(0)} MiB/s ` +
            `(${vs.toFixed(3)}x), uDSV ${mbps(inRun.uDSV.ms).toFixed(0)} MiB/s, PapaParse ` +
            `${mbps(inRun.PapaParse.ms).toFixed(0)} MiB/s (${(fastestCsv.ms / product.ms).toFixed(2)}x the faster); ` +
            `CPU ms of those passes: raw scan ${raw.cpuMs.toFixed(0)}, product ${product.cpuMs.toFixed(0)}, ` +
            `uDSV ${inRun.uDSV.cpuMs.toFixed(0)}, PapaParse ${inRun.PapaParse.cpuMs.toFixed(0)}`,
        );
      }
      const medianVsRawScan = median(Object.values(runs).map((r) => r.vsRawScan));
      const vsFastestCsv = median(Object.values(runs).map((r) => r.vsFastestCsv));
      log(`median vs raw scan ${medianVsRawScan}x, vs the faster of uDSV and PapaParse ${vsFastestCsv}x`);
      const { product, 'raw scan': raw, uDSV: udsv, PapaParse: papa } = best;
      log(`uDSV (best pass)   ${mbps(udsv.ms).toFixed(0)} MiB/s`);
      log(`PapaParse (best)   ${mbps(papa.ms).toFixed(0)} MiB/s`);

      const objects = new Best();
      for (let pass = 0; pass < REPEATS; pass++) objects.add(await runPass(script, 'row objects', path));
      log(`product (rows)     ${mbps(objects.ms).toFixed(0)} MiB/s`);
      const csv = new Best();
      csv.add(await runPass(script, 'csv-parse', path));
      log(`csv-parse          ${mbps(csv.ms).toFixed(0)} MiB/s`);

      const rss10M = await peakRss10M(dir, log);

      const mbPerSec = mbps(product.ms);
      return {
        mbPerSec: round(mbPerSec, 1),
        rowsPerSec: Math.round(ROWS / (product.ms / 1000)),
        peakRssMb: round(product.maxRssMb, 1),
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
    log(`  peak RSS        ${r.peakRssMb} MiB (VmHWM of the product's own node process, 1M rows)`);
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
