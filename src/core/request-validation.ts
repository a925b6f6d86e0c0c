import type { JobRequestWithDefaults, ManifestGeneratorFilter } from '../generated/types.js';
import { validateJobRequest } from '../generated/validators.js';
import { RequestValidationError } from './errors.js';
import { stageJobTagKey } from './names.js';
import { checkDefaultedFields, explainExclusions } from './request-exclusions.js';
import { explainSchemaError, mostSpecific, type SchemaError } from './schema-errors.js';

export { pointerToField } from './schema-errors.js';

/**
 * Validates a job request against schemas/job-request.schema.json and the rules a schema cannot express,
 * and returns a copy with the schema's defaults filled in. Throws RequestValidationError naming the first
 * offending field; the caller's object is never modified.
 */
export function parseJobRequest(input: unknown): JobRequestWithDefaults {
  if (typeof input !== 'object' || input === null || Array.isArray(input)) {
    throw new RequestValidationError('request', 'must be an object');
  }
  // Before anything recursive (structuredClone, Ajv) meets it: deep input would overflow their stacks.
  checkNestingDepth(input);
  const candidate: unknown = structuredClone(input);
  const written = input as Record<string, unknown>;
  checkDefaultedFields(written);
  if (!validateJobRequest(candidate)) {
    const errors = explainContains((validateJobRequest.errors ?? []) as SchemaError[]);
    // An error that names its field wins; only when none does is the broken exclusion rule explained.
    const naming = errors.filter((e) => !namesNoField(e));
    const error = mostSpecific(naming.length > 0 ? naming : errors);
    if (error && namesNoField(error)) explainExclusions(written);
    throw describeSchemaError(error);
  }
  checkCrossFieldRules(candidate);
  return candidate;
}

/**
 * How deep a request may nest, the request itself being level 1. The schema's deepest path is 8 levels
 * (operation.S3PutObjectAcl.AccessControlPolicy.AccessControlList.Grants[0].Grantee); the bound leaves
 * room for the schema to grow while keeping recursive code (structuredClone, Ajv) far from its stack limit.
 */
export const maxRequestDepth = 32;

interface Visit {
  value: object;
  depth: number;
  parent: Visit | undefined;
  key: string | number;
}

/**
 * Walks the input with an explicit stack, so no input can make it overflow; a reference cycle (possible in
 * a caller's object, never in parsed JSON) is cut by the same bound. Throws naming the first value found
 * past the bound.
 */
function checkNestingDepth(input: object): void {
  const stack: Visit[] = [{ value: input, depth: 1, parent: undefined, key: '' }];
  for (let visit = stack.pop(); visit !== undefined; visit = stack.pop()) {
    if (visit.depth > maxRequestDepth) {
      throw new RequestValidationError(pathOf(visit), `is nested deeper than ${maxRequestDepth} levels`);
    }
    const entries: [string | number, unknown][] = Array.isArray(visit.value)
      ? visit.value.map((item, index) => [index, item])
      : Object.entries(visit.value);
    // Pushed last to first, so values are visited (and the first too deep one reported) in document order.
    for (let i = entries.length - 1; i >= 0; i--) {
      const [key, value] = entries[i]!;
      if (typeof value === 'object' && value !== null) {
        stack.push({ value, depth: visit.depth + 1, parent: visit, key });
      }
    }
  }
}

/** `operation.S3PutObjectTagging.TagSet[0]`, the same form pointerToField gives. */
function pathOf(visit: Visit): string {
  const keys: (string | number)[] = [];
  for (let at: Visit | undefined = visit; at?.parent !== undefined; at = at.parent) keys.unshift(at.key);
  return keys.reduce<string>(
    (path, key) => (typeof key === 'number' ? `${path}[${key}]` : path ? `${path}.${key}` : key),
    '',
  );
}

/**
 * The schema's exclusive-field rules (one source of objects, inventory alone, the generator's output
 * location, relative vs absolute dates) fail as composites on the enclosing object; "exactly one of manifest
 * and manifestGenerator" fails as manifestGenerator missing.
 */
function namesNoField(error: SchemaError): boolean {
  if (['not', 'if', 'then', 'else', 'anyOf', 'oneOf'].includes(error.keyword)) return true;
  return (
    error.keyword === 'required' &&
    error.instancePath === '' &&
    error.params.missingProperty === 'manifestGenerator'
  );
}

function checkCrossFieldRules(request: JobRequestWithDefaults): void {
  const wait = request.wait;
  if (wait.minSeconds > wait.maxSeconds) {
    throw new RequestValidationError(
      'wait.minSeconds',
      `must not exceed wait.maxSeconds (${wait.maxSeconds})`,
    );
  }
  if (request.tags && stageJobTagKey in request.tags) {
    throw new RequestValidationError(
      `tags.${stageJobTagKey}`,
      'is reserved: the orchestrator tags every job with its stage',
    );
  }
  const manifest = request.manifest;
  if (manifest && !manifest.inventory) {
    const fields = manifest.fields.filter((f) => f !== 'Ignore');
    if (new Set(fields).size !== fields.length) {
      throw new RequestValidationError('manifest.fields', 'must not repeat a field');
    }
  }
  checkGeneratorFilter(request.manifestGenerator?.filter);
}

/** Bounds the schema cannot relate to each other (relative ages are checked once they are resolved). */
function checkGeneratorFilter(filter: ManifestGeneratorFilter | undefined): void {
  const greater = filter?.objectSizeGreaterThanBytes;
  const less = filter?.objectSizeLessThanBytes;
  if (greater !== undefined && less !== undefined && less <= greater + 1) {
    throw new RequestValidationError(
      'manifestGenerator.filter.objectSizeLessThanBytes',
      `leaves no object size above objectSizeGreaterThanBytes (${greater}): no object is larger than ${greater} bytes and smaller than ${less}`,
    );
  }
  const after = filter?.createdAfter;
  const before = filter?.createdBefore;
  if (after !== undefined && before !== undefined && Date.parse(after) >= Date.parse(before)) {
    throw new RequestValidationError(
      'manifestGenerator.filter.createdBefore',
      `must be after createdAfter (${after}): no object is created after ${after} and before ${before}`,
    );
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

function describeSchemaError(error: SchemaError | undefined): RequestValidationError {
  const { field, reason } = explainSchemaError(error, 'request');
  return new RequestValidationError(field, reason);
}
