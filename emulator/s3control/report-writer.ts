/**
 * Completion reports as S3 Batch Operations writes them ("Examples: S3 Batch Operations completion reports"):
 * `<Prefix>/job-<JobId>/manifest.json` plus `<Prefix>/job-<JobId>/results/<40-hex>.csv`, one file of
 * succeeded and one of failed tasks. Rows have no header, keys stay URL-encoded, and the columns follow
 * AWS's own example rows — `Bucket,Key,VersionId,TaskStatus,HTTPStatusCode,ErrorCode,ResultMessage` —
 * although the manifest's ReportSchema string names ErrorCode before HTTPStatusCode (AWS's quirk, kept).
 */
import { createHash } from 'node:crypto';
import type { S3Backend } from '../contracts.js';
import { BUCKET_ARN } from './create-job-request.js';
import { csvLine } from './csv.js';
import type { JobRecord, TaskResult, TaskRow } from './types.js';

export const REPORT_FORMAT = 'Report_CSV_20180820';
export const REPORT_SCHEMA = 'Bucket, Key, VersionId, TaskStatus, ErrorCode, HTTPStatusCode, ResultMessage';

export interface ReportManifest {
  Format: string;
  ReportCreationDate: string;
  Results: {
    TaskExecutionStatus: 'succeeded' | 'failed';
    Bucket: string;
    MD5Checksum: string;
    Key: string;
  }[];
  ReportSchema: string;
}

/** `<Prefix>/job-<JobId>` (or `job-<JobId>` at the bucket root when no prefix is set). */
export function reportJobPrefix(record: JobRecord): string {
  const prefix = (record.Report.Prefix ?? '').replace(/\/+$/, '');
  return prefix ? `${prefix}/job-${record.JobId}` : `job-${record.JobId}`;
}

/** The report is written only when enabled and at least one task ran. */
export function shouldWriteReport(record: JobRecord, tasksRun: number): boolean {
  return record.Report.Enabled && tasksRun > 0;
}

function resultLine(row: TaskRow | undefined, result: TaskResult): string {
  const [bucket, encodedKey, versionId] = row ?? ['', '', null];
  const [, succeeded, httpStatus, errorCode, message] = result;
  return `${csvLine([
    bucket,
    encodedKey,
    versionId ?? '',
    succeeded ? 'succeeded' : 'failed',
    String(httpStatus),
    errorCode,
    message,
  ])}\n`;
}

/** Writes the report to emulated S3; S3 errors (e.g. NoSuchBucket) propagate to the caller. */
export function writeCompletionReport(
  s3: S3Backend,
  record: JobRecord,
  rows: TaskRow[],
  results: TaskResult[],
  now: Date,
): ReportManifest {
  const bucket = BUCKET_ARN.exec(record.Report.Bucket ?? '')?.[1] ?? '';
  const base = reportJobPrefix(record);
  const ordered = [...results].sort((a, b) => a[0] - b[0]);
  const groups: { status: 'succeeded' | 'failed'; lines: string[] }[] = [
    { status: 'succeeded', lines: [] },
    { status: 'failed', lines: [] },
  ];
  const failedOnly = record.Report.ReportScope === 'FailedTasksOnly';
  for (const result of ordered) {
    if (result[1] === 1 && failedOnly) continue;
    groups[result[1] === 1 ? 0 : 1]!.lines.push(resultLine(rows[result[0]], result));
  }
  const manifest: ReportManifest = {
    Format: REPORT_FORMAT,
    ReportCreationDate: now.toISOString(),
    Results: [],
    ReportSchema: REPORT_SCHEMA,
  };
  for (const group of groups) {
    if (group.lines.length === 0) continue;
    const body = Buffer.from(group.lines.join(''), 'utf8');
    const name = createHash('sha1').update(`${record.JobId}:${group.status}`).digest('hex');
    const key = `${base}/results/${name}.csv`;
    s3.putObject(bucket, key, body, { contentType: 'text/csv' });
    manifest.Results.push({
      TaskExecutionStatus: group.status,
      Bucket: bucket,
      MD5Checksum: createHash('md5').update(body).digest('hex'),
      Key: key,
    });
  }
  s3.putObject(bucket, `${base}/manifest.json`, Buffer.from(JSON.stringify(manifest), 'utf8'), {
    contentType: 'application/json',
  });
  return manifest;
}
