/**
 * Emulated Amazon S3 (REST-XML). Known gaps, for emulator/PARITY.md:
 * - No auth: any SigV4 signature, any credentials; bucket/object ACLs are stored and returned, never enforced.
 * - One account and region; no bucket policies, CORS, lifecycle, website, logging, notifications config,
 *   encryption, bucket tagging, ListMultipartUploads, GetObjectAttributes, SelectObjectContent (all 501).
 * - S3 Inventory writes CSV reports only (ORC/Parquet configurations are stored, never delivered); see
 *   inventory.ts and PARITY.md for its schedule and the fields it cannot fill.
 * - EventBridge notifications go to the EventSink for every bucket (no PutBucketNotificationConfiguration needed).
 * - Restore delays are the upper bound of AWS's ranges (Glacier Expedited 5 min / Standard 5 h / Bulk 12 h,
 *   Deep Archive Standard 12 h / Bulk 48 h) in emulated time; no SELECT restores; Intelligent-Tiering archive
 *   tiers are not modelled. Object Lock default retention rules are not applied.
 * - Checksums: full-object CRC32/CRC32C/CRC64NVME/SHA1/SHA256 are verified and returned; multipart composite
 *   checksums are computed only by S3ComputeObjectChecksum. Copy preconditions on ETags are ignored; SSE is
 *   recorded and returned, never performed.
 * - Replication is synchronous and only on S3ReplicateObject (the job operation), not on every write.
 */
import type {
  EmulatorClock,
  EventSink,
  FaultInjector,
  S3Backend,
  ServiceHandler,
  Storage,
} from '../contracts.js';
import { type InventoryOptions, S3Inventory } from './inventory.js';
import { S3Notifier } from './notifications.js';
import { S3Operations } from './operations.js';
import { createS3Handler } from './rest.js';
import { S3Store } from './store.js';

export interface S3ServiceOptions {
  storage: Storage;
  clock: EmulatorClock;
  faults?: FaultInjector;
  /** When given, S3 sends its EventBridge notifications (Object Created, Object Restore Completed, ...). */
  events?: EventSink;
  accountId: string;
  region: string;
  /** S3 Inventory: scheduled delivery (default on) and the rows per data file. */
  inventory?: InventoryOptions;
}

export interface S3Service {
  /** The REST-XML endpoint for server.ts. */
  handler: ServiceHandler;
  /** What the S3 Control job engine calls per task; also handy for tests to seed objects. */
  backend: S3Operations & S3Backend;
  /** Inventory configurations and reports; `inventory.run(bucket, id)` writes a report now. */
  inventory: S3Inventory;
  /** Stops restore and inventory timers. */
  close(): void;
}

const OPTION_KEYS = ['storage', 'clock', 'faults', 'events', 'accountId', 'region', 'inventory'];

export function createS3Service(options: S3ServiceOptions): S3Service {
  const unknown = Object.keys(options).filter((key) => !OPTION_KEYS.includes(key));
  if (unknown.length > 0) throw new Error(`Unknown S3 service option: ${unknown.join(', ')}`);
  if (!/^\d{12}$/.test(options.accountId))
    throw new Error(`accountId must be 12 digits, got "${options.accountId}"`);
  const notifier = new S3Notifier(options.events, options.clock, options.accountId, options.region);
  const backend = new S3Operations(
    new S3Store(options.storage),
    options.clock,
    notifier,
    options.accountId,
    options.region,
  );
  backend.restores.resume();
  const inventory = new S3Inventory(backend, options.inventory);
  inventory.resume();
  return {
    handler: createS3Handler(backend, options.faults, inventory),
    backend,
    inventory,
    close: () => {
      backend.restores.close();
      inventory.close();
    },
  };
}

export { S3Error } from './errors.js';
export type { InventoryOptions, InventoryRunOptions, S3Inventory } from './inventory.js';
export type { InventoryReport } from './inventory-report.js';
export type { S3Operations } from './operations.js';
