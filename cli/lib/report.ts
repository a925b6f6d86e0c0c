/** A job's completion report summary, from the bucket/prefix given or the job's own report settings. */
import { fetchReportSummary } from '../../src/core/report/fetch-report.js';
import { jobTaskCounts, reportTotalsSource } from '../../src/core/report/report-scope.js';
import type { ReportSummary } from '../../src/generated/types.js';
import type { CliContext } from '../context.js';
import { CliUsageError } from '../errors.js';

/** `arn:aws:s3:::my-bucket` → `my-bucket` (DescribeJob reports the bucket as an ARN). */
export function bucketName(bucketOrArn: string): string {
  const match = /^arn:[^:]+:s3:::(.+)$/.exec(bucketOrArn);
  return match ? match[1]! : bucketOrArn;
}

/**
 * DescribeJob is read even when `--bucket` says where the report is: only the job knows its ReportScope,
 * and a FailedTasksOnly report needs the job's counts for its totals (report-scope.ts).
 */
export async function fetchJobReport(
  ctx: CliContext,
  jobId: string,
  location: { bucket?: string; prefix?: string },
): Promise<ReportSummary> {
  const job = await ctx.batchJobs().describeJob(ctx.accountId(), jobId);
  let { bucket, prefix } = location;
  if (bucket === undefined) {
    const report = job.Report;
    if (!report?.Enabled || !report.Bucket) {
      throw new CliUsageError(
        `job ${jobId} has no completion report configured; pass --bucket (and --prefix)`,
      );
    }
    bucket = report.Bucket;
    prefix ??= report.Prefix;
  }
  const totals = reportTotalsSource(job.Report?.ReportScope, jobTaskCounts(job.ProgressSummary ?? {}));
  return fetchReportSummary({ store: ctx.objectStore(), bucket: bucketName(bucket), prefix, jobId, totals });
}
