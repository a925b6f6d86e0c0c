import type { ManifestSource, SubmittedJob } from '../workflow-state.js';

/**
 * The source of a job in the workflow state. A state saved before `manifestSource` existed recorded no
 * manifest format; an S3 Inventory report's manifest is always named manifest.json, so that name tells it.
 */
export function manifestSourceOfJob(job: Pick<SubmittedJob, 'manifest' | 'manifestSource'>): ManifestSource {
  if (job.manifestSource) return job.manifestSource;
  const manifest = job.manifest!;
  const kind =
    manifest.key === 'manifest.json' || manifest.key.endsWith('/manifest.json') ? 'inventory' : 'csv';
  return { kind, bucket: manifest.bucket, key: manifest.key };
}
