import { describe, expect, it } from 'vitest';
import { ReportIntegrityError, ServiceUnavailableError } from '../../../src/core/errors.js';
import { fetchReportSummary, reportFolder } from '../../../src/core/report/fetch-report.js';
import { MemoryObjectStore, md5 } from '../../doubles/memory-ports.js';

const jobId = 'f8fb9d89-a3aa-461d-bddc-ea6a1b131955';
const succeededCsv =
  'data,photos/a.jpg,,succeeded,200,,Successful\n' +
  'data,object%20key%20with%20spaces,,succeeded,200,,Successful\n';
const failedCsv =
  'data,photos/b.jpg,,failed,200,PermanentFailure,"Lambda returned function error: {""errorMessage"":""x, y""}"\n' +
  'data,photos/c.jpg,3HL4kqtJlcpXroDTDmJ,failed,AccessDenied,403,"Access Denied\r\nline 2"\n';

interface ResultSpec {
  status: 'succeeded' | 'failed';
  bucket: string;
  key: string;
  body: string;
  md5?: string;
}

/** Writes result files and a manifest listing them, as S3 Batch Operations does. */
function givenReport(
  store: MemoryObjectStore,
  { bucket = 'reports', folder = `batch/job-${jobId}`, name = 'manifest.json', results = [] as ResultSpec[] },
) {
  for (const r of results) store.put(r.bucket, r.key, r.body);
  const manifest = {
    Format: 'Report_CSV_20180820',
    ReportCreationDate: '2019-04-05T17:48:39.725Z',
    Results: results.map((r) => ({
      TaskExecutionStatus: r.status,
      Bucket: r.bucket,
      MD5Checksum: r.md5 ?? md5(r.body),
      Key: r.key,
    })),
    ReportSchema: 'Bucket, Key, VersionId, TaskStatus, ErrorCode, HTTPStatusCode, ResultMessage',
  };
  store.put(bucket, `${folder}/${name}`, JSON.stringify(manifest));
}

const twoFiles = (): ResultSpec[] => [
  { status: 'succeeded', bucket: 'reports', key: `batch/job-${jobId}/results/aaa.csv`, body: succeededCsv },
  { status: 'failed', bucket: 'reports', key: `batch/job-${jobId}/results/bbb.csv`, body: failedCsv },
];

describe('fetchReportSummary', () => {
  it('summarises every result file listed in manifest.json', async () => {
    // Prepare
    const store = new MemoryObjectStore();
    givenReport(store, { results: twoFiles() });

    // Act
    const summary = await fetchReportSummary({ store, bucket: 'reports', prefix: 'batch', jobId });

    // Assess
    expect(summary).toEqual({
      jobId,
      available: true,
      reportCreationDate: '2019-04-05T17:48:39.725Z',
      manifestKey: `batch/job-${jobId}/manifest.json`,
      totalTasks: 4,
      succeededTasks: 2,
      failedTasks: 2,
      byErrorCode: { PermanentFailure: 1, AccessDenied: 1 },
      byHttpStatus: { '200': 3, '403': 1 },
      sampleFailures: [
        {
          bucket: 'data',
          key: 'photos/b.jpg',
          errorCode: 'PermanentFailure',
          httpStatus: 200,
          message: 'Lambda returned function error: {"errorMessage":"x, y"}',
        },
        {
          bucket: 'data',
          key: 'photos/c.jpg',
          versionId: '3HL4kqtJlcpXroDTDmJ',
          errorCode: 'AccessDenied',
          httpStatus: 403,
          message: 'Access Denied\r\nline 2',
        },
      ],
      resultFiles: [`batch/job-${jobId}/results/aaa.csv`, `batch/job-${jobId}/results/bbb.csv`],
    });
  });

  it('reads each result file from the bucket its manifest entry names', async () => {
    // Prepare
    const store = new MemoryObjectStore();
    const elsewhere = { ...twoFiles()[1]!, bucket: 'other-reports' };
    givenReport(store, { results: [elsewhere] });

    // Act
    const summary = await fetchReportSummary({ store, bucket: 'reports', prefix: 'batch', jobId });

    // Assess
    expect(summary.failedTasks).toBe(2);
    expect(store.reads).toContain(`other-reports/${elsewhere.key}`);
  });

  it('falls back to report.json when there is no manifest.json', async () => {
    // Prepare
    const store = new MemoryObjectStore();
    givenReport(store, { name: 'report.json', results: twoFiles() });

    // Act
    const summary = await fetchReportSummary({ store, bucket: 'reports', prefix: 'batch', jobId });

    // Assess
    expect(summary).toMatchObject({ available: true, manifestKey: `batch/job-${jobId}/report.json` });
    expect(summary.totalTasks).toBe(4);
  });

  it('prefers manifest.json when both exist', async () => {
    // Prepare
    const store = new MemoryObjectStore();
    givenReport(store, { name: 'report.json', results: twoFiles() });
    givenReport(store, { name: 'manifest.json', results: twoFiles().slice(0, 1) });

    // Act
    const summary = await fetchReportSummary({ store, bucket: 'reports', prefix: 'batch', jobId });

    // Assess
    expect(summary).toMatchObject({ manifestKey: `batch/job-${jobId}/manifest.json`, totalTasks: 2 });
  });

  it.each([
    ['undefined', undefined],
    ['empty', ''],
  ])('looks in job-<id>/ at the bucket root when the prefix is %s', async (_case, prefix) => {
    // Prepare
    const store = new MemoryObjectStore();
    givenReport(store, { folder: `job-${jobId}`, results: [] });

    // Act
    const summary = await fetchReportSummary({ store, bucket: 'reports', prefix, jobId });

    // Assess
    expect(summary).toMatchObject({
      available: true,
      manifestKey: `job-${jobId}/manifest.json`,
      totalTasks: 0,
    });
  });

  it('returns an unavailable summary, not an error, when the job wrote no report', async () => {
    // Prepare
    const store = new MemoryObjectStore();

    // Act
    const summary = await fetchReportSummary({ store, bucket: 'reports', prefix: 'batch', jobId });

    // Assess
    expect(summary).toMatchObject({ jobId, available: false, totalTasks: 0, sampleFailures: [] });
    expect(summary.reason).toContain(`s3://reports/batch/job-${jobId}/`);
  });

  it('rejects a result file whose MD5 differs from the manifest, naming the file', async () => {
    // Prepare
    const store = new MemoryObjectStore();
    const [good, tampered] = twoFiles();
    givenReport(store, { results: [good!, { ...tampered!, md5: md5('something else') }] });

    // Act
    const fetching = fetchReportSummary({ store, bucket: 'reports', prefix: 'batch', jobId });

    // Assess
    await expect(fetching).rejects.toThrow(ReportIntegrityError);
    await expect(fetchReportSummary({ store, bucket: 'reports', prefix: 'batch', jobId })).rejects.toThrow(
      `s3://reports/${tampered!.key}: MD5`,
    );
  });

  it('rejects a malformed manifest as a ReportIntegrityError', async () => {
    // Prepare
    const store = new MemoryObjectStore().put('reports', `batch/job-${jobId}/manifest.json`, '{"Results":');

    // Act
    const fetching = fetchReportSummary({ store, bucket: 'reports', prefix: 'batch', jobId });

    // Assess
    await expect(fetching).rejects.toThrow(ReportIntegrityError);
  });

  it('rejects a listed result file that is missing', async () => {
    // Prepare
    const store = new MemoryObjectStore();
    givenReport(store, { results: twoFiles() });
    store.objects.delete(`reports/batch/job-${jobId}/results/bbb.csv`);

    // Act
    const fetching = fetchReportSummary({ store, bucket: 'reports', prefix: 'batch', jobId });

    // Assess
    await expect(fetching).rejects.toThrow(/results\/bbb\.csv: listed in .* but missing/);
  });

  it('lets other store errors through unchanged, so retryable ones are retried', async () => {
    // Prepare
    const store = new MemoryObjectStore();
    store.getObjectStream = async () => {
      throw new ServiceUnavailableError('S3 returned 503');
    };

    // Act
    const fetching = fetchReportSummary({ store, bucket: 'reports', prefix: 'batch', jobId });

    // Assess
    await expect(fetching).rejects.toThrow(ServiceUnavailableError);
  });

  it('passes maxSamples to the summary', async () => {
    // Prepare
    const store = new MemoryObjectStore();
    givenReport(store, { results: twoFiles() });

    // Act
    const summary = await fetchReportSummary({
      store,
      bucket: 'reports',
      prefix: 'batch',
      jobId,
      maxSamples: 1,
    });

    // Assess
    expect(summary.sampleFailures).toHaveLength(1);
    expect(summary.failedTasks).toBe(2);
  });
});

describe('reportFolder', () => {
  it('joins prefix and job folder without doubled slashes', () => {
    expect(reportFolder('batch/', 'j1')).toBe('batch/job-j1');
    expect(reportFolder('a/b', 'j1')).toBe('a/b/job-j1');
    expect(reportFolder(undefined, 'j1')).toBe('job-j1');
  });
});
