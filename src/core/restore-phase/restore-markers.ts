/**
 * Restore markers: one small object per restored object version in the stage's state bucket, at
 * `restores/<bucket>/<sha-256 of key and version>`. record-restore writes one for every S3
 * `Object Restore Completed` event; CheckRestores writes one for every object HeadObject shows restored (the
 * fallback for a lost event). Writing a marker twice writes the same key, so both are idempotent.
 *
 * A marker counts for a restore-then run only when it was written during that run (its LastModified at or
 * after the run's start): an older one belongs to an earlier restore, whose copy may be gone. A restore
 * request on an object whose copy is still there only extends the copy and sends no event; HeadObject then
 * finds it restored and writes a fresh marker.
 *
 * Versions: a report row names a version only when the job's manifest did; S3's event always names the
 * version it restored (when the bucket has versions). So an event for a version also writes the marker of
 * the key without a version, which a versionless row (the current version) looks up. `null` (S3's id of an
 * object written while versioning was off) and an empty version count as no version.
 */
import { createHash } from 'node:crypto';
import type { ObjectStorePort } from '../ports.js';

export const markerFolder = 'restores';

/**
 * Markers listed per bucket and poll, 1,000 per ListObjectsV2 page: 2 million markers, about 250 MB of
 * hashes in memory. Markers past the bound are not seen; their objects are found by the HeadObject
 * fallback, a bounded number per poll, so a target that large should be split.
 */
export const maxMarkerPages = 2_000;

export interface RestoredObject {
  bucket: string;
  /** Decoded key. */
  key: string;
  versionId?: string | undefined;
}

export interface RestoreMarker extends RestoredObject {
  /** When the restore completed (the event's time), or when HeadObject found it restored. */
  restoredAt: string;
  /** When the restored copy expires, when known. */
  restoreExpiryTime?: string;
  /** The object's archive storage class, when known. */
  storageClass?: string;
  source: 'event' | 'head-object';
}

/** `undefined` for no version: absent, empty or S3's `null`. */
export function versionOf(versionId: string | null | undefined): string | undefined {
  return versionId === undefined || versionId === null || versionId === '' || versionId === 'null'
    ? undefined
    : versionId;
}

/** Hex sha-256 of the key and version; the JSON array keeps `a` + `bc` apart from `ab` + `c`. */
export function markerHash(key: string, versionId?: string | null): string {
  return createHash('sha256')
    .update(JSON.stringify([key, versionOf(versionId) ?? null]))
    .digest('hex');
}

export const markerPrefix = (bucket: string): string => `${markerFolder}/${bucket}/`;

export function restoreMarkerKey(object: RestoredObject): string {
  return `${markerPrefix(object.bucket)}${markerHash(object.key, object.versionId)}`;
}

/** The marker keys one restored object gets: its version's, and the key's when it has a version. */
export function markerKeysOf(object: RestoredObject): string[] {
  const version = versionOf(object.versionId);
  const keys = [restoreMarkerKey({ ...object, versionId: version })];
  if (version !== undefined) keys.push(restoreMarkerKey({ ...object, versionId: undefined }));
  return keys;
}

export async function writeRestoreMarker(
  store: ObjectStorePort,
  stateBucket: string,
  marker: RestoreMarker,
): Promise<string[]> {
  const body = JSON.stringify({ ...marker, versionId: versionOf(marker.versionId) });
  const keys = markerKeysOf(marker);
  for (const key of keys) await store.putObject(stateBucket, key, body, 'application/json');
  return keys;
}

/**
 * The hashes of the bucket's markers written at or after `since`. S3's LastModified has whole seconds, so
 * `since` is rounded down to its second.
 */
export async function freshMarkerHashes(
  store: ObjectStorePort,
  stateBucket: string,
  bucket: string,
  since: Date,
  maxPages = maxMarkerPages,
): Promise<Set<string>> {
  const threshold = Math.floor(since.getTime() / 1000) * 1000;
  const prefix = markerPrefix(bucket);
  const hashes = new Set<string>();
  for await (const page of store.listObjects(stateBucket, { prefix, maxPages })) {
    for (const object of page.objects) {
      if (Date.parse(object.lastModified) >= threshold) hashes.add(object.key.slice(prefix.length));
    }
  }
  return hashes;
}

/** Whether a fresh marker names this object. */
export function isMarked(markers: ReadonlyMap<string, ReadonlySet<string>>, object: RestoredObject): boolean {
  return markers.get(object.bucket)?.has(markerHash(object.key, object.versionId)) ?? false;
}
