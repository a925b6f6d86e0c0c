import type { ReportSummary } from '../../../src/core/report/summary.js';
import { MemoryObjectStore, md5 } from '../../doubles/memory-ports.js';

export const jobId = 'f8fb9d89-a3aa-461d-bddc-ea6a1b131955';
export const reportBucket = 'reports';
export const reportPrefix = 'batch';

export interface ResultFile {
  status: 'succeeded' | 'failed';
  body: string;
  /** Overrides the real MD5, to simulate a corrupt file. */
  md5?: string;
}

/** One result CSV row as S3 writes it: no header, HTTP status before the error code (AWS's examples). */
export function row(
  key: string,
  { status = 'failed', http = '200', code = '', message = '', versionId = '', bucket = 'data' } = {},
): string {
  const quoted = `"${message.replaceAll('"', '""')}"`;
  return `${bucket},${key},${versionId},${status},${http},${code},${quoted}\n`;
}

/**
 * Writes result files and the manifest listing them under `<prefix>/job-<id>/`, as S3 Batch Operations
 * does; returns the result keys in manifest order.
 */
export function givenReport(
  store: MemoryObjectStore,
  files: ResultFile[],
  { name = 'manifest.json', id = jobId } = {},
): string[] {
  const folder = `${reportPrefix}/job-${id}`;
  const keys = files.map((_file, i) => `${folder}/results/${String(i).padStart(40, 'a')}.csv`);
  for (const [i, file] of files.entries()) store.put(reportBucket, keys[i]!, file.body);
  const manifest = {
    Format: 'Report_CSV_20180820',
    ReportCreationDate: '2019-04-05T17:48:39.725Z',
    Results: files.map((file, i) => ({
      TaskExecutionStatus: file.status,
      Bucket: reportBucket,
      MD5Checksum: file.md5 ?? md5(file.body),
      Key: keys[i],
    })),
    ReportSchema: 'Bucket, Key, VersionId, TaskStatus, ErrorCode, HTTPStatusCode, ResultMessage',
  };
  store.put(reportBucket, `${folder}/${name}`, JSON.stringify(manifest));
  return keys;
}

export const newStore = (chunkSize?: number): MemoryObjectStore => new MemoryObjectStore(chunkSize);

/** A summary with counts only; override what the test is about. */
export function summary(overrides: Partial<ReportSummary> = {}): ReportSummary {
  return {
    jobId,
    available: true,
    totalTasks: 0,
    succeededTasks: 0,
    failedTasks: 0,
    byErrorCode: {},
    byHttpStatus: {},
    sampleFailures: [],
    resultFiles: [],
    ...overrides,
  };
}
