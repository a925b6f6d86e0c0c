import { describe, expect, it } from 'vitest';
import { fetchJobReport } from '../../../src/core/fetch-job-report.js';
import { fetchReportSummary } from '../../../src/core/report/fetch-report.js';
import { applyReportScope, reportTotalsSource } from '../../../src/core/report/report-scope.js';
import { noReportSummary, ReportSummaryBuilder } from '../../../src/core/report/summary.js';
import { MemoryObjectStore, md5 } from '../../doubles/memory-ports.js';

const jobId = 'f8fb9d89-a3aa-461d-bddc-ea6a1b131955';
const folder = `batch/job-${jobId}`;
const failedCsv =
  'data,photos/b.jpg,,failed,403,AccessDenied,Access Denied\n' +
  'data,photos/c.jpg,,failed,503,SlowDown,Please reduce your request rate.\n';

/** A FailedTasksOnly report as S3 writes it: one result file, failed rows only (none when nothing failed). */
function givenFailedOnlyReport(store: MemoryObjectStore, body: string) {
  const results =
    body === ''
      ? []
      : [
          {
            TaskExecutionStatus: 'failed',
            Bucket: 'reports',
            MD5Checksum: md5(body),
            Key: `${folder}/results/f.csv`,
          },
        ];
  if (body !== '') store.put('reports', `${folder}/results/f.csv`, body);
  store.put(
    'reports',
    `${folder}/manifest.json`,
    JSON.stringify({
      Format: 'Report_CSV_20180820',
      ReportCreationDate: '2026-11-26T10:00:00.000Z',
      Results: results,
    }),
  );
}

/** A summary built from two failed rows, as a FailedTasksOnly report yields it. */
function failedRowsSummary() {
  const builder = new ReportSummaryBuilder(jobId);
  for (const key of ['a', 'b']) {
    builder.addRow({
      bucket: 'data',
      key,
      versionId: undefined,
      taskStatus: 'failed',
      errorCode: 'AccessDenied',
      httpStatus: 403,
      resultMessage: 'Access Denied',
    });
  }
  return builder.build();
}

describe('applyReportScope', () => {
  it('keeps the row counts of an AllTasks report', () => {
    const summary = failedRowsSummary();
    expect(applyReportScope(summary, { scope: 'AllTasks' })).toBe(summary);
  });

  it("takes the successes of a FailedTasksOnly report from the job's counts, the failures from its rows", () => {
    const summary = applyReportScope(failedRowsSummary(), {
      scope: 'FailedTasksOnly',
      jobCounts: { succeededTasks: 298 },
    });
    expect(summary).toMatchObject({
      totalTasks: 300,
      succeededTasks: 298,
      failedTasks: 2,
      byErrorCode: { AccessDenied: 2 },
      byHttpStatus: { '403': 2 },
    });
  });

  it('leaves a summary without a report alone', () => {
    const none = noReportSummary(jobId, 'no report');
    expect(applyReportScope(none, { scope: 'FailedTasksOnly', jobCounts: { succeededTasks: 5 } })).toEqual(
      none,
    );
  });
});

describe('reportTotalsSource', () => {
  it('needs no counts for AllTasks (or an unknown scope, which is AllTasks by default)', () => {
    expect(reportTotalsSource('AllTasks', undefined)).toEqual({ scope: 'AllTasks' });
    expect(reportTotalsSource(undefined, null)).toEqual({ scope: 'AllTasks' });
  });

  it("refuses a FailedTasksOnly report without the job's counts rather than report 0 succeeded", () => {
    expect(() => reportTotalsSource('FailedTasksOnly', undefined)).toThrow(/DescribeJob counts/);
  });
});

describe('fetchReportSummary with a FailedTasksOnly report', () => {
  it('summarises a 300-task job whose 2 failures are the only rows', async () => {
    const store = new MemoryObjectStore();
    givenFailedOnlyReport(store, failedCsv);
    const summary = await fetchReportSummary({
      store,
      bucket: 'reports',
      prefix: 'batch',
      jobId,
      totals: { scope: 'FailedTasksOnly', jobCounts: { succeededTasks: 298 } },
    });
    expect(summary).toMatchObject({ available: true, totalTasks: 300, succeededTasks: 298, failedTasks: 2 });
    expect(summary.sampleFailures.map((f) => f.key)).toEqual(['photos/b.jpg', 'photos/c.jpg']);
  });

  it('does not say "Tasks 0" when nothing failed and the report lists no file', async () => {
    const store = new MemoryObjectStore();
    givenFailedOnlyReport(store, '');
    const summary = await fetchReportSummary({
      store,
      bucket: 'reports',
      prefix: 'batch',
      jobId,
      totals: { scope: 'FailedTasksOnly', jobCounts: { succeededTasks: 300 } },
    });
    expect(summary).toMatchObject({ totalTasks: 300, succeededTasks: 300, failedTasks: 0, resultFiles: [] });
  });
});

describe('fetchJobReport (the FetchReport task)', () => {
  const job = (scope: 'AllTasks' | 'FailedTasksOnly') => ({
    jobId,
    report: { enabled: true, bucket: 'reports', prefix: 'batch', scope },
  });
  const progress = { tasksRun: 300, succeededTasks: 298, failedTasks: 2, failureReasons: [] };

  it("takes a FailedTasksOnly job's totals from $.progress", async () => {
    const store = new MemoryObjectStore();
    givenFailedOnlyReport(store, failedCsv);
    const summary = await fetchJobReport(store, job('FailedTasksOnly'), progress, 20);
    expect(summary).toMatchObject({ totalTasks: 300, succeededTasks: 298, failedTasks: 2 });
  });

  it('counts the rows of an AllTasks report, whatever $.progress says', async () => {
    const store = new MemoryObjectStore();
    givenFailedOnlyReport(store, failedCsv);
    const summary = await fetchJobReport(store, job('AllTasks'), progress, 20);
    expect(summary).toMatchObject({ totalTasks: 2, succeededTasks: 0, failedTasks: 2 });
  });
});
