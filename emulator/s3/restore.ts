import type { ObjectRef } from '../contracts.js';
import { invalidArgument, S3Error } from './errors.js';
import { ARCHIVED_CLASSES, type ObjectVersion, type PendingRestore } from './model.js';
import type { S3Operations } from './operations.js';

const HOUR = 3600;
/**
 * Emulated seconds until a restore completes: the upper end of each range in the User Guide,
 * "Understanding archive retrieval options". Deep Archive has no Expedited tier.
 */
export const RESTORE_SECONDS: Record<string, Record<string, number>> = {
  GLACIER: { Expedited: 5 * 60, Standard: 5 * HOUR, Bulk: 12 * HOUR },
  DEEP_ARCHIVE: { Standard: 12 * HOUR, Bulk: 48 * HOUR },
};
const MAX_TIMER_MS = 2 ** 31 - 1;

export interface RestoreStatus {
  ongoing: boolean;
  /** RFC 1123 date the restored copy expires, once the restore completed. */
  expiryDate?: string;
}

/** The restored copy lives `days` days and expires at the following midnight UTC, as S3 rounds it. */
function expiryAfter(completedAt: Date, days: number): Date {
  const expiry = new Date(completedAt.getTime() + days * 86_400_000);
  if (
    expiry.getUTCHours() + expiry.getUTCMinutes() + expiry.getUTCSeconds() + expiry.getUTCMilliseconds() ===
    0
  ) {
    return expiry;
  }
  return new Date(Date.UTC(expiry.getUTCFullYear(), expiry.getUTCMonth(), expiry.getUTCDate() + 1));
}

/**
 * RestoreObject for archived objects: state lives on the version; completion is judged against the emulated
 * clock when read, and a timer (re-armed after a restart) sends `Object Restore Completed` when it is due.
 */
export class RestoreManager {
  private readonly timers = new Map<string, NodeJS.Timeout>();

  constructor(private readonly ops: S3Operations) {}

  /** undefined: no restored copy (never restored, or expired). */
  status(version: ObjectVersion): RestoreStatus | undefined {
    const restore = version.restore;
    if (!restore) return undefined;
    const now = this.ops.clock.now().getTime();
    if (now < new Date(restore.completesAt).getTime()) return { ongoing: true };
    if (now >= new Date(restore.expiresAt).getTime()) return undefined;
    return { ongoing: false, expiryDate: new Date(restore.expiresAt).toUTCString() };
  }

  /** The x-amz-restore header value, or undefined. */
  header(version: ObjectVersion): string | undefined {
    const status = this.status(version);
    if (!status) return undefined;
    return status.ongoing
      ? 'ongoing-request="true"'
      : `ongoing-request="false", expiry-date="${status.expiryDate}"`;
  }

  request(
    ref: ObjectRef,
    days: number | undefined,
    tier: string | undefined,
  ): 'accepted' | 'already-restored' {
    const resolved = this.ops.resolve(ref);
    const { version } = resolved;
    if (!ARCHIVED_CLASSES.has(version.storageClass)) {
      throw new S3Error(
        'InvalidObjectState',
        403,
        "Restore is not allowed for the object's current storage class",
        {
          StorageClass: version.storageClass,
        },
      );
    }
    const chosenTier = tier ?? 'Standard';
    const delay = RESTORE_SECONDS[version.storageClass]?.[chosenTier];
    if (!['Expedited', 'Standard', 'Bulk'].includes(chosenTier)) {
      throw new S3Error('MalformedXML', 400, `Invalid restore tier: ${chosenTier}`);
    }
    if (delay === undefined) {
      throw invalidArgument(
        `${chosenTier} retrieval is not available for ${version.storageClass}`,
        'Tier',
        chosenTier,
      );
    }
    const restoreDays = days ?? 1;
    if (!Number.isInteger(restoreDays) || restoreDays < 1) {
      throw invalidArgument('Days must be a positive integer', 'Days', String(days));
    }
    const status = this.status(version);
    if (status?.ongoing) {
      throw new S3Error('RestoreAlreadyInProgress', 409, 'Object restore is already in progress');
    }
    const now = this.ops.clock.now();
    if (status && version.restore) {
      // Restoring a restored copy again only moves its expiry (User Guide, "Restoring an archived object").
      version.restore.days = restoreDays;
      version.restore.expiresAt = expiryAfter(now, restoreDays).toISOString();
      this.ops.store.saveObject(ref.bucket, resolved.doc);
      return 'already-restored';
    }
    const completesAt = new Date(now.getTime() + delay * 1000);
    version.restore = {
      tier: chosenTier,
      days: restoreDays,
      requestedAt: now.toISOString(),
      completesAt: completesAt.toISOString(),
      expiresAt: expiryAfter(completesAt, restoreDays).toISOString(),
    };
    this.ops.store.saveObject(ref.bucket, resolved.doc);
    const pending: PendingRestore = {
      id: `${ref.bucket}/${version.versionId}/${ref.key}`,
      bucket: ref.bucket,
      key: ref.key,
      versionId: version.versionId,
      completesAt: completesAt.toISOString(),
    };
    this.ops.store.savePendingRestore(pending);
    this.ops.notifier.objectEvent('Object Restore Initiated', ref.bucket, ref.key, version, {
      'source-storage-class': version.storageClass,
    });
    this.schedule(pending);
    return 'accepted';
  }

  /** Arms timers for restores persisted by an earlier run. */
  resume(): void {
    for (const pending of this.ops.store.listPendingRestores()) this.schedule(pending);
  }

  close(): void {
    for (const timer of this.timers.values()) clearTimeout(timer);
    this.timers.clear();
  }

  private schedule(pending: PendingRestore): void {
    clearTimeout(this.timers.get(pending.id));
    const remainingSeconds =
      (new Date(pending.completesAt).getTime() - this.ops.clock.now().getTime()) / 1000;
    const delay = Math.min(MAX_TIMER_MS, Math.ceil(this.ops.clock.realMs(remainingSeconds)));
    const timer = setTimeout(() => this.complete(pending), delay);
    timer.unref();
    this.timers.set(pending.id, timer);
  }

  private complete(pending: PendingRestore): void {
    this.timers.delete(pending.id);
    if (this.ops.clock.now().getTime() < new Date(pending.completesAt).getTime()) {
      this.schedule(pending);
      return;
    }
    this.ops.store.deletePendingRestore(pending.id);
    const doc = this.ops.store.getObject(pending.bucket, pending.key);
    const version = doc?.versions.find((candidate) => candidate.versionId === pending.versionId);
    if (!version?.restore || version.restore.completesAt !== pending.completesAt) return;
    this.ops.notifier.objectEvent('Object Restore Completed', pending.bucket, pending.key, version, {
      requester: 's3.amazonaws.com',
      'restore-expiry-time': version.restore.expiresAt.replace(/\.\d{3}Z$/, 'Z'),
      'source-storage-class': version.storageClass,
    });
  }
}
