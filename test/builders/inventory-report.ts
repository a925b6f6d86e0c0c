import { createHash } from 'node:crypto';
import { gzipSync } from 'node:zlib';
import type { MemoryObjectStore } from '../doubles/memory-ports.js';

/** The columns of AWS's own inventory manifest example (test/fixtures/inventory-manifest.json), in part. */
export const inventoryColumns = ['Bucket', 'Key', 'VersionId', 'IsLatest', 'IsDeleteMarker', 'Size'];

export interface InventoryRow {
  key: string;
  deleteMarker?: boolean;
}

/** One inventory CSV row as S3 writes it: every field quoted, the key URL-encoded. */
export function inventoryCsvRow(sourceBucket: string, row: InventoryRow, columns = inventoryColumns): string {
  const values: Record<string, string> = {
    Bucket: sourceBucket,
    Key: encodeURIComponent(row.key),
    VersionId: 'v1',
    IsLatest: 'true',
    IsDeleteMarker: row.deleteMarker ? 'true' : 'false',
    Size: '5',
  };
  return `${columns.map((column) => `"${values[column] ?? ''}"`).join(',')}\n`;
}

export interface InventoryReportOptions {
  destinationBucket: string;
  /** `<prefix>/<sourceBucket>/<configId>` */
  base: string;
  sourceBucket: string;
  /** YYYY-MM-DDTHH-MMZ */
  folder: string;
  /** The rows of each data file. */
  files: InventoryRow[][];
  columns?: string[];
  /** Write this as manifest.checksum instead of the manifest's MD5. */
  checksum?: string;
  /** Leave manifest.json out: a report S3 is still writing. */
  withoutManifest?: boolean;
}

/**
 * Writes an S3 Inventory report into the store as S3 lays it out ("Locating your inventory list"): gzipped
 * CSV data files under `<base>/data/`, `<base>/<folder>/manifest.json` naming them, and manifest.checksum.
 * Returns the manifest.json key.
 */
export function putInventoryReport(store: MemoryObjectStore, options: InventoryReportOptions): string {
  const columns = options.columns ?? inventoryColumns;
  const files = options.files.map((rows, index) => {
    const key = `${options.base}/data/${options.folder}-${index}.csv.gz`;
    const body = gzipSync(rows.map((row) => inventoryCsvRow(options.sourceBucket, row, columns)).join(''));
    store.put(options.destinationBucket, key, body);
    return { key, size: body.length, MD5checksum: createHash('md5').update(body).digest('hex') };
  });
  const manifest = JSON.stringify({
    sourceBucket: options.sourceBucket,
    destinationBucket: `arn:aws:s3:::${options.destinationBucket}`,
    version: '2016-11-30',
    creationTimestamp: '1514944800000',
    fileFormat: 'CSV',
    fileSchema: columns.join(', '),
    files,
  });
  const manifestKey = `${options.base}/${options.folder}/manifest.json`;
  if (options.withoutManifest) {
    store.put(options.destinationBucket, `${options.base}/${options.folder}/hive-placeholder`, '');
    return manifestKey;
  }
  store.put(options.destinationBucket, manifestKey, manifest);
  store.put(
    options.destinationBucket,
    `${options.base}/${options.folder}/manifest.checksum`,
    `${options.checksum ?? createHash('md5').update(manifest).digest('hex')}\n`,
  );
  return manifestKey;
}
