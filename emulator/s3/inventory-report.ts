/**
 * Writes one S3 Inventory report in AWS's layout ("Locating your inventory list"), for destination prefix P,
 * source bucket S and configuration Id C, run at time T:
 *   P/S/C/data/<uuid>.csv.gz                      gzipped CSV data files (several when the list is long)
 *   P/S/C/YYYY-MM-DDTHH-MMZ/manifest.json         sourceBucket, destinationBucket, version, creationTimestamp,
 *                                                 fileFormat, fileSchema, files[{key, size, MD5checksum}]
 *   P/S/C/YYYY-MM-DDTHH-MMZ/manifest.checksum     MD5 (hex) of manifest.json
 *   P/S/C/hive/dt=YYYY-MM-DD-HH-MM/symlink.txt    the data files' s3:// URLs, one per line
 * Without a destination prefix the keys start at S/. The files carry the configured encryption.
 */
import { DEFAULT_ROWS_PER_FILE, type InventoryManifest, writeInventoryFiles } from '../inventory-files.js';
import { accessDenied, S3Error } from './errors.js';
import type { InventoryConfig } from './inventory-config.js';
import { inventoryColumns, inventoryRow, isReported, type RowContext } from './inventory-rows.js';
import type { ServerSideEncryption } from './model.js';
import type { S3Operations } from './operations.js';

export interface InventoryReport {
  /** The destination bucket's name. */
  destinationBucket: string;
  manifestKey: string;
  checksumKey: string;
  symlinkKey: string;
  manifest: InventoryManifest;
  /** Object versions listed across the data files. */
  rowCount: number;
}

const pad = (value: number) => String(value).padStart(2, '0');

/** `YYYY-MM-DDTHH-MMZ`, the manifest folder of a run starting at `at`. */
export function manifestFolder(at: Date): string {
  return `${at.getUTCFullYear()}-${pad(at.getUTCMonth() + 1)}-${pad(at.getUTCDate())}T${pad(at.getUTCHours())}-${pad(at.getUTCMinutes())}Z`;
}

/** `dt=YYYY-MM-DD-HH-MM`, the Hive partition of a run starting at `at`. */
export function hivePartition(at: Date): string {
  return `dt=${at.getUTCFullYear()}-${pad(at.getUTCMonth() + 1)}-${pad(at.getUTCDate())}-${pad(at.getUTCHours())}-${pad(at.getUTCMinutes())}`;
}

/** `P/S/C` (or `S/C` without a prefix). A trailing `/` on the prefix is dropped, so keys never hold `//`. */
export function reportBase(config: InventoryConfig, sourceBucket: string): string {
  const prefix = (config.destination.prefix ?? '').replace(/\/$/, '');
  return `${prefix === '' ? '' : `${prefix}/`}${sourceBucket}/${config.id}`;
}

function encryptionOf(config: InventoryConfig): ServerSideEncryption | undefined {
  const encryption = config.destination.encryption;
  if (!encryption) return undefined;
  return encryption.kmsKeyId === undefined
    ? { algorithm: 'AES256' }
    : { algorithm: 'aws:kms', kmsKeyId: encryption.kmsKeyId };
}

/** Checks what S3 would check before delivering: the format, the destination bucket and its owner. */
function assertDeliverable(ops: S3Operations, config: InventoryConfig): void {
  if (config.destination.format !== 'CSV') {
    throw new S3Error(
      'NotImplemented',
      501,
      `The emulator writes CSV inventory reports only; configuration ${config.id} asks for ${config.destination.format}`,
    );
  }
  ops.store.requireBucket(config.destination.bucket);
  const accountId = config.destination.accountId;
  if (accountId !== undefined && accountId !== ops.accountId) {
    throw accessDenied(
      `The destination bucket ${config.destination.bucket} is not owned by account ${accountId} (Destination/S3BucketDestination/AccountId)`,
    );
  }
}

/**
 * Lists the source bucket's object versions (through S3Backend.listObjectVersions, Filter/Prefix applied)
 * and writes the data files, the manifest, its checksum and the Hive symlink. `at` names the folders and is
 * the manifest's creationTimestamp.
 */
export function writeInventoryReport(
  ops: S3Operations,
  sourceBucket: string,
  config: InventoryConfig,
  at: Date,
  rowsPerFile = DEFAULT_ROWS_PER_FILE,
): InventoryReport {
  const source = ops.store.requireBucket(sourceBucket);
  assertDeliverable(ops, config);
  const destination = config.destination.bucket;
  const base = reportBase(config, sourceBucket);
  const sse = encryptionOf(config);
  const write = (key: string, body: Buffer, contentType: string) =>
    ops.writeObject(destination, key, body, { contentType, ...(sse ? { sse } : {}) }, 'PutObject');

  const columns = inventoryColumns(config);
  const context: RowContext = { ownerId: ops.owner.ID ?? '', objectLock: source.objectLock === true };
  function* rows() {
    // The walk snapshots the key list first, so files written during this run (same bucket) are not listed.
    for (const version of ops.listObjectVersions(sourceBucket, config.filterPrefix)) {
      if (isReported(version, config)) yield inventoryRow(sourceBucket, version, columns, context);
    }
  }
  const symlinkKey = `${base}/hive/${hivePartition(at)}/symlink.txt`;
  const written = writeInventoryFiles(
    write,
    {
      dataPrefix: `${base}/data`,
      manifestKey: `${base}/${manifestFolder(at)}/manifest.json`,
      sourceBucket,
      destinationBucketArn: config.destination.bucketArn,
      creationTimestamp: at,
      columns,
      rows: rows(),
      rowsPerFile,
    },
    (files) => {
      const symlink = files.map((file) => `s3://${destination}/${file.key}\n`).join('');
      write(symlinkKey, Buffer.from(symlink, 'utf8'), 'text/plain');
    },
  );
  return {
    destinationBucket: destination,
    manifestKey: written.manifestKey,
    checksumKey: written.checksumKey,
    symlinkKey,
    manifest: written.manifest,
    rowCount: written.rowCount,
  };
}
