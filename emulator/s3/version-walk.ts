/**
 * The bucket walk behind S3Backend.listObjectVersions: what S3 Inventory reports and the Batch Operations
 * manifest generator both enumerate. It reads the key index and each key's versions lazily, so a consumer
 * that stops early (a dry count, a bounded listing) does not pay for the whole bucket.
 */
import type { ListedObjectVersion } from '../contracts.js';
import type { S3Operations } from './operations.js';
import { searchKeys } from './store.js';

export function* walkObjectVersions(
  ops: S3Operations,
  bucket: string,
  prefix = '',
): Generator<ListedObjectVersion> {
  ops.store.requireBucket(bucket);
  // A snapshot of the key list: writes made while the walk runs do not shift it.
  const keys = [...ops.store.keys(bucket)];
  for (let i = searchKeys(keys, prefix, true); i < keys.length; i++) {
    const key = keys[i]!;
    if (!key.startsWith(prefix)) return;
    const doc = ops.store.getObject(bucket, key);
    if (!doc) continue;
    for (const [index, version] of doc.versions.entries()) {
      yield {
        ...ops.toInfo(bucket, key, version),
        isLatest: index === 0,
        isDeleteMarker: version.deleteMarker === true,
      };
    }
  }
}
