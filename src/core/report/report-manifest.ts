/**
 * The top-level `manifest.json` of an S3 Batch Operations completion report
 * (S3 User Guide, "Examples: S3 Batch Operations completion reports"). It lists the result CSVs with the
 * bucket, key and MD5 of each. Parsing is strict: a report we cannot trust is a ReportIntegrityError.
 */
import { ReportIntegrityError } from '../errors.js';

export type TaskExecutionStatus = 'succeeded' | 'failed';

export interface ReportResultFile {
  TaskExecutionStatus: TaskExecutionStatus;
  /** The bucket holding this result file (use it rather than assuming the report bucket). */
  Bucket: string;
  /** Lower-case hex MD5 of the file's bytes. */
  MD5Checksum: string;
  Key: string;
}

export interface ReportManifest {
  /** `Report_CSV_20180820` for every report AWS writes today. */
  Format: string;
  ReportCreationDate?: string;
  Results: ReportResultFile[];
  ReportSchema?: string;
}

const md5Hex = /^[0-9a-fA-F]{32}$/;

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * Parses and checks a report manifest. `source` names the object in error messages.
 * Unknown fields are ignored (AWS may add some); missing or mistyped known fields are not.
 */
export function parseReportManifest(text: string | Uint8Array, source = 'manifest.json'): ReportManifest {
  const json = typeof text === 'string' ? text : Buffer.from(text).toString('utf8');
  let doc: unknown;
  try {
    doc = JSON.parse(json);
  } catch (cause) {
    throw new ReportIntegrityError(`${source}: not valid JSON`, { cause });
  }
  const fail = (reason: string): never => {
    throw new ReportIntegrityError(`${source}: ${reason}`);
  };
  if (!isRecord(doc)) return fail('expected a JSON object');
  const { Format, ReportCreationDate, Results, ReportSchema } = doc;
  if (typeof Format !== 'string' || Format === '') fail('Format must be a non-empty string');
  if (ReportCreationDate !== undefined) {
    if (typeof ReportCreationDate !== 'string' || Number.isNaN(Date.parse(ReportCreationDate))) {
      fail('ReportCreationDate must be an ISO date string');
    }
  }
  if (ReportSchema !== undefined && typeof ReportSchema !== 'string') fail('ReportSchema must be a string');
  if (!Array.isArray(Results)) return fail('Results must be an array');

  const results = Results.map((entry: unknown, i): ReportResultFile => {
    const at = `Results[${i}]`;
    if (!isRecord(entry)) return fail(`${at} must be an object`);
    const { TaskExecutionStatus, Bucket, MD5Checksum, Key } = entry;
    if (TaskExecutionStatus !== 'succeeded' && TaskExecutionStatus !== 'failed') {
      fail(`${at}.TaskExecutionStatus must be "succeeded" or "failed"`);
    }
    if (typeof Bucket !== 'string' || Bucket === '') fail(`${at}.Bucket must be a non-empty string`);
    if (typeof Key !== 'string' || Key === '') fail(`${at}.Key must be a non-empty string`);
    if (typeof MD5Checksum !== 'string' || !md5Hex.test(MD5Checksum)) {
      fail(`${at}.MD5Checksum must be 32 hex digits`);
    }
    return {
      TaskExecutionStatus: TaskExecutionStatus as TaskExecutionStatus,
      Bucket: Bucket as string,
      MD5Checksum: (MD5Checksum as string).toLowerCase(),
      Key: Key as string,
    };
  });

  return {
    Format: Format as string,
    ...(ReportCreationDate !== undefined && { ReportCreationDate: ReportCreationDate as string }),
    Results: results,
    ...(ReportSchema !== undefined && { ReportSchema: ReportSchema as string }),
  };
}
