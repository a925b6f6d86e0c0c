import type { ObjectRef, Tag } from '../contracts.js';
import { invalidRequest, S3Error } from './errors.js';
import type { BucketDoc, ObjectVersion } from './model.js';
import type { S3Operations } from './operations.js';
import { child, childrenNamed, childText, parseXml, type XmlNode } from './xml.js';

/** A rule's filter: Filter/Prefix, Filter/Tag, Filter/And {Prefix, Tag…}, or the legacy rule-level Prefix. */
function ruleMatches(rule: XmlNode, key: string, tags: Tag[]): boolean {
  const filter = child(rule, 'Filter');
  const scope = child(filter, 'And') ?? filter;
  const prefix = childText(scope, 'Prefix') ?? childText(rule, 'Prefix') ?? '';
  const wanted = childrenNamed(scope, 'Tag').map((tag) => ({
    Key: childText(tag, 'Key') ?? '',
    Value: childText(tag, 'Value') ?? '',
  }));
  return (
    key.startsWith(prefix) &&
    wanted.every((tag) =>
      tags.some((candidate) => candidate.Key === tag.Key && candidate.Value === tag.Value),
    )
  );
}

/** The bucket's Enabled rules whose filter matches the object, highest Priority first. */
function applicableRules(bucket: BucketDoc, key: string, tags: Tag[]): XmlNode[] {
  if (!bucket.replication) return [];
  return childrenNamed(parseXml(bucket.replication), 'Rule')
    .filter((candidate) => childText(candidate, 'Status') === 'Enabled' && ruleMatches(candidate, key, tags))
    .sort((a, b) => Number(childText(b, 'Priority') ?? 0) - Number(childText(a, 'Priority') ?? 0));
}

/** Whether an Enabled replication rule of the bucket applies to the object (no configuration: false). */
export function isEligibleForReplication(
  ops: S3Operations,
  bucket: string,
  key: string,
  tags: Tag[],
): boolean {
  return applicableRules(ops.store.requireBucket(bucket), key, tags).length > 0;
}

/**
 * S3ReplicateObject (Batch Replication): replicates the version to the destination of the enabled rule that
 * matches it — the highest Priority wins when several do (User Guide, "Replication configuration"). The replica
 * keeps the key, version id, body, ETag, content headers, user metadata, tags, ACL, Object Lock fields,
 * checksum and encryption; its storage class is the rule's Destination/StorageClass, else the source's. The
 * source reads `x-amz-replication-status: COMPLETED`, the replica `REPLICA`.
 */
export function replicate(ops: S3Operations, ref: ObjectRef): void {
  const bucket = ops.store.requireBucket(ref.bucket);
  if (!bucket.replication) {
    throw new S3Error(
      'ReplicationConfigurationNotFoundError',
      404,
      'The replication configuration was not found',
      { BucketName: ref.bucket },
    );
  }
  const resolved = ops.resolve(ref);
  const { version } = resolved;
  const rule = applicableRules(bucket, ref.key, version.tags)[0];
  const destination = child(rule, 'Destination');
  const target = childText(destination, 'Bucket')?.replace(/^arn:aws[a-z-]*:s3:::/, '');
  if (!target) throw invalidRequest('No enabled replication rule applies to this object');
  ops.writeObject(
    target,
    ref.key,
    ops.store.getBody(version.blobId),
    replicaAttributes(version, destination),
    'PutObject',
    version.etag,
  );
  version.replicationStatus = 'COMPLETED';
  ops.store.saveObject(ref.bucket, resolved.doc);
}

function replicaAttributes(version: ObjectVersion, destination: XmlNode | undefined) {
  return {
    contentType: version.contentType,
    ...(version.contentEncoding && { contentEncoding: version.contentEncoding }),
    ...(version.contentDisposition && { contentDisposition: version.contentDisposition }),
    ...(version.contentLanguage && { contentLanguage: version.contentLanguage }),
    ...(version.cacheControl && { cacheControl: version.cacheControl }),
    ...(version.expires && { expires: version.expires }),
    metadata: version.metadata,
    storageClass: childText(destination, 'StorageClass') ?? version.storageClass,
    tags: version.tags,
    ...(version.acl && { acl: version.acl }),
    ...(version.checksum && { checksum: version.checksum }),
    ...(version.partsCount && { partsCount: version.partsCount }),
    ...(version.partSizes && { partSizes: version.partSizes }),
    ...(version.retention && { retention: version.retention }),
    ...(version.legalHold && { legalHold: version.legalHold }),
    ...(version.sse && { sse: version.sse }),
    ...(version.websiteRedirectLocation && { websiteRedirectLocation: version.websiteRedirectLocation }),
    replicationStatus: 'REPLICA' as const,
    versionId: version.versionId,
  };
}
