import { describe, expect, it } from 'vitest';
import { aggregateAttempts } from '../../../src/core/redrive/aggregate.js';
import type { ReportSampleFailure } from '../../../src/core/report/summary.js';
import { summary } from './builders.js';

const sample = (key: string, errorCode: string, httpStatus: number): ReportSampleFailure => ({
  bucket: 'data',
  key,
  errorCode,
  httpStatus,
  message: `${errorCode} on ${key}`,
});

// Attempt 1: 100 tasks, 10 failed (6 SlowDown, 4 AccessDenied). The redrive reruns the 6 SlowDown.
const first = summary({
  jobId: 'job-1',
  totalTasks: 100,
  succeededTasks: 90,
  failedTasks: 10,
  byErrorCode: { SlowDown: 6, AccessDenied: 4 },
  byHttpStatus: { '200': 90, '503': 6, '403': 4 },
  sampleFailures: [sample('a', 'SlowDown', 503), sample('b', 'AccessDenied', 403)],
  resultFiles: ['r1-ok.csv', 'r1-failed.csv'],
  manifestKey: 'batch/job-job-1/manifest.json',
});
// Attempt 2: the 6 rerun, 2 fail again with SlowDown.
const second = summary({
  jobId: 'job-2',
  totalTasks: 6,
  succeededTasks: 4,
  failedTasks: 2,
  byErrorCode: { SlowDown: 2 },
  byHttpStatus: { '200': 4, '503': 2 },
  sampleFailures: [sample('a', 'SlowDown', 503)],
  resultFiles: ['r2-ok.csv', 'r2-failed.csv'],
  manifestKey: 'batch/job-job-2/manifest.json',
  reportCreationDate: '2024-01-02T00:00:00.000Z',
});
// Attempt 3: the 2 rerun, 1 fails with InternalError.
const third = summary({
  jobId: 'job-3',
  totalTasks: 2,
  succeededTasks: 1,
  failedTasks: 1,
  byErrorCode: { InternalError: 1 },
  byHttpStatus: { '200': 1, '500': 1 },
  sampleFailures: [sample('a', 'InternalError', 500)],
  resultFiles: ['r3-ok.csv', 'r3-failed.csv'],
});

describe('aggregateAttempts', () => {
  it('counts the failures left after one redrive: the rerun ones that failed again and those not rerun', () => {
    // Act
    const result = aggregateAttempts([first, second]);

    // Assess
    expect(result).toEqual({
      jobId: 'job-2',
      available: true,
      manifestKey: 'batch/job-job-2/manifest.json',
      reportCreationDate: '2024-01-02T00:00:00.000Z',
      totalTasks: 100,
      succeededTasks: 94,
      failedTasks: 6,
      byErrorCode: { SlowDown: 2, AccessDenied: 4 },
      byHttpStatus: { '200': 94, '503': 8, '403': 4 },
      sampleFailures: [sample('a', 'SlowDown', 503), sample('b', 'AccessDenied', 403)],
      resultFiles: ['r1-ok.csv', 'r1-failed.csv', 'r2-ok.csv', 'r2-failed.csv'],
      attempts: 2,
    });
  });

  it('follows three attempts to the last job', () => {
    // Act
    const result = aggregateAttempts([first, second, third]);

    // Assess
    expect(result).toMatchObject({
      jobId: 'job-3',
      totalTasks: 100,
      failedTasks: 5,
      succeededTasks: 95,
      byErrorCode: { InternalError: 1, AccessDenied: 4 },
      attempts: 3,
    });
    expect(result.sampleFailures.map((s) => s.errorCode)).toEqual(['InternalError', 'AccessDenied']);
    expect(result.resultFiles).toHaveLength(6);
  });

  it('keeps the failures of a redrive that stopped before running them all', () => {
    // Prepare: the redrive job ran 3 of the 6 tasks, 1 failed.
    const partial = summary({
      jobId: 'job-2',
      totalTasks: 3,
      succeededTasks: 2,
      failedTasks: 1,
      byErrorCode: { SlowDown: 1 },
    });

    // Act
    const result = aggregateAttempts([first, partial]);

    // Assess
    expect(result.failedTasks).toBe(1 + (10 - 3));
    expect(result.succeededTasks).toBe(92);
  });

  it('treats a redrive without a report as having recovered nothing', () => {
    // Prepare
    const noReport = summary({ jobId: 'job-2', available: false, reason: 'no completion report' });

    // Act
    const result = aggregateAttempts([first, noReport]);

    // Assess
    expect(result).toMatchObject({
      jobId: 'job-2',
      available: true,
      failedTasks: 10,
      reason: 'attempt 2: no completion report',
    });
  });

  it('judges earlier failures with the codes the redrives used', () => {
    // Act
    const result = aggregateAttempts([first, summary({ totalTasks: 4, succeededTasks: 4 })], {
      errorCodes: ['AccessDenied'],
    });

    // Assess
    expect(result.failedTasks).toBe(6);
    expect(result.byErrorCode).toEqual({ SlowDown: 6 });
  });

  it('returns a single attempt with attempts: 1', () => {
    // Act
    const result = aggregateAttempts([first]);

    // Assess
    expect(result).toEqual({ ...first, attempts: 1 });
  });

  it('needs at least one summary', () => {
    // Act / Assess
    expect(() => aggregateAttempts([])).toThrow(RangeError);
  });
});
