import type { ObjectStorePort } from './ports.js';
import { fetchReportSummary } from './report/fetch-report.js';
import { reportTotalsSource } from './report/report-scope.js';
import { noReportSummary, type ReportSummary } from './report/summary.js';
import type { JobSnapshot, SubmittedJob } from './workflow-state.js';

/**
 * The completion report of a terminal job, summarised. A job without a report (disabled, or failed before
 * any task ran) gets a summary saying why, never an exception: the workflow still has an outcome to report.
 */
export async function fetchJobReport(
  objects: ObjectStorePort,
  job: Pick<SubmittedJob, 'jobId' | 'report'>,
  progress: Pick<JobSnapshot, 'tasksRun' | 'failureReasons' | 'succeededTasks'> | null | undefined,
  maxSamples: number,
): Promise<ReportSummary> {
  if (!job.report.enabled || !job.report.bucket) {
    return noReportSummary(job.jobId, 'The completion report was disabled in the request');
  }
  if (progress && progress.tasksRun === 0 && progress.failureReasons.length > 0) {
    // AWS writes no report when no task ran; say why instead of probing for files that cannot exist.
    const reasons = progress.failureReasons.map((r) => `${r.code}: ${r.reason}`).join('; ');
    return noReportSummary(job.jobId, `The job failed before any task ran (${reasons})`);
  }
  return fetchReportSummary({
    store: objects,
    bucket: job.report.bucket,
    prefix: job.report.prefix,
    jobId: job.jobId,
    maxSamples,
    // The workflow reaches FetchReport only from a terminal DescribeJob: `$.progress` holds its counts.
    totals: reportTotalsSource(job.report.scope, progress),
  });
}
