/**
 * The target of the stage's rule on S3 `Object Restore Completed` events (serverless.yml, record-restore):
 * writes the restored object's marker (restore-markers.ts) so a waiting restore-then run counts it.
 *
 * The key is taken as the event writes it. AWS documents URL-encoded keys for S3's classic notifications
 * (`s3.object.key`), not for EventBridge's `detail.object.key`, which start-from-object also reads as
 * written; were it encoded, the marker would not match and the HeadObject fallback would still find the
 * object restored.
 */
import type { ObjectRestoreCompletedEvent } from '../../generated/types.js';
import { ConfigurationError } from '../errors.js';
import type { Clock, ObjectStorePort } from '../ports.js';
import { versionOf, writeRestoreMarker } from './restore-markers.js';

export interface RecordRestoreDeps {
  objects: ObjectStorePort;
  stateBucket: string | undefined;
  clock: Clock;
}

export async function recordRestore(
  deps: RecordRestoreDeps,
  event: ObjectRestoreCompletedEvent,
): Promise<{ markers: string[] }> {
  if (!deps.stateBucket) throw new ConfigurationError('S3BO_STATE_BUCKET', 'is required to record restores');
  const { detail } = event;
  const markers = await writeRestoreMarker(deps.objects, deps.stateBucket, {
    bucket: detail.bucket.name,
    key: detail.object.key,
    versionId: versionOf(detail.object['version-id']),
    restoredAt: event.time ?? deps.clock.now().toISOString(),
    ...(detail['restore-expiry-time'] ? { restoreExpiryTime: detail['restore-expiry-time'] } : {}),
    ...(detail['source-storage-class'] ? { storageClass: detail['source-storage-class'] } : {}),
    source: 'event',
  });
  return { markers };
}
