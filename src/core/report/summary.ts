/**
 * Builds the `ReportSummary` the FetchReport task returns (workflow contract: `$.report`), one row at a
 * time, so a report of any size is summarised in constant memory.
 */
import type { ReportSampleFailure, ReportSummary } from '../../generated/types.js';
import type { ReportRowFields } from './result-rows.js';

export type { ReportSampleFailure, ReportSummary };

export const defaultMaxSamples = 20;

/** The summary of a job that has no completion report (failed before any task ran, or report disabled). */
export function noReportSummary(jobId: string, reason: string): ReportSummary {
  return {
    jobId,
    available: false,
    reason,
    totalTasks: 0,
    succeededTasks: 0,
    failedTasks: 0,
    byErrorCode: {},
    byHttpStatus: {},
    sampleFailures: [],
    resultFiles: [],
  };
}

export interface ReportSummaryBuilderOptions {
  maxSamples?: number;
  reportCreationDate?: string;
  manifestKey?: string;
}

export class ReportSummaryBuilder {
  readonly #jobId: string;
  readonly #maxSamples: number;
  readonly #reportCreationDate: string | undefined;
  readonly #manifestKey: string | undefined;
  #total = 0;
  #succeeded = 0;
  #failed = 0;
  // Maps, not objects: error codes come from the report and must not collide with Object.prototype.
  readonly #byErrorCode = new Map<string, number>();
  // HTTP statuses are three-digit numbers counted for every task: an array slot is cheaper than a Map.
  readonly #byHttpStatus = new Float64Array(1000);
  readonly #byOtherHttpStatus = new Map<number, number>();
  readonly #samples: ReportSampleFailure[] = [];
  readonly #resultFiles: string[] = [];

  constructor(jobId: string, options: ReportSummaryBuilderOptions = {}) {
    const maxSamples = options.maxSamples ?? defaultMaxSamples;
    if (!Number.isInteger(maxSamples) || maxSamples < 0) {
      throw new RangeError(`maxSamples must be a non-negative integer, got ${maxSamples}`);
    }
    this.#jobId = jobId;
    this.#maxSamples = maxSamples;
    this.#reportCreationDate = options.reportCreationDate;
    this.#manifestKey = options.manifestKey;
  }

  addResultFile(key: string): void {
    this.#resultFiles.push(key);
  }

  /** Counts one task. Accepts a parser's reused row view: reads only what it needs, keeps copies. */
  addRow(row: ReportRowFields & { readonly succeeded?: boolean }): void {
    this.#total++;
    const succeeded = row.succeeded ?? row.taskStatus === 'succeeded';
    const http = row.httpStatus;
    if (http !== null) {
      if (http < 1000) this.#byHttpStatus[http]!++;
      else this.#byOtherHttpStatus.set(http, (this.#byOtherHttpStatus.get(http) ?? 0) + 1);
    }
    if (succeeded) {
      this.#succeeded++;
      return;
    }
    this.#failed++;
    const errorCode = row.errorCode;
    if (errorCode !== '') this.#byErrorCode.set(errorCode, (this.#byErrorCode.get(errorCode) ?? 0) + 1);
    if (this.#samples.length < this.#maxSamples) {
      const versionId = row.versionId;
      this.#samples.push({
        bucket: row.bucket,
        key: row.key,
        ...(versionId !== undefined && { versionId }),
        errorCode,
        httpStatus: http,
        message: row.resultMessage,
      });
    }
  }

  #httpStatusCounts(): Record<string, number> {
    const counts: Record<string, number> = {};
    this.#byHttpStatus.forEach((n, status) => {
      if (n > 0) counts[String(status)] = n;
    });
    for (const [status, n] of this.#byOtherHttpStatus) counts[String(status)] = n;
    return counts;
  }

  build(): ReportSummary {
    return {
      jobId: this.#jobId,
      available: true,
      ...(this.#reportCreationDate !== undefined && { reportCreationDate: this.#reportCreationDate }),
      ...(this.#manifestKey !== undefined && { manifestKey: this.#manifestKey }),
      totalTasks: this.#total,
      succeededTasks: this.#succeeded,
      failedTasks: this.#failed,
      byErrorCode: Object.fromEntries(this.#byErrorCode),
      byHttpStatus: this.#httpStatusCounts(),
      sampleFailures: this.#samples.map((sample) => ({ ...sample })),
      resultFiles: [...this.#resultFiles],
    };
  }
}
