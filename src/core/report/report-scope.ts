/**
 * Where a report summary's totals come from, by the job's `ReportScope`.
 *
 * An AllTasks report has one row per task that ran, so its rows are the totals. A FailedTasksOnly report
 * has only the failed rows (S3 User Guide, "Completion reports"): how many tasks succeeded is known only
 * from DescribeJob's ProgressSummary (`NumberOfTasksSucceeded`), which the workflow carries in
 * `$.progress` and `s3bo report` reads itself. This is the one place that rule lives.
 */
import type { ReportSummary } from '../../generated/types.js';
import type { ReportSettings } from '../workflow-state.js';

/** CreateJob's ReportScope, as the request names it (schemas/job-request.schema.json JobReport.scope). */
export type ReportScope = ReportSettings['scope'];

/**
 * What a FailedTasksOnly summary needs from DescribeJob's ProgressSummary, as JobSnapshot (`$.progress`)
 * carries it. Its failures are the report's own rows, which byErrorCode and the samples describe.
 */
export interface JobTaskCounts {
  succeededTasks: number;
}

/** A FailedTasksOnly report cannot be summarised without the job's own counts: the type asks for them. */
export type ReportTotalsSource =
  | { scope: 'AllTasks' }
  | { scope: 'FailedTasksOnly'; jobCounts: JobTaskCounts };

/**
 * The totals source for a job's scope. `jobCounts` may be absent only with AllTasks: without them a
 * FailedTasksOnly summary could only say "0 succeeded", which is the mistake this rule exists to prevent.
 */
export function reportTotalsSource(
  scope: ReportScope | undefined,
  jobCounts: JobTaskCounts | null | undefined,
): ReportTotalsSource {
  if (scope !== 'FailedTasksOnly') return { scope: 'AllTasks' };
  if (!jobCounts) throw new TypeError("a FailedTasksOnly report's totals need the job's DescribeJob counts");
  return { scope, jobCounts: { succeededTasks: jobCounts.succeededTasks } };
}

/** DescribeJob's ProgressSummary → JobTaskCounts; an absent count is 0 (DescribeJob omits zeros). */
export function jobTaskCounts(progress: { NumberOfTasksSucceeded?: number | undefined }): JobTaskCounts {
  return { succeededTasks: progress.NumberOfTasksSucceeded ?? 0 };
}

/**
 * The summary with totals that mean the same whatever the scope: `totalTasks` is the tasks that ran
 * (an AllTasks report's row count), `succeededTasks` of them succeeded, `failedTasks` failed. For a
 * FailedTasksOnly report the failures stay the rows read (byErrorCode and the samples describe exactly
 * them); the successes come from the job.
 */
export function applyReportScope(summary: ReportSummary, source: ReportTotalsSource): ReportSummary {
  if (source.scope === 'AllTasks' || !summary.available) return summary;
  const succeededTasks = source.jobCounts.succeededTasks;
  return { ...summary, succeededTasks, totalTasks: succeededTasks + summary.failedTasks };
}
