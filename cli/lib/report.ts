/** A job's completion report summary, from the bucket/prefix given or the job's own report settings. */
import { fetchReportSummary } from '../../src/core/report/fetch-report.js';
import type { ReportSummary } from '../../src/generated/types.js';
import type { CliContext } from '../context.js';
import { CliUsageError } from '../errors.js';

/** `arn:aws:s3:::my-bucket` → `my-bucket` (DescribeJob reports the bucket as an ARN). */
export function bucketName(bucketOrArn: string): string {
  const match = /^arn:[^:]+:s3:::(.+)$/.exec(bucketOrArn);
  return match ? match[1]! : bucketOrArn;
}

export async function fetchJobReport(
  ctx: CliContext,
  jobId: string,
  location: { bucket?: string; prefix?: string },
): Promise<ReportSummary> {
  let { bucket, prefix } = location;
  if (bucket === undefined) {
    const report = (await ctx.batchJobs().describeJob(ctx.accountId(), jobId)).Report;
    if (!report?.Enabled || !report.Bucket) {
      throw new CliUsageError(
        `job ${jobId} has no completion report configured; pass --bucket (and --prefix)`,
      );
    }
    bucket = report.Bucket;
    prefix ??= report.Prefix;
  }
  return fetchReportSummary({ store: ctx.objectStore(), bucket: bucketName(bucket), prefix, jobId });
}
