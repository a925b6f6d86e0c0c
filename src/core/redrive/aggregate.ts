/**
 * The final report summary of a workflow that ran one job and then redrive jobs for its failures.
 */
import type { ReportSampleFailure, ReportSummary } from '../../generated/types.js';
import { defaultMaxSamples } from '../report/summary.js';
import { compileRedriveMatcher, defaultRedriveErrorCodes } from './eligibility.js';

export interface AggregateOptions {
  /** The error codes the redrives used (resolved); decides which earlier failures were not redriven. */
  errorCodes?: readonly string[];
  maxSamples?: number;
}

/**
 * Combines the summaries of attempts 1…n (the original job first) into the outcome of the whole workflow:
 *
 * - `jobId`, `reportCreationDate`, `manifestKey`: the last attempt's;
 * - `totalTasks`: the first attempt's (redrive jobs only rerun some of its tasks);
 * - `failedTasks`: the last attempt's failures, plus for every earlier attempt k the failures attempt k+1
 *   did not rerun (`failed(k) − total(k+1)`, at least 0): tasks whose error did not qualify, and tasks of a
 *   redrive job that stopped before running them. Redrive jobs always report AllTasks
 *   (buildRedriveRequest), so `total(k+1)` is the number of redriven tasks that ran;
 * - `succeededTasks`: total − failed. With a FailedTasksOnly first report, total counts only the first
 *   job's failures, so this is how many of them a redrive recovered;
 * - `byErrorCode`: the failures that remain, by the code of their latest run: the last attempt's counts,
 *   plus the codes of earlier attempts that do not qualify for a redrive by name. Exact when every
 *   redrive ran all its tasks and qualified by error code; a failure that qualified only by HTTP status
 *   (`5xx`) is not counted again after its redrive, and one a stopped redrive never ran is not counted;
 * - `byHttpStatus`: every row read, across all attempts (the schema's "rows per HTTP status"): a task run
 *   three times counts three times. Splitting earlier statuses into redriven / not redriven would need
 *   per-row data the summaries do not keep;
 * - `sampleFailures`: the last attempt's samples, then earlier attempts' samples (newest first) whose
 *   failure did not qualify for a redrive, at most `maxSamples` (20);
 * - `resultFiles`: every attempt's, in attempt order; `attempts`: the number of summaries.
 *
 * `available` is true when any attempt's report was read; a redrive job without a report counts as having
 * run none of its tasks, so the failures it was meant to retry stay failed.
 */
export function aggregateAttempts(
  summaries: readonly ReportSummary[],
  options: AggregateOptions = {},
): ReportSummary {
  const first = summaries[0];
  const last = summaries[summaries.length - 1];
  if (first === undefined || last === undefined)
    throw new RangeError('aggregateAttempts needs at least one summary');
  const matches = compileRedriveMatcher(options.errorCodes ?? defaultRedriveErrorCodes);
  const maxSamples = options.maxSamples ?? defaultMaxSamples;

  let failed = last.failedTasks;
  const byErrorCode = new Map<string, number>();
  addCounts(byErrorCode, last.byErrorCode);
  for (let k = 0; k < summaries.length - 1; k++) {
    const earlier = summaries[k]!;
    const rerun = summaries[k + 1]!.totalTasks;
    failed += Math.max(0, earlier.failedTasks - rerun);
    addCounts(byErrorCode, earlier.byErrorCode, (code) => !matches({ errorCode: code, httpStatus: null }));
  }

  const byHttpStatus = new Map<string, number>();
  for (const summary of summaries) addCounts(byHttpStatus, summary.byHttpStatus);

  const samples: ReportSampleFailure[] = last.sampleFailures.slice(0, maxSamples);
  for (let k = summaries.length - 2; k >= 0 && samples.length < maxSamples; k--) {
    for (const sample of summaries[k]!.sampleFailures) {
      if (samples.length >= maxSamples) break;
      if (!matches(sample)) samples.push(sample);
    }
  }

  const total = first.totalTasks;
  const unavailable = summaries
    .map((summary, i) =>
      summary.available ? undefined : `attempt ${i + 1}: ${summary.reason ?? 'no report'}`,
    )
    .filter((reason) => reason !== undefined);
  return {
    jobId: last.jobId,
    available: unavailable.length < summaries.length,
    ...(unavailable.length > 0 && { reason: unavailable.join('; ') }),
    ...(last.reportCreationDate !== undefined && { reportCreationDate: last.reportCreationDate }),
    ...(last.manifestKey !== undefined && { manifestKey: last.manifestKey }),
    totalTasks: total,
    succeededTasks: Math.max(0, total - failed),
    failedTasks: failed,
    byErrorCode: Object.fromEntries(byErrorCode),
    byHttpStatus: Object.fromEntries(byHttpStatus),
    sampleFailures: samples.map((sample) => ({ ...sample })),
    resultFiles: summaries.flatMap((summary) => summary.resultFiles),
    attempts: summaries.length,
  };
}

function addCounts(
  into: Map<string, number>,
  counts: Record<string, number | undefined>,
  keep: (key: string) => boolean = () => true,
): void {
  for (const [key, n] of Object.entries(counts)) {
    if (n && keep(key)) into.set(key, (into.get(key) ?? 0) + n);
  }
}
