/**
 * Reads a job's completion report and summarises it (the FetchReport task).
 *
 * AWS writes the report to `<Report.Prefix>/job-<JobId>/manifest.json` (the S3 Control API reference still
 * says `report.json`, so that name is the fallback). The manifest lists result CSVs, each with its own
 * bucket and MD5; every file is streamed once, hashed and parsed in the same pass, so memory does not grow
 * with the report. A job that never ran a task has no report at all: that is a summary, not an error.
 */
import { createHash } from 'node:crypto';
import { ObjectNotFoundError, ReportIntegrityError } from '../errors.js';
import type { ObjectStorePort } from '../ports.js';
import { parseReportManifest, type ReportManifest } from './report-manifest.js';
import { forEachReportRow } from './result-rows.js';
import { noReportSummary, type ReportSummary, ReportSummaryBuilder } from './summary.js';

export interface FetchReportSummaryInput {
  store: ObjectStorePort;
  /** The report bucket name (not its ARN). */
  bucket: string;
  /** `Report.Prefix` of the job; empty or undefined when the job had none. */
  prefix?: string | undefined;
  jobId: string;
  maxSamples?: number;
  /** Passed to the row parser; see `defaultMaxRowBytes`. */
  maxRowBytes?: number;
}

/** Manifest names, preferred first (S3 User Guide vs S3 Control API reference). */
export const reportManifestNames = ['manifest.json', 'report.json'] as const;

/** `<prefix>/job-<jobId>` without doubled or trailing slashes; `job-<jobId>` without a prefix. */
export function reportFolder(prefix: string | undefined, jobId: string): string {
  const trimmed = (prefix ?? '').replace(/\/+$/, '');
  return trimmed === '' ? `job-${jobId}` : `${trimmed}/job-${jobId}`;
}

async function readAll(stream: AsyncIterable<Uint8Array>): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(Buffer.from(chunk));
  return Buffer.concat(chunks);
}

/** The first manifest that exists, or undefined when the job wrote none. */
async function findManifest(
  store: ObjectStorePort,
  bucket: string,
  folder: string,
): Promise<{ key: string; manifest: ReportManifest } | undefined> {
  for (const name of reportManifestNames) {
    const key = `${folder}/${name}`;
    let body: Buffer;
    try {
      body = await readAll(await store.getObjectStream(bucket, key));
    } catch (error) {
      if (error instanceof ObjectNotFoundError) continue;
      throw error;
    }
    return { key, manifest: parseReportManifest(body, `s3://${bucket}/${key}`) };
  }
  return undefined;
}

export async function fetchReportSummary(input: FetchReportSummaryInput): Promise<ReportSummary> {
  const { store, bucket, jobId } = input;
  const folder = reportFolder(input.prefix, jobId);
  const found = await findManifest(store, bucket, folder);
  if (found === undefined) {
    return noReportSummary(
      jobId,
      `no completion report at s3://${bucket}/${folder}/ (${reportManifestNames.join(' or ')}): ` +
        'the job ran no task, or its report was disabled',
    );
  }
  const { key: manifestKey, manifest } = found;
  const summary = new ReportSummaryBuilder(jobId, {
    ...(input.maxSamples !== undefined && { maxSamples: input.maxSamples }),
    ...(manifest.ReportCreationDate !== undefined && { reportCreationDate: manifest.ReportCreationDate }),
    manifestKey,
  });
  const addRow = summary.addRow.bind(summary);

  for (const result of manifest.Results) {
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
    await forEachReportRow(hashing(stream, md5), addRow, {
      source,
      ...(input.maxRowBytes !== undefined && { maxRowBytes: input.maxRowBytes }),
    });
    const actual = md5.digest('hex');
    if (actual !== result.MD5Checksum) {
      throw new ReportIntegrityError(
        `${source}: MD5 ${actual} does not match ${result.MD5Checksum} listed in ${manifestKey}`,
      );
    }
    summary.addResultFile(result.Key);
  }
  return summary.build();
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
