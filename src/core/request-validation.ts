import type { JobRequest } from '../generated/types.js';
import { validateJobRequest } from '../generated/validators.js';
import { RequestValidationError } from './errors.js';

interface SchemaError {
  instancePath: string;
  schemaPath?: string;
  keyword: string;
  message?: string;
  params: Record<string, unknown>;
}

/**
 * Validates a job request against schemas/job-request.schema.json and the rules a schema cannot express,
 * and returns a copy with the schema's defaults filled in. Throws RequestValidationError naming the first
 * offending field; the caller's object is never modified.
 */
export function parseJobRequest(input: unknown): JobRequest {
  const candidate: unknown = structuredClone(input ?? null);
  // The schema fills manifest.fields by default, so only the caller's own value says it was misused.
  const rawManifest = (input as { manifest?: { format?: string; fields?: unknown } } | null)?.manifest;
  if (rawManifest?.format === 'S3InventoryReport_CSV_20161130' && rawManifest.fields !== undefined) {
    throw new RequestValidationError(
      'manifest.fields',
      'applies only to S3BatchOperations_CSV_20180820 manifests',
    );
  }
  if (!validateJobRequest(candidate)) {
    const error = mostSpecific(explainContains((validateJobRequest.errors ?? []) as SchemaError[]));
    throw describeSchemaError(error);
  }
  const request = candidate as JobRequest;
  checkCrossFieldRules(request);
  return request;
}

function checkCrossFieldRules(request: JobRequest): void {
  const wait = request.wait;
  if (wait?.minSeconds !== undefined && wait.maxSeconds !== undefined && wait.minSeconds > wait.maxSeconds) {
    throw new RequestValidationError(
      'wait.minSeconds',
      `must not exceed wait.maxSeconds (${wait.maxSeconds})`,
    );
  }
  const fields = (request.manifest.fields ?? []).filter((f) => f !== 'Ignore');
  if (new Set(fields).size !== fields.length) {
    throw new RequestValidationError('manifest.fields', 'must not repeat a field');
  }
}

/**
 * Ajv reports a failed `contains` as a summary plus one error per item tried against the sub-schema
 * (`fields[0] must be equal to constant`), which names the wrong field. Fold them into one error that
 * says what the list must contain.
 */
function explainContains(errors: SchemaError[]): SchemaError[] {
  const inside = (e: SchemaError) => e.schemaPath?.includes('/contains/') ?? false;
  const wanted = [
    ...new Set(
      errors
        .filter(inside)
        .map((e) => e.params.allowedValue)
        .filter((v) => v !== undefined),
    ),
  ];
  return errors
    .filter((e) => !inside(e))
    .map((e) =>
      e.keyword === 'contains' && wanted.length > 0
        ? { ...e, keyword: 'required-item', message: `must include ${wanted.join(', ')}` }
        : e,
    );
}

/** Ajv reports summary errors (oneOf, if) next to the precise ones; the precise ones help the user. */
const keywordRank: Record<string, number> = {
  additionalProperties: 0,
  required: 1,
  'required-item': 1,
  enum: 2,
  const: 2,
  type: 3,
  pattern: 4,
  format: 4,
};

function mostSpecific(errors: SchemaError[]): SchemaError | undefined {
  return [...errors].sort(
    (a, b) =>
      (keywordRank[a.keyword] ?? 9) - (keywordRank[b.keyword] ?? 9) ||
      b.instancePath.length - a.instancePath.length,
  )[0];
}

function describeSchemaError(error: SchemaError | undefined): RequestValidationError {
  if (!error) return new RequestValidationError('request', 'is invalid');
  const base = pointerToField(error.instancePath);
  const join = (child: unknown) => (base ? `${base}.${String(child)}` : String(child));
  switch (error.keyword) {
    case 'additionalProperties':
      return new RequestValidationError(join(error.params.additionalProperty), 'is not a known property');
    case 'required':
      return new RequestValidationError(join(error.params.missingProperty), 'is required');
    case 'enum':
      return new RequestValidationError(
        base || 'request',
        `must be one of ${(error.params.allowedValues as unknown[]).map((v) => JSON.stringify(v)).join(', ')}`,
      );
    default:
      return new RequestValidationError(base || 'request', error.message ?? 'is invalid');
  }
}

/** `/manifest/fields/0` → `manifest.fields[0]` */
export function pointerToField(pointer: string): string {
  return pointer
    .split('/')
    .slice(1)
    .map((part) => part.replace(/~1/g, '/').replace(/~0/g, '~'))
    .reduce((path, part) => (/^\d+$/.test(part) ? `${path}[${part}]` : path ? `${path}.${part}` : part), '');
}
