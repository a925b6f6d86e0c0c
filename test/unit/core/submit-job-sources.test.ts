/** SubmitJob with each source of objects: a generator S3 lists, and the newest inventory report. */
import { describe, expect, it } from 'vitest';
import { submitJob } from '../../../src/core/submit-job.js';
import { validateWorkflowState } from '../../../src/generated/validators.js';
import { putInventoryReport } from '../../builders/inventory-report.js';
import { anExecution } from '../../builders/job-request.js';
import { MemoryObjectStore, memoryBatchJobs } from '../../doubles/memory-ports.js';

const config = {
  accountId: '123456789012',
  batchRoleArn: 'arn:aws:iam::123456789012:role/batch',
  stage: 'test',
};
const operation = { S3PutObjectTagging: { TagSet: [{ Key: 'classification', Value: 'public' }] } };
const report = { bucket: 'reports', prefix: 'batch' };
/** The execution started the day before SubmitJob runs: relative ages count from its start. */
const execution = { ...anExecution, startTime: '2026-11-25T10:00:00.000Z' };
const clockAt = (iso: string) => ({ now: () => new Date(iso) });

function setup(now = '2026-11-26T10:00:00Z') {
  const jobs = memoryBatchJobs();
  const objects = new MemoryObjectStore();
  objects.buckets.add('gen-source');
  return { jobs, objects, deps: { jobs, objects, config, clock: clockAt(now) } };
}

describe('submitJob with a manifestGenerator', () => {
  const request = {
    operation,
    report,
    manifestGenerator: {
      sourceBucket: 'gen-source',
      filter: { olderThanDays: 7, newerThanDays: 30, keyNameConstraint: { matchAnyPrefix: ['logs/'] } },
    },
  };

  it('sends CreateJob a ManifestGenerator instead of a Manifest, ages counted back from the execution start', async () => {
    // Prepare
    const { jobs, deps } = setup();

    // Act
    const submitted = await submitJob(deps, { request, execution });

    // Assess
    const input = jobs.created[0]!;
    expect(input.Manifest).toBeUndefined();
    expect(input.ManifestGenerator).toEqual({
      S3JobManifestGenerator: {
        SourceBucket: 'arn:aws:s3:::gen-source',
        EnableManifestOutput: false,
        Filter: {
          CreatedAfter: '2026-10-26T10:00:00.000Z',
          CreatedBefore: '2026-11-18T10:00:00.000Z',
          KeyNameConstraint: { MatchAnyPrefix: ['logs/'] },
        },
      },
    });
    expect(submitted.manifest).toBeUndefined();
    expect(submitted.manifestSource).toEqual({
      kind: 'generator',
      sourceBucket: 'gen-source',
      createdAfter: '2026-10-26T10:00:00.000Z',
      createdBefore: '2026-11-18T10:00:00.000Z',
    });
    expect(submitted.estimate).toMatchObject({ objectCount: 0, objectCountSource: 'generatorListing' });
    // What the next task's validator reads back: a job without a manifest, described by its source.
    expect(validateWorkflowState({ execution, job: structuredClone(submitted) })).toBe(true);
  });

  it('creates one job when a retried SubmitJob runs later: the same filter dates, the same token', async () => {
    // Prepare
    const first = setup('2026-11-26T10:00:00Z');
    const retried = { ...first.deps, clock: clockAt('2026-11-26T10:05:00Z') };

    // Act
    const a = await submitJob(first.deps, { request, execution });
    const b = await submitJob(retried, { request, execution });

    // Assess: the double answers IdempotencyException for the same token with another input
    expect(b.jobId).toBe(a.jobId);
    expect(first.jobs.created).toHaveLength(1);
  });

  it('reports where S3 writes the generated manifest when it is asked to', async () => {
    const { deps } = setup();
    const submitted = await submitJob(deps, {
      request: {
        ...request,
        manifestGenerator: {
          sourceBucket: 'gen-source',
          enableManifestOutput: true,
          manifestOutputLocation: { bucket: 'reports', prefix: 'generated' },
        },
      },
      execution,
    });
    expect(submitted.manifestSource).toEqual({
      kind: 'generator',
      sourceBucket: 'gen-source',
      manifestOutput: { bucket: 'reports', prefix: 'generated' },
    });
  });

  it('refuses a generator over its budget before CreateJob, naming budget.maxUsd', async () => {
    const { jobs, objects, deps } = setup();
    for (const key of ['logs/a', 'logs/b', 'other/c'])
      objects.put('gen-source', key, 'x', { lastModified: '2026-11-01T00:00:00.000Z' });
    await expect(
      submitJob(deps, { request: { ...request, budget: { maxUsd: 0.25 } }, execution }),
    ).rejects.toMatchObject({
      field: 'budget.maxUsd',
      reason: expect.stringContaining('(2 objects, us-east-1)'),
    });
    expect(jobs.created).toHaveLength(0);
  });
});

describe('submitJob with the newest inventory report', () => {
  const base = 'inv/campaign-data/daily-all';
  const request = (inventory: Record<string, unknown> = {}) => ({
    operation,
    report,
    manifest: {
      inventory: {
        bucket: 'inventories',
        prefix: 'inv',
        sourceBucket: 'campaign-data',
        configId: 'daily-all',
        ...inventory,
      },
    },
  });
  const put = (objects: MemoryObjectStore, folder: string, checksum?: string) =>
    putInventoryReport(objects, {
      destinationBucket: 'inventories',
      base,
      sourceBucket: 'campaign-data',
      folder,
      files: [[{ key: `${folder}/a` }, { key: `${folder}/b` }]],
      ...(checksum ? { checksum } : {}),
    });

  it('runs the job on the newest of three dated reports, as an S3InventoryReport_CSV_20161130 manifest', async () => {
    // Prepare
    const { jobs, objects, deps } = setup();
    put(objects, '2026-11-24T00-00Z');
    const newest = put(objects, '2026-11-26T00-00Z');
    put(objects, '2026-11-25T00-00Z');
    const etag = (await objects.headObject('inventories', newest)).etag;

    // Act
    const submitted = await submitJob(deps, { request: request(), execution });

    // Assess
    expect(jobs.created[0]!.Manifest).toEqual({
      Spec: { Format: 'S3InventoryReport_CSV_20161130' },
      Location: { ObjectArn: `arn:aws:s3:::inventories/${newest}`, ETag: etag },
    });
    expect(jobs.created[0]!.ManifestGenerator).toBeUndefined();
    expect(submitted.manifest).toEqual({ bucket: 'inventories', key: newest, etag });
    expect(submitted.manifestSource).toEqual({
      kind: 'latestInventory',
      bucket: 'inventories',
      key: newest,
      prefix: 'inv',
      sourceBucket: 'campaign-data',
      configId: 'daily-all',
      reportTime: '2026-11-26T00:00:00.000Z',
    });
    expect(submitted.estimate).toMatchObject({ objectCount: 2, objectCountSource: 'inventoryRows' });
  });

  it.each([
    ['a checksum mismatch', () => request(), 'manifest.inventory', /^checksum mismatch/, '0'.repeat(32)],
    [
      'a report past maxAgeHours',
      () => request({ maxAgeHours: 1 }),
      'manifest.inventory.maxAgeHours',
      /hours old/,
      undefined,
    ],
  ])('refuses %s, naming the field, and creates nothing', async (_name, build, field, reason, checksum) => {
    const { jobs, objects, deps } = setup();
    put(objects, '2026-11-26T00-00Z', checksum);
    await expect(submitJob(deps, { request: build(), execution })).rejects.toMatchObject({
      name: 'RequestValidationError',
      field,
      reason: expect.stringMatching(reason),
    });
    expect(jobs.created).toHaveLength(0);
  });
});
