/**
 * S3 Inventory: the bucket's inventory configurations (Put/Get/Delete/ListBucketInventoryConfiguration(s)),
 * scheduled reports in emulated time, and reports on demand (`run`, behind the admin route and
 * `s3bo inventory run`), so tests need not wait for a midnight.
 */
import { S3ServiceError } from '../contracts.js';
import { invalidArgument, S3Error } from './errors.js';
import {
  checkConfigId,
  INVENTORY_LIST_PAGE_SIZE,
  type InventoryConfig,
  MAX_INVENTORY_CONFIGURATIONS,
  parseInventoryConfiguration,
} from './inventory-config.js';
import { type InventoryReport, writeInventoryReport } from './inventory-report.js';
import { InventoryTimers } from './inventory-schedule.js';
import type { BucketDoc } from './model.js';
import type { S3Operations } from './operations.js';

export interface InventoryOptions {
  /** Deliver reports on their daily/weekly schedule (default true). Timers are unref'd; close() stops them. */
  scheduled?: boolean;
  /** Rows per gzipped CSV data file (default 100,000). */
  rowsPerFile?: number;
}

export interface InventoryRunOptions {
  /** Rows per data file for this run. */
  rowsPerFile?: number;
}

export interface InventoryConfigPage {
  configurations: InventoryConfig[];
  isTruncated: boolean;
  nextContinuationToken?: string;
}

const OPTION_KEYS = ['scheduled', 'rowsPerFile'];

export const noSuchConfiguration = () =>
  new S3Error('NoSuchConfiguration', 404, 'The specified configuration does not exist.');

/** Continuation tokens are opaque to clients: the base64url of the last Id returned. */
const encodeToken = (id: string) => Buffer.from(id, 'utf8').toString('base64url');

function decodeToken(token: string): string {
  const id = Buffer.from(token, 'base64url').toString('utf8');
  if (token === '' || encodeToken(id) !== token) {
    throw invalidArgument('The continuation token provided is incorrect', 'continuation-token', token);
  }
  return id;
}

export class S3Inventory {
  private readonly timers: InventoryTimers;
  private readonly scheduled: boolean;
  private readonly rowsPerFile: number | undefined;

  constructor(
    private readonly ops: S3Operations,
    options: InventoryOptions = {},
  ) {
    const unknown = Object.keys(options).filter((key) => !OPTION_KEYS.includes(key));
    if (unknown.length > 0) throw new Error(`Unknown inventory option: ${unknown.join(', ')}`);
    const rows = options.rowsPerFile;
    if (rows !== undefined && (!Number.isInteger(rows) || rows < 1)) {
      throw new Error(`inventory.rowsPerFile must be a positive integer, got ${rows}`);
    }
    this.scheduled = options.scheduled !== false;
    this.rowsPerFile = options.rowsPerFile;
    this.timers = new InventoryTimers(ops.clock, (bucket, id, slot) =>
      this.deliverScheduled(bucket, id, slot),
    );
  }

  /** PutBucketInventoryConfiguration. Replacing a configuration keeps its record of deliveries. */
  putConfiguration(bucketName: string, queryId: string | null, body: Buffer): InventoryConfig {
    const bucket = this.ops.store.requireBucket(bucketName);
    const id = checkConfigId(queryId);
    const parsed = parseInventoryConfiguration(body, id, this.ops.now());
    const configurations = bucket.inventory ?? {};
    const previous = configurations[id];
    if (!previous && Object.keys(configurations).length >= MAX_INVENTORY_CONFIGURATIONS) {
      throw new S3Error(
        'TooManyConfigurations',
        400,
        'You are attempting to create a new configuration but have already reached the 1,000-configuration limit.',
      );
    }
    const config: InventoryConfig = {
      ...parsed,
      ...(previous && { createdAt: previous.createdAt }),
      ...(previous?.lastDeliveredSlot !== undefined && { lastDeliveredSlot: previous.lastDeliveredSlot }),
    };
    bucket.inventory = { ...configurations, [id]: config };
    this.ops.store.saveBucket(bucket);
    if (this.scheduled) this.timers.arm(bucketName, config);
    return config;
  }

  /** GetBucketInventoryConfiguration. */
  getConfiguration(bucketName: string, id: string | null): InventoryConfig {
    return this.require(this.ops.store.requireBucket(bucketName), id);
  }

  /** DeleteBucketInventoryConfiguration. */
  deleteConfiguration(bucketName: string, id: string | null): void {
    const bucket = this.ops.store.requireBucket(bucketName);
    const config = this.require(bucket, id);
    const { [config.id]: _, ...rest } = bucket.inventory ?? {};
    if (Object.keys(rest).length === 0) delete bucket.inventory;
    else bucket.inventory = rest;
    this.ops.store.saveBucket(bucket);
    this.timers.cancel(bucketName, config.id);
  }

  /** ListBucketInventoryConfigurations: Id order, 100 per page. */
  listConfigurations(bucketName: string, continuationToken?: string): InventoryConfigPage {
    const bucket = this.ops.store.requireBucket(bucketName);
    const after = continuationToken === undefined ? undefined : decodeToken(continuationToken);
    const all = Object.values(bucket.inventory ?? {}).sort((a, b) =>
      a.id < b.id ? -1 : a.id > b.id ? 1 : 0,
    );
    const remaining = after === undefined ? all : all.filter((config) => config.id > after);
    const configurations = remaining.slice(0, INVENTORY_LIST_PAGE_SIZE);
    const isTruncated = remaining.length > configurations.length;
    return {
      configurations,
      isTruncated,
      ...(isTruncated && { nextContinuationToken: encodeToken(configurations.at(-1)!.id) }),
    };
  }

  /**
   * Writes a report now (emulated time), whatever the schedule and IsEnabled say. Throws S3's errors:
   * NoSuchBucket (source or destination), NoSuchConfiguration, NotImplemented for ORC/Parquet.
   */
  run(bucketName: string, id: string, options: InventoryRunOptions = {}): InventoryReport {
    const config = this.getConfiguration(bucketName, id);
    const rowsPerFile = options.rowsPerFile ?? this.rowsPerFile;
    return writeInventoryReport(this.ops, bucketName, config, this.ops.clock.now(), rowsPerFile);
  }

  /** Arms the timers of every stored configuration (after a restart too). */
  resume(): void {
    if (!this.scheduled) return;
    for (const bucket of this.ops.store.listBuckets()) {
      for (const config of Object.values(bucket.inventory ?? {})) this.timers.arm(bucket.name, config);
    }
  }

  close(): void {
    this.timers.close();
  }

  /** Scheduled timers armed now (for tests). */
  get armedTimers(): number {
    return this.timers.size;
  }

  private require(bucket: BucketDoc, id: string | null): InventoryConfig {
    if (id === null || id === '') throw invalidArgument('Missing required parameter: id', 'id', '');
    const config = bucket.inventory?.[id];
    if (!config) throw noSuchConfiguration();
    return config;
  }

  /**
   * A slot came: deliver it once. The slot is recorded before the report is written, so a crash in between
   * loses that report rather than delivering it twice. A report that cannot be written (destination bucket
   * missing, wrong AccountId) is skipped, as AWS delivers nothing then; the next slot is armed either way.
   */
  private deliverScheduled(bucketName: string, id: string, slot: Date): void {
    const bucket = this.ops.store.getBucket(bucketName);
    const config = bucket?.inventory?.[id];
    if (!bucket || !config) return;
    const last = config.lastDeliveredSlot === undefined ? 0 : new Date(config.lastDeliveredSlot).getTime();
    if (config.isEnabled && last < slot.getTime()) {
      config.lastDeliveredSlot = slot.toISOString();
      this.ops.store.saveBucket(bucket);
      try {
        writeInventoryReport(this.ops, bucketName, config, slot, this.rowsPerFile);
      } catch (error) {
        if (!(error instanceof S3ServiceError)) throw error;
      }
    }
    this.timers.arm(bucketName, config);
  }
}
