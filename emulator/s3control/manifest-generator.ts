/**
 * The S3JobManifestGenerator while a job is Preparing: lists the source bucket through S3Backend
 * listObjectVersions (walking only the MatchAnyPrefix prefixes when the filter names some), keeps the versions
 * the job acts on and the filter accepts, and turns them into task rows like a CSV manifest's.
 *
 * Which versions: "With a generated manifest, Amazon S3 replicates all eligible versions of your objects"
 * (User Guide, "Replicating existing objects with Batch Replication"), so S3ReplicateObject gets every version
 * that is not a delete marker. For the other operations AWS documents nothing; we take the current version of
 * each key (none when a delete marker is current) with its VersionId — see emulator/PARITY.md.
 */
import { type ListedObjectVersion, type S3Backend, S3ServiceError } from '../contracts.js';
import { encodeInventoryKey } from '../inventory-files.js';
import { writeGeneratedManifest } from './generated-manifest-writer.js';
import { compileGeneratorFilter } from './generator-filter.js';
import { FAILURE_CODES, ManifestError } from './manifest-reader.js';
import { BUCKET_ARN } from './request-checks.js';
import type { GeneratedManifestDescriptor, JobRecord, KeyNameConstraint, TaskRow } from './types.js';

/** A version the generated manifest lists, with the task row the job runs for it. */
export interface GeneratedEntry {
  version: ListedObjectVersion;
  row: TaskRow;
}

export interface GeneratedManifest {
  rows: TaskRow[];
  /** Set when EnableManifestOutput is true: where the manifest was written. */
  descriptor?: GeneratedManifestDescriptor;
}

/** The operations that act on every version of an object rather than the current one. */
const ALL_VERSION_OPERATIONS = new Set(['S3ReplicateObject']);

/** The prefixes to walk: MatchAnyPrefix without the ones another listed prefix already covers, else ''. */
export function prefixesToWalk(constraint: KeyNameConstraint | undefined): string[] {
  const prefixes = [...new Set(constraint?.MatchAnyPrefix ?? [''])].sort();
  return prefixes.filter((prefix) => !prefixes.some((other) => other !== prefix && prefix.startsWith(other)));
}

/**
 * The version id a task names: the listed one; a version without one is the `null` version, which a task must
 * name explicitly unless it is the current one (then "no version" addresses the same object).
 */
function taskVersionId(version: ListedObjectVersion): string | null {
  if (version.versionId !== undefined) return version.versionId;
  return version.isLatest ? null : 'null';
}

/** Lists and filters the source bucket; a bucket that cannot be listed fails the job like an unreadable manifest. */
export function listGeneratedEntries(s3: S3Backend, record: JobRecord): GeneratedEntry[] {
  const generator = record.ManifestGenerator!.S3JobManifestGenerator;
  const bucket = BUCKET_ARN.exec(generator.SourceBucket)?.[1] ?? '';
  const allVersions = Object.keys(record.Operation).some((name) => ALL_VERSION_OPERATIONS.has(name));
  const entries: GeneratedEntry[] = [];
  try {
    const accepts = compileGeneratorFilter(generator.Filter, (version) =>
      s3.isEligibleForReplication(bucket, version.key, version.tags),
    );
    for (const prefix of prefixesToWalk(generator.Filter?.KeyNameConstraint)) {
      for (const version of s3.listObjectVersions(bucket, prefix)) {
        if (version.isDeleteMarker || (!allVersions && !version.isLatest) || !accepts(version)) continue;
        entries.push({ version, row: [bucket, encodeInventoryKey(version.key), taskVersionId(version)] });
      }
    }
  } catch (error) {
    const detail = error instanceof S3ServiceError ? `${error.code}: ${error.message}` : String(error);
    throw new ManifestError({
      FailureCode: FAILURE_CODES.manifestRead,
      FailureReason: `Generating the manifest failed: listing s3://${bucket} (${detail})`,
    });
  }
  return entries;
}

/** Generates the job's task rows and, when EnableManifestOutput is true, writes the manifest (throws ManifestError). */
export function generateManifest(s3: S3Backend, record: JobRecord, now: Date): GeneratedManifest {
  const entries = listGeneratedEntries(s3, record);
  const rows = entries.map((entry) => entry.row);
  const generator = record.ManifestGenerator!.S3JobManifestGenerator;
  if (!generator.EnableManifestOutput || !generator.ManifestOutputLocation) return { rows };
  return { rows, descriptor: writeGeneratedManifest(s3, record, entries, now) };
}
