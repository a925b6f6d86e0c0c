/**
 * The decoded shape of one completion-report row, shared by the streaming parser, its reusable row view
 * and every consumer (summary, redrive eligibility).
 */

/** One task of a completion report, fully decoded. */
export interface ReportRow {
  bucket: string;
  /** The object key, URL-decoded (`%XX` sequences only; a `+` stays a `+`). */
  key: string;
  /** The key exactly as the report wrote it (URL-encoded). */
  rawKey: string;
  /** Undefined when the column is empty (unversioned bucket). */
  versionId?: string;
  /** `succeeded` or `failed` as AWS writes them. */
  taskStatus: string;
  /** Empty when the task has no error code (typically a succeeded task). */
  errorCode: string;
  /** Null when the row carries no numeric HTTP status. */
  httpStatus: number | null;
  resultMessage: string;
}

/** The fields of a row any consumer may read: both {@link ReportRow} and `ReportRowView` have them. */
export type ReportRowFields = Readonly<Omit<ReportRow, 'rawKey'>>;

/**
 * Decodes a URL-encoded key from a manifest or report. S3 Batch Operations percent-encodes keys
 * (the CSV manifest example writes `object%20key%20with%20spaces`); `+` is kept literally, as in a URL
 * path, rather than read as a form-encoded space. A malformed escape leaves the key as written.
 */
export function decodeReportKey(raw: string): string {
  if (raw.indexOf('%') === -1) return raw;
  try {
    return decodeURIComponent(raw);
  } catch {
    return raw;
  }
}
