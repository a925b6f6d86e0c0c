import { describe, expect, it } from 'vitest';
import type { ReportRow } from '../../../src/core/report/result-rows.js';
import { noReportSummary, ReportSummaryBuilder } from '../../../src/core/report/summary.js';

const row = (overrides: Partial<ReportRow> = {}): ReportRow => ({
  bucket: 'data',
  key: 'k',
  rawKey: 'k',
  versionId: undefined,
  taskStatus: 'succeeded',
  errorCode: '',
  httpStatus: 200,
  resultMessage: 'Successful',
  ...overrides,
});
const failure = (n: number, overrides: Partial<ReportRow> = {}): ReportRow =>
  row({ key: `k${n}`, taskStatus: 'failed', errorCode: 'AccessDenied', httpStatus: 403, ...overrides });

describe('ReportSummaryBuilder', () => {
  it('counts tasks by status, error code and HTTP status', () => {
    // Prepare
    const builder = new ReportSummaryBuilder('job-1', { manifestKey: 'job-1/manifest.json' });

    // Act
    builder.addRow(row());
    builder.addRow(row());
    builder.addRow(failure(1));
    builder.addRow(failure(2, { errorCode: 'PermanentFailure', httpStatus: 200 }));
    builder.addRow(failure(3, { errorCode: '', httpStatus: null }));
    builder.addResultFile('job-1/results/a.csv');
    const summary = builder.build();

    // Assess
    expect(summary).toMatchObject({
      jobId: 'job-1',
      available: true,
      manifestKey: 'job-1/manifest.json',
      totalTasks: 5,
      succeededTasks: 2,
      failedTasks: 3,
      byErrorCode: { AccessDenied: 1, PermanentFailure: 1 },
      byHttpStatus: { '200': 3, '403': 1 },
      resultFiles: ['job-1/results/a.csv'],
    });
    expect(summary.reason).toBeUndefined();
  });

  it('keeps the first failures as samples, at most maxSamples', () => {
    // Prepare
    const builder = new ReportSummaryBuilder('job-1', { maxSamples: 2 });

    // Act
    for (let n = 1; n <= 5; n++) builder.addRow(failure(n, { versionId: n === 1 ? 'v1' : undefined }));
    const { sampleFailures, failedTasks } = builder.build();

    // Assess
    expect(failedTasks).toBe(5);
    expect(sampleFailures).toEqual([
      {
        bucket: 'data',
        key: 'k1',
        versionId: 'v1',
        errorCode: 'AccessDenied',
        httpStatus: 403,
        message: 'Successful',
      },
      { bucket: 'data', key: 'k2', errorCode: 'AccessDenied', httpStatus: 403, message: 'Successful' },
    ]);
  });

  it('keeps 20 samples by default', () => {
    // Prepare
    const builder = new ReportSummaryBuilder('job-1');

    // Act
    for (let n = 0; n < 50; n++) builder.addRow(failure(n));

    // Assess
    expect(builder.build().sampleFailures).toHaveLength(20);
  });

  it('treats error codes as data, even ones named like Object.prototype members', () => {
    // Prepare
    const builder = new ReportSummaryBuilder('job-1');

    // Act
    builder.addRow(failure(1, { errorCode: '__proto__' }));
    builder.addRow(failure(2, { errorCode: 'constructor' }));

    // Assess
    const { byErrorCode } = builder.build();
    expect(Object.keys(byErrorCode).sort()).toEqual(['__proto__', 'constructor']);
    expect(byErrorCode['constructor']).toBe(1);
  });

  it('rejects a negative maxSamples', () => {
    expect(() => new ReportSummaryBuilder('job-1', { maxSamples: -1 })).toThrow(RangeError);
  });
});

describe('noReportSummary', () => {
  it('describes a job without a report as unavailable, with zero counts and the reason', () => {
    expect(noReportSummary('job-9', 'report disabled')).toEqual({
      jobId: 'job-9',
      available: false,
      reason: 'report disabled',
      totalTasks: 0,
      succeededTasks: 0,
      failedTasks: 0,
      byErrorCode: {},
      byHttpStatus: {},
      sampleFailures: [],
      resultFiles: [],
    });
  });
});
