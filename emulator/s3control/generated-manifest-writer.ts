/**
 * Writes a generator job's manifest when EnableManifestOutput is true (format S3InventoryReport_CSV_20211130).
 * AWS documents the format name and DescribeJob's S3GeneratedManifestDescriptor {Format, Location}, not the
 * object layout, so the layout is ours, modelled on S3 Inventory ("Locating your inventory list") so that the
 * written manifest.json can be given to a later CreateJob as S3InventoryReport_CSV_20161130:
 *
 *   <ManifestPrefix>/job-<JobId>/manifest.json      sourceBucket, destinationBucket, version, creationTimestamp,
 *                                                   fileFormat CSV, fileSchema, files[{key, size, MD5checksum}]
 *   <ManifestPrefix>/job-<JobId>/manifest.checksum  MD5 hex of manifest.json
 *   <ManifestPrefix>/job-<JobId>/data/<uuid>.csv.gz gzipped CSV, every field quoted, keys URL-encoded
 *
 * Every object gets the ManifestEncryption given (SSE-S3 when none). See emulator/PARITY.md.
 */
import { type S3Backend, S3ServiceError } from '../contracts.js';
import { writeInventoryFiles } from '../inventory-files.js';
import type { GeneratedEntry } from './manifest-generator.js';
import { FAILURE_CODES, ManifestError } from './manifest-reader.js';
import { BUCKET_ARN } from './request-checks.js';
import {
  GENERATED_MANIFEST_FORMAT,
  type GeneratedManifestDescriptor,
  type JobRecord,
  type S3ManifestOutputLocation,
} from './types.js';

export const GENERATED_FILE_COLUMNS = [
  'Bucket',
  'Key',
  'VersionId',
  'IsLatest',
  'IsDeleteMarker',
  'Size',
  'LastModifiedDate',
  'ETag',
  'StorageClass',
] as const;

/** `<ManifestPrefix>/job-<JobId>` (or `job-<JobId>` at the bucket root); a trailing `/` is dropped. */
export function generatedManifestPrefix(location: S3ManifestOutputLocation, jobId: string): string {
  const prefix = (location.ManifestPrefix ?? '').replace(/\/+$/, '');
  return prefix ? `${prefix}/job-${jobId}` : `job-${jobId}`;
}

function encryptionOptions(location: S3ManifestOutputLocation) {
  const kms = location.ManifestEncryption?.['SSE-KMS'];
  return kms
    ? { serverSideEncryption: 'aws:kms' as const, sseKmsKeyId: kms.KeyId }
    : { serverSideEncryption: 'AES256' as const };
}

function dataRow({ version, row }: GeneratedEntry): string[] {
  const [bucket, encodedKey, versionId] = row;
  return [
    bucket,
    encodedKey,
    versionId ?? '',
    String(version.isLatest),
    'false',
    String(version.size),
    version.lastModified,
    version.etag.replace(/"/g, ''),
    version.storageClass,
  ];
}

/** Writes the data files, manifest.json and manifest.checksum; returns DescribeJob's descriptor. */
export function writeGeneratedManifest(
  s3: S3Backend,
  record: JobRecord,
  entries: GeneratedEntry[],
  now: Date,
): GeneratedManifestDescriptor {
  const generator = record.ManifestGenerator!.S3JobManifestGenerator;
  const location = generator.ManifestOutputLocation!;
  const bucket = BUCKET_ARN.exec(location.Bucket)?.[1] ?? '';
  const base = generatedManifestPrefix(location, record.JobId);
  const sse = encryptionOptions(location);
  const put = (key: string, body: Buffer, contentType: string) => {
    try {
      return s3.putObject(bucket, key, body, { contentType, ...sse });
    } catch (error) {
      const detail = error instanceof S3ServiceError ? `${error.code}: ${error.message}` : String(error);
      throw new ManifestError({
        FailureCode: FAILURE_CODES.generatedManifestWrite,
        FailureReason: `Writing the generated manifest failed: s3://${bucket}/${key} (${detail})`,
      });
    }
  };
  const written = writeInventoryFiles(put, {
    dataPrefix: `${base}/data`,
    manifestKey: `${base}/manifest.json`,
    sourceBucket: BUCKET_ARN.exec(generator.SourceBucket)?.[1] ?? '',
    destinationBucketArn: location.Bucket,
    creationTimestamp: now,
    columns: GENERATED_FILE_COLUMNS,
    rows: entries.map(dataRow),
  });
  return {
    Format: GENERATED_MANIFEST_FORMAT,
    Location: {
      ObjectArn: `arn:aws:s3:::${bucket}/${written.manifestKey}`,
      ETag: written.manifestWrite.etag.replace(/"/g, ''),
    },
  };
}
