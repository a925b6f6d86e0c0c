/**
 * Streaming parser for the result CSVs of an S3 Batch Operations completion report
 * (S3 User Guide, "Examples: S3 Batch Operations completion reports").
 *
 * Rows have no header. Columns by position: Bucket, Key, VersionId, TaskStatus, then ErrorCode and
 * HTTPStatusCode in either order, then ResultMessage. The manifest's `ReportSchema` says
 * `ErrorCode, HTTPStatusCode`, but AWS's own example rows put the HTTP status first
 * (`…,failed,200,PermanentFailure,"…"`), so the order is decided per row: the numeric column is the
 * HTTP status.
 *
 * Performance: reports can hold millions of rows, so rows and fields are found by a WebAssembly scanner that
 * compares 16 bytes at a time (row-scanner.wat; no regexes, no per-char string building), and each row is
 * exposed as a reused {@link ReportRowView} whose fields are decoded only when read, so a consumer that only
 * counts statuses never allocates key or message strings. Memory stays bounded regardless of file size: only
 * the current chunk and at most one incomplete row are held (rows longer than `maxRowBytes` are rejected), and
 * the scanner's memory, which keeps a copy of the largest of those so far.
 */
import { ReportIntegrityError } from '../errors.js';
import type { ReportRow } from './report-row.js';
import { ReportRowView } from './report-row-view.js';
import { RECORD_SLOTS, RowScanner, ScanStatus } from './row-scanner.js';

// Re-exported so importers keep one entry point for the report rows.
export { decodeReportKey, type ReportRow, type ReportRowFields } from './report-row.js';
export { ReportRowView } from './report-row-view.js';

/** A generous ceiling: Lambda result strings are the longest field, and a Lambda response is ≤ 6 MB. */
export const defaultMaxRowBytes = 16 * 1024 * 1024;

export interface ReportRowParserOptions {
  /** A row (usually its ResultMessage) longer than this is a ReportIntegrityError. */
  maxRowBytes?: number;
  /** Names the source in error messages (e.g. `s3://bucket/key`). */
  source?: string;
}

function toBuffer(chunk: Uint8Array | string): Buffer {
  if (typeof chunk === 'string') return Buffer.from(chunk, 'utf8');
  return Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
}

/**
 * Push-style parser: feed chunks with `push`, call `end` once; `onRow` runs synchronously for every row.
 *
 * Chunk boundaries: complete rows are parsed from the chunk (a copy in the scanner's memory; fields are decoded
 * from the chunk itself); the incomplete tail (one partial row) is carried over. To stay linear when one row spans many chunks, the carried bytes are re-parsed
 * only once they have at least doubled since the last attempt, so every byte is scanned O(1) times.
 */
export class ReportRowParser {
  readonly #view = new ReportRowView();
  readonly #onRow: (row: ReportRowView) => void;
  readonly #maxRowBytes: number;
  readonly #source: string;
  #carry: Buffer[] = [];
  #carryBytes = 0;
  #retryAt = 0;
  #rows = 0;
  #ended = false;
  readonly #scanner = new RowScanner();

  constructor(onRow: (row: ReportRowView) => void, options: ReportRowParserOptions = {}) {
    this.#onRow = onRow;
    this.#maxRowBytes = options.maxRowBytes ?? defaultMaxRowBytes;
    this.#source = options.source ?? 'report';
  }

  /** Rows delivered so far. */
  get rows(): number {
    return this.#rows;
  }

  push(chunk: Uint8Array | string): void {
    if (this.#ended) throw new Error('ReportRowParser.push after end');
    let buf = toBuffer(chunk);
    if (buf.length === 0) return;
    let from = 0;
    const carried = this.#carryBytes;
    if (carried > 0) {
      if (carried + buf.length < this.#retryAt) {
        this.#carry.push(buf);
        this.#carryBytes += buf.length;
        this.#checkRowLength(this.#carryBytes);
        return;
      }
      // Finish the carried row with only the head of the chunk: copying the whole chunk behind it
      // costs more than parsing a few hundred bytes twice.
      const head = Math.min(buf.length, carried + 4096);
      this.#carry.push(buf.subarray(0, head));
      const joined = Buffer.concat(this.#carry, carried + head);
      this.#carry = [];
      this.#carryBytes = 0;
      const consumed = this.#parse(joined, false);
      if (consumed >= carried) {
        // Rows up to `consumed` are done; the rest of the head is re-read from the chunk itself.
        from = consumed - carried;
      } else if (head < buf.length) {
        buf = Buffer.concat([joined.subarray(consumed), buf.subarray(head)]);
      } else {
        buf = joined;
        from = consumed;
      }
    }
    const consumed = this.#parse(buf, false, from);
    if (consumed < buf.length) {
      const rest = buf.length - consumed;
      this.#checkRowLength(rest);
      // Copy: the caller (a stream) may reuse its chunk, and a view would pin the whole chunk.
      this.#carry = [Buffer.from(buf.subarray(consumed))];
      this.#carryBytes = rest;
      this.#retryAt = rest * 2;
    }
  }

  end(): void {
    if (this.#ended) return;
    this.#ended = true;
    if (this.#carryBytes === 0) return;
    const buf = Buffer.concat(this.#carry, this.#carryBytes);
    this.#carry = [];
    this.#carryBytes = 0;
    this.#parse(buf, true);
  }

  #checkRowLength(bytes: number): void {
    if (bytes > this.#maxRowBytes) {
      throw new ReportIntegrityError(
        `${this.#source}: row ${this.#rows + 1} is longer than ${this.#maxRowBytes} bytes (unterminated quote?)`,
      );
    }
  }

  /**
   * Parses every complete row of `buf` from `from` (a row start) and returns the offset where the first incomplete
   * row begins (`buf.length` when none). With `final`, the end of `buf` ends the last row.
   */
  #parse(buf: Buffer, final: boolean, from = 0): number {
    const view = this.#view;
    const starts = view.starts;
    const ends = view.ends;
    const flags = view.flags;
    const onRow = this.#onRow;
    const scanner = this.#scanner;
    view.buf = buf;
    scanner.load(buf);
    const records = scanner.records;
    let pos = from;
    for (;;) {
      const status = scanner.scan(pos, final);
      const rows = scanner.rows;
      for (let row = 0, at = 0; row < rows; row++, at += RECORD_SLOTS) {
        const fieldCount = records[at]!;
        const escapes = records[at + 1]!;
        for (let field = 0, slot = at + 2; field < fieldCount; field++, slot += 2) {
          starts[field] = records[slot]!;
          ends[field] = records[slot + 1]!;
          // Bit `field` of `escapes` is QUOTED_WITH_ESCAPES for that field.
          flags[field] = (escapes >> field) & 1;
        }
        view.fieldCount = fieldCount;
        view.rowNumber = ++this.#rows;
        view.settle();
        onRow(view);
      }
      if (status === ScanStatus.Unterminated) throw this.#malformed('unterminated quoted field');
      pos = scanner.stop;
      if (status === ScanStatus.Ended) return pos;
    }
  }

  #malformed(reason: string): ReportIntegrityError {
    return new ReportIntegrityError(`${this.#source}: row ${this.#rows + 1}: ${reason}`);
  }
}

/**
 * Calls `onRow` for every row of a result CSV read from `source`. The view is reused between rows;
 * use `row.toRow()` to keep one. Resolves with the number of rows.
 */
export async function forEachReportRow(
  source: AsyncIterable<Uint8Array | string>,
  onRow: (row: ReportRowView) => void,
  options: ReportRowParserOptions = {},
): Promise<number> {
  const parser = new ReportRowParser(onRow, options);
  for await (const chunk of source) parser.push(chunk);
  parser.end();
  return parser.rows;
}

/** Yields every row of a result CSV as a standalone {@link ReportRow}. */
export async function* parseReportRows(
  source: AsyncIterable<Uint8Array | string>,
  options: ReportRowParserOptions = {},
): AsyncGenerator<ReportRow> {
  let batch: ReportRow[] = [];
  const parser = new ReportRowParser((row) => {
    batch.push(row.toRow());
  }, options);
  for await (const chunk of source) {
    parser.push(chunk);
    if (batch.length > 0) {
      const ready = batch;
      batch = [];
      yield* ready;
    }
  }
  parser.end();
  yield* batch;
}
