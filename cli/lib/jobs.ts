/** The S3 Batch Operations job commands: list (paged, bounded), describe, status and priority updates. */
import type { JobSummary } from '../../src/adapters/aws/index.js';
import type { JobStatus } from '../../src/core/names.js';
import type { JobDescription } from '../../src/core/ports.js';
import type { CliContext } from '../context.js';

/** ListJobs' largest page (S3 Control API reference, ListJobs `MaxResults`). */
const maxPageSize = 1_000;

export interface ListedJobs {
  jobs: JobSummary[];
  /** True when more jobs exist than `max`. */
  truncated: boolean;
}

/** Pages through ListJobs until `max` jobs or the last page. */
export async function listJobs(
  ctx: CliContext,
  options: { statuses?: JobStatus[]; max: number },
): Promise<ListedJobs> {
  const adapter = ctx.batchJobs();
  const accountId = ctx.accountId();
  const jobs: JobSummary[] = [];
  let nextToken: string | undefined;
  do {
    const page = await adapter.listJobs(accountId, {
      ...(options.statuses && options.statuses.length > 0 ? { statuses: options.statuses } : {}),
      maxResults: Math.min(maxPageSize, options.max - jobs.length),
      ...(nextToken === undefined ? {} : { nextToken }),
    });
    jobs.push(...page.jobs.slice(0, options.max - jobs.length));
    nextToken = page.nextToken;
  } while (nextToken && jobs.length < options.max);
  return { jobs, truncated: Boolean(nextToken) };
}

export function describeJob(ctx: CliContext, jobId: string): Promise<JobDescription> {
  return ctx.batchJobs().describeJob(ctx.accountId(), jobId);
}

/** UpdateJobStatus: `Ready` confirms a job created without confirmation, `Cancelled` cancels it. */
export function setJobStatus(
  ctx: CliContext,
  jobId: string,
  requested: 'Ready' | 'Cancelled',
  reason?: string,
): Promise<{ status: JobStatus }> {
  return ctx.batchJobs().updateJobStatus(ctx.accountId(), jobId, requested, reason);
}

export function setJobPriority(
  ctx: CliContext,
  jobId: string,
  priority: number,
): Promise<{ priority: number }> {
  return ctx.batchJobs().updateJobPriority(ctx.accountId(), jobId, priority);
}
