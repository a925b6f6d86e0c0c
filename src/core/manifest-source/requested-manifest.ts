/**
 * Which of its four sources of objects a validated job request names. The schema keeps every shape in one
 * object per field (so Ajv fills their defaults): `manifest` with bucket and key is a CSV or a named inventory
 * report, `manifest.inventory` the newest report of a configuration, `manifestGenerator` a list S3 builds.
 * This is the one place that tells them apart; everything else switches on `kind`.
 */
import type {
  JobRequestWithDefaults,
  LatestInventoryManifestWithDefaults,
  ManifestGeneratorWithDefaults,
} from '../../generated/types.js';
import { RequestValidationError } from '../errors.js';

export type CsvField = 'Ignore' | 'Bucket' | 'Key' | 'VersionId';

export type RequestedManifest =
  | {
      kind: 'csv';
      bucket: string;
      key: string;
      fields: CsvField[];
      etag?: string;
      versionId?: string;
    }
  | { kind: 'inventory'; bucket: string; key: string; etag?: string; versionId?: string }
  | { kind: 'latestInventory'; inventory: LatestInventoryManifestWithDefaults }
  | { kind: 'generator'; generator: ManifestGeneratorWithDefaults };

export type ManifestKind = RequestedManifest['kind'];

export function requestedManifest(
  request: Pick<JobRequestWithDefaults, 'manifest' | 'manifestGenerator'>,
): RequestedManifest {
  const { manifest, manifestGenerator } = request;
  if (manifestGenerator) return { kind: 'generator', generator: manifestGenerator };
  // parseJobRequest guarantees exactly one source, and bucket and key without `inventory`.
  if (!manifest) throw new RequestValidationError('manifest', 'or manifestGenerator is required');
  if (manifest.inventory) return { kind: 'latestInventory', inventory: manifest.inventory };
  const location = {
    bucket: manifest.bucket!,
    key: manifest.key!,
    ...(manifest.etag === undefined ? {} : { etag: manifest.etag }),
    ...(manifest.versionId === undefined ? {} : { versionId: manifest.versionId }),
  };
  return manifest.format === 'S3InventoryReport_CSV_20161130'
    ? { kind: 'inventory', ...location }
    : { kind: 'csv', ...location, fields: manifest.fields };
}
