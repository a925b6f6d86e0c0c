/**
 * The newest report of an S3 Inventory configuration. S3 writes each report under
 * `<destination prefix>/<source bucket>/<config id>/YYYY-MM-DDTHH-MMZ/` (manifest.json, manifest.checksum) and
 * its data files under `…/<config id>/data/` (AWS-FACTS "Inventory"; S3 User Guide, "Locating your inventory
 * list"), so the dated "folders" of one ListObjectsV2 with Delimiter "/" are the reports, and their names sort
 * in time order. manifest.json is written last, so a folder without one is a report still being written.
 */
import { createHash } from 'node:crypto';
import type { LatestInventoryManifestWithDefaults } from '../../generated/types.js';
import { ObjectNotFoundError, RequestValidationError } from '../errors.js';
import type { ObjectHead, ObjectStorePort } from '../ports.js';
import {
  type InventoryManifestDocument,
  maxInventoryManifestBytes,
  parseInventoryManifest,
  readSmallObject,
} from './inventory-manifest.js';

export interface LatestInventoryReport {
  bucket: string;
  /** The report's manifest.json. */
  key: string;
  /** ETag of that manifest.json, for CreateJob. */
  etag: string;
  /** The instant its folder is named after. */
  reportTime: Date;
  document: InventoryManifestDocument;
}

/**
 * ListObjectsV2 pages of the configuration's folder: a daily inventory adds 365 report folders a year, so
 * 10 pages (10,000 folders) hold decades of reports; past that the newest cannot be told, and the request is
 * refused rather than acting on an old one.
 */
export const maxInventoryListingPages = 10;
/** Report folders without a manifest.json (being written, or abandoned) tried before giving up. */
export const maxFoldersWithoutManifest = 5;
/** manifest.checksum holds 32 hex digits (and perhaps a newline). */
const maxChecksumBytes = 1024;
const field = 'manifest.inventory';
const reportFolderName = /^(\d{4})-(\d{2})-(\d{2})T(\d{2})-(\d{2})Z$/;
const hourMs = 3_600_000;

/**
 * `<prefix>/<sourceBucket>/<configId>/`, or `<sourceBucket>/<configId>/` without a prefix. A prefix written
 * with a trailing "/" means the same folder: AWS documents no doubled slash in report keys, and the emulated
 * S3 Inventory drops it too.
 */
export function inventoryConfigurationPrefix(
  inventory: Pick<LatestInventoryManifestWithDefaults, 'prefix' | 'sourceBucket' | 'configId'>,
): string {
  const path = `${inventory.sourceBucket}/${inventory.configId}/`;
  const prefix = (inventory.prefix ?? '').replace(/\/+$/, '');
  return prefix === '' ? path : `${prefix}/${path}`;
}

export async function findLatestInventory(
  objects: ObjectStorePort,
  inventory: LatestInventoryManifestWithDefaults,
  now: Date,
): Promise<LatestInventoryReport> {
  const base = inventoryConfigurationPrefix(inventory);
  const folders = await reportFolders(objects, inventory.bucket, base);
  let withoutManifest = 0;
  for (const folder of folders) {
    const key = `${base}${folder.name}/manifest.json`;
    const head = await headIfExists(objects, inventory.bucket, key);
    if (head === undefined) {
      if (++withoutManifest > maxFoldersWithoutManifest) break;
      continue;
    }
    const ageHours = (now.getTime() - folder.time.getTime()) / hourMs;
    if (ageHours > inventory.maxAgeHours) {
      throw new RequestValidationError(
        'manifest.inventory.maxAgeHours',
        `the newest report, s3://${inventory.bucket}/${key}, is of ${folder.time.toISOString()}, ` +
          `${ageHours.toFixed(1)} hours old: older than ${inventory.maxAgeHours} hours`,
      );
    }
    const location = { bucket: inventory.bucket, key };
    const bytes = await readOrRefuse(
      objects,
      location,
      maxInventoryManifestBytes,
      'an inventory manifest.json',
    );
    await verifyChecksum(objects, location, bytes);
    return {
      bucket: inventory.bucket,
      key,
      etag: head.etag,
      reportTime: folder.time,
      document: parseInventoryManifest(bytes, location, field),
    };
  }
  throw new RequestValidationError(
    field,
    `no inventory report (a YYYY-MM-DDTHH-MMZ/ folder holding a manifest.json) under s3://${inventory.bucket}/${base}`,
  );
}

/** The report folders under `base`, newest first. */
async function reportFolders(
  objects: ObjectStorePort,
  bucket: string,
  base: string,
): Promise<{ name: string; time: Date }[]> {
  const folders: { name: string; time: Date }[] = [];
  let truncated = false;
  try {
    const pages = objects.listObjects(bucket, {
      prefix: base,
      delimiter: '/',
      maxPages: maxInventoryListingPages,
    });
    for await (const page of pages) {
      truncated = page.truncated;
      for (const commonPrefix of page.commonPrefixes) {
        const name = commonPrefix.slice(base.length, -1);
        const time = folderTime(name);
        if (time !== undefined) folders.push({ name, time });
      }
    }
  } catch (error) {
    if (error instanceof ObjectNotFoundError) {
      throw new RequestValidationError('manifest.inventory.bucket', `bucket ${bucket} does not exist`, {
        cause: error,
      });
    }
    throw error;
  }
  if (truncated) {
    throw new RequestValidationError(
      field,
      `s3://${bucket}/${base} holds more than ${maxInventoryListingPages} listing pages of folders: the newest report cannot be told`,
    );
  }
  return folders.sort((a, b) => (a.name < b.name ? 1 : a.name > b.name ? -1 : 0));
}

/** The UTC instant a `YYYY-MM-DDTHH-MMZ` folder is named after; undefined for any other name. */
export function folderTime(name: string): Date | undefined {
  const match = reportFolderName.exec(name);
  if (!match) return undefined;
  const [year, month, day, hour, minute] = match.slice(1).map(Number) as [
    number,
    number,
    number,
    number,
    number,
  ];
  const time = new Date(Date.UTC(year, month - 1, day, hour, minute));
  // Date.UTC rolls 2026-02-30 over into March: such a name is no report's.
  return time.getUTCMonth() === month - 1 && time.getUTCDate() === day && hour < 24 && minute < 60
    ? time
    : undefined;
}

async function headIfExists(
  objects: ObjectStorePort,
  bucket: string,
  key: string,
): Promise<ObjectHead | undefined> {
  try {
    return await objects.headObject(bucket, key);
  } catch (error) {
    if (error instanceof ObjectNotFoundError) return undefined;
    throw error;
  }
}

async function readOrRefuse(
  objects: ObjectStorePort,
  location: { bucket: string; key: string },
  maxBytes: number,
  what: string,
): Promise<Buffer> {
  try {
    return await readSmallObject(objects, location, { maxBytes, field, what });
  } catch (error) {
    if (error instanceof ObjectNotFoundError) {
      throw new RequestValidationError(field, `s3://${location.bucket}/${location.key} does not exist`, {
        cause: error,
      });
    }
    throw error;
  }
}

/** S3 writes manifest.checksum beside manifest.json: the MD5 of its bytes, as hex. */
async function verifyChecksum(
  objects: ObjectStorePort,
  manifest: { bucket: string; key: string },
  bytes: Buffer,
): Promise<void> {
  const checksumKey = manifest.key.replace(/manifest\.json$/, 'manifest.checksum');
  const checksum = (
    await readOrRefuse(
      objects,
      { bucket: manifest.bucket, key: checksumKey },
      maxChecksumBytes,
      'a manifest.checksum',
    )
  )
    .toString('utf8')
    .trim()
    .toLowerCase();
  const actual = createHash('md5').update(bytes).digest('hex');
  if (actual !== checksum) {
    throw new RequestValidationError(
      field,
      `checksum mismatch: the MD5 of s3://${manifest.bucket}/${manifest.key} is ${actual}, ` +
        `its manifest.checksum says ${checksum || '(empty)'}`,
    );
  }
}
