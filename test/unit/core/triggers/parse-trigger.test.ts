import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { RequestValidationError } from '../../../../src/core/errors.js';
import { parseJobRequest } from '../../../../src/core/request-validation.js';
import { buildTriggerRequest, parseTrigger } from '../../../../src/core/triggers/parse-trigger.js';
import { triggerInput } from './trigger-builders.js';

const failureOf = (input: unknown): { field: string; reason: string } => {
  try {
    parseTrigger(input);
  } catch (error) {
    if (error instanceof RequestValidationError) return { field: error.field, reason: error.reason };
    throw error;
  }
  throw new Error('parseTrigger accepted the input');
};

describe('parseTrigger', () => {
  it.each(readdirSync('triggers').filter((file) => file.endsWith('.json')))(
    'accepts triggers/%s, which names itself after its file',
    (file) => {
      const trigger = parseTrigger(JSON.parse(readFileSync(`triggers/${file}`, 'utf8')));

      expect(`${trigger.name}.json`).toBe(file);
    },
  );

  it('fills minObjects with 1 when absent', () => {
    const trigger = parseTrigger(triggerInput({ window: { maxObjects: 10, maxWaitSeconds: 60 } }));

    expect(trigger.window.minObjects).toBe(1);
  });

  it.each([
    ['a missing window', { window: undefined }, 'window', 'is required'],
    ['a bad name', { name: 'Thumbs!' }, 'name', 'must match pattern'],
    ['a name ending in -dlq', { name: 'thumbs-dlq' }, 'name', 'must not be dlq or end with -dlq'],
    ['the name dlq', { name: 'dlq' }, 'name', 'must not be dlq or end with -dlq'],
    ['no bucket', { source: { buckets: [] } }, 'source.buckets', 'must NOT have fewer than 1 items'],
    [
      'an unknown source field',
      { source: { buckets: ['bucket-one'], extension: 'jpg' } },
      'source.extension',
      'is not a known property',
    ],
    [
      'maxObjects over 10,000',
      { window: { maxObjects: 10001, maxWaitSeconds: 60 } },
      'window.maxObjects',
      'must be <= 10000',
    ],
    [
      'maxWaitSeconds under a minute',
      { window: { maxObjects: 10, maxWaitSeconds: 30 } },
      'window.maxWaitSeconds',
      'must be >= 60',
    ],
    [
      'a manifest in the template',
      { job: { ...triggerInput().job, manifest: { bucket: 'b1', key: 'k' } } },
      'job.manifest',
      'is not a known property',
    ],
  ])('refuses %s, naming the field', (_case, overrides, field, reason) => {
    const failure = failureOf(triggerInput(overrides));

    expect(failure.field).toBe(field);
    expect(failure.reason).toContain(reason);
  });

  it('refuses minObjects above maxObjects', () => {
    const failure = failureOf(
      triggerInput({ window: { maxObjects: 10, maxWaitSeconds: 60, minObjects: 11 } }),
    );

    expect(failure).toEqual({
      field: 'window.minObjects',
      reason: expect.stringContaining('more than window.maxObjects (10)'),
    });
  });

  it('refuses minSizeBytes above maxSizeBytes', () => {
    const failure = failureOf(
      triggerInput({ source: { buckets: ['bucket-one'], minSizeBytes: 10, maxSizeBytes: 5 } }),
    );

    expect(failure.field).toBe('source.minSizeBytes');
  });

  it('refuses the tags the orchestrator sets', () => {
    const job = { ...triggerInput().job, tags: { 's3bo:trigger': 'other' } };

    expect(failureOf(triggerInput({ job })).field).toBe('job.tags.s3bo:trigger');
  });

  it('refuses a template that cannot make a valid job request, naming the field under job', () => {
    // A job request refuses a report that is enabled without a bucket (request-validation.ts).
    const job = { ...triggerInput().job, report: { enabled: true } };

    expect(failureOf(triggerInput({ job })).field).toMatch(/^job\.report/);
  });

  it('refuses something that is not an object', () => {
    expect(failureOf([1])).toEqual({ field: 'trigger', reason: 'must be a JSON object' });
  });
});

describe('buildTriggerRequest', () => {
  it('is the template with the manifest filled in and the s3bo:trigger tag, a valid job request', () => {
    const trigger = parseTrigger(
      triggerInput({ job: { ...triggerInput().job, tags: { team: 'media' }, priority: 7 } }),
    );

    const request = buildTriggerRequest(trigger, {
      bucket: 'state',
      key: 'triggers/thumbs/manifests/abc.csv',
      etag: '0123456789abcdef0123456789abcdef',
      fields: ['Bucket', 'Key', 'VersionId'],
    });

    expect(request).toMatchObject({
      operation: { S3PutObjectTagging: { TagSet: [{ Key: 'thumb', Value: 'pending' }] } },
      priority: 7,
      manifest: {
        bucket: 'state',
        key: 'triggers/thumbs/manifests/abc.csv',
        format: 'S3BatchOperations_CSV_20180820',
        fields: ['Bucket', 'Key', 'VersionId'],
        etag: '0123456789abcdef0123456789abcdef',
      },
      tags: { team: 'media', 's3bo:trigger': 'thumbs' },
    });
    expect(() => parseJobRequest(request)).not.toThrow();
  });
});
