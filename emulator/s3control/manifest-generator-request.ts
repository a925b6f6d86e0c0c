/**
 * CreateJob's ManifestGenerator → a validated S3JobManifestGenerator. Shapes and limits follow the S3 Control
 * API reference (S3JobManifestGenerator, S3ManifestOutputLocation, GeneratedManifestEncryption,
 * JobManifestGeneratorFilter, KeyNameConstraint, ObjectEncryptionFilter); element names follow the SDK's
 * schemas (`<SSE-S3/>`, `<ObjectEncryption>` list members). Messages name the field, codes are AWS's.
 */
import { badRequest } from './errors.js';
import {
  ACCOUNT_ID,
  BUCKET_ARN,
  checkEnum,
  checkTimestamp,
  isObject,
  STORAGE_CLASSES,
} from './request-checks.js';
import {
  GENERATED_MANIFEST_FORMAT,
  type JobManifestGenerator,
  type JobManifestGeneratorFilter,
  type KeyNameConstraint,
  type ObjectEncryptionFilter,
  REPLICATION_STATUSES,
  type S3JobManifestGenerator,
  type S3ManifestOutputLocation,
} from './types.js';

const GENERATOR = 'S3JobManifestGenerator';
const OUTPUT = `${GENERATOR}.ManifestOutputLocation`;
const FILTER = `${GENERATOR}.Filter`;
const ENCRYPTION_FILTERS = ['SSE-S3', 'SSE-KMS', 'DSSE-KMS', 'SSE-C', 'NOT-SSE'] as const;

function checkAccountId(value: unknown, field: string): void {
  if (value !== undefined && (typeof value !== 'string' || !ACCOUNT_ID.test(value))) {
    throw badRequest(`${field} must be a 12-digit account id`);
  }
}

function checkBucketArn(value: unknown, field: string): asserts value is string {
  if (typeof value !== 'string' || !BUCKET_ARN.test(value)) {
    throw badRequest(`${field} must be a bucket ARN (arn:aws:s3:::bucket)`);
  }
}

/** An empty structure (`<SSE-S3/>`) parses as '' and is stored as {} so DescribeJob renders it back. */
function emptyStructure(value: unknown, field: string): Record<string, never> {
  if (value === '' || (isObject(value) && Object.keys(value).length === 0)) return {};
  throw badRequest(`${field} takes no fields`);
}

/** Exactly one member of a union structure, e.g. `{ 'SSE-KMS': {...} }`. */
function unionMember(value: unknown, field: string, members: readonly string[]): string {
  const names = isObject(value) ? Object.keys(value) : [];
  if (names.length !== 1 || !members.includes(names[0]!)) {
    throw badRequest(`${field} must hold exactly one of ${members.join(', ')}`);
  }
  return names[0]!;
}

function validateOutputLocation(value: unknown): S3ManifestOutputLocation {
  if (!isObject(value)) {
    throw badRequest(`${OUTPUT} is required when ${GENERATOR}.EnableManifestOutput is true`);
  }
  checkBucketArn(value.Bucket, `${OUTPUT}.Bucket`);
  if (value.ManifestFormat !== GENERATED_MANIFEST_FORMAT) {
    throw badRequest(`${OUTPUT}.ManifestFormat must be ${GENERATED_MANIFEST_FORMAT}`);
  }
  checkAccountId(value.ExpectedManifestBucketOwner, `${OUTPUT}.ExpectedManifestBucketOwner`);
  const prefix = value.ManifestPrefix;
  if (prefix !== undefined && (typeof prefix !== 'string' || prefix.length < 1 || prefix.length > 512)) {
    throw badRequest(`${OUTPUT}.ManifestPrefix must be 1-512 characters`);
  }
  const location: S3ManifestOutputLocation = {
    Bucket: value.Bucket,
    ManifestFormat: GENERATED_MANIFEST_FORMAT,
  };
  if (value.ExpectedManifestBucketOwner !== undefined) {
    location.ExpectedManifestBucketOwner = value.ExpectedManifestBucketOwner as string;
  }
  if (prefix !== undefined) location.ManifestPrefix = prefix as string;
  if (value.ManifestEncryption !== undefined) {
    const field = `${OUTPUT}.ManifestEncryption`;
    const member = unionMember(value.ManifestEncryption, field, ['SSE-S3', 'SSE-KMS']);
    const settings = (value.ManifestEncryption as Record<string, unknown>)[member];
    if (member === 'SSE-S3') {
      location.ManifestEncryption = { 'SSE-S3': emptyStructure(settings, `${field}.SSE-S3`) };
    } else {
      const keyId = isObject(settings) ? settings.KeyId : undefined;
      if (typeof keyId !== 'string' || keyId.length === 0) {
        throw badRequest(`${field}.SSE-KMS.KeyId is required`);
      }
      location.ManifestEncryption = { 'SSE-KMS': { KeyId: keyId } };
    }
  }
  return location;
}

/** KeyNameConstraint lists are NonEmptyMaxLength1024StringList in the model: ≥ 1 string of 1-1024 chars. */
function validateKeyNames(value: unknown): KeyNameConstraint {
  const field = `${FILTER}.KeyNameConstraint`;
  if (value === '') return {};
  if (!isObject(value)) throw badRequest(`${field} must be a structure`);
  const constraint: KeyNameConstraint = {};
  for (const name of ['MatchAnyPrefix', 'MatchAnySuffix', 'MatchAnySubstring'] as const) {
    const list = value[name];
    if (list === undefined) continue;
    const valid =
      Array.isArray(list) &&
      list.length > 0 &&
      list.every((item) => typeof item === 'string' && item.length >= 1 && item.length <= 1024);
    if (!valid) throw badRequest(`${field}.${name} must be a non-empty list of 1-1024 character strings`);
    constraint[name] = list as string[];
  }
  return constraint;
}

function validateSize(value: unknown, field: string): number | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < 0) {
    throw badRequest(`${field} must be a non-negative integer`);
  }
  return value;
}

/** An enum list; an empty list (`<MatchAnyStorageClass/>`) constrains nothing and is dropped. */
function validateEnumList(value: unknown, field: string, allowed: readonly string[]): string[] | undefined {
  if (value === undefined) return undefined;
  if (!Array.isArray(value)) throw badRequest(`${field} must be a list`);
  for (const item of value) checkEnum(item, field, allowed);
  return value.length > 0 ? (value as string[]) : undefined;
}

function validateEncryptionFilters(value: unknown): ObjectEncryptionFilter[] | undefined {
  const field = `${FILTER}.MatchAnyObjectEncryption`;
  if (value === undefined) return undefined;
  if (!Array.isArray(value)) throw badRequest(`${field} must be a list`);
  const filters = value.map((entry): ObjectEncryptionFilter => {
    const member = unionMember(entry, field, ENCRYPTION_FILTERS);
    const settings = (entry as Record<string, unknown>)[member];
    if (member === 'SSE-KMS' || member === 'DSSE-KMS') {
      const fields = settings === '' ? {} : settings;
      if (!isObject(fields)) throw badRequest(`${field}.${member} must be a structure`);
      const keyArn = fields.KmsKeyArn;
      if (keyArn !== undefined && (typeof keyArn !== 'string' || keyArn.length === 0)) {
        throw badRequest(`${field}.${member}.KmsKeyArn must be a KMS key ARN`);
      }
      const bucketKey = member === 'SSE-KMS' ? fields.BucketKeyEnabled : undefined;
      return {
        [member]: {
          ...(keyArn !== undefined && { KmsKeyArn: keyArn as string }),
          ...(bucketKey !== undefined && { BucketKeyEnabled: bucketKey === true }),
        },
      };
    }
    return { [member]: emptyStructure(settings, `${field}.${member}`) };
  });
  return filters.length > 0 ? filters : undefined;
}

function validateFilter(value: unknown): JobManifestGeneratorFilter {
  if (value === '') return {}; // <Filter/>
  if (!isObject(value)) throw badRequest(`${FILTER} must be a structure`);
  checkTimestamp(value.CreatedAfter, `${FILTER}.CreatedAfter`);
  checkTimestamp(value.CreatedBefore, `${FILTER}.CreatedBefore`);
  const filter: JobManifestGeneratorFilter = {};
  if (value.EligibleForReplication !== undefined) {
    filter.EligibleForReplication = value.EligibleForReplication === true;
  }
  if (value.CreatedAfter !== undefined) filter.CreatedAfter = value.CreatedAfter as string;
  if (value.CreatedBefore !== undefined) filter.CreatedBefore = value.CreatedBefore as string;
  const statuses = validateEnumList(
    value.ObjectReplicationStatuses,
    `${FILTER}.ObjectReplicationStatuses`,
    REPLICATION_STATUSES,
  );
  if (statuses)
    filter.ObjectReplicationStatuses = statuses as JobManifestGeneratorFilter['ObjectReplicationStatuses'];
  if (value.KeyNameConstraint !== undefined)
    filter.KeyNameConstraint = validateKeyNames(value.KeyNameConstraint);
  const greater = validateSize(value.ObjectSizeGreaterThanBytes, `${FILTER}.ObjectSizeGreaterThanBytes`);
  if (greater !== undefined) filter.ObjectSizeGreaterThanBytes = greater;
  const less = validateSize(value.ObjectSizeLessThanBytes, `${FILTER}.ObjectSizeLessThanBytes`);
  if (less !== undefined) filter.ObjectSizeLessThanBytes = less;
  const classes = validateEnumList(
    value.MatchAnyStorageClass,
    `${FILTER}.MatchAnyStorageClass`,
    STORAGE_CLASSES,
  );
  if (classes) filter.MatchAnyStorageClass = classes;
  const encryption = validateEncryptionFilters(value.MatchAnyObjectEncryption);
  if (encryption) filter.MatchAnyObjectEncryption = encryption;
  return filter;
}

/** Validates and normalises the request's ManifestGenerator (unknown fields are dropped, as S3 ignores them). */
export function validateManifestGenerator(value: unknown): JobManifestGenerator {
  const member = unionMember(value, 'ManifestGenerator', [GENERATOR]);
  const input = (value as Record<string, unknown>)[member];
  if (!isObject(input)) throw badRequest(`${GENERATOR} must be a structure`);
  checkBucketArn(input.SourceBucket, `${GENERATOR}.SourceBucket`);
  if (typeof input.EnableManifestOutput !== 'boolean') {
    throw badRequest(`${GENERATOR}.EnableManifestOutput is required (true or false)`);
  }
  checkAccountId(input.ExpectedBucketOwner, `${GENERATOR}.ExpectedBucketOwner`);
  const generator: S3JobManifestGenerator = {
    SourceBucket: input.SourceBucket,
    EnableManifestOutput: input.EnableManifestOutput,
  };
  if (input.ExpectedBucketOwner !== undefined)
    generator.ExpectedBucketOwner = input.ExpectedBucketOwner as string;
  // The location is required only when the manifest is written; one sent anyway is still checked and kept.
  if (input.EnableManifestOutput || input.ManifestOutputLocation !== undefined) {
    generator.ManifestOutputLocation = validateOutputLocation(input.ManifestOutputLocation);
  }
  if (input.Filter !== undefined) generator.Filter = validateFilter(input.Filter);
  return { S3JobManifestGenerator: generator };
}
