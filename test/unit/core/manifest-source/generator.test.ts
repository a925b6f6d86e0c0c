import { describe, expect, it } from 'vitest';
import {
  buildS3JobManifestGenerator,
  effectiveCreationDates,
} from '../../../../src/core/manifest-source/generator.js';
import { parseJobRequest } from '../../../../src/core/request-validation.js';
import type { ManifestGeneratorWithDefaults } from '../../../../src/generated/types.js';

const submitTime = new Date('2026-11-26T10:00:00Z');
const kmsKey = 'arn:aws:kms:us-east-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab';

/** The generator as parseJobRequest leaves it (defaults filled). */
const generatorOf = (manifestGenerator: Record<string, unknown>): ManifestGeneratorWithDefaults =>
  parseJobRequest({
    operation: { S3DeleteObjectTagging: {} },
    manifestGenerator,
    report: { enabled: false },
  }).manifestGenerator!;

describe('effectiveCreationDates', () => {
  it('counts olderThanDays and newerThanDays back from the submit time', () => {
    expect(effectiveCreationDates({ olderThanDays: 30, newerThanDays: 90 }, submitTime)).toEqual({
      createdAfter: '2026-08-28T10:00:00.000Z',
      createdBefore: '2026-10-27T10:00:00.000Z',
    });
  });

  it('passes absolute dates on, normalised to UTC', () => {
    expect(
      effectiveCreationDates(
        { createdAfter: '2026-01-01T02:00:00+02:00', createdBefore: '2026-06-01T00:00:00Z' },
        submitTime,
      ),
    ).toEqual({ createdAfter: '2026-01-01T00:00:00.000Z', createdBefore: '2026-06-01T00:00:00.000Z' });
  });

  it('mixes a relative bound with an absolute one', () => {
    expect(
      effectiveCreationDates({ createdAfter: '2026-01-01T00:00:00Z', olderThanDays: 1 }, submitTime),
    ).toEqual({
      createdAfter: '2026-01-01T00:00:00.000Z',
      createdBefore: '2026-11-25T10:00:00.000Z',
    });
  });

  it('sets nothing without a filter or without dates in it', () => {
    expect(effectiveCreationDates(undefined, submitTime)).toEqual({});
    expect(effectiveCreationDates({ objectSizeGreaterThanBytes: 1 }, submitTime)).toEqual({});
  });

  it('refuses bounds that select no object, naming the filter', () => {
    expect(() => effectiveCreationDates({ newerThanDays: 1, olderThanDays: 2 }, submitTime)).toThrow(
      expect.objectContaining({
        field: 'manifestGenerator.filter',
        reason:
          'selects no object: objects created after 2026-11-25T10:00:00.000Z and before 2026-11-24T10:00:00.000Z',
      }),
    );
  });
});

describe('buildS3JobManifestGenerator', () => {
  it('maps a bare generator: the source bucket ARN and EnableManifestOutput false, no filter', () => {
    expect(buildS3JobManifestGenerator(generatorOf({ sourceBucket: 'photos' }), {})).toEqual({
      SourceBucket: 'arn:aws:s3:::photos',
      EnableManifestOutput: false,
    });
  });

  it('maps every field of a full generator to its S3 Control name', () => {
    // Prepare
    const generator = generatorOf({
      sourceBucket: 'photos',
      expectedBucketOwner: '111122223333',
      enableManifestOutput: true,
      manifestOutputLocation: {
        bucket: 'reports',
        prefix: 'generated',
        expectedBucketOwner: '444455556666',
        encryption: { ssekms: { keyId: kmsKey } },
      },
      filter: {
        newerThanDays: 10,
        createdBefore: '2026-11-20T00:00:00Z',
        eligibleForReplication: true,
        objectReplicationStatuses: ['FAILED', 'NONE'],
        keyNameConstraint: {
          matchAnyPrefix: ['raw/'],
          matchAnySuffix: ['.jpg'],
          matchAnySubstring: ['2026'],
        },
        objectSizeGreaterThanBytes: 1024,
        objectSizeLessThanBytes: 1048576,
        matchAnyStorageClass: ['STANDARD', 'GLACIER_IR'],
        matchAnyObjectEncryption: [{ ssekms: { kmsKeyArn: kmsKey, bucketKeyEnabled: true } }],
      },
    });

    // Act
    const s3 = buildS3JobManifestGenerator(generator, effectiveCreationDates(generator.filter, submitTime));

    // Assess
    expect(s3).toEqual({
      ExpectedBucketOwner: '111122223333',
      SourceBucket: 'arn:aws:s3:::photos',
      ManifestOutputLocation: {
        ExpectedManifestBucketOwner: '444455556666',
        Bucket: 'arn:aws:s3:::reports',
        ManifestPrefix: 'generated',
        ManifestEncryption: { SSEKMS: { KeyId: kmsKey } },
        ManifestFormat: 'S3InventoryReport_CSV_20211130',
      },
      Filter: {
        EligibleForReplication: true,
        CreatedAfter: '2026-11-16T10:00:00.000Z',
        CreatedBefore: '2026-11-20T00:00:00.000Z',
        ObjectReplicationStatuses: ['FAILED', 'NONE'],
        KeyNameConstraint: {
          MatchAnyPrefix: ['raw/'],
          MatchAnySuffix: ['.jpg'],
          MatchAnySubstring: ['2026'],
        },
        ObjectSizeGreaterThanBytes: 1024,
        ObjectSizeLessThanBytes: 1048576,
        MatchAnyStorageClass: ['STANDARD', 'GLACIER_IR'],
        MatchAnyObjectEncryption: [{ SSEKMS: { KmsKeyArn: kmsKey, BucketKeyEnabled: true } }],
      },
      EnableManifestOutput: true,
    });
  });

  it('maps SSE-S3 manifest encryption', () => {
    const generator = generatorOf({
      sourceBucket: 'photos',
      enableManifestOutput: true,
      manifestOutputLocation: { bucket: 'reports', encryption: { sses3: {} } },
    });
    expect(buildS3JobManifestGenerator(generator, {}).ManifestOutputLocation).toEqual({
      Bucket: 'arn:aws:s3:::reports',
      ManifestEncryption: { SSES3: {} },
      ManifestFormat: 'S3InventoryReport_CSV_20211130',
    });
  });

  it.each([
    [{ sses3: {} }, { SSES3: {} }],
    [{ ssekms: {} }, { SSEKMS: {} }],
    [{ dssekms: { kmsKeyArn: kmsKey } }, { DSSEKMS: { KmsKeyArn: kmsKey } }],
    [{ dssekms: {} }, { DSSEKMS: {} }],
    [{ ssec: {} }, { SSEC: {} }],
    [{ notsse: {} }, { NOTSSE: {} }],
  ])('maps the object encryption filter %j to %j', (filter, s3) => {
    const generator = generatorOf({ sourceBucket: 'photos', filter: { matchAnyObjectEncryption: [filter] } });
    expect(buildS3JobManifestGenerator(generator, {}).Filter).toEqual({ MatchAnyObjectEncryption: [s3] });
  });
});
