// biome-ignore-all lint/suspicious/noThenProperty: `then` is restore-then's phase 2 (campaign design); never a function, so never thenable.
/**
 * A restore-then state, a restore job's report and an object store that knows restore status and stamps
 * LastModified, for the restore phase's core functions (no SDK, no emulator).
 */
import { ObjectNotFoundError } from '../../../src/core/errors.js';
import type { ObjectHead } from '../../../src/core/ports.js';
import type { ReportSummary, RestoreThenState } from '../../../src/generated/types.js';
import { MemoryObjectStore, md5 } from '../../doubles/memory-ports.js';
import { givenReport, jobId, reportBucket, reportPrefix, row, summary } from '../redrive/builders.js';

export { jobId, reportBucket, reportPrefix, row, summary };

export const stateBucket = 'state';
export const runStart = '2026-03-01T10:00:00.000Z';

/** The store, with the `x-amz-restore` header and storage class HeadObject answers per object. */
export class RestoreStore extends MemoryObjectStore {
  now = new Date(runStart);
  readonly restoreHeaders = new Map<string, string>();
  readonly storageClasses = new Map<string, string>();
  readonly heads: string[] = [];
  inFlight = 0;
  maxInFlight = 0;

  constructor() {
    super(64);
    this.buckets.add(stateBucket);
  }

  restored(bucket: string, key: string): this {
    this.restoreHeaders.set(
      `${bucket}/${key}`,
      'ongoing-request="false", expiry-date="Fri, 06 Mar 2026 00:00:00 GMT"',
    );
    return this;
  }

  ongoing(bucket: string, key: string): this {
    this.restoreHeaders.set(`${bucket}/${key}`, 'ongoing-request="true"');
    return this;
  }

  override async headObject(bucket: string, key: string, versionId?: string): Promise<ObjectHead> {
    this.heads.push(`${bucket}/${key}${versionId ? `?versionId=${versionId}` : ''}`);
    this.inFlight++;
    this.maxInFlight = Math.max(this.maxInFlight, this.inFlight);
    await new Promise((resolve) => setTimeout(resolve, 1));
    this.inFlight--;
    const path = `${bucket}/${key}`;
    const restore = this.restoreHeaders.get(path);
    if (restore === undefined && !this.storageClasses.has(path)) {
      throw new ObjectNotFoundError(`HeadObject: NoSuchKey s3://${path}`);
    }
    return {
      etag: 'etag',
      contentLength: 1,
      storageClass: this.storageClasses.get(path) ?? 'GLACIER',
      ...(restore === undefined ? {} : { restore }),
    };
  }

  /** PutObject, stamping LastModified with `now` (S3 gives whole seconds; this keeps the milliseconds). */
  override async putObject(bucket: string, key: string, body: string | Uint8Array): Promise<ObjectHead> {
    this.put(bucket, key, body, { lastModified: this.now.toISOString() });
    return { etag: md5(body), contentLength: Buffer.byteLength(body) };
  }

  text(bucket: string, key: string): string | undefined {
    return this.objects.get(`${bucket}/${key}`)?.toString('utf8');
  }
}

/** Archived objects HeadObject knows (ongoing restore unless marked otherwise). */
export function archived(store: RestoreStore, bucket: string, keys: string[]): void {
  for (const key of keys) store.storageClasses.set(`${bucket}/${key}`, 'GLACIER');
}

/** The restore job's report: these keys (URL-encoded as S3 writes them) succeeded, those failed. */
export function givenRestoreReport(
  store: RestoreStore,
  succeeded: { key: string; versionId?: string; bucket?: string }[],
  failed: string[] = [],
  id = jobId,
): ReportSummary {
  const ok = succeeded
    .map(({ key, versionId = '', bucket = 'data' }) =>
      row(key, { status: 'succeeded', http: '200', message: 'Successful', versionId, bucket }),
    )
    .join('');
  const bad = failed
    .map((key) => row(key, { http: '404', code: 'NoSuchKey', message: 'Not Found' }))
    .join('');
  givenReport(
    store,
    [
      ...(ok ? [{ status: 'succeeded' as const, body: ok }] : []),
      ...(bad ? [{ status: 'failed' as const, body: bad }] : []),
    ],
    { id },
  );
  return summary({
    jobId: id,
    totalTasks: succeeded.length + failed.length,
    succeededTasks: succeeded.length,
    failedTasks: failed.length,
    ...(failed.length > 0 ? { byErrorCode: { NoSuchKey: failed.length } } : {}),
  });
}

export const execution = {
  arn: 'arn:aws:states:us-east-1:111122223333:execution:s3-batch-orchestrator-dev-restore-then:archive-20260301T1000Z-logs',
  name: 'archive-20260301T1000Z-logs',
  startTime: runStart,
};

export const input = {
  request: {
    operation: { S3InitiateRestoreObject: { ExpirationInDays: 3, GlacierJobTier: 'STANDARD' } },
    manifest: { bucket: 'manifests', key: 'restore.csv' },
    report: { bucket: reportBucket, prefix: reportPrefix, scope: 'AllTasks' },
  },
  restore: { tier: 'STANDARD' as 'BULK' | 'STANDARD', expirationDays: 3 },
  then: {
    operation: { S3PutObjectCopy: { TargetResource: 'arn:aws:s3:::data', StorageClass: 'STANDARD' } },
    report: { bucket: reportBucket, prefix: 'then', scope: 'AllTasks' },
  },
  campaign: 'archive',
  target: 'logs',
  runId: 'archive-20260301T1000Z',
};

export const plan = {
  restoreExecutionName: 'archive-20260301T1000Z-logs-restore',
  thenExecutionName: 'archive-20260301T1000Z-logs-then',
  deadlineHours: 15,
  deadlineSource: 'restoreTimes' as const,
  storageClasses: ['GLACIER', 'DEEP_ARCHIVE', 'INTELLIGENT_TIERING'],
};

/** A child batch-job execution's `.sync:2` result. */
export function childRun(report: ReportSummary, attempts: ReportSummary[] = []) {
  return {
    ExecutionArn: `${execution.arn.replace('restore-then:', 'batch-job:')}-child`,
    Status: 'SUCCEEDED',
    Output: {
      job: {
        jobId: report.jobId,
        report: { enabled: true, bucket: reportBucket, prefix: reportPrefix, scope: 'AllTasks' },
      },
      report,
      attempts,
    },
  };
}

/** The state after RunRestore, with the given restore job report. */
export function stateAfterRestore(
  report: ReportSummary,
  overrides: Partial<RestoreThenState> = {},
): RestoreThenState {
  return { input, execution, plan, restoreRun: childRun(report), ...overrides };
}
