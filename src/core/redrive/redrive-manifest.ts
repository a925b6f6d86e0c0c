/**
 * Writes the CSV manifest of a redrive job: the failed tasks of a job's completion report that qualify
 * under the policy's error codes (eligibility.ts), as `S3BatchOperations_CSV_20180820` rows.
 *
 * Only the result files the report manifest lists as `failed` are read; each is streamed through the
 * report's row parser and checked against its MD5 like FetchReport does, and nothing is written unless
 * every file checks out. Rows are appended to the CSV as they are parsed and never kept as objects.
 *
 * Keys are written exactly as the report spells them (URL-encoded, `ReportRow.rawKey`): CSV manifests take
 * URL-encoded keys too (S3 User Guide, "Specifying a manifest"), so re-encoding would double-encode.
 *
 * Version ids: a manifest with a VersionId column needs a version for every row (same page), and S3 Batch
 * Operations treats an empty version field as an invalid version id and fails the task ("Converting empty
 * version ID strings in Amazon S3 Inventory reports to null strings"). Where some rows carry a version and
 * others do not, the versionless rows get the literal version id `null` — the id S3 gives objects written
 * while versioning was off, which is what an empty version means in a report of a versioned job.
 *
 * Size limit: the body is uploaded with one PutObject (≤ 5 GB), built in ~1 MiB chunks. A row costs about
 * bucket + key + 2 bytes (~60–150 bytes), so 5 million failures is roughly 0.3–0.75 GB, held twice for a
 * moment while the chunks are joined: size the Lambda's memory for the largest expected redrive. Beyond
 * that, a streaming multipart upload needs a new ObjectStorePort method.
 */
import { ReportIntegrityError } from '../errors.js';
import type { ObjectStorePort } from '../ports.js';
import { findReportManifest, readResultFile, reportFolder } from '../report/report-files.js';
import type { ReportRowView } from '../report/result-rows.js';
import { compileRedriveMatcher } from './eligibility.js';

export type RedriveManifestField = 'Bucket' | 'Key' | 'VersionId';

export interface WriteRedriveManifestInput {
  store: ObjectStorePort;
  /** The report bucket name (not its ARN). */
  reportBucket: string;
  /** `Report.Prefix` of the job; empty or undefined when it had none. */
  reportPrefix?: string | undefined;
  jobId: string;
  /** Resolved codes (`redriveErrorCodes(policy.redrive)`); an empty list redrives nothing. */
  errorCodes: readonly string[];
  /** Where to write the manifest (see `redriveManifestKey`). */
  target: { bucket: string; key: string };
  /** Passed to the row parser; see `defaultMaxRowBytes`. */
  maxRowBytes?: number;
}

export interface RedriveManifest {
  /** Rows written: the tasks the redrive job will run. */
  taskCount: number;
  /** CreateJob `Manifest.Spec.Fields`. */
  fields: RedriveManifestField[];
  /** ETag of the written object (CreateJob `Manifest.Location.ETag`). */
  etag: string;
  bucket: string;
  key: string;
  /** Set when the target bucket is versioned. */
  versionId?: string;
}

/** Version id written for versionless rows of a manifest that has a VersionId column (see the file comment). */
export const missingVersionId = 'null';

const chunkChars = 1 << 20;
/** Characters that would break a CSV field; URL-encoded keys never contain them raw. */
const csvSpecial = /[,"\r\n]/;
const csvSpecialInKey = /[,"\r\n]/g;
const percentEncoded: Record<string, string> = { ',': '%2C', '"': '%22', '\r': '%0D', '\n': '%0A' };

/**
 * Returns undefined (and writes nothing) when no failed task qualifies. The object's content depends only
 * on the report, so a retried call rewrites the same bytes and gets the same ETag — and the redrive
 * request, hence its ClientRequestToken, stays the same.
 */
export async function writeRedriveManifest(
  input: WriteRedriveManifestInput,
): Promise<RedriveManifest | undefined> {
  const { store, reportBucket, jobId, target } = input;
  const folder = reportFolder(input.reportPrefix, jobId);
  const found = await findReportManifest(store, reportBucket, folder);
  if (found === undefined) return undefined;

  const matches = compileRedriveMatcher(input.errorCodes);
  const csv = new ManifestCsv();
  const onRow = (row: ReportRowView): void => {
    if (row.succeeded || row.taskStatus !== 'failed' || !matches(row)) return;
    csv.add(row.bucket, row.rawKey, row.versionId, row.rowNumber);
  };

  for (const result of found.manifest.Results) {
    if (result.TaskExecutionStatus !== 'failed') continue;
    csv.source = `s3://${result.Bucket}/${result.Key}`;
    await readResultFile(store, result, found.key, onRow, input.maxRowBytes);
  }

  if (csv.rows === 0) return undefined;
  const body = csv.finish();
  const head = await store.putObject(target.bucket, target.key, body, 'text/csv');
  return {
    taskCount: csv.rows,
    fields: csv.withVersions ? ['Bucket', 'Key', 'VersionId'] : ['Bucket', 'Key'],
    etag: head.etag,
    bucket: target.bucket,
    key: target.key,
    ...(head.versionId !== undefined && { versionId: head.versionId }),
  };
}

/**
 * The CSV body as ~1 MiB buffers. Rows are `bucket,key` until the first row with a version id; then the
 * rows already written get `,null` (one pass over the buffers, once per manifest) and every later row has
 * three fields. No field contains a raw comma, quote or line break, so a line break always ends a row.
 * Also writes restore-then's manifest of restored objects (src/core/restore-phase/then-manifest.ts).
 */
export class ManifestCsv {
  readonly #chunks: Buffer[] = [];
  #pending = '';
  rows = 0;
  withVersions = false;
  source = 'report';

  add(bucket: string, rawKey: string, versionId: string | undefined, rowNumber: number): void {
    if (bucket === '' || rawKey === '' || csvSpecial.test(bucket) || csvSpecial.test(versionId ?? '')) {
      throw new ReportIntegrityError(
        `${this.source}: row ${rowNumber}: a manifest row needs a bucket and a key, and neither bucket nor version id may contain a comma, quote or line break`,
      );
    }
    if (versionId !== undefined && !this.withVersions) this.#addVersionColumn();
    // A report key should be URL-encoded already; percent-encode the few characters that would break the
    // CSV rather than quote them (decoding yields the same key, and S3 documents no CSV quoting).
    const key = csvSpecial.test(rawKey) ? rawKey.replace(csvSpecialInKey, (c) => percentEncoded[c]!) : rawKey;
    this.#pending += this.withVersions
      ? `${bucket},${key},${versionId ?? missingVersionId}\n`
      : `${bucket},${key}\n`;
    this.rows++;
    if (this.#pending.length >= chunkChars) this.#flush();
  }

  finish(): Buffer {
    this.#flush();
    return this.#chunks.length === 1 ? this.#chunks[0]! : Buffer.concat(this.#chunks);
  }

  #flush(): void {
    if (this.#pending === '') return;
    this.#chunks.push(Buffer.from(this.#pending, 'utf8'));
    this.#pending = '';
  }

  #addVersionColumn(): void {
    this.withVersions = true;
    if (this.rows === 0) return;
    this.#flush();
    const suffix = `,${missingVersionId}\n`;
    for (let i = 0; i < this.#chunks.length; i++) {
      this.#chunks[i] = Buffer.from(this.#chunks[i]!.toString('utf8').replaceAll('\n', suffix), 'utf8');
    }
  }
}
