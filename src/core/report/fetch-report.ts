/**
 * Reads a job's completion report and summarises it (the FetchReport task).
 *
 * AWS writes the report to `<Report.Prefix>/job-<JobId>/manifest.json` (the S3 Control API reference still
 * says `report.json`, so that name is the fallback). The manifest lists result CSVs, each with its own
 * bucket and MD5; every file is streamed once, hashed and parsed in the same pass, so memory does not grow
 * with the report. A job that never ran a task has no report at all: that is a summary, not an error.
 */
import type { ObjectStorePort } from '../ports.js';
import { findReportManifest, readResultFile, reportFolder, reportManifestNames } from './report-files.js';
import { applyReportScope, type ReportTotalsSource } from './report-scope.js';
import { noReportSummary, type ReportSummary, ReportSummaryBuilder } from './summary.js';

export interface FetchReportSummaryInput {
  store: ObjectStorePort;
  /** The report bucket name (not its ARN). */
  bucket: string;
  /** `Report.Prefix` of the job; empty or undefined when the job had none. */
  prefix?: string | undefined;
  jobId: string;
  maxSamples?: number;
  /** Passed to the row parser; see `defaultMaxRowBytes`. */
  maxRowBytes?: number;
  /**
   * The job's ReportScope, and for FailedTasksOnly the job's own counts (report-scope.ts). Default
   * AllTasks: the rows are the totals.
   */
  totals?: ReportTotalsSource;
}

export { reportFolder, reportManifestNames } from './report-files.js';

export async function fetchReportSummary(input: FetchReportSummaryInput): Promise<ReportSummary> {
  const { store, bucket, jobId } = input;
  const folder = reportFolder(input.prefix, jobId);
  const found = await findReportManifest(store, bucket, folder);
  if (found === undefined) {
    return noReportSummary(
      jobId,
      `no completion report at s3://${bucket}/${folder}/ (${reportManifestNames.join(' or ')}): ` +
        'the job ran no task, or its report was disabled',
    );
  }
  const { key: manifestKey, manifest } = found;
  const summary = new ReportSummaryBuilder(jobId, {
    ...(input.maxSamples !== undefined && { maxSamples: input.maxSamples }),
    ...(manifest.ReportCreationDate !== undefined && { reportCreationDate: manifest.ReportCreationDate }),
    manifestKey,
  });
  const addRow = summary.addRow.bind(summary);

  for (const result of manifest.Results) {
    await readResultFile(store, result, manifestKey, addRow, input.maxRowBytes);
    summary.addResultFile(result.Key);
  }
  return applyReportScope(summary.build(), input.totals ?? { scope: 'AllTasks' });
}
