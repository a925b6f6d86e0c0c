import type {
  AccessControlPolicy,
  EmulatorClock,
  ListedObjectVersion,
  ObjectRef,
  S3Backend,
  StoredObjectInfo,
  Tag,
} from '../contracts.js';
import { cannedAcl, ownerFor, validatePolicy } from './acl.js';
import { computeObjectChecksum, md5Hex } from './checksums.js';
import { checkWriteConditions, type WriteConditions } from './conditional-writes.js';
import {
  invalidArgument,
  invalidObjectState,
  invalidRequest,
  noSuchKey,
  noSuchVersion,
  S3Error,
} from './errors.js';
import {
  ARCHIVED_CLASSES,
  type BucketDoc,
  type ContentHeaders,
  type ObjectDoc,
  type ObjectVersion,
  type ServerSideEncryption,
  type StoredChecksum,
} from './model.js';
import type { S3Notifier } from './notifications.js';
import { assertDeletable, assertRetentionChange, checkRetention } from './object-lock.js';
import { isEligibleForReplication, replicate } from './replication.js';
import { RestoreManager } from './restore.js';
import type { S3Store } from './store.js';
import {
  BUCKET_NAME,
  checkStorageClass,
  LEGACY_BUCKET_NAME,
  newVersionId,
  validateTags,
} from './validation.js';
import { walkObjectVersions } from './version-walk.js';
import { type CopyOptions, copyVersion, deleteVersion } from './writes.js';

export interface WriteAttributes extends ContentHeaders {
  metadata?: Record<string, string>;
  storageClass?: string;
  tags?: Tag[];
  acl?: AccessControlPolicy;
  checksum?: StoredChecksum;
  partsCount?: number;
  partSizes?: number[];
  sse?: ServerSideEncryption;
  websiteRedirectLocation?: string;
  replicationStatus?: 'COMPLETED' | 'REPLICA';
  /** Keep this version id (a replica has its source's), when the bucket is versioned. */
  versionId?: string;
  legalHold?: 'ON' | 'OFF';
  retention?: { mode: 'GOVERNANCE' | 'COMPLIANCE'; retainUntil: string };
  /** PutObject / CompleteMultipartUpload `If-None-Match` / `If-Match` (conditional-writes.ts). */
  conditions?: WriteConditions;
}

export interface Resolved {
  bucket: BucketDoc;
  doc: ObjectDoc;
  version: ObjectVersion;
}

/** The S3 behaviour behind both the REST API and the S3 Control job engine (which calls it per task). */
export class S3Operations implements S3Backend {
  readonly owner: NonNullable<AccessControlPolicy['Owner']>;
  readonly restores: RestoreManager;

  constructor(
    readonly store: S3Store,
    readonly clock: EmulatorClock,
    readonly notifier: S3Notifier,
    readonly accountId: string,
    readonly region: string,
  ) {
    this.owner = ownerFor(accountId);
    this.restores = new RestoreManager(this);
  }

  now(): string {
    return this.clock.now().toISOString();
  }

  // ---- buckets ----

  /** Returns false when the bucket already existed. */
  createBucket(
    name: string,
    options: { objectLock?: boolean; acl?: AccessControlPolicy; legacyName?: boolean } = {},
  ): boolean {
    const valid = options.legacyName
      ? LEGACY_BUCKET_NAME.test(name)
      : BUCKET_NAME.test(name) && !name.includes('..') && !/^\d+\.\d+\.\d+\.\d+$/.test(name);
    if (!valid) {
      throw new S3Error('InvalidBucketName', 400, 'The specified bucket is not valid.', { BucketName: name });
    }
    if (this.store.getBucket(name)) return false;
    this.store.saveBucket({
      name,
      creationDate: this.now(),
      region: this.region,
      acl: options.acl ?? cannedAcl('private', this.owner),
      ...(options.objectLock && { objectLock: true, versioning: 'Enabled' as const }),
    });
    return true;
  }

  /**
   * Seeding helper for the job engine and tests. It also accepts legacy us-east-1 names (upper case, underscores),
   * as AWS documentation examples such as DOC-EXAMPLE-BUCKET1 use them.
   */
  ensureBucket(bucket: string): void {
    this.createBucket(bucket, { legacyName: true });
  }

  deleteBucket(name: string): void {
    this.store.requireBucket(name);
    if (this.store.keys(name).length > 0) {
      throw new S3Error('BucketNotEmpty', 409, 'The bucket you tried to delete is not empty', {
        BucketName: name,
      });
    }
    for (const upload of this.store.listUploads(name)) {
      for (const part of Object.values(upload.parts)) this.store.deleteBody(part.blobId);
      this.store.deleteUpload(upload.uploadId);
    }
    this.store.deleteBucket(name);
  }

  putBucketVersioning(name: string, status: string): void {
    const bucket = this.store.requireBucket(name);
    if (status !== 'Enabled' && status !== 'Suspended') throw invalidArgument('Invalid versioning status');
    if (bucket.objectLock && status === 'Suspended') {
      throw new S3Error(
        'InvalidBucketState',
        409,
        'An Object Lock configuration is present on this bucket, so the versioning state cannot be changed.',
      );
    }
    bucket.versioning = status;
    this.store.saveBucket(bucket);
  }

  // ---- reading ----

  /** Finds the addressed version; a delete marker as latest version reads as NoSuchKey, as in S3. */
  resolve(ref: ObjectRef, allowDeleteMarker = false): Resolved {
    const bucket = this.store.requireBucket(ref.bucket);
    const doc = this.store.getObject(ref.bucket, ref.key);
    if (ref.versionId !== undefined) {
      const version = doc?.versions.find((candidate) => candidate.versionId === ref.versionId);
      if (!doc || !version) {
        if (ref.versionId !== 'null' && !/^[A-Za-z0-9._+/=-]{1,1024}$/.test(ref.versionId)) {
          throw invalidArgument('Invalid version id specified', 'versionId', ref.versionId);
        }
        throw noSuchVersion(ref.key, ref.versionId);
      }
      if (version.deleteMarker && !allowDeleteMarker) {
        throw new S3Error(
          'MethodNotAllowed',
          405,
          'The specified method is not allowed against this resource.',
          {
            Method: 'GET',
            ResourceType: 'DeleteMarker',
          },
          {
            'x-amz-delete-marker': 'true',
            'x-amz-version-id': version.versionId,
            'last-modified': new Date(version.lastModified).toUTCString(),
          },
        );
      }
      return { bucket, doc, version };
    }
    const latest = doc?.versions[0];
    if (!doc || !latest) throw noSuchKey(ref.key);
    if (latest.deleteMarker && !allowDeleteMarker) {
      throw noSuchKey(ref.key, { 'x-amz-delete-marker': 'true', 'x-amz-version-id': latest.versionId });
    }
    return { bucket, doc, version: latest };
  }

  toInfo(bucket: string, key: string, version: ObjectVersion): StoredObjectInfo {
    return {
      bucket,
      key,
      ...(version.versionId !== 'null' && { versionId: version.versionId }),
      etag: version.etag,
      size: version.size,
      lastModified: version.lastModified,
      storageClass: version.storageClass,
      ...(version.contentType !== undefined && { contentType: version.contentType }),
      ...(version.contentEncoding !== undefined && { contentEncoding: version.contentEncoding }),
      ...(version.contentDisposition !== undefined && { contentDisposition: version.contentDisposition }),
      ...(version.contentLanguage !== undefined && { contentLanguage: version.contentLanguage }),
      ...(version.cacheControl !== undefined && { cacheControl: version.cacheControl }),
      ...(version.expires !== undefined && { expires: version.expires }),
      metadata: { ...version.metadata },
      tags: version.tags.map((tag) => ({ ...tag })),
      serverSideEncryption: version.sse?.algorithm ?? 'AES256',
      ...(version.sse?.kmsKeyId !== undefined && { sseKmsKeyId: version.sse.kmsKeyId }),
      ...(version.sse?.bucketKeyEnabled !== undefined && { bucketKeyEnabled: version.sse.bucketKeyEnabled }),
      ...(version.checksum && {
        checksum: { ...version.checksum, type: version.checksum.type ?? 'FULL_OBJECT' },
      }),
      ...(version.websiteRedirectLocation !== undefined && {
        websiteRedirectLocation: version.websiteRedirectLocation,
      }),
      ...(version.retention && {
        objectLockMode: version.retention.mode,
        objectLockRetainUntilDate: version.retention.retainUntil,
      }),
      ...(version.legalHold && { objectLockLegalHoldStatus: version.legalHold }),
      ...(version.replicationStatus && { replicationStatus: version.replicationStatus }),
      ...(this.restores.header(version) !== undefined && { restoreStatus: this.restores.header(version) }),
    };
  }

  headObject(ref: ObjectRef): StoredObjectInfo {
    const { version } = this.resolve(ref);
    return this.toInfo(ref.bucket, ref.key, version);
  }

  /** Archived objects (GLACIER, DEEP_ARCHIVE) are readable only while a restored copy exists. */
  assertReadable(version: ObjectVersion): void {
    if (!ARCHIVED_CLASSES.has(version.storageClass)) return;
    if (this.restores.status(version)?.ongoing === false) return;
    throw invalidObjectState(version.storageClass);
  }

  getObjectBody(ref: ObjectRef): Buffer {
    const { version } = this.resolve(ref);
    this.assertReadable(version);
    return this.store.getBody(version.blobId);
  }

  // ---- writing ----

  /** Adds a version following the bucket's versioning state; replaced `null` versions lose their bodies. */
  addVersion(bucket: BucketDoc, doc: ObjectDoc, version: ObjectVersion, keepVersionId?: string): void {
    if (bucket.versioning === 'Enabled') {
      version.versionId = keepVersionId && keepVersionId !== 'null' ? keepVersionId : newVersionId();
      doc.versions = doc.versions.filter((candidate) => candidate.versionId !== version.versionId);
      doc.versions.unshift(version);
    } else {
      version.versionId = 'null';
      for (const replaced of doc.versions.filter((candidate) => candidate.versionId === 'null')) {
        this.store.deleteBody(replaced.blobId);
      }
      doc.versions = [version, ...doc.versions.filter((candidate) => candidate.versionId !== 'null')];
    }
    this.store.saveObject(bucket.name, doc);
  }

  writeObject(
    bucketName: string,
    key: string,
    body: Buffer,
    attributes: WriteAttributes,
    reason: string,
    etag = `"${md5Hex(body)}"`,
  ): ObjectVersion {
    const bucket = this.store.requireBucket(bucketName);
    if (key.length === 0 || Buffer.byteLength(key) > 1024)
      throw new S3Error('KeyTooLongError', 400, 'Your key is too long');
    const doc = this.store.getObject(bucketName, key) ?? { key, versions: [] };
    if (attributes.conditions) checkWriteConditions(key, doc, attributes.conditions);
    if ((attributes.legalHold || attributes.retention) && !bucket.objectLock) {
      throw invalidRequest('Bucket is missing Object Lock Configuration');
    }
    const {
      metadata,
      storageClass,
      tags,
      acl,
      conditions: _,
      versionId: keepVersionId,
      ...rest
    } = attributes;
    const version: ObjectVersion = {
      ...rest,
      versionId: 'null',
      etag,
      size: body.length,
      lastModified: this.now(),
      storageClass: checkStorageClass(storageClass),
      contentType: attributes.contentType ?? 'binary/octet-stream',
      metadata: { ...metadata },
      tags: validateTags(tags ?? []),
      acl: acl ?? cannedAcl('private', this.owner),
      blobId: this.store.putBody(body),
    };
    this.addVersion(bucket, doc, version, keepVersionId);
    this.notifier.objectEvent('Object Created', bucketName, key, version, { reason });
    return version;
  }

  putObject(
    bucket: string,
    key: string,
    body: Buffer,
    options: {
      contentType?: string;
      metadata?: Record<string, string>;
      storageClass?: string;
      tags?: Tag[];
      serverSideEncryption?: 'AES256' | 'aws:kms';
      sseKmsKeyId?: string;
      ifNoneMatch?: string;
      ifMatch?: string;
    } = {},
  ): StoredObjectInfo {
    const { serverSideEncryption, sseKmsKeyId, ifNoneMatch, ifMatch, ...attributes } = options;
    const conditions: WriteConditions | undefined =
      ifNoneMatch === undefined && ifMatch === undefined
        ? undefined
        : {
            ...(ifNoneMatch === undefined ? {} : { ifNoneMatch }),
            ...(ifMatch === undefined ? {} : { ifMatch }),
          };
    // PutObject refuses a KMS key id without aws:kms (S3: "… requires HTTP header x-amz-server-side-encryption : aws:kms").
    if (sseKmsKeyId !== undefined && serverSideEncryption !== 'aws:kms') {
      throw invalidArgument(
        'Server Side Encryption with AWS KMS managed key requires HTTP header x-amz-server-side-encryption : aws:kms',
      );
    }
    const sse: ServerSideEncryption | undefined = serverSideEncryption && {
      algorithm: serverSideEncryption,
      ...(sseKmsKeyId !== undefined && { kmsKeyId: sseKmsKeyId }),
    };
    return this.toInfo(
      bucket,
      key,
      this.writeObject(
        bucket,
        key,
        body,
        { ...attributes, ...(sse && { sse }), ...(conditions && { conditions }) },
        'PutObject',
      ),
    );
  }

  copyObject(
    source: ObjectRef,
    target: { bucket: string; key: string },
    options: CopyOptions,
  ): StoredObjectInfo {
    return this.toInfo(target.bucket, target.key, this.copy(source, target, options).version);
  }

  copy(
    source: ObjectRef,
    target: { bucket: string; key: string },
    options: CopyOptions,
  ): { version: ObjectVersion; sourceVersion: ObjectVersion } {
    return copyVersion(this, source, target, options);
  }

  updateVersion(ref: ObjectRef, update: (version: ObjectVersion, resolved: Resolved) => void): Resolved {
    const resolved = this.resolve(ref);
    update(resolved.version, resolved);
    this.store.saveObject(ref.bucket, resolved.doc);
    return resolved;
  }

  putObjectTagging(ref: ObjectRef, tags: Tag[]): void {
    const checked = validateTags(tags);
    this.updateVersion(ref, (version) => {
      version.tags = checked;
    });
  }

  deleteObjectTagging(ref: ObjectRef): void {
    this.updateVersion(ref, (version) => {
      version.tags = [];
    });
  }

  putObjectAcl(ref: ObjectRef, acl: { canned?: string; policy?: AccessControlPolicy }): void {
    const policy = acl.policy ? validatePolicy(acl.policy) : cannedAcl(acl.canned ?? 'private', this.owner);
    this.updateVersion(ref, (version) => {
      version.acl = { Owner: policy.Owner?.ID ? policy.Owner : this.owner, Grants: policy.Grants };
    });
  }

  restoreObject(
    ref: ObjectRef,
    days: number | undefined,
    tier: string | undefined,
  ): 'accepted' | 'already-restored' {
    return this.restores.request(ref, days, tier);
  }

  requireObjectLock(ref: ObjectRef): void {
    if (!this.store.requireBucket(ref.bucket).objectLock) {
      throw invalidRequest('Bucket is missing Object Lock Configuration');
    }
  }

  putObjectLegalHold(ref: ObjectRef, status: 'ON' | 'OFF'): void {
    this.requireObjectLock(ref);
    if (status !== 'ON' && status !== 'OFF')
      throw new S3Error('MalformedXML', 400, 'Invalid legal hold status');
    this.updateVersion(ref, (version) => {
      version.legalHold = status;
    });
  }

  /**
   * PutObjectRetention. Neither mode nor date (an empty `<Retention/>`) removes the retention, which an
   * unexpired GOVERNANCE retention allows only with the bypass and COMPLIANCE never.
   */
  putObjectRetention(
    ref: ObjectRef,
    mode: 'GOVERNANCE' | 'COMPLIANCE' | undefined,
    retainUntil: string | undefined,
    bypassGovernance = false,
  ): void {
    this.requireObjectLock(ref);
    const retention =
      mode === undefined && !retainUntil
        ? undefined
        : checkRetention(mode ?? '', retainUntil ?? '', this.clock.now());
    this.updateVersion(ref, (version) => {
      assertRetentionChange(version, retention, this.clock.now(), bypassGovernance);
      if (retention) version.retention = retention;
      else delete version.retention;
    });
  }

  assertDeletable(version: ObjectVersion, bypassGovernance: boolean): void {
    assertDeletable(version, this.clock.now(), bypassGovernance);
  }

  /** DeleteObject: a delete marker in versioned buckets, a permanent delete with a version id. */
  deleteObject(
    bucketName: string,
    key: string,
    versionId?: string,
    bypassGovernance = false,
  ): { deleteMarker: boolean; versionId?: string } {
    return deleteVersion(this, bucketName, key, versionId, bypassGovernance);
  }

  /**
   * S3ComputeObjectChecksum: works on objects at rest in any storage class, archived ones included, without a
   * restore (User Guide, "Checking object integrity for data at rest").
   */
  computeChecksum(
    ref: ObjectRef,
    algorithm: string,
    type: 'FULL_OBJECT' | 'COMPOSITE' = 'FULL_OBJECT',
  ): string {
    const { version } = this.resolve(ref);
    return computeObjectChecksum(algorithm, type, this.store.getBody(version.blobId), version.partSizes);
  }

  /** S3ReplicateObject: copies to the destination of the first enabled replication rule matching the key. */
  replicateObject(ref: ObjectRef): void {
    replicate(this, ref);
  }

  isEligibleForReplication(bucket: string, key: string, tags: Tag[]): boolean {
    return isEligibleForReplication(this, bucket, key, tags);
  }

  listObjectVersions(bucket: string, prefix?: string): Iterable<ListedObjectVersion> {
    return walkObjectVersions(this, bucket, prefix);
  }
}
