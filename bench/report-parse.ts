/**
 * Completion-report parsing throughput. Generates a 1,000,000-row result CSV in the shape S3 Batch
 * Operations writes (no header; AWS's column order with the HTTP status before the error code on most
 * failed rows, the schema order on some; URL-encoded keys; long quoted messages with commas, escaped
 * quotes and newlines), then reads the same file, through the same `fs.createReadStream` settings, with:
 *
 * - raw scan: counting 0x0A bytes with Buffer#indexOf — the floor: reading the bytes and nothing more;
 * - the product parser as fetchReportSummary uses it (row views feeding ReportSummaryBuilder);
 * - the product parser materialising every row as an object (`parseReportRows`);
 * - csv-parse's streaming API (records as arrays), a general-purpose CSV parser.
 *
 * Each timed pass is repeated and the fastest kept (page cache warm for all). MB here are MiB.
 */
import { once } from 'node:events';
import { createReadStream, createWriteStream } from 'node:fs';
import { mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse as csvParse } from 'csv-parse';
import { forEachReportRow, parseReportRows } from '../src/core/report/result-rows.js';
import { ReportSummaryBuilder } from '../src/core/report/summary.js';
import { type Benchmark, round } from './benchmark.js';

const ROWS = 1_000_000;
const FAILED_EVERY = 5; // 20% failed tasks
const HIGH_WATER_MARK = 64 * 1024;
const REPEATS = 5;
const MiB = 1024 * 1024;

export interface ReportParseResult extends Record<string, number> {
  mbPerSec: number;
  rowsPerSec: number;
  peakRssMb: number;
  vsRawScan: number;
  vsCsvParse: number;
  rowObjectsMbPerSec: number;
  rowObjectsVsRawScan: number;
  rawScanMbPerSec: number;
  csvParseMbPerSec: number;
  rssBeforeMb: number;
  fileMb: number;
  rows: number;
}

/** Small deterministic PRNG (mulberry32), so every run parses the same bytes. */
function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const quote = (text: string): string => `"${text.replaceAll('"', '""')}"`;

function reportRow(i: number, next: () => number): string {
  const folder = ['photos/2024', 'invoices/q%C3%A9bec', 'logs/app%20server', 'raw'][i & 3];
  const key = `${folder}/object%20key%20${i.toString(36)}${i % 7 === 0 ? '%2B%E2%9C%93' : ''}.jpg`;
  const version =
    i % 2 === 0
      ? Math.floor(next() * 2 ** 52)
          .toString(36)
          .padEnd(32, 'x')
      : '';
  if (i % FAILED_EVERY !== 0) return `amzn-s3-demo-bucket,${key},${version},succeeded,200,,Successful\n`;
  const stack = Array.from(
    { length: 2 + Math.floor(next() * 6) },
    (_, n) => `    at handler (/var/task/index.js:${n + 3}:17)`,
  );
  const message =
    `Lambda returned function error: {"errorMessage":"Task ${i} failed, key ${key}: access denied, retry later",` +
    `"errorType":"Error","stackTrace":["${stack.join('",\n"')}"]}`;
  // AWS's own rows put the HTTP status first; a few use the order the ReportSchema names.
  const codes = i % 3 === 0 ? 'PermanentFailure,200' : '200,PermanentFailure';
  return `amzn-s3-demo-bucket,${key},${version},failed,${codes},${quote(message)}\n`;
}

/** Writes rows through 1 MiB buffers, so generating leaves little heap behind to blur the RSS figures. */
async function generate(path: string): Promise<number> {
  const out = createWriteStream(path);
  const next = random(42);
  let block = Buffer.allocUnsafe(MiB);
  let used = 0;
  const flush = async () => {
    if (!out.write(block.subarray(0, used))) await once(out, 'drain');
    block = Buffer.allocUnsafe(MiB);
    used = 0;
  };
  for (let i = 0; i < ROWS; i++) {
    const line = reportRow(i, next);
    if (used + Buffer.byteLength(line) > block.length) await flush();
    used += block.write(line, used);
  }
  await flush();
  out.end();
  await once(out, 'finish');
  return (await stat(path)).size;
}

const read = (path: string) => createReadStream(path, { highWaterMark: HIGH_WATER_MARK });

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

async function rawScan(path: string): Promise<number> {
  let lines = 0;
  for await (const chunk of read(path) as AsyncIterable<Buffer>) {
    let i = chunk.indexOf(0x0a);
    while (i !== -1) {
      lines++;
      i = chunk.indexOf(0x0a, i + 1);
    }
  }
  return lines;
}

async function productSummary(path: string): Promise<number> {
  const summary = new ReportSummaryBuilder('bench');
  const rows = await forEachReportRow(read(path), (row) => summary.addRow(row));
  const built = summary.build();
  if (built.totalTasks !== rows || built.failedTasks !== ROWS / FAILED_EVERY) {
    throw new Error(
      `report-parse: summary counted ${built.totalTasks}/${built.failedTasks}, expected ${ROWS}`,
    );
  }
  if (built.byErrorCode['PermanentFailure'] !== ROWS / FAILED_EVERY) {
    throw new Error('report-parse: error codes were not read in both column orders');
  }
  return rows;
}

async function productRowObjects(path: string): Promise<number> {
  let rows = 0;
  let keyChars = 0;
  for await (const row of parseReportRows(read(path))) {
    rows++;
    keyChars += row.key.length + row.resultMessage.length;
  }
  if (keyChars === 0) throw new Error('report-parse: rows were empty');
  return rows;
}

async function csvParseBaseline(path: string): Promise<number> {
  let records = 0;
  const parser = read(path).pipe(csvParse({ relax_column_count: true }));
  parser.on('data', () => {
    records++;
  });
  await once(parser, 'end');
  return records;
}

export const benchmark: Benchmark<ReportParseResult> = {
  name: 'report-parse',

  async run(log) {
    const dir = await mkdtemp(join(tmpdir(), 's3bo-bench-report-'));
    const path = join(dir, 'results.csv');
    try {
      const startedGen = performance.now();
      const bytes = await generate(path);
      log(
        `generated ${ROWS.toLocaleString('en')} rows, ${(bytes / MiB).toFixed(1)} MiB in ${Math.round(performance.now() - startedGen)} ms`,
      );
      const mb = bytes / MiB;

      // Raw scan and product passes alternate, so both see the same machine load; fastest of each kept.
      const raw = new Best<number>();
      const product = new Best<number>();
      const objects = new Best<number>();
      const rssBefore = process.memoryUsage.rss();
      for (let round = 0; round < REPEATS; round++) {
        raw.add(await measure(() => rawScan(path)));
        product.add(await measure(() => productSummary(path)));
      }
      // After the product passes, so the garbage of a million row objects does not inflate their RSS.
      for (let round = 0; round < REPEATS; round++) objects.add(await measure(() => productRowObjects(path)));
      log(`raw newline scan   ${(mb / (raw.ms / 1000)).toFixed(0)} MiB/s`);
      log(`product (summary)  ${(mb / (product.ms / 1000)).toFixed(0)} MiB/s`);
      log(`product (rows)     ${(mb / (objects.ms / 1000)).toFixed(0)} MiB/s`);
      const csv = await measure(() => csvParseBaseline(path));
      log(`csv-parse          ${(mb / (csv.ms / 1000)).toFixed(0)} MiB/s`);

      for (const [name, count] of [
        ['product rows', objects.value],
        ['csv-parse records', csv.value],
        ['product summary rows', product.value],
      ] as const) {
        if (count !== ROWS) throw new Error(`report-parse: ${name} ${count} !== ${ROWS}`);
      }

      const mbPerSec = mb / (product.ms / 1000);
      const rawMbPerSec = mb / (raw.ms / 1000);
      const csvMbPerSec = mb / (csv.ms / 1000);
      const objectsMbPerSec = mb / (objects.ms / 1000);
      return {
        mbPerSec: round(mbPerSec, 1),
        rowsPerSec: Math.round(ROWS / (product.ms / 1000)),
        peakRssMb: round(product.peakRss / MiB, 1),
        vsRawScan: round(mbPerSec / rawMbPerSec, 3),
        vsCsvParse: round(mbPerSec / csvMbPerSec, 2),
        rowObjectsMbPerSec: round(objectsMbPerSec, 1),
        rowObjectsVsRawScan: round(objectsMbPerSec / rawMbPerSec, 3),
        rawScanMbPerSec: round(rawMbPerSec, 1),
        csvParseMbPerSec: round(csvMbPerSec, 1),
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
    log(`  vs raw scan     ${r.vsRawScan}x  (raw newline scan ${r.rawScanMbPerSec} MiB/s)`);
    log(`  vs csv-parse    ${r.vsCsvParse}x  (csv-parse ${r.csvParseMbPerSec} MiB/s)`);
    log(`  peak RSS        ${r.peakRssMb} MiB (RSS before the parse passes: ${r.rssBeforeMb} MiB)`);
    log(
      `row objects       ${r.rowObjectsMbPerSec} MiB/s, ${r.rowObjectsVsRawScan}x raw scan (parseReportRows)`,
    );
  },
};
