/**
 * A request's manifestGenerator as CreateJob's ManifestGenerator (S3JobManifestGenerator, AWS field names).
 * The relative ages become absolute: olderThanDays sets CreatedBefore and newerThanDays CreatedAfter, N days
 * before the job's submit time. That instant is the execution's start, not the moment the SubmitJob task
 * runs: a retried SubmitJob must send CreateJob the same input under the same ClientRequestToken, or S3
 * answers IdempotencyException for the job the first try created.
 */
import type { ManifestGeneratorFilter, ManifestGeneratorWithDefaults } from '../../generated/types.js';
import { RequestValidationError } from '../errors.js';
import type { S3JobManifestGenerator } from '../ports.js';

const dayMs = 86_400_000;

/** The filter's date bounds as CreateJob receives them, ISO; absent when the filter sets none. */
export interface EffectiveCreationDates {
  createdAfter?: string;
  createdBefore?: string;
}

export function effectiveCreationDates(
  filter: ManifestGeneratorFilter | undefined,
  submitTime: Date,
): EffectiveCreationDates {
  const daysBefore = (days: number) => new Date(submitTime.getTime() - days * dayMs).toISOString();
  const after =
    filter?.newerThanDays !== undefined ? daysBefore(filter.newerThanDays) : normalized(filter?.createdAfter);
  const before =
    filter?.olderThanDays !== undefined
      ? daysBefore(filter.olderThanDays)
      : normalized(filter?.createdBefore);
  if (after !== undefined && before !== undefined && after >= before) {
    throw new RequestValidationError(
      'manifestGenerator.filter',
      `selects no object: objects created after ${after} and before ${before}`,
    );
  }
  return {
    ...(after === undefined ? {} : { createdAfter: after }),
    ...(before === undefined ? {} : { createdBefore: before }),
  };
}

/** RFC 3339 with any offset (the schema's pattern) -> UTC ISO, so dates compare as strings. */
const normalized = (dateTime: string | undefined): string | undefined =>
  dateTime === undefined ? undefined : new Date(dateTime).toISOString();

export const bucketArn = (bucket: string): string => `arn:aws:s3:::${bucket}`;

export function buildS3JobManifestGenerator(
  generator: ManifestGeneratorWithDefaults,
  dates: EffectiveCreationDates,
): S3JobManifestGenerator {
  const output = generator.manifestOutputLocation;
  const filter = s3Filter(generator.filter, dates);
  return {
    ...(generator.expectedBucketOwner === undefined
      ? {}
      : { ExpectedBucketOwner: generator.expectedBucketOwner }),
    SourceBucket: bucketArn(generator.sourceBucket),
    ...(output === undefined
      ? {}
      : {
          ManifestOutputLocation: {
            ...(output.expectedBucketOwner === undefined
              ? {}
              : { ExpectedManifestBucketOwner: output.expectedBucketOwner }),
            Bucket: bucketArn(output.bucket),
            ...(output.prefix === undefined ? {} : { ManifestPrefix: output.prefix }),
            ...(output.encryption?.ssekms
              ? { ManifestEncryption: { SSEKMS: { KeyId: output.encryption.ssekms.keyId } } }
              : output.encryption?.sses3
                ? { ManifestEncryption: { SSES3: {} } }
                : {}),
            ManifestFormat: output.format,
          },
        }),
    ...(filter === undefined ? {} : { Filter: filter }),
    EnableManifestOutput: generator.enableManifestOutput,
  };
}

type S3Filter = NonNullable<S3JobManifestGenerator['Filter']>;

function s3Filter(
  filter: ManifestGeneratorFilter | undefined,
  dates: EffectiveCreationDates,
): S3Filter | undefined {
  const keys = filter?.keyNameConstraint;
  const s3: S3Filter = {
    ...(filter?.eligibleForReplication === undefined
      ? {}
      : { EligibleForReplication: filter.eligibleForReplication }),
    ...(dates.createdAfter === undefined ? {} : { CreatedAfter: dates.createdAfter }),
    ...(dates.createdBefore === undefined ? {} : { CreatedBefore: dates.createdBefore }),
    ...(filter?.objectReplicationStatuses === undefined
      ? {}
      : { ObjectReplicationStatuses: [...filter.objectReplicationStatuses] }),
    ...(keys === undefined
      ? {}
      : {
          KeyNameConstraint: {
            ...(keys.matchAnyPrefix === undefined ? {} : { MatchAnyPrefix: [...keys.matchAnyPrefix] }),
            ...(keys.matchAnySuffix === undefined ? {} : { MatchAnySuffix: [...keys.matchAnySuffix] }),
            ...(keys.matchAnySubstring === undefined
              ? {}
              : { MatchAnySubstring: [...keys.matchAnySubstring] }),
          },
        }),
    ...(filter?.objectSizeGreaterThanBytes === undefined
      ? {}
      : { ObjectSizeGreaterThanBytes: filter.objectSizeGreaterThanBytes }),
    ...(filter?.objectSizeLessThanBytes === undefined
      ? {}
      : { ObjectSizeLessThanBytes: filter.objectSizeLessThanBytes }),
    ...(filter?.matchAnyStorageClass === undefined
      ? {}
      : { MatchAnyStorageClass: [...filter.matchAnyStorageClass] }),
    ...(filter?.matchAnyObjectEncryption === undefined
      ? {}
      : { MatchAnyObjectEncryption: filter.matchAnyObjectEncryption.map(s3EncryptionFilter) }),
  };
  return Object.keys(s3).length === 0 ? undefined : s3;
}

type EncryptionFilter = NonNullable<ManifestGeneratorFilter['matchAnyObjectEncryption']>[number];

/** `{ ssekms: { kmsKeyArn } }` -> `{ SSEKMS: { KmsKeyArn } }` (S3 Control ObjectEncryptionFilter). */
function s3EncryptionFilter(filter: EncryptionFilter): Record<string, Record<string, unknown>> {
  if (filter.ssekms) {
    return {
      SSEKMS: {
        ...(filter.ssekms.kmsKeyArn === undefined ? {} : { KmsKeyArn: filter.ssekms.kmsKeyArn }),
        ...(filter.ssekms.bucketKeyEnabled === undefined
          ? {}
          : { BucketKeyEnabled: filter.ssekms.bucketKeyEnabled }),
      },
    };
  }
  if (filter.dssekms) {
    return {
      DSSEKMS: filter.dssekms.kmsKeyArn === undefined ? {} : { KmsKeyArn: filter.dssekms.kmsKeyArn },
    };
  }
  if (filter.sses3) return { SSES3: {} };
  if (filter.ssec) return { SSEC: {} };
  return { NOTSSE: {} };
}
