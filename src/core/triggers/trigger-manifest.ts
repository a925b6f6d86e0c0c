/**
 * A flush's manifest and the names derived from its content: the manifest key and the execution name, so a
 * retried flush of the same objects writes the same object and starts nothing twice.
 */
import { createHash } from 'node:crypto';
import type { CollectedObject } from './collected-object.js';
import type { TriggerManifest } from './parse-trigger.js';
import { triggersFolder } from './pending-store.js';

/** S3's version id of an object written while versioning was off (the manifest needs one per row then). */
const nullVersionId = 'null';

/** Step Functions execution names: at most 80 characters (StartExecution, `name`). */
const maxExecutionName = 80;

export interface ManifestContent {
  csv: string;
  /** sha256 of `csv`, hex. */
  hash: string;
  fields: TriggerManifest['fields'];
  rows: number;
}

/**
 * S3 Batch Operations reads manifest keys URL-encoded (AWS-FACTS, Reports). encodeURIComponent leaves no comma,
 * quote or line break in the field; `/` is kept readable (decoding either form yields the same key).
 */
export function encodeManifestKey(key: string): string {
  return encodeURIComponent(key).replaceAll('%2F', '/');
}

/**
 * `Bucket,Key,VersionId` rows (no header: S3 Batch CSV manifests have none), in the order the objects were
 * collected. The VersionId column is written only when some object has a version; objects without one then
 * get `null`, S3's version id for objects written while versioning was off (as redrive manifests do).
 */
export function buildManifestContent(objects: readonly CollectedObject[]): ManifestContent {
  const withVersions = objects.some((object) => object.v !== undefined);
  const csv = objects
    .map((object) => {
      const row = `${object.b},${encodeManifestKey(object.k)}`;
      return withVersions ? `${row},${encodeManifestKey(object.v ?? nullVersionId)}\n` : `${row}\n`;
    })
    .join('');
  return {
    csv,
    hash: createHash('sha256').update(csv).digest('hex'),
    fields: withVersions ? ['Bucket', 'Key', 'VersionId'] : ['Bucket', 'Key'],
    rows: objects.length,
  };
}

/** `triggers/<name>/manifests/<sha256>.csv` in the stage's state bucket. */
export function manifestKeyFor(triggerName: string, hash: string): string {
  return `${triggersFolder}/${triggerName}/manifests/${hash}.csv`;
}

/**
 * `trigger-<name>-<content hash>`: the same objects make the same name, so a retried flush finds the
 * execution it started. The hash has 40 hex digits where the name leaves room; a 40-character trigger name
 * leaves 31 (Step Functions allows 80 characters), still far from any collision.
 */
export function executionNameFor(triggerName: string, hash: string): string {
  const prefix = `trigger-${triggerName}-`;
  return `${prefix}${hash.slice(0, Math.min(40, maxExecutionName - prefix.length))}`;
}
