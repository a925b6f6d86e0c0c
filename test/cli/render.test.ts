import { describe, expect, it } from 'vitest';
import { eventInfo, renderEventsTable, renderProgressBar, renderSummaryTable } from '../../cli/lib/render.js';
import { formatCount, formatPercent, renderTable, truncate } from '../../cli/lib/table.js';
import type { ReportSummary } from '../../src/generated/types.js';

function aSummary(overrides: Partial<ReportSummary> = {}): ReportSummary {
  return {
    jobId: 'job-1',
    available: true,
    manifestKey: 'batch/job-job-1/manifest.json',
    totalTasks: 1000,
    succeededTasks: 990,
    failedTasks: 10,
    byErrorCode: { PermanentFailure: 7, TemporaryFailure: 3 },
    byHttpStatus: { '200': 990, '404': 7, '500': 3 },
    sampleFailures: [
      {
        bucket: 'src',
        key: 'a/missing.txt',
        errorCode: 'PermanentFailure',
        httpStatus: 404,
        message: 'NoSuchKey',
      },
    ],
    resultFiles: ['batch/job-job-1/results/1.csv'],
    ...overrides,
  };
}

describe('renderProgressBar', () => {
  it.each([
    {
      name: 'nothing counted yet',
      snapshot: { status: 'Preparing', totalTasks: 0, succeededTasks: 0, failedTasks: 0 },
      expected: 'Preparing   [----------]    0.0%  succeeded 0  failed 0  total 0',
    },
    {
      name: 'half way, failures count as run',
      snapshot: { status: 'Active', totalTasks: 1000, succeededTasks: 450, failedTasks: 50 },
      expected: 'Active      [#####-----]   50.0%  succeeded 450  failed 50  total 1,000',
    },
    {
      name: 'complete',
      snapshot: { status: 'Complete', totalTasks: 3, succeededTasks: 3, failedTasks: 0 },
      expected: 'Complete    [##########]  100.0%  succeeded 3  failed 0  total 3',
    },
    {
      name: 'more run than total (never overflows)',
      snapshot: { status: 'Active', totalTasks: 2, succeededTasks: 5, failedTasks: 0 },
      expected: 'Active      [##########]  100.0%  succeeded 5  failed 0  total 2',
    },
  ])('renders $name', ({ snapshot, expected }) => {
    expect(renderProgressBar(snapshot, { width: 10 })).toBe(expected);
  });

  it('names the attempt of a redrive job', () => {
    const snapshot = { status: 'Active', totalTasks: 10, succeededTasks: 5, failedTasks: 0 };
    expect(renderProgressBar({ ...snapshot, attempt: 2 }, { width: 10 })).toBe(
      'Active      [#####-----]   50.0%  succeeded 5  failed 0  total 10  attempt 2',
    );
    expect(renderProgressBar({ ...snapshot, attempt: 1 }, { width: 10 })).not.toContain('attempt');
  });

  it('accepts a full JobSnapshot', () => {
    const line = renderProgressBar({
      jobId: 'j',
      status: 'Active',
      totalTasks: 4,
      succeededTasks: 1,
      failedTasks: 0,
      previousStatus: 'Ready',
    } as never);
    expect(line).toContain('25.0%');
  });
});

describe('renderSummaryTable', () => {
  it('shows totals, failures by error code and HTTP status, and sample failures', () => {
    const text = renderSummaryTable(aSummary());
    expect(text).toContain('Tasks         1,000');
    expect(text).toContain('Failed        10 (1.0%)');
    expect(text).toMatch(/ERROR CODE\s+TASKS\nPermanentFailure\s+7\nTemporaryFailure\s+3/);
    expect(text).toMatch(/HTTP STATUS\s+TASKS\n200\s+990\n404\s+7\n500\s+3/);
    expect(text).toMatch(/s3:\/\/src\/a\/missing\.txt\s+PermanentFailure\s+404\s+NoSuchKey/);
    expect(text).toContain('… and 9 more failed tasks');
  });

  it('says why there is no report', () => {
    const text = renderSummaryTable(
      aSummary({
        available: false,
        reason: 'report disabled',
        totalTasks: 0,
        succeededTasks: 0,
        failedTasks: 0,
      }),
    );
    expect(text).toBe('Job     job-1\nReport  not available: report disabled');
  });

  it('leaves out empty sections', () => {
    const text = renderSummaryTable(
      aSummary({ failedTasks: 0, byErrorCode: {}, byHttpStatus: {}, sampleFailures: [] }),
    );
    expect(text).not.toContain('ERROR CODE');
    expect(text).not.toContain('FAILED OBJECT');
  });

  it('never leaves trailing spaces', () => {
    for (const line of renderSummaryTable(aSummary()).split('\n')) expect(line).toBe(line.trimEnd());
  });
});

describe('renderEventsTable', () => {
  const at = '2026-11-26T10:00:00Z';
  it('shows one row per event with the job and the detail that matters', () => {
    const text = renderEventsTable([
      {
        'detail-type': 'Batch Job Status Changed',
        source: 's3-batch-orchestrator',
        time: at,
        detail: { jobId: 'job-1', previousStatus: 'Ready', status: 'Active' },
      },
      {
        'detail-type': 'AWS Service Event via CloudTrail',
        source: 'aws.s3',
        time: at,
        detail: {
          eventName: 'JobStatusChanged',
          serviceEventDetails: { jobId: 'job-2', status: 'Complete' },
        },
      },
    ]);
    const [header, first, second] = text.split('\n');
    expect(header).toMatch(/^TIME\s+DETAIL-TYPE\s+SOURCE\s+JOB\s+INFO$/);
    expect(first).toMatch(/Batch Job Status Changed\s+s3-batch-orchestrator\s+job-1\s+Ready → Active$/);
    expect(second).toMatch(/aws\.s3\s+job-2\s+Complete$/);
  });

  it('shows the redrive job in the JOB column and its parent in INFO', () => {
    const text = renderEventsTable([
      {
        'detail-type': 'Batch Job Redriven',
        source: 's3-batch-orchestrator',
        time: at,
        detail: { jobId: 'job-2', parentJobId: 'job-1', attempt: 2, taskCount: 10 },
      },
    ]);
    expect(text.split('\n')[1]).toMatch(
      /Batch Job Redriven\s+s3-batch-orchestrator\s+job-2\s+attempt 2 of job job-1, 10 tasks$/,
    );
  });

  it('is the header alone for no events', () => {
    expect(renderEventsTable([])).toBe('TIME  DETAIL-TYPE  SOURCE  JOB  INFO');
  });

  it.each([
    { detail: { outcome: 'PartialFailure', progress: { failedTasks: 3 } }, info: 'PartialFailure, 3 failed' },
    { detail: { field: 'manifest.bucket', reason: 'is required' }, info: 'manifest.bucket: is required' },
    { detail: { fromPriority: 10, toPriority: 1 }, info: 'priority 10 → 1' },
    {
      detail: { fromPriority: 50, toPriority: 5, reason: 'failure rate 25.0% >= 20.0%', dryRun: false },
      info: 'priority 50 → 5: failure rate 25.0% >= 20.0%',
    },
    {
      detail: { fromPriority: 50, toPriority: 5, reason: 'slow', dryRun: true },
      info: 'priority 50 → 5: slow (dry run)',
    },
    {
      detail: { jobId: 'job-2', parentJobId: 'job-1', attempt: 2, taskCount: 10, manifest: {} },
      info: 'attempt 2 of job job-1, 10 tasks',
    },
    {
      detail: {
        failureRate: 0.2,
        tasksRun: 240,
        failedTasks: 48,
        threshold: 0.05,
        reason: 'Auto-cancelled by s3-batch-orchestrator: …',
        dryRun: false,
      },
      info: 'failure rate 20.0% > 5.0% after 240 tasks',
    },
    {
      detail: {
        failureRate: 0.2,
        tasksRun: 240,
        failedTasks: 48,
        threshold: 0.05,
        reason: 'x',
        dryRun: true,
      },
      info: 'failure rate 20.0% > 5.0% after 240 tasks (dry run)',
    },
    {
      detail: {
        failureRate: 0.01,
        tasksRun: 1500,
        failedTasks: 15,
        threshold: null,
        maxFailedTasks: 10,
        reason: 'x',
        dryRun: false,
      },
      info: '15 tasks failed ≥ limit 10 after 1,500 tasks',
    },
    { detail: { status: 'Active', previousStatus: 'Active', stalled: true }, info: 'Active (stalled)' },
    { detail: { status: 'Active', previousStatus: 'Ready', stalled: false }, info: 'Ready → Active' },
    { detail: { operation: 'S3PutObjectTagging', priority: 10 }, info: 'S3PutObjectTagging, priority 10' },
    { detail: { reason: 'failure rate 60%' }, info: 'failure rate 60%' },
    { detail: {}, info: '' },
  ])('summarises $info', ({ detail, info }) => {
    expect(eventInfo(detail)).toBe(info);
  });
});

describe('table helpers', () => {
  it('aligns columns and does not pad the last one', () => {
    expect(
      renderTable(
        ['A', 'LONG'],
        [
          ['xyz', '1'],
          ['w', ''],
        ],
      ),
    ).toBe('A    LONG\nxyz  1\nw');
  });
  it('cuts long cells and folds newlines', () => {
    expect(truncate('abc\n  def', 100)).toBe('abc def');
    expect(truncate('abcdef', 4)).toBe('abc…');
  });
  it.each([
    [0, '0'],
    [999, '999'],
    [1000, '1,000'],
    [1234567, '1,234,567'],
  ])('formats %d as %s', (n, text) => {
    expect(formatCount(n)).toBe(text);
  });
  it('formats ratios as percent', () => {
    expect(formatPercent(0.125)).toBe('12.5%');
    expect(formatPercent(Number.NaN)).toBe('0.0%');
  });
});
