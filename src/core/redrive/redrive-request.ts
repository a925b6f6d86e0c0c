/**
 * The job request of a redrive: the workflow's own request with the manifest replaced by the redrive
 * manifest. It goes through `submitJob` like any request, so validation, defaults and the
 * ClientRequestToken (derived from the request, hence different per attempt and stable across retries)
 * are shared with the first job.
 */
import type { JobRequest } from '../../generated/types.js';
import type { RedriveManifestField } from './redrive-manifest.js';

/** Tag naming the job whose failed tasks a redrive job reruns (S3 tag keys allow `:`). */
export const parentJobIdTagKey = 's3bo:parentJobId';

/** Folder, under the report prefix, that holds redrive manifests; beside the `job-<id>/` report folders. */
export const redriveFolderName = 's3bo-redrive';

/** CreateJob Description is 1–256 characters (S3 Control API reference). */
const maxDescriptionLength = 256;
/** CreateJob accepts at most 50 tags, as does the request schema. */
const maxTags = 50;

export interface RedriveManifestRef {
  bucket: string;
  key: string;
  etag: string;
  fields: RedriveManifestField[];
  versionId?: string;
}

/**
 * `<prefix>/s3bo-redrive/job-<parentJobId>/attempt-<n>.csv`, or without the prefix when there is none.
 * `attempt` is the redrive's number (1 = the first redrive). Deterministic, so a retried task overwrites
 * the same object instead of leaving orphans.
 */
export function redriveManifestKey(
  reportPrefix: string | undefined,
  parentJobId: string,
  attempt: number,
): string {
  const prefix = (reportPrefix ?? '').replace(/\/+$/, '');
  const key = `${redriveFolderName}/job-${parentJobId}/attempt-${attempt}.csv`;
  return prefix === '' ? key : `${prefix}/${key}`;
}

/**
 * Builds redrive number `attempt` (1-based) of `parentJobId`, the job whose failures the manifest lists.
 * Pass the workflow's original request every time (`$.request`), not the previous redrive's, so the
 * description does not grow a suffix per attempt.
 *
 * Kept: operation, report bucket and prefix, priority, role, account, tags, wait, policy and autoConfirm.
 * Changed:
 * - manifest: the redrive CSV, with its ETag (so no HeadObject is needed) and version when known; it
 *   replaces whatever listed the first job's objects (a manifest, the newest inventory report, or a
 *   manifestGenerator, which is dropped: a request names exactly one source);
 * - report scope: always `AllTasks`, even when the original asked for `FailedTasksOnly`: aggregating the
 *   attempts needs to know how many redriven tasks ran, which a failed-only report cannot say (and a
 *   redrive job's report is as small as its manifest);
 * - description: `<original> (redrive N of job <id>)`, the original part shortened to fit 256 characters;
 * - confirmationRequired: false — the request was confirmed once already; a redrive should not wait for a
 *   person again (a Suspended job is still handled by autoConfirm if S3 suspends it anyway);
 * - tags: plus `s3bo:parentJobId`, unless the original already uses all 50 tags.
 */
export function buildRedriveRequest(
  original: JobRequest,
  manifest: RedriveManifestRef,
  attempt: number,
  parentJobId: string,
): JobRequest {
  const tags = { ...original.tags };
  if (Object.keys(tags).length < maxTags || parentJobIdTagKey in tags) tags[parentJobIdTagKey] = parentJobId;
  const { manifestGenerator: _replacedByTheCsv, ...kept } = original;
  return {
    ...kept,
    manifest: {
      bucket: manifest.bucket,
      key: manifest.key,
      format: 'S3BatchOperations_CSV_20180820',
      fields: [...manifest.fields],
      etag: manifest.etag,
      ...(manifest.versionId !== undefined && { versionId: manifest.versionId }),
    },
    report: { ...original.report, scope: 'AllTasks' },
    description: redriveDescription(original.description, attempt, parentJobId),
    confirmationRequired: false,
    tags,
  };
}

function redriveDescription(original: string | undefined, attempt: number, parentJobId: string): string {
  const suffix = `redrive ${attempt} of job ${parentJobId}`;
  const base = original?.trim() ?? '';
  if (base === '') return suffix.slice(0, maxDescriptionLength);
  const room = maxDescriptionLength - suffix.length - 3; // " (" and ")"
  const head = base.length <= room ? base : `${base.slice(0, Math.max(0, room - 1)).trimEnd()}…`;
  return `${head} (${suffix})`.slice(0, maxDescriptionLength);
}
