/**
 * The BuildThenManifest task: a CSV manifest (`Bucket,Key[,VersionId]`) of exactly the restored objects —
 * the restore job's succeeded tasks that a marker of this run names (restore-markers.ts) — and phase 2's
 * job request over it (`then` plus that manifest).
 *
 * The rows are written by the redrive manifest's writer (src/core/redrive/redrive-manifest.ts, ManifestCsv):
 * keys exactly as the report spells them (URL-encoded, as CSV manifests take them), a VersionId column as
 * soon as one row has a version. The object goes where redrive manifests go, beside the restore job's
 * report (`<prefix>/s3bo-redrive/job-<restore job id>/restored-objects.csv`): the stage's batch role may
 * read manifests there (iam/batch-role.cjs, ReadRedriveManifests) and nowhere else in the report bucket.
 * Its content depends only on the report and the markers, so a retried task writes the same bytes.
 */
import type { RestoreThenState, ThenJob } from '../../generated/types.js';
import { ConfigurationError, TaskInputError } from '../errors.js';
import type { ObjectStorePort } from '../ports.js';
import { ManifestCsv } from '../redrive/redrive-manifest.js';
import { redriveFolderName } from '../redrive/redrive-request.js';
import { forEachSucceededTask, restoreJobReportsOf } from './restore-job-report.js';
import { freshMarkerHashes, markerHash, versionOf } from './restore-markers.js';
import { readProgress } from './restore-progress.js';

export interface BuildThenManifestDeps {
  objects: ObjectStorePort;
  stateBucket: string | undefined;
}

/** `<prefix>/s3bo-redrive/job-<restoreJobId>/restored-objects.csv`, or without the prefix when there is none. */
export function restoredObjectsManifestKey(reportPrefix: string | undefined, restoreJobId: string): string {
  const prefix = (reportPrefix ?? '').replace(/\/+$/, '');
  const key = `${redriveFolderName}/job-${restoreJobId}/restored-objects.csv`;
  return prefix === '' ? key : `${prefix}/${key}`;
}

export async function buildThenManifest(
  deps: BuildThenManifestDeps,
  state: RestoreThenState,
): Promise<ThenJob> {
  const { stateBucket } = deps;
  if (!stateBucket) throw new ConfigurationError('S3BO_STATE_BUCKET', 'is required to read restore markers');
  if (!state.restoreRun) throw new TaskInputError('build-then-manifest', 'state.restoreRun', 'is required');
  if (!state.waiting) throw new TaskInputError('build-then-manifest', 'state.waiting', 'is required');
  const then = state.input.then;
  if (typeof then !== 'object' || then === null) {
    throw new TaskInputError('build-then-manifest', 'state.input.then', 'is required');
  }
  const store = deps.objects;
  const reports = restoreJobReportsOf(state.restoreRun.Output);
  const progress = await readProgress(store, stateBucket, state.waiting.progressKey);
  const since = new Date(progress.runStartedAt);
  const markers = new Map<string, Set<string>>();
  for (const bucket of progress.buckets ?? []) {
    markers.set(bucket, await freshMarkerHashes(store, stateBucket, bucket, since));
  }

  const csv = new ManifestCsv();
  const total = await forEachSucceededTask(store, reports, (row) => {
    if (!markers.get(row.bucket)?.has(markerHash(row.key, row.versionId))) return;
    csv.add(row.bucket, row.rawKey, versionOf(row.versionId), row.rowNumber);
  });
  if (csv.rows === 0) return { objects: 0, notRestored: total };

  const restoreJobId = reports.jobIds[0]!;
  const key = restoredObjectsManifestKey(reports.prefix, restoreJobId);
  const head = await store.putObject(reports.bucket, key, csv.finish(), 'text/csv');
  const fields: ('Bucket' | 'Key' | 'VersionId')[] = csv.withVersions
    ? ['Bucket', 'Key', 'VersionId']
    : ['Bucket', 'Key'];
  const manifest = {
    bucket: reports.bucket,
    key,
    etag: head.etag,
    fields,
    ...(head.versionId === undefined ? {} : { versionId: head.versionId }),
  };
  return {
    objects: csv.rows,
    notRestored: total - csv.rows,
    manifest,
    request: {
      ...then,
      manifest: { ...manifest, format: 'S3BatchOperations_CSV_20180820' },
    },
  };
}
