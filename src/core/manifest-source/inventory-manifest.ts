/**
 * An S3 Inventory report's manifest.json (S3 User Guide, "Locating your inventory list"): `fileFormat`,
 * `fileSchema` (the column names, comma separated), `files[] {key, size, MD5checksum}` and the
 * `destinationBucket` ARN its gzipped data files are in. Read whole, within a bound, and checked enough to
 * count its rows; S3 Batch Operations reads only CSV inventories (S3InventoryReport_CSV_20161130).
 */
import { RequestValidationError } from '../errors.js';
import type { ObjectStorePort } from '../ports.js';

export interface InventoryManifestDocument {
  /** The bucket of the data files: manifest.json's destinationBucket, else the manifest's own bucket. */
  dataBucket: string;
  /** fileSchema's column names, in order. */
  columns: string[];
  /** The gzipped CSV data files. */
  files: { key: string }[];
}

/**
 * A manifest.json lists a few hundred bytes per data file; 16 MiB holds tens of thousands of files, far
 * beyond any inventory S3 writes, and keeps a wrong key (a data file, a huge object) from filling memory.
 */
export const maxInventoryManifestBytes = 16 * 1024 * 1024;
/** The same bound on the files counted one by one. */
export const maxInventoryFiles = 50_000;

const bucketArnPattern = /^arn:[^:]+:s3:::([^/]+)$/;

/**
 * The whole object, refusing one larger than `maxBytes`: `field` names the request field it came from,
 * `what` what it should have been.
 */
export async function readSmallObject(
  objects: ObjectStorePort,
  location: { bucket: string; key: string },
  limits: { maxBytes: number; field: string; what: string },
): Promise<Buffer> {
  const { maxBytes, field, what } = limits;
  const chunks: Uint8Array[] = [];
  let size = 0;
  for await (const chunk of await objects.getObjectStream(location.bucket, location.key)) {
    size += chunk.byteLength;
    if (size > maxBytes) {
      throw new RequestValidationError(
        field,
        `s3://${location.bucket}/${location.key} is larger than ${maxBytes} bytes: too large for ${what}`,
      );
    }
    chunks.push(chunk);
  }
  return Buffer.concat(chunks);
}

export function parseInventoryManifest(
  bytes: Buffer,
  location: { bucket: string; key: string },
  field: string,
): InventoryManifestDocument {
  const where = `s3://${location.bucket}/${location.key}`;
  const invalid = (why: string) =>
    new RequestValidationError(field, `${where} is not a usable inventory manifest.json: ${why}`);
  let document: unknown;
  try {
    document = JSON.parse(bytes.toString('utf8'));
  } catch {
    throw invalid('it is not JSON');
  }
  if (typeof document !== 'object' || document === null || Array.isArray(document)) {
    throw invalid('it is not a JSON object');
  }
  const { fileFormat, fileSchema, files, destinationBucket } = document as Record<string, unknown>;
  if (fileFormat !== 'CSV') {
    throw invalid(
      `fileFormat is ${JSON.stringify(fileFormat)}; S3 Batch Operations reads CSV inventories only`,
    );
  }
  if (typeof fileSchema !== 'string' || fileSchema.trim() === '') throw invalid('fileSchema is missing');
  if (!Array.isArray(files)) throw invalid('files is not a list');
  if (files.length > maxInventoryFiles) throw invalid(`it lists more than ${maxInventoryFiles} files`);
  const keys = files.map((file, index) => {
    const key = (file as { key?: unknown } | null)?.key;
    if (typeof key !== 'string' || key === '') throw invalid(`files[${index}] has no key`);
    return { key };
  });
  const dataBucket =
    typeof destinationBucket === 'string'
      ? (bucketArnPattern.exec(destinationBucket)?.[1] ?? location.bucket)
      : location.bucket;
  return { dataBucket, columns: fileSchema.split(',').map((column) => column.trim()), files: keys };
}
