/** Tables for `jobs` and `describe`. Pure string builders. */
import type { JobSummary } from '../../src/adapters/aws/index.js';
import type { JobDescription } from '../../src/core/ports.js';
import { formatCount, renderKeyValues, renderTable } from './table.js';

type Progress = JobDescription['ProgressSummary'];

/** `succeeded/failed/total`, or `-` before S3 counted the tasks. */
export function formatProgress(progress: Progress): string {
  if (progress?.TotalNumberOfTasks === undefined) return '-';
  return [
    formatCount(progress.NumberOfTasksSucceeded ?? 0),
    formatCount(progress.NumberOfTasksFailed ?? 0),
    formatCount(progress.TotalNumberOfTasks),
  ].join('/');
}

export function renderJobsTable(jobs: readonly JobSummary[]): string {
  return renderTable(
    ['JOB ID', 'STATUS', 'PRIORITY', 'OPERATION', 'OK/FAILED/TOTAL', 'CREATED', 'DESCRIPTION'],
    jobs.map((job) => [
      job.JobId,
      job.Status,
      job.Priority === undefined ? '-' : String(job.Priority),
      job.Operation ?? '-',
      formatProgress(job.ProgressSummary),
      job.CreationTime ?? '-',
      job.Description ?? '',
    ]),
    { maxCellWidth: 40 },
  );
}

export function renderJobDescription(job: JobDescription): string {
  const pairs: [string, string][] = [
    ['Job', job.JobId],
    ['Status', job.Status],
    ['Priority', job.Priority === undefined ? '-' : String(job.Priority)],
    ['Progress (ok/failed/total)', formatProgress(job.ProgressSummary)],
  ];
  const elapsed = job.ProgressSummary?.Timers?.ElapsedTimeInActiveSeconds;
  if (elapsed !== undefined) pairs.push(['Active for', `${formatCount(elapsed)} s`]);
  if (job.StatusUpdateReason) pairs.push(['Status reason', job.StatusUpdateReason]);
  if (job.CreationTime) pairs.push(['Created', job.CreationTime]);
  if (job.TerminationDate) pairs.push(['Terminated', job.TerminationDate]);
  if (job.SuspendedDate) pairs.push(['Suspended', `${job.SuspendedDate} (${job.SuspendedCause ?? ''})`]);
  if (job.Report) {
    const report = job.Report;
    pairs.push([
      'Report',
      report.Enabled
        ? `${report.Bucket ?? '?'}/${report.Prefix ?? ''} (${report.ReportScope ?? 'AllTasks'})`
        : 'disabled',
    ]);
  }
  for (const failure of job.FailureReasons ?? []) {
    pairs.push(['Failure', `${failure.FailureCode ?? 'Unknown'}: ${failure.FailureReason ?? ''}`]);
  }
  return renderKeyValues(pairs);
}
