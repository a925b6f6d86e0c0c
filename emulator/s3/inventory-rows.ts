/**
 * The rows of an S3 Inventory CSV report: which columns a configuration yields (its manifest's `fileSchema`)
 * and each object version's values, as AWS writes them ("Amazon S3 Inventory list"): every field
 * double-quoted, keys URL-encoded (spaces as `+`), booleans `true`/`false`, dates ISO 8601 with milliseconds,
 * ETags without quotes. A field the emulator has no data for is written empty (emulator/PARITY.md lists them).
 */
import type { ListedObjectVersion } from '../contracts.js';
import { encodeInventoryKey } from '../inventory-files.js';
import { INVENTORY_OPTIONAL_FIELDS, type InventoryConfig } from './inventory-config.js';

/** The report's columns: Bucket, Key, the version columns with `All`, then the optional fields in AWS's order. */
export function inventoryColumns(config: Pick<InventoryConfig, 'includedObjectVersions' | 'optionalFields'>) {
  const chosen = new Set<string>(config.optionalFields);
  return [
    'Bucket',
    'Key',
    ...(config.includedObjectVersions === 'All' ? ['VersionId', 'IsLatest', 'IsDeleteMarker'] : []),
    ...INVENTORY_OPTIONAL_FIELDS.filter((field) => chosen.has(field)),
  ];
}

/** Whether a version belongs in the report: `Current` lists only latest versions that are not delete markers. */
export function isReported(
  version: ListedObjectVersion,
  config: Pick<InventoryConfig, 'includedObjectVersions'>,
) {
  return config.includedObjectVersions === 'All' || (version.isLatest && !version.isDeleteMarker);
}

/** What a row needs besides the version itself. */
export interface RowContext {
  /** The canonical user id of the objects' owner (the emulator has one account). */
  ownerId: string;
  /** Object Lock buckets report a legal hold status (`OFF` when none was set); others leave it empty. */
  objectLock: boolean;
}

const ENCRYPTION_STATUS: Record<string, string> = {
  AES256: 'SSE-S3',
  'aws:kms': 'SSE-KMS',
  'aws:kms:dsse': 'DSSE-KMS',
};

/** The value of one optional field for an object version ('' when S3 would write nothing or we cannot tell). */
function optionalValue(field: string, version: ListedObjectVersion, context: RowContext): string {
  switch (field) {
    case 'Size':
      return String(version.size);
    case 'LastModifiedDate':
      return new Date(version.lastModified).toISOString();
    case 'ETag':
      return version.etag.replace(/^"|"$/g, '');
    case 'StorageClass':
      return version.storageClass;
    case 'IsMultipartUploaded':
      // A multipart ETag is the MD5 of the part MD5s followed by `-<part count>`.
      return String(/-\d+"?$/.test(version.etag));
    case 'ReplicationStatus':
      return version.replicationStatus ?? '';
    case 'EncryptionStatus':
      return ENCRYPTION_STATUS[version.serverSideEncryption ?? 'AES256'] ?? 'SSE-S3';
    case 'ObjectLockRetainUntilDate':
      return version.objectLockRetainUntilDate
        ? new Date(version.objectLockRetainUntilDate).toISOString()
        : '';
    case 'ObjectLockMode':
      return version.objectLockMode ?? '';
    case 'ObjectLockLegalHoldStatus':
      return version.objectLockLegalHoldStatus ?? (context.objectLock ? 'OFF' : '');
    case 'IntelligentTieringAccessTier':
      // Intelligent-Tiering's tier movements are not modelled: its objects stay in the frequent tier.
      return version.storageClass === 'INTELLIGENT_TIERING' ? 'FREQUENT' : '';
    case 'BucketKeyStatus':
      return version.bucketKeyEnabled ? 'ENABLED' : 'DISABLED';
    case 'ChecksumAlgorithm':
      return version.checksum?.algorithm ?? '';
    case 'ObjectOwner':
      return context.ownerId;
    default:
      // ObjectAccessControlList (AWS's encoding is not documented), LifecycleExpirationDate (no lifecycle),
      // IntelligentTieringReferenceDate, ObjectLockEventHold*: not emulated.
      return '';
  }
}

/** One row's values, in `columns` order. A delete marker has only its version columns and LastModifiedDate. */
export function inventoryRow(
  bucket: string,
  version: ListedObjectVersion,
  columns: readonly string[],
  context: RowContext,
): string[] {
  return columns.map((column) => {
    switch (column) {
      case 'Bucket':
        return bucket;
      case 'Key':
        return encodeInventoryKey(version.key);
      case 'VersionId':
        // The `null` version (written while versioning was off) has no id in the list.
        return version.versionId ?? '';
      case 'IsLatest':
        return String(version.isLatest);
      case 'IsDeleteMarker':
        return String(version.isDeleteMarker);
      default:
        if (version.isDeleteMarker && column !== 'LastModifiedDate') return '';
        return optionalValue(column, version, context);
    }
  });
}
