/**
 * Jobs: every S3 Batch Operations job, newest first, one page at a time, with its progress; and the three
 * actions (confirm, cancel, change priority), each sent as the S3 Control API request the AWS console makes.
 */
import type { ServiceHandler } from '../contracts.js';
import { reportJobPrefix } from '../s3control/report-writer.js';
import { type JobRecord, TERMINAL_STATUSES } from '../s3control/types.js';
import { ConsoleRequestError, type Page, type PageRequest, pageOf } from './http.js';
import { callRestXmlApi } from './wire-client.js';

export interface JobRow {
  jobId: string;
  accountId: string;
  status: string;
  operation: string;
  priority: number;
  description?: string;
  created: string;
  terminated?: string;
  total: number;
  succeeded: number;
  failed: number;
  /** Share of finished tasks that failed, 0..1 (0 before any finished). */
  failureRate: number;
  /** Finished tasks over total, 0..100. */
  percent: number;
  /** Where the completion report goes (it exists once the job is terminal and a task ran). */
  report?: { bucket: string; prefix: string };
  actions: { confirm: boolean; cancel: boolean; priority: boolean };
  statusUpdateReason?: string;
  failureReasons: string[];
}

const CANCELLABLE = new Set(['New', 'Preparing', 'Suspended', 'Ready', 'Active', 'Pausing', 'Paused']);
const BUCKET_ARN = /^arn:[^:]+:s3:::(.+)$/;

export function jobRow(record: JobRecord): JobRow {
  const { total, succeeded, failed } = record.progress;
  const finished = succeeded + failed;
  const reportBucket = BUCKET_ARN.exec(record.Report.Bucket ?? '')?.[1];
  return {
    jobId: record.JobId,
    accountId: record.accountId,
    status: record.Status,
    operation: Object.keys(record.Operation)[0] ?? '?',
    priority: record.Priority,
    ...(record.Description ? { description: record.Description } : {}),
    created: record.CreationTime,
    ...(record.TerminationDate ? { terminated: record.TerminationDate } : {}),
    total,
    succeeded,
    failed,
    failureRate: finished === 0 ? 0 : failed / finished,
    percent: total === 0 ? (record.Status === 'Complete' ? 100 : 0) : Math.min(100, (finished / total) * 100),
    ...(record.Report.Enabled && reportBucket
      ? { report: { bucket: reportBucket, prefix: `${reportJobPrefix(record)}/` } }
      : {}),
    actions: {
      confirm: record.Status === 'Suspended',
      cancel: CANCELLABLE.has(record.Status),
      priority: !TERMINAL_STATUSES.has(record.Status),
    },
    ...(record.StatusUpdateReason ? { statusUpdateReason: record.StatusUpdateReason } : {}),
    failureReasons: record.FailureReasons.map((reason) => `${reason.FailureCode}: ${reason.FailureReason}`),
  };
}

export interface JobsPage extends Page<JobRow> {
  /** How many jobs are in each status (all of them, not only this page). */
  counts: Record<string, number>;
}

export function listJobs(records: readonly JobRecord[], status: string | null, page: PageRequest): JobsPage {
  const counts: Record<string, number> = {};
  for (const record of records) counts[record.Status] = (counts[record.Status] ?? 0) + 1;
  const matching = records
    .filter((record) => status === null || status === '' || record.Status === status)
    .sort((a, b) => b.CreationTime.localeCompare(a.CreationTime) || a.JobId.localeCompare(b.JobId));
  // Only the page's records become rows: 1,000 jobs cost one sort, not 1,000 views.
  const slice = pageOf(matching, page);
  return { ...slice, items: slice.items.map(jobRow), counts };
}

export type JobAction = 'confirm' | 'cancel' | 'priority';

/** UpdateJobStatus / UpdateJobPriority through S3 Control's REST handler, as the job's account. */
export async function applyJobAction(
  s3control: ServiceHandler,
  record: JobRecord,
  action: JobAction,
  priority: string | null,
): Promise<void> {
  const headers = { 'x-amz-account-id': record.accountId };
  const base = `/v20180820/jobs/${encodeURIComponent(record.JobId)}`;
  if (action === 'priority') {
    if (priority === null) throw new ConsoleRequestError(400, 'MissingParameter', 'priority is required');
    await callRestXmlApi(s3control, 'POST', `${base}/priority`, { priority }, headers);
    return;
  }
  const requestedJobStatus = action === 'confirm' ? 'Ready' : 'Cancelled';
  const statusUpdateReason =
    action === 'confirm' ? 'Confirmed in the local console' : 'Cancelled in the local console';
  await callRestXmlApi(
    s3control,
    'POST',
    `${base}/status`,
    { requestedJobStatus, statusUpdateReason },
    headers,
  );
}
