/**
 * The generated completion report the report-parse bench reads: no header; AWS's column order with the
 * HTTP status before the error code on most failed rows, the schema order on some; URL-encoded keys;
 * long quoted messages with commas, escaped quotes and newlines (S3 User Guide, "Examples: S3 Batch
 * Operations completion reports"). Deterministic, so every run parses the same bytes.
 */
import { once } from 'node:events';
import { createReadStream, createWriteStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { seededRandom } from '../emulator/random.js';

/**
 * The stream every pass reads the report through (product, raw scan, CSV baselines, the 10M RSS child).
 * 64 KiB, Node's default for file streams and about what an S3 GetObject body delivers per chunk.
 */
export const HIGH_WATER_MARK = 64 * 1024;

export const readReport = (path: string) => createReadStream(path, { highWaterMark: HIGH_WATER_MARK });

/** Every FAILED_EVERY-th task failed: 20 % failed tasks. */
export const FAILED_EVERY = 5;
const MiB = 1024 * 1024;

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

/** Failed tasks among the first `rows` rows (rows 0, 5, 10, … fail). */
export const failedRows = (rows: number): number => Math.ceil(rows / FAILED_EVERY);

/**
 * Writes `rows` rows to `path` through 1 MiB buffers, so generating leaves little heap behind to blur
 * the RSS figures. Resolves with the file size in bytes.
 */
export async function writeReport(path: string, rows: number): Promise<number> {
  const out = createWriteStream(path);
  const next = seededRandom(42);
  let block = Buffer.allocUnsafe(MiB);
  let used = 0;
  const flush = async () => {
    if (!out.write(block.subarray(0, used))) await once(out, 'drain');
    block = Buffer.allocUnsafe(MiB);
    used = 0;
  };
  for (let i = 0; i < rows; i++) {
    const line = reportRow(i, next);
    if (used + Buffer.byteLength(line) > block.length) await flush();
    used += block.write(line, used);
  }
  await flush();
  out.end();
  await once(out, 'finish');
  return (await stat(path)).size;
}
