/**
 * JobManifestGeneratorFilter as a predicate over listed object versions. Every filter given must match (AND);
 * within a list any entry may match (the model's "MatchAny…"). Sizes and creation times are strict bounds
 * ("greater than", "less than", "created after", "created before"), creation time being LastModified.
 */
import type { ListedObjectVersion } from '../contracts.js';
import type { JobManifestGeneratorFilter, ObjectEncryptionFilter, ReplicationStatusFilter } from './types.js';

export type VersionPredicate = (version: ListedObjectVersion) => boolean;

/**
 * Encryption as S3 records it: `x-amz-server-side-encryption` AES256 (SSE-S3), aws:kms (SSE-KMS),
 * aws:kms:dsse (DSSE-KMS). The emulator encrypts every object (SSE-S3 by default) and has no SSE-C, so
 * `SSE-C` and `NOT-SSE` entries match nothing here.
 */
function matchesEncryption(version: ListedObjectVersion, filter: ObjectEncryptionFilter): boolean {
  const algorithm = version.serverSideEncryption;
  if (filter['SSE-S3']) return algorithm === 'AES256';
  const kms = filter['SSE-KMS'];
  if (kms) {
    return (
      algorithm === 'aws:kms' &&
      (kms.KmsKeyArn === undefined || version.sseKmsKeyId === kms.KmsKeyArn) &&
      (kms.BucketKeyEnabled === undefined || (version.bucketKeyEnabled ?? false) === kms.BucketKeyEnabled)
    );
  }
  const dsse = filter['DSSE-KMS'];
  if (dsse) {
    return (
      algorithm === 'aws:kms:dsse' && (dsse.KmsKeyArn === undefined || version.sseKmsKeyId === dsse.KmsKeyArn)
    );
  }
  if (filter['SSE-C']) return false;
  return filter['NOT-SSE'] !== undefined && algorithm === undefined;
}

/** `x-amz-replication-status`; an object never replicated has none, which the filter calls NONE. */
function replicationStatusOf(version: ListedObjectVersion): ReplicationStatusFilter {
  return (version.replicationStatus as ReplicationStatusFilter | undefined) ?? 'NONE';
}

/**
 * Builds the predicate. `eligibleForReplication` asks the source bucket's replication configuration; it is
 * consulted only when EligibleForReplication is true (false, like absent, does not filter).
 */
export function compileGeneratorFilter(
  filter: JobManifestGeneratorFilter | undefined,
  eligibleForReplication: VersionPredicate,
): VersionPredicate {
  if (!filter) return () => true;
  const checks: VersionPredicate[] = [];
  const { KeyNameConstraint: names } = filter;
  if (names?.MatchAnyPrefix) {
    const prefixes = names.MatchAnyPrefix;
    checks.push((v) => prefixes.some((prefix) => v.key.startsWith(prefix)));
  }
  if (names?.MatchAnySuffix) {
    const suffixes = names.MatchAnySuffix;
    checks.push((v) => suffixes.some((suffix) => v.key.endsWith(suffix)));
  }
  if (names?.MatchAnySubstring) {
    const parts = names.MatchAnySubstring;
    checks.push((v) => parts.some((part) => v.key.includes(part)));
  }
  if (filter.CreatedAfter !== undefined) {
    const after = Date.parse(filter.CreatedAfter);
    checks.push((v) => Date.parse(v.lastModified) > after);
  }
  if (filter.CreatedBefore !== undefined) {
    const before = Date.parse(filter.CreatedBefore);
    checks.push((v) => Date.parse(v.lastModified) < before);
  }
  const { ObjectSizeGreaterThanBytes: greater, ObjectSizeLessThanBytes: less } = filter;
  if (greater !== undefined) checks.push((v) => v.size > greater);
  if (less !== undefined) checks.push((v) => v.size < less);
  if (filter.MatchAnyStorageClass) {
    const classes = new Set(filter.MatchAnyStorageClass);
    checks.push((v) => classes.has(v.storageClass));
  }
  if (filter.ObjectReplicationStatuses) {
    const statuses = new Set<string>(filter.ObjectReplicationStatuses);
    checks.push((v) => statuses.has(replicationStatusOf(v)));
  }
  if (filter.MatchAnyObjectEncryption) {
    const encryptions = filter.MatchAnyObjectEncryption;
    checks.push((v) => encryptions.some((entry) => matchesEncryption(v, entry)));
  }
  if (filter.EligibleForReplication === true) {
    checks.push(eligibleForReplication);
  }
  return (version) => checks.every((check) => check(version));
}
