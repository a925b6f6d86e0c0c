/** `s3bo report` on the local AWS: the summary of a job's completion report, whatever its scope. */
import { describe, expect, it } from 'vitest';
import { manifestCsv } from '../../cli/lib/demo-data.js';
import { type LocalCli, localCliPerTest } from './local-aws.js';

const startLocalCli = localCliPerTest();

const keys = Array.from({ length: 300 }, (_, i) => `assets/file-${String(i).padStart(3, '0')}.txt`);

/** 300 objects, the 10 named file-00?.txt refused; a tagging job over them, reporting `scope`. */
async function runTaggingJob(cli: LocalCli, scope: 'AllTasks' | 'FailedTasksOnly'): Promise<string> {
  const s3 = cli.aws.s3.backend;
  for (const bucket of ['data', 'manifests', 'reports']) s3.ensureBucket(bucket);
  for (const key of keys) s3.putObject('data', key, Buffer.from(`body of ${key}`));
  s3.putObject('manifests', 'all.csv', Buffer.from(manifestCsv('data', keys)));
  const request = cli.file(`${scope}.json`, {
    operation: { S3PutObjectTagging: { TagSet: [{ Key: 'classification', Value: 'public' }] } },
    manifest: { bucket: 'manifests', key: 'all.csv' },
    report: { bucket: 'reports', prefix: 'batch-reports', scope },
    priority: 10,
  });
  const run = await cli.s3bo(['--json', 'run', request]);
  expect(run.code, run.stderr).toBe(0);
  const watched = JSON.parse(run.stdout);
  expect(watched).toMatchObject({ status: 'SUCCEEDED', outcome: 'PartialFailure' });
  return watched.jobId as string;
}

const faults = {
  taskFailures: [
    { keyPattern: 'assets/file-00?.txt', code: 'AccessDenied', httpStatus: 403, permanent: true as const },
  ],
};

describe('s3bo report', () => {
  it("totals a FailedTasksOnly report from the job's progress: 300 tasks, not the 10 failed rows", async () => {
    // Prepare
    const cli = await startLocalCli({ faults });
    const jobId = await runTaggingJob(cli, 'FailedTasksOnly');

    // Act
    const table = await cli.s3bo(['report', jobId]);
    const json = await cli.s3bo(['--json', 'report', jobId]);
    const located = await cli.s3bo([
      '--json',
      'report',
      jobId,
      '--bucket',
      'reports',
      '--prefix',
      'batch-reports',
    ]);

    // Assess
    expect(table.code, table.stderr).toBe(0);
    expect(table.stdout).toMatch(/Tasks\s+300\n/);
    expect(table.stdout).toMatch(/Succeeded\s+290\n/);
    expect(table.stdout).toMatch(/Failed\s+10 \(3\.3%\)\n/);
    expect(table.stdout).toMatch(/AccessDenied\s+10/);
    const totals = { jobId, available: true, totalTasks: 300, succeededTasks: 290, failedTasks: 10 };
    expect(JSON.parse(json.stdout)).toMatchObject(totals);
    expect(JSON.parse(located.stdout)).toMatchObject(totals);
    // The workflow's own summary says the same.
    expect(cli.events('Batch Job Completed')[0]).toMatchObject({ summary: totals });
  });

  it('counts the rows of an AllTasks report', async () => {
    const cli = await startLocalCli({ faults });
    const jobId = await runTaggingJob(cli, 'AllTasks');
    const result = await cli.s3bo(['--json', 'report', jobId]);
    expect(JSON.parse(result.stdout)).toMatchObject({
      totalTasks: 300,
      succeededTasks: 290,
      failedTasks: 10,
      byHttpStatus: { '200': 290, '403': 10 },
    });
  });
});
