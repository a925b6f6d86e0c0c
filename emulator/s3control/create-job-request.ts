/**
 * CreateJob: the `<CreateJobRequest>` body → a validated request. Validation follows the S3 Control
 * API reference (CreateJob, JobReport, JobManifest…); messages are ours, codes are AWS's.
 */
import type { Tag } from '../contracts.js';
import { badRequest } from './errors.js';
import { validateManifestGenerator } from './manifest-generator-request.js';
import {
  BUCKET_ARN,
  checkEnum,
  checkTimestamp,
  isObject,
  OBJECT_ARN,
  STORAGE_CLASSES,
} from './request-checks.js';
import { type CreateJobRequest, type JobManifest, OPERATION_NAMES, type OperationParams } from './types.js';
import { parseXml, type XmlValue, xmlToValue } from './xml.js';

export { BUCKET_ARN, OBJECT_ARN };

const BOOLEAN_FIELDS = new Set([
  'Enabled',
  'ConfirmationRequired',
  'BypassGovernanceRetention',
  'RequesterPays',
  'BucketKeyEnabled',
  'RequesterCharged',
  'EnableManifestOutput',
  'EligibleForReplication',
]);
const INTEGER_FIELDS = new Set([
  'Priority',
  'ExpirationInDays',
  'ContentLength',
  'ObjectSizeGreaterThanBytes',
  'ObjectSizeLessThanBytes',
]);
const LIST_FIELDS = new Set([
  'TagSet',
  'Tags',
  'Fields',
  'Grants',
  'AccessControlGrants',
  'NewObjectTagging',
  'MatchAnyPrefix',
  'MatchAnySuffix',
  'MatchAnySubstring',
  'MatchAnyStorageClass',
  'ObjectReplicationStatuses',
  'MatchAnyObjectEncryption',
]);

const MAP_FIELDS = new Set(['UserMetadata', 'UserArguments']);

/** Types wire strings the way the model declares them (booleans, integers, empty lists, maps and structures). */
function coerce(name: string, value: XmlValue): unknown {
  if (typeof value === 'string') {
    if (BOOLEAN_FIELDS.has(name)) return value.trim() === 'true';
    if (INTEGER_FIELDS.has(name)) return value.trim() === '' ? Number.NaN : Number(value.trim());
    if (LIST_FIELDS.has(name) && value.trim() === '') return [];
    if (MAP_FIELDS.has(name) && value.trim() === '') return {};
    return value;
  }
  if (Array.isArray(value)) return value.map((item) => coerce('member', item));
  const object: Record<string, unknown> = {};
  for (const [key, child] of Object.entries(value)) object[key] = coerce(key, child);
  return object;
}

/** Parses an S3 Control request body into plain typed data; malformed XML is a BadRequestException. */
export function parseRequestBody(body: Buffer, rootName: string): Record<string, unknown> {
  let value: XmlValue;
  try {
    const root = parseXml(body.toString('utf8'));
    if (root.name !== rootName) throw new Error(`expected <${rootName}>, got <${root.name}>`);
    value = root.children.length === 0 ? {} : xmlToValue(root);
  } catch (error) {
    throw badRequest(`The XML you provided was not well-formed: ${(error as Error).message}`);
  }
  if (typeof value !== 'object' || Array.isArray(value))
    throw badRequest(`<${rootName}> must be a structure`);
  return coerce(rootName, value) as Record<string, unknown>;
}

const ROLE_ARN = /^arn:aws[a-z-]*:iam::\d{12}:role\/[\w+=,.@/-]{1,512}$/;
const LAMBDA_ARN = /^arn:aws[a-z-]*:lambda:[a-z0-9-]+:\d{12}:function:[\w-]+(:[\w$-]+)?$/;

export function validateTags(value: unknown, field: string): Tag[] {
  if (value === undefined) return [];
  if (!Array.isArray(value)) throw badRequest(`${field} must be a list of tags`);
  return value.map((tag) => {
    if (!isObject(tag) || typeof tag.Key !== 'string' || tag.Key.length < 1 || tag.Key.length > 128) {
      throw badRequest(`${field}: every tag needs a Key of 1-128 characters`);
    }
    const tagValue = tag.Value ?? '';
    if (typeof tagValue !== 'string' || tagValue.length > 256) {
      throw badRequest(`${field}: tag values are at most 256 characters`);
    }
    return { Key: tag.Key, Value: tagValue };
  });
}

const CANNED_ACLS = [
  'private',
  'public-read',
  'public-read-write',
  'aws-exec-read',
  'authenticated-read',
  'bucket-owner-read',
  'bucket-owner-full-control',
];
const LOCK_MODES = ['GOVERNANCE', 'COMPLIANCE'];
/** S3ChecksumAlgorithm / ComputeObjectChecksumAlgorithm in @aws-sdk/client-s3-control 3.1112. */
const CHECKSUM_ALGORITHMS = [
  'CRC32',
  'CRC32C',
  'CRC64NVME',
  'MD5',
  'SHA1',
  'SHA256',
  'SHA512',
  'XXHASH64',
  'XXHASH3',
  'XXHASH128',
];

function validateCopy(params: OperationParams): void {
  if (typeof params.TargetResource !== 'string' || !BUCKET_ARN.test(params.TargetResource)) {
    throw badRequest('S3PutObjectCopy.TargetResource must be a bucket ARN (arn:aws:s3:::bucket)');
  }
  checkEnum(params.MetadataDirective, 'S3PutObjectCopy.MetadataDirective', ['COPY', 'REPLACE']);
  checkEnum(params.StorageClass, 'S3PutObjectCopy.StorageClass', STORAGE_CLASSES);
  checkEnum(params.CannedAccessControlList, 'S3PutObjectCopy.CannedAccessControlList', CANNED_ACLS);
  checkEnum(params.ObjectLockMode, 'S3PutObjectCopy.ObjectLockMode', LOCK_MODES);
  checkEnum(params.ObjectLockLegalHoldStatus, 'S3PutObjectCopy.ObjectLockLegalHoldStatus', ['ON', 'OFF']);
  checkEnum(params.ChecksumAlgorithm, 'S3PutObjectCopy.ChecksumAlgorithm', CHECKSUM_ALGORITHMS);
  checkTimestamp(params.ModifiedSinceConstraint, 'S3PutObjectCopy.ModifiedSinceConstraint');
  checkTimestamp(params.UnModifiedSinceConstraint, 'S3PutObjectCopy.UnModifiedSinceConstraint');
  checkTimestamp(params.ObjectLockRetainUntilDate, 'S3PutObjectCopy.ObjectLockRetainUntilDate');
  if (params.NewObjectTagging !== undefined) {
    params.NewObjectTagging = validateTags(params.NewObjectTagging, 'S3PutObjectCopy.NewObjectTagging');
  }
  const metadata = params.NewObjectMetadata;
  if (metadata !== undefined) {
    if (!isObject(metadata)) throw badRequest('S3PutObjectCopy.NewObjectMetadata must be a structure');
    checkTimestamp(metadata.HttpExpiresDate, 'S3PutObjectCopy.NewObjectMetadata.HttpExpiresDate');
    checkEnum(metadata.SSEAlgorithm, 'S3PutObjectCopy.NewObjectMetadata.SSEAlgorithm', ['AES256', 'KMS']);
    if (metadata.UserMetadata !== undefined && !isObject(metadata.UserMetadata)) {
      throw badRequest('S3PutObjectCopy.NewObjectMetadata.UserMetadata must be a map');
    }
  }
}

function validateOperation(value: unknown): Record<string, OperationParams> {
  if (!isObject(value)) throw badRequest('Operation is required');
  const names = Object.keys(value);
  const unknown = names.filter((name) => !(OPERATION_NAMES as readonly string[]).includes(name));
  if (unknown.length > 0) throw badRequest(`Unknown operation: ${unknown.join(', ')}`);
  if (names.length !== 1) throw badRequest('Exactly one operation must be specified');
  const name = names[0]!;
  const params = (isObject(value[name]) ? value[name] : {}) as OperationParams;
  switch (name) {
    case 'LambdaInvoke':
      if (typeof params.FunctionArn !== 'string' || !LAMBDA_ARN.test(params.FunctionArn)) {
        throw badRequest('LambdaInvoke.FunctionArn must be a Lambda function ARN');
      }
      if (
        params.InvocationSchemaVersion !== undefined &&
        !['1.0', '2.0'].includes(params.InvocationSchemaVersion)
      ) {
        throw badRequest('LambdaInvoke.InvocationSchemaVersion must be 1.0 or 2.0');
      }
      if (params.UserArguments !== undefined) {
        if (params.InvocationSchemaVersion !== '2.0')
          throw badRequest('UserArguments require InvocationSchemaVersion 2.0');
        if (Object.keys(params.UserArguments).length > 10)
          throw badRequest('At most 10 UserArguments are allowed');
      }
      break;
    case 'S3PutObjectCopy':
      validateCopy(params);
      break;
    case 'S3PutObjectTagging':
      params.TagSet = validateTags(params.TagSet, 'S3PutObjectTagging.TagSet');
      break;
    case 'S3PutObjectAcl':
      if (!isObject(params.AccessControlPolicy))
        throw badRequest('S3PutObjectAcl.AccessControlPolicy is required');
      break;
    case 'S3PutObjectLegalHold':
      if (!['ON', 'OFF'].includes(String(params.LegalHold?.Status)))
        throw badRequest('LegalHold.Status must be ON or OFF');
      break;
    case 'S3PutObjectRetention':
      if (!isObject(params.Retention)) throw badRequest('S3PutObjectRetention.Retention is required');
      checkEnum(params.Retention.Mode, 'Retention.Mode', LOCK_MODES);
      checkTimestamp(params.Retention.RetainUntilDate, 'Retention.RetainUntilDate');
      break;
    case 'S3InitiateRestoreObject':
      if (params.GlacierJobTier !== undefined && !['BULK', 'STANDARD'].includes(params.GlacierJobTier)) {
        throw badRequest('GlacierJobTier must be BULK or STANDARD');
      }
      break;
    case 'S3ComputeObjectChecksum':
      if (params.ChecksumAlgorithm === undefined) {
        throw badRequest('S3ComputeObjectChecksum.ChecksumAlgorithm is required');
      }
      checkEnum(params.ChecksumAlgorithm, 'S3ComputeObjectChecksum.ChecksumAlgorithm', CHECKSUM_ALGORITHMS);
      checkEnum(params.ChecksumType, 'S3ComputeObjectChecksum.ChecksumType', ['FULL_OBJECT', 'COMPOSITE']);
      // "CRC-64/NVME (CRC64NVME): Supports only the full object checksum type" (User Guide, "Checking object
      // integrity for data at rest").
      if (params.ChecksumAlgorithm === 'CRC64NVME' && params.ChecksumType === 'COMPOSITE') {
        throw badRequest('S3ComputeObjectChecksum: CRC64NVME supports only ChecksumType FULL_OBJECT');
      }
      break;
  }
  return { [name]: params };
}

function validateReport(value: unknown): CreateJobRequest['Report'] {
  if (!isObject(value)) throw badRequest('Report is required');
  if (typeof value.Enabled !== 'boolean') throw badRequest('Report.Enabled is required');
  const report = value as unknown as CreateJobRequest['Report'];
  if (!report.Enabled) return report;
  if (typeof report.Bucket !== 'string' || !BUCKET_ARN.test(report.Bucket)) {
    throw badRequest('Report.Bucket must be a bucket ARN (arn:aws:s3:::bucket) when the report is enabled');
  }
  if (report.Format !== 'Report_CSV_20180820') throw badRequest('Report.Format must be Report_CSV_20180820');
  if (report.Prefix !== undefined && (report.Prefix.length < 1 || report.Prefix.length > 512)) {
    throw badRequest('Report.Prefix must be 1-512 characters');
  }
  if (report.ReportScope !== undefined && !['AllTasks', 'FailedTasksOnly'].includes(report.ReportScope)) {
    throw badRequest('Report.ReportScope must be AllTasks or FailedTasksOnly');
  }
  return report;
}

function validateManifest(value: unknown): JobManifest {
  if (!isObject(value) || !isObject(value.Spec) || !isObject(value.Location)) {
    throw badRequest('Manifest.Spec and Manifest.Location are required');
  }
  const { Spec, Location } = value as unknown as JobManifest;
  if (!['S3BatchOperations_CSV_20180820', 'S3InventoryReport_CSV_20161130'].includes(Spec.Format)) {
    throw badRequest(
      'Manifest.Spec.Format must be S3BatchOperations_CSV_20180820 or S3InventoryReport_CSV_20161130',
    );
  }
  if (Spec.Format === 'S3BatchOperations_CSV_20180820') {
    const fields = Spec.Fields ?? [];
    if (fields.some((field) => !['Ignore', 'Bucket', 'Key', 'VersionId'].includes(field))) {
      throw badRequest('Manifest.Spec.Fields may only contain Ignore, Bucket, Key, VersionId');
    }
    if (!fields.includes('Bucket') || !fields.includes('Key')) {
      throw badRequest('Manifest.Spec.Fields must include Bucket and Key for a CSV manifest');
    }
  }
  if (typeof Location.ObjectArn !== 'string' || !OBJECT_ARN.test(Location.ObjectArn)) {
    throw badRequest('Manifest.Location.ObjectArn must be an object ARN (arn:aws:s3:::bucket/key)');
  }
  if (typeof Location.ETag !== 'string' || Location.ETag.length === 0) {
    throw badRequest('Manifest.Location.ETag is required');
  }
  return { Spec, Location };
}

export function validateCreateJob(input: Record<string, unknown>): CreateJobRequest {
  const operation = validateOperation(input.Operation);
  const report = validateReport(input.Report);
  const token = input.ClientRequestToken;
  if (typeof token !== 'string' || token.length < 1 || token.length > 64) {
    throw badRequest('ClientRequestToken must be 1-64 characters');
  }
  const priority = input.Priority;
  if (
    typeof priority !== 'number' ||
    !Number.isInteger(priority) ||
    priority < 0 ||
    priority > 2_147_483_647
  ) {
    throw badRequest('Priority must be an integer between 0 and 2147483647');
  }
  if (typeof input.RoleArn !== 'string' || !ROLE_ARN.test(input.RoleArn)) {
    throw badRequest('RoleArn must be an IAM role ARN (arn:aws:iam::<account>:role/<name>)');
  }
  const description = input.Description;
  if (
    description !== undefined &&
    (typeof description !== 'string' || description.length < 1 || description.length > 256)
  ) {
    throw badRequest('Description must be 1-256 characters');
  }
  // "Jobs must be created with either a manifest file or a ManifestGenerator, but not both" (CreateJob).
  if ((input.Manifest === undefined) === (input.ManifestGenerator === undefined)) {
    throw badRequest('Specify exactly one of Manifest or ManifestGenerator');
  }
  const tags = validateTags(input.Tags, 'Tags');
  if (tags.length > 50) throw badRequest('A job can have at most 50 tags');
  return {
    Operation: operation,
    Report: report,
    ClientRequestToken: token,
    ...(input.Manifest !== undefined
      ? { Manifest: validateManifest(input.Manifest) }
      : { ManifestGenerator: validateManifestGenerator(input.ManifestGenerator) }),
    Priority: priority,
    RoleArn: input.RoleArn,
    ConfirmationRequired: input.ConfirmationRequired === true,
    ...(description !== undefined ? { Description: description as string } : {}),
    Tags: tags,
  };
}

/** Canonical JSON (sorted keys) of everything but the token: equal requests have equal fingerprints. */
export function fingerprintRequest(request: CreateJobRequest): string {
  const { ClientRequestToken: _token, ...rest } = request;
  const canonical = (value: unknown): unknown => {
    if (Array.isArray(value)) return value.map(canonical);
    if (isObject(value)) {
      return Object.fromEntries(
        Object.keys(value)
          .sort()
          .map((key) => [key, canonical(value[key])]),
      );
    }
    return value;
  };
  return JSON.stringify(canonical(rest));
}
