/**
 * The S3 Inventory file format, written by two emulated services: S3 Inventory reports (emulator/s3) and the
 * manifests S3 Batch Operations generates (emulator/s3control, EnableManifestOutput), which AWS shapes like an
 * inventory so that a later job can read them as S3InventoryReport_CSV_20161130. One writer, so the two can
 * never drift: gzipped CSV data files (every field quoted, keys URL-encoded), then manifest.json listing them
 * with their sizes and MD5s, then manifest.checksum — last, as AWS documents it signals a complete report.
 */
import { createHash, randomUUID } from 'node:crypto';
import { gzipSync } from 'node:zlib';

/** The `version` of manifest.json, the only one AWS documents. */
export const INVENTORY_MANIFEST_VERSION = '2016-11-30';
/** Rows per data file unless told otherwise (AWS does not document where it splits). */
export const DEFAULT_ROWS_PER_FILE = 100_000;

export interface InventoryFile {
  key: string;
  size: number;
  MD5checksum: string;
}

export interface InventoryManifest {
  sourceBucket: string;
  destinationBucket: string;
  version: string;
  creationTimestamp: string;
  fileFormat: 'CSV';
  fileSchema: string;
  files: InventoryFile[];
}

/**
 * Keys as inventory files carry them: form URL-encoding, so a space is `+` and a `+` is `%2B` ("the object
 * key name is URL-encoded with space encoded as plus", cloud-custodian#1997 on real files), `/` left as is.
 */
export function encodeInventoryKey(key: string): string {
  return encodeURIComponent(key).replace(/%20/g, '+').replace(/%2F/g, '/');
}

/** One CSV line with every field double-quoted (quotes doubled), as inventory files write them. */
export function quotedCsvLine(fields: readonly string[]): string {
  return `${fields.map((field) => `"${field.replace(/"/g, '""')}"`).join(',')}\n`;
}

const md5Hex = (bytes: Buffer): string => createHash('md5').update(bytes).digest('hex');

export interface InventoryFilesSpec {
  /** Data files go to `<dataPrefix>/<uuid>.csv.gz`. */
  dataPrefix: string;
  /** manifest.json's key; manifest.checksum sits beside it. */
  manifestKey: string;
  sourceBucket: string;
  destinationBucketArn: string;
  creationTimestamp: Date;
  columns: readonly string[];
  rows: Iterable<readonly string[]>;
  rowsPerFile?: number;
}

export interface WrittenInventoryFiles {
  manifest: InventoryManifest;
  manifestKey: string;
  checksumKey: string;
  /** What `put` answered for manifest.json (its ETag goes into a job's manifest Location). */
  manifestWrite: { etag: string };
  rowCount: number;
}

/**
 * Writes the data files, manifest.json and manifest.checksum through `put`, streaming `rows` a file at a time.
 * `beforeChecksum` writes whatever else belongs to the report (the inventory's Hive symlink) before the
 * checksum marks it complete.
 */
export function writeInventoryFiles(
  put: (key: string, body: Buffer, contentType: string) => { etag: string },
  spec: InventoryFilesSpec,
  beforeChecksum?: (files: readonly InventoryFile[]) => void,
): WrittenInventoryFiles {
  const rowsPerFile = spec.rowsPerFile ?? DEFAULT_ROWS_PER_FILE;
  if (!Number.isInteger(rowsPerFile) || rowsPerFile < 1) {
    throw new Error(`rowsPerFile must be a positive integer, got ${rowsPerFile}`);
  }
  const files: InventoryFile[] = [];
  let lines: string[] = [];
  let rowCount = 0;
  const flush = () => {
    if (lines.length === 0) return;
    const body = gzipSync(Buffer.from(lines.join(''), 'utf8'));
    const key = `${spec.dataPrefix}/${randomUUID()}.csv.gz`;
    put(key, body, 'application/x-gzip');
    files.push({ key, size: body.length, MD5checksum: md5Hex(body) });
    lines = [];
  };
  for (const row of spec.rows) {
    lines.push(quotedCsvLine(row));
    rowCount++;
    if (lines.length >= rowsPerFile) flush();
  }
  flush();

  const manifest: InventoryManifest = {
    sourceBucket: spec.sourceBucket,
    destinationBucket: spec.destinationBucketArn,
    version: INVENTORY_MANIFEST_VERSION,
    creationTimestamp: String(spec.creationTimestamp.getTime()),
    fileFormat: 'CSV',
    fileSchema: spec.columns.join(', '),
    files,
  };
  const manifestBody = Buffer.from(JSON.stringify(manifest, null, 2), 'utf8');
  const checksumKey = spec.manifestKey.replace(/manifest\.json$/, 'manifest.checksum');
  const manifestWrite = put(spec.manifestKey, manifestBody, 'application/json');
  beforeChecksum?.(files);
  // The digest and a newline: AWS does not document the trailing newline; readers trim it either way.
  put(checksumKey, Buffer.from(`${md5Hex(manifestBody)}\n`, 'utf8'), 'text/plain');
  return { manifest, manifestKey: spec.manifestKey, checksumKey, manifestWrite, rowCount };
}
