/**
 * What SubmitJob (and `s3bo estimate`) make of a request's source of objects before CreateJob: the ETag of a
 * named manifest (HeadObject when the request has none), the newest inventory report found and checked, or
 * the generator's filter dates made absolute. Everything found wrong is a RequestValidationError naming the
 * field, and nothing has been created yet.
 */
import type { JobRequestWithDefaults, ManifestGeneratorWithDefaults } from '../../generated/types.js';
import { manifestMissingError, ObjectNotFoundError } from '../errors.js';
import type { ObjectStorePort } from '../ports.js';
import type { ManifestSource, SubmittedJob } from '../workflow-state.js';
import { type EffectiveCreationDates, effectiveCreationDates } from './generator.js';
import type { InventoryManifestDocument } from './inventory-manifest.js';
import { findLatestInventory } from './latest-inventory.js';
import { type CsvField, requestedManifest } from './requested-manifest.js';

interface ManifestObject {
  bucket: string;
  key: string;
  etag: string;
  versionId?: string;
}

export type ResolvedManifestSource =
  | ({ kind: 'csv'; fields: CsvField[] } & ManifestObject)
  | ({ kind: 'inventory' } & ManifestObject)
  | ({
      kind: 'latestInventory';
      prefix?: string;
      sourceBucket: string;
      configId: string;
      reportTime: Date;
      /** The manifest.json as read (and checked against its manifest.checksum). */
      document: InventoryManifestDocument;
    } & ManifestObject)
  | { kind: 'generator'; generator: ManifestGeneratorWithDefaults; dates: EffectiveCreationDates };

export interface ResolveTimes {
  /** Now: how old the newest inventory report is. */
  now: Date;
  /** The job's submit time, which relative filter ages count back from (see generator.ts). */
  submitTime: Date;
}

export async function resolveManifestSource(
  objects: ObjectStorePort,
  request: Pick<JobRequestWithDefaults, 'manifest' | 'manifestGenerator'>,
  times: ResolveTimes,
): Promise<ResolvedManifestSource> {
  const requested = requestedManifest(request);
  switch (requested.kind) {
    case 'generator':
      return {
        kind: 'generator',
        generator: requested.generator,
        dates: effectiveCreationDates(requested.generator.filter, times.submitTime),
      };
    case 'latestInventory': {
      const { inventory } = requested;
      const report = await findLatestInventory(objects, inventory, times.now);
      return {
        kind: 'latestInventory',
        bucket: report.bucket,
        key: report.key,
        etag: report.etag,
        ...(inventory.prefix === undefined ? {} : { prefix: inventory.prefix }),
        sourceBucket: inventory.sourceBucket,
        configId: inventory.configId,
        reportTime: report.reportTime,
        document: report.document,
      };
    }
    case 'csv':
    case 'inventory': {
      const { etag, ...location } = requested;
      return { ...location, etag: etag ?? (await resolveManifestEtag(objects, location)) };
    }
  }
}

async function resolveManifestEtag(
  objects: ObjectStorePort,
  manifest: { bucket: string; key: string; versionId?: string },
): Promise<string> {
  try {
    return (await objects.headObject(manifest.bucket, manifest.key, manifest.versionId)).etag;
  } catch (error) {
    if (error instanceof ObjectNotFoundError) throw manifestMissingError(manifest, error);
    throw error;
  }
}

/** The manifest object CreateJob is given; undefined for a generated object list. */
export function manifestObjectOf(source: ResolvedManifestSource): SubmittedJob['manifest'] {
  if (source.kind === 'generator') return undefined;
  return {
    bucket: source.bucket,
    key: source.key,
    etag: source.etag,
    ...(source.versionId ? { versionId: source.versionId } : {}),
  };
}

/** The summary the workflow state and the Submitted event carry (schemas/workflow-state.schema.json). */
export function summarizeManifestSource(source: ResolvedManifestSource): ManifestSource {
  switch (source.kind) {
    case 'csv':
    case 'inventory':
      return { kind: source.kind, bucket: source.bucket, key: source.key };
    case 'latestInventory':
      return {
        kind: 'latestInventory',
        bucket: source.bucket,
        key: source.key,
        ...(source.prefix === undefined ? {} : { prefix: source.prefix }),
        sourceBucket: source.sourceBucket,
        configId: source.configId,
        reportTime: source.reportTime.toISOString(),
      };
    case 'generator': {
      const output = source.generator.manifestOutputLocation;
      return {
        kind: 'generator',
        sourceBucket: source.generator.sourceBucket,
        ...source.dates,
        ...(output === undefined
          ? {}
          : {
              manifestOutput: {
                bucket: output.bucket,
                ...(output.prefix === undefined ? {} : { prefix: output.prefix }),
              },
            }),
      };
    }
  }
}
