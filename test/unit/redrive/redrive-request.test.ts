import { describe, expect, it } from 'vitest';
import {
  buildRedriveRequest,
  parentJobIdTagKey,
  redriveManifestKey,
} from '../../../src/core/redrive/redrive-request.js';
import { parseJobRequest } from '../../../src/core/request-validation.js';
import type { JobRequest } from '../../../src/generated/types.js';

const original = (overrides: Partial<JobRequest> = {}): JobRequest => ({
  operation: { S3PutObjectTagging: { TagSet: [{ Key: 'classification', Value: 'public' }] } },
  manifest: { bucket: 'my-manifests', key: 'jobs/tag.json', format: 'S3InventoryReport_CSV_20161130' },
  report: { bucket: 'my-reports', prefix: 'batch', scope: 'FailedTasksOnly' },
  priority: 42,
  roleArn: 'arn:aws:iam::111122223333:role/batch',
  description: 'tag public objects',
  confirmationRequired: true,
  autoConfirm: true,
  tags: { team: 'media' },
  policy: { redrive: { maxAttempts: 2 } },
  ...overrides,
});

const manifest = {
  bucket: 'my-reports',
  key: 'batch/s3bo-redrive/job-abc/attempt-1.csv',
  etag: 'e1',
  fields: ['Bucket', 'Key'] as ('Bucket' | 'Key')[],
};

describe('buildRedriveRequest', () => {
  it('keeps the operation, priority, role, policy and tags, and replaces the manifest', () => {
    // Act
    const request = buildRedriveRequest(original(), manifest, 1, 'abc');

    // Assess
    expect(request).toEqual({
      ...original(),
      manifest: {
        bucket: 'my-reports',
        key: 'batch/s3bo-redrive/job-abc/attempt-1.csv',
        format: 'S3BatchOperations_CSV_20180820',
        fields: ['Bucket', 'Key'],
        etag: 'e1',
      },
      report: { bucket: 'my-reports', prefix: 'batch', scope: 'AllTasks' },
      description: 'tag public objects (redrive 1 of job abc)',
      confirmationRequired: false,
      tags: { team: 'media', [parentJobIdTagKey]: 'abc' },
    });
  });

  it.each<[string, Partial<JobRequest>]>([
    [
      'S3 generated the first object list',
      { manifest: undefined, manifestGenerator: { sourceBucket: 'photos' } },
    ],
    [
      'the first job ran on the newest inventory report',
      { manifest: { inventory: { bucket: 'inventories', sourceBucket: 'photos', configId: 'daily' } } },
    ],
  ])('runs on the redrive CSV alone when %s', (_name, source) => {
    // Act
    const request = buildRedriveRequest(original(source), manifest, 1, 'abc');

    // Assess: one source of objects, and a request SubmitJob accepts
    expect(request).not.toHaveProperty('manifestGenerator');
    expect(request.manifest).toEqual({ ...manifest, format: 'S3BatchOperations_CSV_20180820' });
    expect(() => parseJobRequest(request)).not.toThrow();
  });

  it('passes the manifest version id on when the manifest bucket is versioned', () => {
    // Act
    const request = buildRedriveRequest(original(), { ...manifest, versionId: 'v7' }, 2, 'abc');

    // Assess
    expect(request.manifest?.versionId).toBe('v7');
  });

  it('shortens a long description so the redrive suffix still fits in 256 characters', () => {
    // Prepare
    const jobId = 'f8fb9d89-a3aa-461d-bddc-ea6a1b131955';

    // Act
    const request = buildRedriveRequest(original({ description: 'x'.repeat(256) }), manifest, 3, jobId);

    // Assess
    expect(request.description).toHaveLength(256);
    expect(request.description).toMatch(/^x+… \(redrive 3 of job f8fb9d89-a3aa-461d-bddc-ea6a1b131955\)$/);
  });

  it('describes the redrive alone when the original has no description', () => {
    // Act
    const request = buildRedriveRequest(original({ description: undefined }), manifest, 1, 'abc');

    // Assess
    expect(request.description).toBe('redrive 1 of job abc');
  });

  it('leaves the parent tag out rather than exceed 50 tags', () => {
    // Prepare
    const tags = Object.fromEntries(Array.from({ length: 50 }, (_, i) => [`t${i}`, 'v']));

    // Act
    const request = buildRedriveRequest(original({ tags }), manifest, 1, 'abc');

    // Assess
    expect(request.tags).toEqual(tags);
  });
});

describe('redriveManifestKey', () => {
  it.each([
    { prefix: 'batch', expected: 'batch/s3bo-redrive/job-abc/attempt-2.csv' },
    { prefix: 'batch/', expected: 'batch/s3bo-redrive/job-abc/attempt-2.csv' },
    { prefix: '', expected: 's3bo-redrive/job-abc/attempt-2.csv' },
    { prefix: undefined, expected: 's3bo-redrive/job-abc/attempt-2.csv' },
  ])('puts the manifest under the report prefix $prefix', ({ prefix, expected }) => {
    // Act / Assess
    expect(redriveManifestKey(prefix, 'abc', 2)).toBe(expected);
  });
});
