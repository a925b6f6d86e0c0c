/** parseJobRequest on the sources of objects: manifest, manifest.inventory, manifestGenerator. */
import { describe, expect, it } from 'vitest';
import { RequestValidationError } from '../../../src/core/errors.js';
import { parseJobRequest } from '../../../src/core/request-validation.js';

const base = { operation: { S3DeleteObjectTagging: {} }, report: { enabled: false } };
const kmsKey = 'arn:aws:kms:us-east-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab';
const generator = (fields: Record<string, unknown> = {}) => ({
  ...base,
  manifestGenerator: { sourceBucket: 'photos', ...fields },
});
const filtered = (filter: Record<string, unknown>) => generator({ filter });
const inventory = { bucket: 'inventories', sourceBucket: 'photos', configId: 'daily-all' };

function rejection(input: unknown): RequestValidationError {
  try {
    parseJobRequest(input);
  } catch (error) {
    if (error instanceof RequestValidationError) return error;
    throw error;
  }
  throw new Error('expected the request to be rejected');
}

describe('parseJobRequest: exactly one source of objects', () => {
  it('refuses both a manifest and a manifestGenerator, naming both', () => {
    const error = rejection({ ...generator(), manifest: { bucket: 'manifests', key: 'm.csv' } });
    expect(error.field).toBe('manifest');
    expect(error.message).toMatch(
      /^manifest: and manifestGenerator are both given: give exactly one of them/,
    );
  });

  it('refuses neither, naming both', () => {
    const error = rejection(base);
    expect(error.message).toMatch(/^manifest: or manifestGenerator is required: give exactly one of them/);
  });

  it('still names an unknown property first: the request is wrong before it is incomplete', () => {
    expect(rejection({ ...base, manifets: {} }).field).toBe('manifets');
  });
});

describe('parseJobRequest: manifest.inventory', () => {
  it('fills maxAgeHours with its default, 48', () => {
    const parsed = parseJobRequest({ ...base, manifest: { inventory } });
    expect(parsed.manifest?.inventory).toEqual({ ...inventory, maxAgeHours: 48 });
    expect(parsed.manifestGenerator).toBeUndefined();
  });

  it.each(['bucket', 'key', 'format', 'fields', 'etag', 'versionId'])(
    'refuses manifest.%s beside manifest.inventory, naming it',
    (name) => {
      const values: Record<string, unknown> = {
        bucket: 'manifests',
        key: 'm.csv',
        format: 'S3InventoryReport_CSV_20161130',
        fields: ['Bucket', 'Key'],
        etag: 'e',
        versionId: 'v',
      };
      const error = rejection({ ...base, manifest: { inventory, [name]: values[name] } });
      expect(error.field).toBe(`manifest.${name}`);
      expect(error.reason).toMatch(/^does not go with manifest\.inventory/);
    },
  );

  it.each([
    [{ ...inventory, configId: 'has spaces' }, 'manifest.inventory.configId'],
    [{ ...inventory, configId: 'x'.repeat(65) }, 'manifest.inventory.configId'],
    [{ ...inventory, maxAgeHours: 0 }, 'manifest.inventory.maxAgeHours'],
    [{ ...inventory, sourceBucket: 'Bad_Bucket' }, 'manifest.inventory.sourceBucket'],
    [{ bucket: 'inventories', sourceBucket: 'photos' }, 'manifest.inventory.configId'],
  ])('names the bad field of %j', (value, field) => {
    expect(rejection({ ...base, manifest: { inventory: value } }).field).toBe(field);
  });

  it('still requires bucket and key without inventory', () => {
    expect(rejection({ ...base, manifest: { key: 'm.csv' } }).field).toBe('manifest.bucket');
  });
});

describe('parseJobRequest: manifestGenerator', () => {
  it('fills enableManifestOutput and the output format with their defaults', () => {
    expect(parseJobRequest(generator()).manifestGenerator).toEqual({
      sourceBucket: 'photos',
      enableManifestOutput: false,
    });
    const output = parseJobRequest(
      generator({ enableManifestOutput: true, manifestOutputLocation: { bucket: 'reports' } }),
    ).manifestGenerator?.manifestOutputLocation;
    expect(output).toEqual({ bucket: 'reports', format: 'S3InventoryReport_CSV_20211130' });
  });

  it('accepts a full generator', () => {
    expect(() =>
      parseJobRequest(
        generator({
          expectedBucketOwner: '111122223333',
          enableManifestOutput: true,
          manifestOutputLocation: {
            bucket: 'reports',
            prefix: 'generated',
            expectedBucketOwner: '111122223333',
            format: 'S3InventoryReport_CSV_20211130',
            encryption: { ssekms: { keyId: kmsKey } },
          },
          filter: {
            createdAfter: '2026-01-01T00:00:00Z',
            olderThanDays: 3,
            eligibleForReplication: false,
            objectReplicationStatuses: ['COMPLETED', 'FAILED', 'REPLICA', 'NONE'],
            keyNameConstraint: { matchAnyPrefix: ['a/'], matchAnySuffix: ['.b'], matchAnySubstring: ['c'] },
            objectSizeGreaterThanBytes: 0,
            objectSizeLessThanBytes: 10,
            matchAnyStorageClass: ['STANDARD', 'INTELLIGENT_TIERING', 'DEEP_ARCHIVE'],
            matchAnyObjectEncryption: [{ dssekms: { kmsKeyArn: kmsKey } }],
          },
        }),
      ),
    ).not.toThrow();
  });

  it('requires manifestOutputLocation when enableManifestOutput is true', () => {
    const error = rejection(generator({ enableManifestOutput: true }));
    expect(error.field).toBe('manifestGenerator.manifestOutputLocation');
  });

  it.each([false, undefined])('refuses manifestOutputLocation when enableManifestOutput is %s', (enabled) => {
    const error = rejection(
      generator({
        ...(enabled === undefined ? {} : { enableManifestOutput: enabled }),
        manifestOutputLocation: { bucket: 'reports' },
      }),
    );
    expect(error.field).toBe('manifestGenerator.manifestOutputLocation');
    expect(error.reason).toMatch(/enableManifestOutput is not true/);
  });

  it.each([
    ['olderThanDays', 'createdBefore'],
    ['newerThanDays', 'createdAfter'],
  ])('refuses %s with %s: both set the same CreateJob field', (relative, absolute) => {
    const error = rejection(filtered({ [relative]: 2, [absolute]: '2026-01-01T00:00:00Z' }));
    expect(error.field).toBe(`manifestGenerator.filter.${relative}`);
    expect(error.reason).toMatch(new RegExp(`^conflicts with ${absolute}`));
  });

  it.each<[string, Record<string, unknown>, string]>([
    ['a source bucket ARN', { sourceBucket: 'arn:aws:s3:::photos' }, 'manifestGenerator.sourceBucket'],
    [
      'an owner that is not 12 digits',
      { expectedBucketOwner: '1234' },
      'manifestGenerator.expectedBucketOwner',
    ],
    ['an unknown field', { sourceBukcet: 'x' }, 'manifestGenerator.sourceBukcet'],
    [
      'an output prefix over 512 characters',
      { enableManifestOutput: true, manifestOutputLocation: { bucket: 'reports', prefix: 'p'.repeat(513) } },
      'manifestGenerator.manifestOutputLocation.prefix',
    ],
    [
      'another manifest format',
      {
        enableManifestOutput: true,
        manifestOutputLocation: { bucket: 'reports', format: 'S3BatchOperations_CSV_20180820' },
      },
      'manifestGenerator.manifestOutputLocation.format',
    ],
    [
      'a KMS alias as the manifest key',
      {
        enableManifestOutput: true,
        manifestOutputLocation: { bucket: 'reports', encryption: { ssekms: { keyId: 'alias/x' } } },
      },
      'manifestGenerator.manifestOutputLocation.encryption.ssekms.keyId',
    ],
    [
      'two manifest encryptions',
      {
        enableManifestOutput: true,
        manifestOutputLocation: { bucket: 'reports', encryption: { sses3: {}, ssekms: { keyId: kmsKey } } },
      },
      'manifestGenerator.manifestOutputLocation.encryption',
    ],
    [
      'a date that is no date-time',
      { filter: { createdAfter: 'yesterday' } },
      'manifestGenerator.filter.createdAfter',
    ],
    ['negative days', { filter: { olderThanDays: -1 } }, 'manifestGenerator.filter.olderThanDays'],
    ['fractional days', { filter: { newerThanDays: 1.5 } }, 'manifestGenerator.filter.newerThanDays'],
    [
      'a negative size',
      { filter: { objectSizeGreaterThanBytes: -1 } },
      'manifestGenerator.filter.objectSizeGreaterThanBytes',
    ],
    [
      'an unknown replication status',
      { filter: { objectReplicationStatuses: ['PENDING'] } },
      'manifestGenerator.filter.objectReplicationStatuses[0]',
    ],
    [
      'an empty prefix list',
      { filter: { keyNameConstraint: { matchAnyPrefix: [] } } },
      'manifestGenerator.filter.keyNameConstraint.matchAnyPrefix',
    ],
    [
      'two prefixes (AWS: a list of 1 string)',
      { filter: { keyNameConstraint: { matchAnyPrefix: ['a', 'b'] } } },
      'manifestGenerator.filter.keyNameConstraint.matchAnyPrefix',
    ],
    [
      'an empty suffix',
      { filter: { keyNameConstraint: { matchAnySuffix: [''] } } },
      'manifestGenerator.filter.keyNameConstraint.matchAnySuffix[0]',
    ],
    [
      'a storage class a generator does not filter on',
      { filter: { matchAnyStorageClass: ['REDUCED_REDUNDANCY'] } },
      'manifestGenerator.filter.matchAnyStorageClass[0]',
    ],
    [
      'two encryption filters (AWS: a fixed number of 1 item)',
      { filter: { matchAnyObjectEncryption: [{ sses3: {} }, { ssec: {} }] } },
      'manifestGenerator.filter.matchAnyObjectEncryption',
    ],
    [
      'an encryption filter of two types',
      { filter: { matchAnyObjectEncryption: [{ sses3: {}, notsse: {} }] } },
      'manifestGenerator.filter.matchAnyObjectEncryption[0]',
    ],
    [
      'a KMS key alias in an encryption filter',
      {
        filter: {
          matchAnyObjectEncryption: [{ ssekms: { kmsKeyArn: 'arn:aws:kms:us-east-1:123456789012:alias/x' } }],
        },
      },
      'manifestGenerator.filter.matchAnyObjectEncryption[0].ssekms.kmsKeyArn',
    ],
    [
      'size bounds no object fits between',
      { filter: { objectSizeGreaterThanBytes: 10, objectSizeLessThanBytes: 11 } },
      'manifestGenerator.filter.objectSizeLessThanBytes',
    ],
    [
      'absolute dates in the wrong order',
      { filter: { createdAfter: '2026-02-01T00:00:00Z', createdBefore: '2026-01-01T00:00:00Z' } },
      'manifestGenerator.filter.createdBefore',
    ],
  ])('names the field of %s', (_name, fields, field) => {
    expect(rejection(generator(fields)).field).toBe(field);
  });
});
