/**
 * Reads a job manifest from emulated S3 while the job is Preparing: a CSV manifest
 * (S3BatchOperations_CSV_20180820, columns named by Spec.Fields) or an S3 Inventory manifest.json
 * (S3InventoryReport_CSV_20161130) whose `files[]` are gzipped CSVs laid out by `fileSchema`.
 * Keys stay URL-encoded in the rows (reports and Lambda events carry them that way); tasks decode them.
 */
import { gunzipSync } from 'node:zlib';
import { type S3Backend, S3ServiceError } from '../contracts.js';
import { BUCKET_ARN, OBJECT_ARN } from './create-job-request.js';
import { parseCsv } from './csv.js';
import type { JobFailure, JobManifest, TaskRow } from './types.js';

/** FailureCodes this emulator reports in DescribeJob `FailureReasons` (AWS does not document its codes). */
export const FAILURE_CODES = {
  manifestRead: 'ManifestReadFailed',
  manifestETag: 'ManifestETagMismatch',
  manifestFormat: 'ManifestFormatInvalid',
  taskFailureThreshold: 'TaskFailureThresholdExceeded',
  reportWrite: 'ReportWriteFailed',
  generatedManifestWrite: 'GeneratedManifestWriteFailed',
} as const;

export class ManifestError extends Error {
  constructor(readonly failure: JobFailure) {
    super(failure.FailureReason);
  }
}

const fail = (code: string, reason: string): never => {
  throw new ManifestError({ FailureCode: code, FailureReason: reason });
};

const unquote = (etag: string) => etag.replace(/^"|"$/g, '').toLowerCase();

function readObject(s3: S3Backend, bucket: string, key: string, versionId?: string): Buffer {
  try {
    return s3.getObjectBody({ bucket, key, ...(versionId ? { versionId } : {}) });
  } catch (error) {
    const detail = error instanceof S3ServiceError ? `${error.code}: ${error.message}` : String(error);
    return fail(FAILURE_CODES.manifestRead, `Reading the manifest failed: s3://${bucket}/${key} (${detail})`);
  }
}

function readCsvManifest(text: string, fields: string[]): TaskRow[] {
  const bucketAt = fields.indexOf('Bucket');
  const keyAt = fields.indexOf('Key');
  const versionAt = fields.indexOf('VersionId');
  return parseCsv(text).map((row, line) => {
    const bucket = row[bucketAt]?.trim();
    const key = row[keyAt];
    if (!bucket || !key) {
      return fail(FAILURE_CODES.manifestFormat, `Manifest line ${line + 1} lacks the Bucket or Key field`);
    }
    const versionId = versionAt >= 0 ? row[versionAt]?.trim() || null : null;
    return [bucket, key, versionId] satisfies TaskRow;
  });
}

interface InventoryManifest {
  sourceBucket?: string;
  destinationBucket?: string;
  fileFormat?: string;
  fileSchema?: string;
  files?: { key: string; size?: number; MD5checksum?: string }[];
}

function readInventoryManifest(s3: S3Backend, text: string, manifestBucket: string): TaskRow[] {
  let manifest: InventoryManifest;
  try {
    manifest = JSON.parse(text) as InventoryManifest;
  } catch {
    return fail(FAILURE_CODES.manifestFormat, 'The inventory manifest.json is not valid JSON');
  }
  if (manifest.fileFormat !== 'CSV') {
    return fail(
      FAILURE_CODES.manifestFormat,
      `Inventory fileFormat ${manifest.fileFormat} is not supported (CSV only)`,
    );
  }
  const columns = (manifest.fileSchema ?? '').split(',').map((column) => column.trim());
  const bucketAt = columns.indexOf('Bucket');
  const keyAt = columns.indexOf('Key');
  if (bucketAt < 0 || keyAt < 0 || !Array.isArray(manifest.files)) {
    return fail(FAILURE_CODES.manifestFormat, 'The inventory manifest lacks Bucket/Key columns or files[]');
  }
  const versionAt = columns.indexOf('VersionId');
  const deleteMarkerAt = columns.indexOf('IsDeleteMarker');
  const dataBucket = BUCKET_ARN.exec(manifest.destinationBucket ?? '')?.[1] ?? manifestBucket;
  const rows: TaskRow[] = [];
  for (const file of manifest.files) {
    const body = readObject(s3, dataBucket, file.key);
    let csv: string;
    try {
      csv = (
        file.key.endsWith('.gz') || (body[0] === 0x1f && body[1] === 0x8b) ? gunzipSync(body) : body
      ).toString('utf8');
    } catch {
      return fail(FAILURE_CODES.manifestFormat, `Inventory file ${file.key} is not valid gzip`);
    }
    for (const row of parseCsv(csv)) {
      // A delete marker is not an object a task could act on.
      if (deleteMarkerAt >= 0 && row[deleteMarkerAt] === 'true') continue;
      const bucket = row[bucketAt];
      const key = row[keyAt];
      if (!bucket || !key)
        return fail(FAILURE_CODES.manifestFormat, `Inventory file ${file.key} has a row without Bucket/Key`);
      rows.push([bucket, key, versionAt >= 0 ? row[versionAt] || null : null]);
    }
  }
  return rows;
}

/** Returns the manifest's task rows in manifest order, or throws ManifestError (the job then fails). */
export function readManifest(s3: S3Backend, manifest: JobManifest): TaskRow[] {
  const match = OBJECT_ARN.exec(manifest.Location.ObjectArn);
  if (!match)
    return fail(FAILURE_CODES.manifestRead, `Invalid manifest ObjectArn ${manifest.Location.ObjectArn}`);
  const [, bucket, key] = match as unknown as [string, string, string];
  const versionId = manifest.Location.ObjectVersionId;
  let etag: string;
  try {
    etag = s3.headObject({ bucket, key, ...(versionId ? { versionId } : {}) }).etag;
  } catch (error) {
    const detail = error instanceof S3ServiceError ? `${error.code}: ${error.message}` : String(error);
    return fail(FAILURE_CODES.manifestRead, `Reading the manifest failed: s3://${bucket}/${key} (${detail})`);
  }
  // AWS reads the manifest only if its ETag still matches the one given at CreateJob.
  if (unquote(etag) !== unquote(manifest.Location.ETag)) {
    return fail(
      FAILURE_CODES.manifestETag,
      `Reading the manifest failed: the ETag of s3://${bucket}/${key} (${unquote(etag)}) does not match the ETag in the request (${unquote(manifest.Location.ETag)})`,
    );
  }
  const text = readObject(s3, bucket, key, versionId).toString('utf8');
  return manifest.Spec.Format === 'S3InventoryReport_CSV_20161130'
    ? readInventoryManifest(s3, text, bucket)
    : readCsvManifest(text, manifest.Spec.Fields ?? ['Bucket', 'Key']);
}
