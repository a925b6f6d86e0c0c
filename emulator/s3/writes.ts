import type { CopyObjectOptions, ObjectRef } from '../contracts.js';
import { cannedAcl, validatePolicy } from './acl.js';
import { computeChecksum } from './checksums.js';
import { invalidRequest, S3Error } from './errors.js';
import type { ContentHeaders, ObjectVersion } from './model.js';
import { checkRetention } from './object-lock.js';
import type { S3Operations } from './operations.js';

export type CopyOptions = CopyObjectOptions;

const preconditionFailed = (condition: string) =>
  new S3Error('PreconditionFailed', 412, 'At least one of the pre-conditions you specified did not hold', {
    Condition: condition,
  });

/**
 * x-amz-copy-source-if-(un)modified-since, compared at S3's one-second resolution. Unlike GET, a copy answers
 * 412 for both (CopyObject API reference); an unparsable date is ignored, as S3 ignores it.
 */
function checkCopyPreconditions(source: ObjectVersion, options: CopyOptions): void {
  const modified = Math.floor(new Date(source.lastModified).getTime() / 1000) * 1000;
  const unmodifiedSince = options.ifUnmodifiedSince && Date.parse(options.ifUnmodifiedSince);
  if (unmodifiedSince && modified > unmodifiedSince) {
    throw preconditionFailed('x-amz-copy-source-if-unmodified-since');
  }
  const modifiedSince = options.ifModifiedSince && Date.parse(options.ifModifiedSince);
  if (modifiedSince && modified <= modifiedSince)
    throw preconditionFailed('x-amz-copy-source-if-modified-since');
}

/**
 * CopyObject as S3 applies it: MetadataDirective (content headers and user metadata), TaggingDirective, storage
 * class (STANDARD unless named), ACL, Object Lock fields, checksum (the source's, or a new one in the requested
 * algorithm), encryption and website redirect (never copied from the source). Archived sources must be restored.
 */
export function copyVersion(
  ops: S3Operations,
  source: ObjectRef,
  target: { bucket: string; key: string },
  options: CopyOptions,
): { version: ObjectVersion; sourceVersion: ObjectVersion } {
  const { version: from } = ops.resolve(source);
  checkCopyPreconditions(from, options);
  ops.assertReadable(from);
  const replace = options.metadataDirective === 'REPLACE';
  const sameObject = source.bucket === target.bucket && source.key === target.key;
  const changesSomething =
    replace ||
    options.storageClass !== undefined ||
    options.sse !== undefined ||
    options.websiteRedirectLocation !== undefined;
  if (sameObject && !changesSomething && source.versionId === undefined) {
    throw invalidRequest(
      "This copy request is illegal because it is trying to copy an object to itself without changing the object's metadata, storage class, website redirect location or encryption attributes.",
    );
  }
  const content: ContentHeaders = replace
    ? { ...options.content, contentType: options.contentType ?? options.content?.contentType }
    : {
        contentType: from.contentType,
        contentEncoding: from.contentEncoding,
        contentDisposition: from.contentDisposition,
        contentLanguage: from.contentLanguage,
        cacheControl: from.cacheControl,
        expires: from.expires,
      };
  if (options.acl && options.cannedAcl !== undefined) {
    throw invalidRequest('Specifying both Canned ACLs and Header Grants is not allowed');
  }
  const acl = options.cannedAcl !== undefined ? cannedAcl(options.cannedAcl, ops.owner) : options.acl;
  if (acl) validatePolicy(acl);
  const body = ops.store.getBody(from.blobId);
  const checksum = options.checksumAlgorithm
    ? {
        algorithm: options.checksumAlgorithm.toUpperCase(),
        value: computeChecksum(options.checksumAlgorithm, body),
        type: 'FULL_OBJECT' as const,
      }
    : from.checksum && !from.partsCount
      ? from.checksum
      : undefined;
  const retention = options.retention
    ? checkRetention(options.retention.mode, options.retention.retainUntil, ops.clock.now())
    : undefined;
  const version = ops.writeObject(
    target.bucket,
    target.key,
    body,
    {
      ...Object.fromEntries(Object.entries(content).filter(([, value]) => value !== undefined)),
      metadata: replace ? (options.metadata ?? {}) : from.metadata,
      // S3 does not carry the storage class over: the copy is STANDARD unless the request names one.
      storageClass: options.storageClass ?? 'STANDARD',
      tags: options.taggingDirective === 'REPLACE' ? (options.tags ?? []) : from.tags,
      ...(acl && { acl }),
      ...(checksum && { checksum }),
      ...(retention && { retention }),
      ...(options.legalHold && { legalHold: options.legalHold }),
      ...(options.sse && { sse: options.sse }),
      ...(options.websiteRedirectLocation && { websiteRedirectLocation: options.websiteRedirectLocation }),
    },
    'CopyObject',
  );
  return { version, sourceVersion: from };
}

/** DeleteObject: a delete marker in versioned buckets, a permanent delete with a version id. */
export function deleteVersion(
  ops: S3Operations,
  bucketName: string,
  key: string,
  versionId: string | undefined,
  bypassGovernance: boolean,
): { deleteMarker: boolean; versionId?: string } {
  const bucket = ops.store.requireBucket(bucketName);
  const doc = ops.store.getObject(bucketName, key) ?? { key, versions: [] };
  if (versionId !== undefined) {
    const version = doc.versions.find((candidate) => candidate.versionId === versionId);
    if (!version) return { deleteMarker: false, versionId };
    if (!version.deleteMarker) ops.assertDeletable(version, bypassGovernance);
    doc.versions = doc.versions.filter((candidate) => candidate !== version);
    ops.store.deleteBody(version.blobId);
    ops.store.saveObject(bucketName, doc);
    ops.notifier.objectEvent('Object Deleted', bucketName, key, version, {
      reason: 'DeleteObject',
      'deletion-type': 'Permanently Deleted',
    });
    return { deleteMarker: version.deleteMarker === true, versionId };
  }
  if (!bucket.versioning) {
    const existing = doc.versions[0];
    for (const version of doc.versions) ops.store.deleteBody(version.blobId);
    doc.versions = [];
    ops.store.saveObject(bucketName, doc);
    if (existing) {
      ops.notifier.objectEvent('Object Deleted', bucketName, key, existing, {
        reason: 'DeleteObject',
        'deletion-type': 'Permanently Deleted',
      });
    }
    return { deleteMarker: false };
  }
  const marker: ObjectVersion = {
    versionId: 'null',
    deleteMarker: true,
    etag: '',
    size: 0,
    lastModified: ops.now(),
    storageClass: 'STANDARD',
    metadata: {},
    tags: [],
  };
  ops.addVersion(bucket, doc, marker);
  ops.notifier.objectEvent('Object Deleted', bucketName, key, marker, {
    reason: 'DeleteObject',
    'deletion-type': 'Delete Marker Created',
  });
  return { deleteMarker: true, versionId: marker.versionId };
}
