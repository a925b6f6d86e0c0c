/**
 * Reading a job's completion report from S3, shared by the summary (fetch-report) and the redrive manifest:
 * find the report manifest, then stream each result file once, hashing and parsing in the same pass.
 */
import { createHash } from 'node:crypto';
import { ObjectNotFoundError, ReportIntegrityError } from '../errors.js';
import type { ObjectStorePort } from '../ports.js';
import { parseReportManifest, type ReportManifest, type ReportResultFile } from './report-manifest.js';
import { forEachReportRow, type ReportRowView } from './result-rows.js';

/** Manifest names, preferred first (S3 User Guide vs S3 Control API reference). */
export const reportManifestNames = ['manifest.json', 'report.json'] as const;

/** `<prefix>/job-<jobId>` without doubled or trailing slashes; `job-<jobId>` without a prefix. */
export function reportFolder(prefix: string | undefined, jobId: string): string {
  const trimmed = (prefix ?? '').replace(/\/+$/, '');
  return trimmed === '' ? `job-${jobId}` : `${trimmed}/job-${jobId}`;
}

/** The first report manifest that exists in `folder`, or undefined when the job wrote none. */
export async function findReportManifest(
  store: ObjectStorePort,
  bucket: string,
  folder: string,
): Promise<{ key: string; manifest: ReportManifest } | undefined> {
  for (const name of reportManifestNames) {
    const key = `${folder}/${name}`;
    const chunks: Buffer[] = [];
    try {
      for await (const chunk of await store.getObjectStream(bucket, key)) chunks.push(Buffer.from(chunk));
    } catch (error) {
      if (error instanceof ObjectNotFoundError) continue;
      throw error;
    }
    return { key, manifest: parseReportManifest(Buffer.concat(chunks), `s3://${bucket}/${key}`) };
  }
  return undefined;
}

/**
 * Streams one result file (from the bucket its manifest entry names) through the row parser, and throws
 * ReportIntegrityError when it is missing or its MD5 differs from the manifest's. Memory stays bounded by
 * a chunk plus one row, whatever the file's size.
 */
export async function readResultFile(
  store: ObjectStorePort,
  result: ReportResultFile,
  manifestKey: string,
  onRow: (row: ReportRowView) => void,
  maxRowBytes?: number,
): Promise<void> {
  const source = `s3://${result.Bucket}/${result.Key}`;
  let stream: AsyncIterable<Uint8Array>;
  try {
    stream = await store.getObjectStream(result.Bucket, result.Key);
  } catch (cause) {
    if (cause instanceof ObjectNotFoundError) {
      throw new ReportIntegrityError(`${source}: listed in ${manifestKey} but missing`, { cause });
    }
    throw cause;
  }
  const md5 = createHash('md5');
  await forEachReportRow(hashing(stream, md5), onRow, {
    source,
    ...(maxRowBytes !== undefined && { maxRowBytes }),
  });
  const actual = md5.digest('hex');
  if (actual !== result.MD5Checksum) {
    throw new ReportIntegrityError(
      `${source}: MD5 ${actual} does not match ${result.MD5Checksum} listed in ${manifestKey}`,
    );
  }
}

async function* hashing(
  stream: AsyncIterable<Uint8Array>,
  md5: ReturnType<typeof createHash>,
): AsyncGenerator<Uint8Array> {
  for await (const chunk of stream) {
    md5.update(chunk);
    yield chunk;
  }
}
