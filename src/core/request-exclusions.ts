/**
 * Which fields of a job request go together, checked on the request as the caller wrote it. The schema
 * states these rules too (if/then, not, dependencies), but Ajv reports a broken one as "must NOT be valid"
 * or "must match else schema" on the enclosing object, naming no field: `explainExclusions` says which
 * fields clash instead. Fields with a schema default (`manifest.format`, `manifest.fields`) are checked before
 * Ajv fills them in, by `checkDefaultedFields`: afterwards, what the caller wrote cannot be told from the
 * default. Values of the wrong type are left to the schema, which names them precisely.
 */
import { RequestValidationError } from './errors.js';

type Json = Record<string, unknown>;

const objectOrUndefined = (value: unknown): Json | undefined =>
  typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Json) : undefined;
const given = (object: Json, key: string): boolean => object[key] !== undefined;

/** Before validation: the fields the schema fills in by default, as the caller wrote them. */
export function checkDefaultedFields(request: Json): void {
  const manifest = objectOrUndefined(request.manifest);
  if (manifest) checkManifest(manifest, ['format', 'fields']);
}

/**
 * After the schema refused the request with an error that names no field: throws the clear error of the
 * exclusion rule that is broken, if one is; returns otherwise (the schema's own error then stands).
 */
export function explainExclusions(request: Json): void {
  checkOneSource(request);
  const manifest = objectOrUndefined(request.manifest);
  if (manifest) checkManifest(manifest, namedManifestFields);
  const generator = objectOrUndefined(request.manifestGenerator);
  if (generator) checkGenerator(generator);
}

function checkOneSource(request: Json): void {
  const hasManifest = given(request, 'manifest');
  const hasGenerator = given(request, 'manifestGenerator');
  if (hasManifest && hasGenerator) {
    throw new RequestValidationError(
      'manifest',
      'and manifestGenerator are both given: give exactly one of them (a manifest listing the objects, or a generator S3 lists them with)',
    );
  }
  if (!hasManifest && !hasGenerator) {
    throw new RequestValidationError(
      'manifest',
      'or manifestGenerator is required: give exactly one of them (a manifest listing the objects, or a generator S3 lists them with)',
    );
  }
}

/** Fields that name a manifest object, which `manifest.inventory` finds by itself. */
const namedManifestFields = ['bucket', 'key', 'format', 'fields', 'etag', 'versionId'] as const;

function checkManifest(manifest: Json, fields: readonly string[]): void {
  if (given(manifest, 'inventory')) {
    const clash = fields.find((name) => given(manifest, name));
    if (clash) {
      throw new RequestValidationError(
        `manifest.${clash}`,
        "does not go with manifest.inventory: the newest report's manifest.json is found when the job is submitted",
      );
    }
    return;
  }
  // The schema fills manifest.fields by default, so only the caller's own value says it was misused.
  if (manifest.format === 'S3InventoryReport_CSV_20161130' && given(manifest, 'fields')) {
    throw new RequestValidationError(
      'manifest.fields',
      'applies only to S3BatchOperations_CSV_20180820 manifests',
    );
  }
}

function checkGenerator(generator: Json): void {
  const outputEnabled = generator.enableManifestOutput === true;
  if (outputEnabled && !given(generator, 'manifestOutputLocation')) {
    throw new RequestValidationError(
      'manifestGenerator.manifestOutputLocation',
      'is required when enableManifestOutput is true',
    );
  }
  if (!outputEnabled && given(generator, 'manifestOutputLocation')) {
    throw new RequestValidationError(
      'manifestGenerator.manifestOutputLocation',
      'is given but enableManifestOutput is not true: S3 writes no manifest then (set enableManifestOutput: true, or drop it)',
    );
  }
  const filter = objectOrUndefined(generator.filter);
  if (!filter) return;
  const twins = [
    ['olderThanDays', 'createdBefore'],
    ['newerThanDays', 'createdAfter'],
  ] as const;
  for (const [relative, absolute] of twins) {
    if (given(filter, relative) && given(filter, absolute)) {
      throw new RequestValidationError(
        `manifestGenerator.filter.${relative}`,
        `conflicts with ${absolute}: both set ${absolute === 'createdBefore' ? 'CreatedBefore' : 'CreatedAfter'}; give one of them`,
      );
    }
  }
}
