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
 * Performance: reports can hold millions of rows, so the hot loop scans bytes, four at a time where it can
 * (no regexes, no per-char string building), and long quoted runs are crossed with `Buffer#indexOf`
 * (memchr). Each row is exposed as a reused {@link ReportRowView} whose fields are decoded only when read,
 * so a consumer that only counts statuses never allocates key or message strings. Memory stays bounded
 * regardless of file size: only the current chunk and at most one incomplete row are held (rows longer
 * than `maxRowBytes` are rejected).
 */
import { ReportIntegrityError } from '../errors.js';
import type { ReportRow } from './report-row.js';
import { COLUMNS, QUOTED_WITH_ESCAPES, ReportRowView } from './report-row-view.js';

// Re-exported so importers keep one entry point for the report rows.
export { decodeReportKey, type ReportRow, type ReportRowFields } from './report-row.js';
export { ReportRowView } from './report-row-view.js';

const COMMA = 0x2c;
const QUOTE = 0x22;
const LF = 0x0a;
const CR = 0x0d;

/** A generous ceiling: Lambda result strings are the longest field, and a Lambda response is ≤ 6 MB. */
export const defaultMaxRowBytes = 16 * 1024 * 1024;

export interface ReportRowParserOptions {
  /** A row (usually its ResultMessage) longer than this is a ReportIntegrityError. */
  maxRowBytes?: number;
  /** Names the source in error messages (e.g. `s3://bucket/key`). */
  source?: string;
}

/**
 * Word-at-a-time search ("SWAR"): a chunk is also read as 32-bit words, and one word tells whether any of its
 * four bytes is a quote (or a delimiter) with a few integer operations, the `haszero` trick of Bit Twiddling
 * Hacks applied to `word ^ 0x22222222`. Measured on the bench report (in memory, CPU time): 5–12 % less parse
 * time than the byte loop, which itself beat `Buffer#indexOf` per field (a call costs ~15–35 ns, the price of
 * walking 15–35 bytes, and fields and the gaps between quotes in JSON messages are mostly shorter). Runs longer
 * than `WORDS_BEFORE_MEMCHR` words go to indexOf (memchr), which wins on long quote-free stretches.
 *
 * The lowest flagged byte is always a true match (a borrow only spreads upwards), and in a little-endian word the
 * lowest byte comes first in memory. Words are read from the buffer itself when it is 4-byte aligned on a
 * little-endian machine (file streams' chunks are); otherwise from an aligned copy, byte-swapped on a big-endian
 * machine (see `ReportRowParser#wordsOf`), so every chunk gets the word loops: file streams' and socket reads'
 * chunks are usually aligned (seen here over HTTP and HTTPS), a caller's slices and re-chunked streams need not
 * be. Copying 64 KiB costs a few microseconds; with the bench report's chunks one byte off alignment, the byte
 * loops this replaced took ~20 % more parse time (cold, CPU time, median of 9 alternating runs).
 */
const LITTLE_ENDIAN = new Uint8Array(new Uint32Array([1]).buffer)[0] === 1;
const ONES = 0x01010101;
const HIGHS = 0x80808080;
const QUOTES = 0x22222222;
const COMMAS = 0x2c2c2c2c;
const LFS = 0x0a0a0a0a;
const WORDS_BEFORE_MEMCHR = 64;

/** Byte index, in a word, of its lowest flagged byte (`flags` holds 0x80 per matching byte, non-zero). */
const firstFlagged = (flags: number): number => (31 - Math.clz32(flags & -flags)) >> 3;

/**
 * `word` with its bytes before byte `from & 3` set to 0xFF, so a search that starts mid-word reads the whole
 * word instead of stepping byte by byte to the next word boundary. 0xFF matches neither `"`, `,` nor a newline
 * and, unlike masking the flags afterwards, cannot borrow into the byte at `from` (a `,` just before a `-`
 * would otherwise flag the `-`).
 */
const fromByte = (word: number, from: number): number => word | ((1 << ((from & 3) << 3)) - 1);

/** Index of the next `"` at or after `from`, or -1, reading words. */
function findQuoteInWords(buf: Buffer, words: Int32Array, from: number, len: number): number {
  const end = len >> 2;
  let w = from >> 2;
  if (w < end) {
    const x = fromByte(words[w]! ^ QUOTES, from);
    const flags = (x - ONES) & ~x & HIGHS;
    if (flags !== 0) return (w << 2) + firstFlagged(flags);
    const stop = Math.min(end, w + WORDS_BEFORE_MEMCHR);
    for (w++; w < stop; w++) {
      const x = words[w]! ^ QUOTES;
      const flags = (x - ONES) & ~x & HIGHS;
      if (flags !== 0) return (w << 2) + firstFlagged(flags);
    }
  }
  const i = Math.max(from, w << 2);
  return i < len ? buf.indexOf(QUOTE, i) : -1;
}

/** Index of the next `,` or newline at or after `from`, or `len`, reading words. */
function findDelimiterInWords(buf: Buffer, words: Int32Array, from: number, len: number): number {
  const stop = len >> 2;
  let w = from >> 2;
  if (w < stop) {
    const v = words[w]!;
    const x = fromByte(v ^ COMMAS, from);
    const y = fromByte(v ^ LFS, from);
    const flags = (((x - ONES) & ~x) | ((y - ONES) & ~y)) & HIGHS;
    if (flags !== 0) return (w << 2) + firstFlagged(flags);
    for (w++; w < stop; w++) {
      const v = words[w]!;
      const x = v ^ COMMAS;
      const y = v ^ LFS;
      const flags = (((x - ONES) & ~x) | ((y - ONES) & ~y)) & HIGHS;
      if (flags !== 0) return (w << 2) + firstFlagged(flags);
    }
  }
  return findDelimiterInBytes(buf, Math.max(from, w << 2), len);
}

/** Index of the next `,` or newline at or after `from`, or `len`, reading bytes. */
function findDelimiterInBytes(buf: Buffer, from: number, len: number): number {
  for (let i = from; i < len; i++) {
    const c = buf[i]!;
    if (c === COMMA || c === LF) return i;
  }
  return len;
}

function toBuffer(chunk: Uint8Array | string): Buffer {
  if (typeof chunk === 'string') return Buffer.from(chunk, 'utf8');
  return Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
}

/**
 * Push-style parser: feed chunks with `push`, call `end` once; `onRow` runs synchronously for every row.
 *
 * Chunk boundaries: complete rows are parsed straight from the chunk; the incomplete tail (one partial
 * row) is carried over. To stay linear when one row spans many chunks, the carried bytes are re-parsed
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
  /** Where `#wordsOf` copies a buffer it cannot read words from directly; reused from call to call. */
  #aligned = new Int32Array(0);

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
   * The little-endian 32-bit words of `buf`, its last 0–3 bytes left out: a view of `buf` when that is possible,
   * else a copy in `#aligned` (valid until the next call; fields are still read from `buf`).
   */
  #wordsOf(buf: Buffer): Int32Array {
    const count = buf.length >> 2;
    if (LITTLE_ENDIAN && (buf.byteOffset & 3) === 0) return new Int32Array(buf.buffer, buf.byteOffset, count);
    if (this.#aligned.length < count) this.#aligned = new Int32Array(Math.max(count, 16 * 1024));
    const words = this.#aligned.subarray(0, count);
    const bytes = Buffer.from(words.buffer, words.byteOffset, count << 2);
    buf.copy(bytes, 0, 0, count << 2);
    if (!LITTLE_ENDIAN) bytes.swap32();
    return words;
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
    const len = buf.length;
    const onRow = this.#onRow;
    view.buf = buf;
    const words = this.#wordsOf(buf);
    let pos = from;

    while (pos < len) {
      const rowStart = pos;
      let c = buf[pos]!;
      // Blank lines carry no task.
      if (c === LF) {
        pos++;
        continue;
      }
      if (c === CR && pos + 1 < len && buf[pos + 1] === LF) {
        pos += 2;
        continue;
      }
      let field = 0;
      for (;;) {
        let start = pos;
        let end: number;
        let flag = 0;
        const quoted = pos < len && buf[pos] === QUOTE;
        if (quoted) {
          // Quoted: jump quote to quote; `""` is an escaped quote inside the field.
          start = pos + 1;
          let q = findQuoteInWords(buf, words, start, len);
          for (;;) {
            if (q === -1) {
              if (final) throw this.#malformed('unterminated quoted field');
              return rowStart;
            }
            if (q + 1 < len && buf[q + 1] === QUOTE) {
              flag = QUOTED_WITH_ESCAPES;
              q = findQuoteInWords(buf, words, q + 2, len);
              continue;
            }
            if (q + 1 === len && !final) return rowStart; // the next chunk may start with a quote
            break;
          }
          end = q;
          pos = q + 1;
          // Anything between the closing quote and the delimiter is tolerated and dropped.
          while (pos < len) {
            c = buf[pos]!;
            if (c === COMMA || c === LF) break;
            pos++;
          }
        } else {
          pos = findDelimiterInWords(buf, words, pos, len);
          if (pos < len) c = buf[pos]!;
          end = pos;
        }
        if (pos >= len) {
          if (!final) return rowStart;
          c = LF;
        }
        if (c === LF && !quoted && end > start && buf[end - 1] === CR) end--;
        if (field < COLUMNS) {
          starts[field] = start;
          ends[field] = end;
          flags[field] = flag;
        }
        field++;
        pos++;
        if (c === LF) break;
      }
      view.fieldCount = Math.min(field, COLUMNS);
      view.rowNumber = ++this.#rows;
      view.settle();
      onRow(view);
    }
    return Math.min(pos, len);
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
