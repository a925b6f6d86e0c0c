/**
 * The objects a restore-then run waits for: exactly the restore job's succeeded tasks, read from its
 * completion report (S3 writes `<prefix>/job-<id>/manifest.json` and the result CSVs it lists; a job whose
 * policy redrove failures has a report per attempt). Only the result files listed as `succeeded` are read,
 * each streamed and checked against its MD5 (src/core/report/), so a report of any size costs one row of
 * memory; a restore of millions of objects is read again on every poll rather than copied anywhere.
 *
 * Rows come in one fixed order (attempts oldest first, result files in manifest order, rows in file order),
 * so a position among them (`ordinal`) names the same object on every read: the HeadObject sampling's
 * cursor relies on it.
 */
import type { BatchJobOutput, ReportSummary } from '../../generated/types.js';
import { ReportIntegrityError, TaskInputError } from '../errors.js';
import type { ObjectStorePort } from '../ports.js';
import { aggregateAttempts } from '../redrive/aggregate.js';
import { findReportManifest, readResultFile, reportFolder } from '../report/report-files.js';
import type { ReportRowView } from '../report/result-rows.js';

export interface RestoreJobReports {
  bucket: string;
  prefix?: string | undefined;
  /** Every attempt's job id, oldest first (the restore job, then its redrives). */
  jobIds: string[];
  /** The report summaries of every attempt. */
  summaries: ReportSummary[];
}

/** Where the restore job's reports are, from its batch-job execution's output. */
export function restoreJobReportsOf(output: BatchJobOutput): RestoreJobReports {
  const { job } = output;
  if (output.continuedAs !== undefined) {
    // A long job's workflow goes on in a fresh execution (batch-job ContinueAsNew), which `.sync:2` does not
    // follow: the job is still running, so its report does not exist yet.
    throw new TaskInputError(
      'check-restores',
      'state.restoreRun.Output.continuedAs',
      "the restore job's workflow continued in a fresh execution; raise the request's wait.maxPollsPerExecution",
    );
  }
  if (!job) throw new ReportIntegrityError('the restore job execution ended without a job');
  if (!job.report.enabled || !job.report.bucket) {
    throw new ReportIntegrityError(`restore job ${job.jobId} wrote no completion report`);
  }
  if (job.report.scope === 'FailedTasksOnly') {
    throw new ReportIntegrityError(
      `restore job ${job.jobId} reported failed tasks only: its succeeded objects are unknown`,
    );
  }
  const summaries = [...(output.attempts ?? []), ...(output.report ? [output.report] : [])];
  const jobIds = [...new Set([...summaries.map((summary) => summary.jobId), job.jobId])];
  return { bucket: job.report.bucket, prefix: job.report.prefix, jobIds, summaries };
}

/** Tasks of the restore job over every attempt (a redrive reruns failures): what failed stays failed. */
export function restoreTaskCounts(reports: RestoreJobReports): {
  total: number;
  succeeded: number;
  failed: number;
  failuresByCode: Record<string, number>;
} {
  if (reports.summaries.length === 0) return { total: 0, succeeded: 0, failed: 0, failuresByCode: {} };
  const summary = aggregateAttempts(reports.summaries);
  return {
    total: summary.totalTasks,
    succeeded: summary.succeededTasks,
    failed: summary.failedTasks,
    failuresByCode: countsOf(summary.byErrorCode),
  };
}

/** A summary's per-code counts without the `undefined` its generated type allows. */
export function countsOf(counts: Readonly<Record<string, number | undefined>>): Record<string, number> {
  return Object.fromEntries(
    Object.entries(counts).filter((entry): entry is [string, number] => entry[1] !== undefined),
  );
}

/**
 * Calls `onRow` for every succeeded task of every attempt, in the fixed order, with its ordinal (0-based).
 * Resolves with the number of succeeded tasks. A missing report is a ReportIntegrityError: the objects to
 * wait for would be unknown.
 */
export async function forEachSucceededTask(
  store: ObjectStorePort,
  reports: RestoreJobReports,
  onRow: (row: ReportRowView, ordinal: number) => void,
): Promise<number> {
  let ordinal = 0;
  for (const jobId of reports.jobIds) {
    const folder = reportFolder(reports.prefix, jobId);
    const found = await findReportManifest(store, reports.bucket, folder);
    if (found === undefined) {
      throw new ReportIntegrityError(
        `s3://${reports.bucket}/${folder}/: the restore job's report is missing`,
      );
    }
    for (const result of found.manifest.Results) {
      if (result.TaskExecutionStatus !== 'succeeded') continue;
      await readResultFile(store, result, found.key, (row) => {
        if (!row.succeeded) return;
        onRow(row, ordinal);
        ordinal++;
      });
    }
  }
  return ordinal;
}
