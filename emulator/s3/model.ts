import type { AccessControlPolicy, Tag } from '../contracts.js';
import type { InventoryConfig } from './inventory-config.js';

/** Storage classes whose objects must be restored before they can be read (GLACIER_IR is instant). */
export const ARCHIVED_CLASSES = new Set(['GLACIER', 'DEEP_ARCHIVE']);
export const STORAGE_CLASSES = new Set([
  'STANDARD',
  'REDUCED_REDUNDANCY',
  'STANDARD_IA',
  'ONEZONE_IA',
  'INTELLIGENT_TIERING',
  'GLACIER',
  'DEEP_ARCHIVE',
  'GLACIER_IR',
  'OUTPOSTS',
  'SNOW',
  'EXPRESS_ONEZONE',
]);

export interface BucketDoc {
  name: string;
  creationDate: string;
  region: string;
  versioning?: 'Enabled' | 'Suspended';
  objectLock?: boolean;
  acl: AccessControlPolicy;
  /** The ReplicationConfiguration document as PUT, returned verbatim by GET ?replication. */
  replication?: string;
  /** S3 Inventory configurations by Id (PutBucketInventoryConfiguration), with their last scheduled delivery. */
  inventory?: Record<string, InventoryConfig>;
}

export interface RestoreState {
  tier: string;
  days: number;
  /** Emulated ISO times. */
  requestedAt: string;
  completesAt: string;
  expiresAt: string;
}

/** Content headers S3 stores and returns as they were sent. */
export interface ContentHeaders {
  contentType?: string;
  contentEncoding?: string;
  contentDisposition?: string;
  contentLanguage?: string;
  cacheControl?: string;
  expires?: string;
}

/** Server-side encryption as S3 stores it per object (every object is encrypted; SSE-S3 is the default). */
export interface ServerSideEncryption {
  algorithm: 'AES256' | 'aws:kms';
  kmsKeyId?: string;
  bucketKeyEnabled?: boolean;
}

export interface StoredChecksum {
  algorithm: string;
  value: string;
  /** FULL_OBJECT unless S3 combined part checksums (COMPOSITE, value ending in `-<parts>`). */
  type?: 'FULL_OBJECT' | 'COMPOSITE';
}

export interface ObjectVersion extends ContentHeaders {
  /** `null` is the id of the version written while versioning was off or suspended. */
  versionId: string;
  deleteMarker?: boolean;
  etag: string;
  size: number;
  lastModified: string;
  storageClass: string;
  metadata: Record<string, string>;
  tags: Tag[];
  acl?: AccessControlPolicy;
  blobId?: string;
  partsCount?: number;
  /** Part sizes of a multipart object, so composite checksums can be computed over its parts. */
  partSizes?: number[];
  checksum?: StoredChecksum;
  sse?: ServerSideEncryption;
  /** x-amz-website-redirect-location. */
  websiteRedirectLocation?: string;
  /** x-amz-replication-status: COMPLETED on a replicated source, REPLICA on the replica. */
  replicationStatus?: 'COMPLETED' | 'REPLICA';
  restore?: RestoreState;
  legalHold?: 'ON' | 'OFF';
  retention?: { mode: 'GOVERNANCE' | 'COMPLIANCE'; retainUntil: string };
}

/** Every version of one key, newest first. */
export interface ObjectDoc {
  key: string;
  versions: ObjectVersion[];
}

export interface UploadPart {
  partNumber: number;
  etag: string;
  size: number;
  blobId: string;
  lastModified: string;
}

export interface UploadDoc extends ContentHeaders {
  uploadId: string;
  bucket: string;
  key: string;
  initiated: string;
  storageClass: string;
  metadata: Record<string, string>;
  tags: Tag[];
  acl?: AccessControlPolicy;
  checksumAlgorithm?: string;
  parts: Record<string, UploadPart>;
  /** The key's state when the upload was created (conditional-writes.ts keyState): a later write conflicts. */
  keyStateAtStart?: string;
}

/** A restore waiting to complete, kept so a restarted emulator still completes it and sends its event. */
export interface PendingRestore {
  id: string;
  bucket: string;
  key: string;
  versionId: string;
  completesAt: string;
}
