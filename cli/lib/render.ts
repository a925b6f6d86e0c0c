/**
 * What `watch`, `run`, `report`, `events` (and the demo) print: pure string builders, no I/O.
 * Output is deterministic (fixed number formats, no colours) so it can be tested and diffed.
 */
import type { ReportSummary } from '../../src/generated/types.js';
import { formatCount, formatPercent, renderKeyValues, renderTable, truncate } from './table.js';

/** The counts a progress bar shows. A `JobSnapshot` (src/core/workflow-state.ts) fits as it is. */
export interface ProgressSnapshot {
  /** The job status, or the execution status while no job exists yet. */
  status: string;
  totalTasks: number;
  succeededTasks: number;
  failedTasks: number;
  jobId?: string;
  /** The workflow's attempt of this job: 2, 3… for redrives; shown when above 1. */
  attempt?: number;
}

export interface ProgressBarOptions {
  /** Cells in the bar. Default 24. */
  width?: number;
}

/**
 * One line: `Active      [#########---------------]  37.5%  succeeded 370  failed 5  total 1,000`, followed by
 * `attempt 2` for a redrive job. The bar fills with tasks run (succeeded + failed) over total; 0% while
 * the total is unknown.
 */
export function renderProgressBar(snapshot: ProgressSnapshot, options: ProgressBarOptions = {}): string {
  const width = Math.max(1, options.width ?? 24);
  const total = Math.max(0, snapshot.totalTasks);
  const run = Math.max(0, snapshot.succeededTasks) + Math.max(0, snapshot.failedTasks);
  const ratio = total === 0 ? 0 : Math.min(1, run / total);
  const filled = Math.round(ratio * width);
  const bar = `[${'#'.repeat(filled)}${'-'.repeat(width - filled)}]`;
  return [
    snapshot.status.padEnd(10),
    bar,
    formatPercent(ratio).padStart(6),
    `succeeded ${formatCount(snapshot.succeededTasks)}`,
    `failed ${formatCount(snapshot.failedTasks)}`,
    `total ${formatCount(total)}`,
    ...(snapshot.attempt !== undefined && snapshot.attempt > 1 ? [`attempt ${snapshot.attempt}`] : []),
  ].join('  ');
}

export interface SummaryTableOptions {
  /** Sample failures shown. Default 10. */
  maxSamples?: number;
}

/** The completion report summary: totals, failures by code and HTTP status, sample failures. */
export function renderSummaryTable(summary: ReportSummary, options: SummaryTableOptions = {}): string {
  if (!summary.available) {
    return renderKeyValues([
      ['Job', summary.jobId],
      ['Report', `not available${summary.reason ? `: ${summary.reason}` : ''}`],
    ]);
  }
  const run = summary.succeededTasks + summary.failedTasks;
  const sections = [
    renderKeyValues([
      ['Job', summary.jobId],
      ['Report', summary.manifestKey ?? 'available'],
      ...(summary.reportCreationDate ? [['Created', summary.reportCreationDate] as [string, string]] : []),
      ['Tasks', formatCount(summary.totalTasks)],
      ['Succeeded', formatCount(summary.succeededTasks)],
      [
        'Failed',
        `${formatCount(summary.failedTasks)} (${formatPercent(run === 0 ? 0 : summary.failedTasks / run)})`,
      ],
      ['Result files', formatCount(summary.resultFiles.length)],
    ]),
  ];
  const byCode = countRows(summary.byErrorCode);
  if (byCode.length > 0) sections.push(renderTable(['ERROR CODE', 'TASKS'], byCode));
  const byStatus = countRows(summary.byHttpStatus);
  if (byStatus.length > 0) sections.push(renderTable(['HTTP STATUS', 'TASKS'], byStatus));
  const samples = summary.sampleFailures.slice(0, options.maxSamples ?? 10);
  if (samples.length > 0) {
    sections.push(
      renderTable(
        ['FAILED OBJECT', 'ERROR CODE', 'HTTP', 'MESSAGE'],
        samples.map((f) => [
          `s3://${f.bucket}/${f.key}${f.versionId ? ` (${f.versionId})` : ''}`,
          f.errorCode || '-',
          f.httpStatus === null ? '-' : String(f.httpStatus),
          f.message,
        ]),
        { maxCellWidth: 50 },
      ),
    );
    const more = summary.failedTasks - samples.length;
    if (more > 0) sections.push(`… and ${formatCount(more)} more failed tasks (see the result files)`);
  }
  return sections.join('\n\n');
}

/** Largest count first, then by key, so the table is stable. */
function countRows(counts: Record<string, number | undefined>): string[][] {
  return Object.entries(counts)
    .filter((entry): entry is [string, number] => typeof entry[1] === 'number' && entry[1] > 0)
    .sort(([a, x], [b, y]) => y - x || a.localeCompare(b))
    .map(([key, count]) => [key || '(none)', formatCount(count)]);
}

/** An EventBridge envelope as the event log stores it; only these fields are read. */
export interface EventEnvelopeView {
  'detail-type': string;
  source: string;
  time: string;
  detail?: unknown;
}

export const eventsTableHeaders = ['TIME', 'DETAIL-TYPE', 'SOURCE', 'JOB', 'INFO'];

/** Table of events, oldest first as given. An empty list gives the header only. */
export function renderEventsTable(events: readonly EventEnvelopeView[]): string {
  return renderTable(eventsTableHeaders, events.map(eventRow), { maxCellWidth: 70 });
}

/** The cells of one event's row (also used by `events --follow`, which prints rows as they come). */
export function eventRow(event: EventEnvelopeView): string[] {
  const detail = asRecord(event.detail);
  const service = asRecord(detail['serviceEventDetails']);
  const jobId = str(detail['jobId']) ?? str(service['jobId']) ?? str(detail['campaignId']) ?? '-';
  return [event.time, event['detail-type'], event.source, jobId, eventInfo(detail, service)];
}

/** The one thing worth knowing about an event, per detail shape (schemas/events/*). */
export function eventInfo(detail: Record<string, unknown>, service: Record<string, unknown> = {}): string {
  const field = str(detail['field']);
  const reason = str(detail['reason']);
  if (field && reason) return truncate(`${field}: ${reason}`, 70);
  const dryRun = detail['dryRun'] === true ? ' (dry run)' : '';
  // Batch Job Redriven: { parentJobId, attempt, taskCount }.
  const parentJobId = str(detail['parentJobId']);
  const attempt = num(detail['attempt']);
  if (parentJobId && attempt !== undefined) {
    const tasks = num(detail['taskCount']);
    return truncate(
      `attempt ${attempt} of job ${parentJobId}${tasks === undefined ? '' : `, ${formatCount(tasks)} tasks`}`,
      70,
    );
  }
  // Batch Job Auto-Cancelled: { failureRate, tasksRun, failedTasks, threshold, maxFailedTasks?, dryRun }.
  if ('threshold' in detail && num(detail['tasksRun']) !== undefined) {
    return truncate(`${autoCancelInfo(detail) ?? reason ?? 'auto-cancelled'}${dryRun}`, 70);
  }
  const outcome = str(detail['outcome']);
  if (outcome) {
    const progress = asRecord(detail['progress']);
    const failed = num(progress['failedTasks']);
    return failed === undefined ? outcome : `${outcome}, ${formatCount(failed)} failed`;
  }
  const status = str(detail['status']) ?? str(service['status']);
  if (status) {
    const previous = str(detail['previousStatus']);
    const change = previous && previous !== status ? `${previous} → ${status}` : status;
    return detail['stalled'] === true ? `${change} (stalled)` : change;
  }
  // Batch Job Reprioritized: { fromPriority, toPriority, reason, dryRun }.
  const from = num(detail['fromPriority']);
  const to = num(detail['toPriority']);
  if (from !== undefined && to !== undefined) {
    return truncate(`priority ${from} → ${to}${reason ? `: ${reason}` : ''}${dryRun}`, 70);
  }
  const operation = str(detail['operation']);
  if (operation) {
    const priority = num(detail['priority']);
    return priority === undefined ? operation : `${operation}, priority ${priority}`;
  }
  if (reason) return truncate(reason, 70);
  return str(detail['eventName']) ?? '';
}

/**
 * `failure rate 20.0% > 5.0% after 240 tasks`, or `12 tasks failed ≥ limit 10 after 240 tasks` when
 * maxFailedTasks triggered; undefined when the figures are missing.
 */
function autoCancelInfo(detail: Record<string, unknown>): string | undefined {
  const rate = num(detail['failureRate']);
  const run = num(detail['tasksRun']);
  const failed = num(detail['failedTasks']);
  const threshold = num(detail['threshold']);
  const maxFailed = num(detail['maxFailedTasks']);
  if (run === undefined) return undefined;
  const after = `after ${formatCount(run)} tasks`;
  if (rate !== undefined && threshold !== undefined && rate > threshold) {
    return `failure rate ${formatPercent(rate)} > ${formatPercent(threshold)} ${after}`;
  }
  if (failed !== undefined && maxFailed !== undefined && failed >= maxFailed) {
    return `${formatCount(failed)} tasks failed ≥ limit ${formatCount(maxFailed)} ${after}`;
  }
  return rate === undefined ? undefined : `failure rate ${formatPercent(rate)} ${after}`;
}

const asRecord = (value: unknown): Record<string, unknown> =>
  value !== null && typeof value === 'object' && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : {};
const str = (value: unknown): string | undefined =>
  typeof value === 'string' && value !== '' ? value : undefined;
const num = (value: unknown): number | undefined => (typeof value === 'number' ? value : undefined);
