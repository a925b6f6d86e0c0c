/**
 * The reusable, lazily decoded row that `ReportRowParser` hands to its callback, and the column layout
 * both of them share. Fields are decoded only when read, so a consumer that only counts statuses never
 * allocates key or message strings.
 */
import { ByteInterner } from './byte-interner.js';
import { decodeReportKey, type ReportRow, type ReportRowFields } from './report-row.js';

const ZERO = 0x30;
const NINE = 0x39;

/** Positions of the columns that do not move. */
const BUCKET = 0;
const KEY = 1;
const VERSION_ID = 2;
const TASK_STATUS = 3;
const CODE_A = 4;
const CODE_B = 5;
const RESULT_MESSAGE = 6;
/** Columns the parser records per row; any beyond are ignored. */
export const COLUMNS = 7;

/** Bit flags per field. */
export const QUOTED_WITH_ESCAPES = 1;

/**
 * The row being delivered to a `ReportRowParser` callback. It is reused for every row and its
 * getters read the current chunk: read what you need inside the callback, or keep `toRow()`.
 */
export class ReportRowView implements ReportRowFields {
  /** @internal */ buf: Buffer = Buffer.alloc(0);
  /** @internal */ readonly starts = new Int32Array(COLUMNS);
  /** @internal */ readonly ends = new Int32Array(COLUMNS);
  /** @internal */ readonly flags = new Uint8Array(COLUMNS);
  /** @internal */ fieldCount = 0;
  /** @internal */ errorField = CODE_B;
  /** 1-based position of the row in its file (physical rows, a multi-line message counts once). */
  rowNumber = 0;
  #httpStatus: number | null = null;

  readonly #buckets = new ByteInterner(16);
  readonly #statuses = new ByteInterner(8);
  readonly #errorCodes = new ByteInterner(64);

  #text(field: number): string {
    if (field >= this.fieldCount) return '';
    const start = this.starts[field]!;
    const end = this.ends[field]!;
    if (start === end) return '';
    const text = this.buf.toString('utf8', start, end);
    return (this.flags[field]! & QUOTED_WITH_ESCAPES) === 0 ? text : text.replaceAll('""', '"');
  }

  #interned(field: number, interner: ByteInterner): string {
    if (field >= this.fieldCount) return '';
    const start = this.starts[field]!;
    const end = this.ends[field]!;
    if (start === end) return '';
    if ((this.flags[field]! & QUOTED_WITH_ESCAPES) !== 0) return this.#text(field);
    return interner.get(this.buf, start, end);
  }

  /** @internal Called by the parser once the fields of a row are known. */
  settle(): void {
    // The numeric column of the two code columns is the HTTP status (see the file comment of result-rows.ts).
    const a = this.#digits(CODE_A);
    if (a !== null) {
      this.#httpStatus = a;
      this.errorField = CODE_B;
      return;
    }
    const b = this.#digits(CODE_B);
    this.#httpStatus = b;
    this.errorField = b !== null ? CODE_A : this.#isEmpty(CODE_A) ? CODE_B : CODE_A;
  }

  #isEmpty(field: number): boolean {
    return field >= this.fieldCount || this.starts[field] === this.ends[field];
  }

  #digits(field: number): number | null {
    if (this.#isEmpty(field)) return null;
    const buf = this.buf;
    const end = this.ends[field]!;
    let value = 0;
    for (let i = this.starts[field]!; i < end; i++) {
      const c = buf[i]!;
      if (c < ZERO || c > NINE) return null;
      value = value * 10 + (c - ZERO);
    }
    return end - this.starts[field]! > 9 ? null : value;
  }

  get bucket(): string {
    return this.#interned(BUCKET, this.#buckets);
  }
  get rawKey(): string {
    return this.#text(KEY);
  }
  get key(): string {
    return decodeReportKey(this.#text(KEY));
  }
  get versionId(): string | undefined {
    return this.#isEmpty(VERSION_ID) ? undefined : this.#text(VERSION_ID);
  }
  get taskStatus(): string {
    return this.#interned(TASK_STATUS, this.#statuses);
  }
  /** True when TaskStatus is `succeeded`, without decoding it. */
  get succeeded(): boolean {
    const start = this.starts[TASK_STATUS]!;
    return (
      this.fieldCount > TASK_STATUS && this.ends[TASK_STATUS]! - start === 9 && this.buf[start] === 0x73 // 's'
    );
  }
  get errorCode(): string {
    return this.#interned(this.errorField, this.#errorCodes);
  }
  get httpStatus(): number | null {
    return this.#httpStatus;
  }
  get resultMessage(): string {
    return this.#text(RESULT_MESSAGE);
  }

  /** A standalone copy of the row, safe to keep after the callback returns. */
  toRow(): ReportRow {
    const rawKey = this.rawKey;
    return {
      bucket: this.bucket,
      key: decodeReportKey(rawKey),
      rawKey,
      versionId: this.versionId,
      taskStatus: this.taskStatus,
      errorCode: this.errorCode,
      httpStatus: this.#httpStatus,
      resultMessage: this.resultMessage,
    };
  }
}
