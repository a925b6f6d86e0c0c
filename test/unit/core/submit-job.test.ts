import { describe, expect, it } from 'vitest';
import { RequestValidationError } from '../../../src/core/errors.js';
import { submitJob } from '../../../src/core/submit-job.js';
import { aJobRequest, anExecution } from '../../builders/job-request.js';
import { memoryBatchJobs, memoryObjectStore } from '../../doubles/memory-ports.js';

const clock = { now: () => new Date('2026-11-26T10:00:00Z') };
const config = {
  accountId: '123456789012',
  batchRoleArn: 'arn:aws:iam::123456789012:role/batch',
  stage: 'test',
};

function setup() {
  const jobs = memoryBatchJobs();
  const objects = memoryObjectStore({
    'employee-records-logs/inv-report/7a6a9be4.csv': 'employee-records-logs,a\n',
  });
  return { jobs, objects, deps: { jobs, objects, config, clock } };
}

describe('submitJob', () => {
  it('resolves the manifest ETag with HeadObject when the request has none', async () => {
    const { jobs, deps } = setup();
    const submitted = await submitJob(deps, { request: aJobRequest(), execution: anExecution });
    expect(jobs.created[0]!.Manifest?.Location.ETag).toMatch(/^[0-9a-f]{32}$/);
    expect(submitted).toMatchObject({
      jobId: 'job-1',
      accountId: '123456789012',
      operation: 'S3PutObjectTagging',
      priority: 42,
      submittedAt: '2026-11-26T10:00:00.000Z',
      deadline: '2026-12-03T10:00:00.000Z',
      report: {
        enabled: true,
        bucket: 'employee-records-logs',
        prefix: 'batch-op-create-job',
        scope: 'AllTasks',
      },
      wait: {
        minSeconds: 5,
        maxSeconds: 600,
        timeoutSeconds: 604_800,
        eventDriven: true,
        maxPollsPerExecution: 500,
        stallThresholdSeconds: 900,
      },
    });
  });

  it('applies the same wait defaults, from the schema, whether wait is absent or empty', async () => {
    const { deps } = setup();
    const { wait: _absent, ...withoutWait } = aJobRequest();
    const absent = await submitJob(deps, { request: withoutWait, execution: anExecution });
    const empty = await submitJob(deps, {
      request: { ...withoutWait, wait: {} },
      execution: { ...anExecution, arn: `${anExecution.arn}-2` },
    });
    expect(absent.wait).toEqual(empty.wait);
    expect(absent.wait.maxSeconds).toBe(600);
  });

  it.each([
    ['priority', { priority: 1001 }],
    [
      'policy.reprioritize.raisedPriority',
      { policy: { reprioritize: { deadline: '2030-01-01T00:00:00Z', raisedPriority: 5000 } } },
    ],
  ])("rejects %s above the stage's maxJobPriority before CreateJob", async (field, overrides) => {
    const { jobs, deps } = setup();
    const request = { ...aJobRequest(), ...overrides };
    const submission = submitJob(
      { ...deps, config: { ...config, maxJobPriority: 1000 } },
      { request, execution: anExecution },
    );
    await expect(submission).rejects.toMatchObject({ name: 'RequestValidationError', field });
    expect(jobs.created).toHaveLength(0);
  });

  it('creates exactly one job when the same execution submits twice (a retried Lambda)', async () => {
    const { jobs, deps } = setup();
    const first = await submitJob(deps, { request: aJobRequest(), execution: anExecution });
    const second = await submitJob(deps, { request: aJobRequest(), execution: anExecution });
    expect(second.jobId).toBe(first.jobId);
    expect(jobs.created).toHaveLength(1);
  });

  it('rejects an invalid request naming the field, before calling CreateJob', async () => {
    const { jobs, deps } = setup();
    const request = { ...aJobRequest(), priority: -1 };
    const submission = submitJob(deps, { request, execution: anExecution });
    await expect(submission).rejects.toBeInstanceOf(RequestValidationError);
    await expect(submission).rejects.toMatchObject({ field: 'priority' });
    expect(jobs.created).toHaveLength(0);
  });

  it('rejects a manifest that does not exist as a request error on manifest.key', async () => {
    const { jobs, deps } = setup();
    const request = aJobRequest({ manifest: { bucket: 'employee-records-logs', key: 'missing.csv' } });
    await expect(submitJob(deps, { request, execution: anExecution })).rejects.toMatchObject({
      name: 'RequestValidationError',
      field: 'manifest.key',
    });
    expect(jobs.created).toHaveLength(0);
  });

  it('requires an account id when none is configured', async () => {
    const { deps } = setup();
    const submission = submitJob(
      { ...deps, config: { stage: 'test' } },
      { request: aJobRequest(), execution: anExecution },
    );
    await expect(submission).rejects.toMatchObject({ field: 'accountId' });
  });
});
