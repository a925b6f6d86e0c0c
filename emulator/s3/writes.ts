import type { AccessControlPolicy, ObjectRef, Tag } from '../contracts.js';
import { invalidRequest } from './errors.js';
import type { ContentHeaders, ObjectVersion } from './model.js';
import type { S3Operations } from './operations.js';

export interface CopyOptions {
  metadataDirective?: 'COPY' | 'REPLACE';
  metadata?: Record<string, string>;
  contentType?: string;
  storageClass?: string;
  taggingDirective?: 'COPY' | 'REPLACE';
  tags?: Tag[];
  acl?: AccessControlPolicy;
  content?: ContentHeaders;
}

/** CopyObject: MetadataDirective / TaggingDirective as S3 applies them; archived sources must be restored. */
export function copyVersion(
  ops: S3Operations,
  source: ObjectRef,
  target: { bucket: string; key: string },
  options: CopyOptions,
): { version: ObjectVersion; sourceVersion: ObjectVersion } {
  const { version: from } = ops.resolve(source);
  ops.assertReadable(from);
  const replace = options.metadataDirective === 'REPLACE';
  const sameObject = source.bucket === target.bucket && source.key === target.key;
  if (sameObject && !replace && options.storageClass === undefined && source.versionId === undefined) {
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
  const body = ops.store.getBody(from.blobId);
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
      ...(options.acl && { acl: options.acl }),
      ...(from.checksum && !from.partsCount && { checksum: from.checksum }),
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
