/**
 * Ajv's errors turned into one `field: reason`, the form every validation error of ours takes (a job
 * request's RequestValidationError, a task input's TaskInputError).
 */
import type { SchemaError as GeneratedSchemaError } from '../generated/validators.js';

export type SchemaError = GeneratedSchemaError & { schemaPath?: string };

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

export function mostSpecific(errors: readonly SchemaError[]): SchemaError | undefined {
  return [...errors].sort(
    (a, b) =>
      (keywordRank[a.keyword] ?? 9) - (keywordRank[b.keyword] ?? 9) ||
      b.instancePath.length - a.instancePath.length,
  )[0];
}

/** The field an error names and what is wrong with it; `root` names the document itself. */
export function explainSchemaError(
  error: SchemaError | undefined,
  root: string,
): { field: string; reason: string } {
  if (!error) return { field: root, reason: 'is invalid' };
  const base = pointerToField(error.instancePath);
  const join = (child: unknown) => (base ? `${base}.${String(child)}` : String(child));
  switch (error.keyword) {
    case 'additionalProperties':
      return { field: join(error.params.additionalProperty), reason: 'is not a known property' };
    case 'required':
      return { field: join(error.params.missingProperty), reason: 'is required' };
    case 'enum':
      return {
        field: base || root,
        reason: `must be one of ${(error.params.allowedValues as unknown[]).map((v) => JSON.stringify(v)).join(', ')}`,
      };
    default:
      return { field: base || root, reason: error.message ?? 'is invalid' };
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
