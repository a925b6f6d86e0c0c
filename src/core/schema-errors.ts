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

/**
 * What the shared patterns of schemas/common.schema.json mean, in words: Ajv's "must match pattern
 * <regex>" tells a user nothing about a bucket name's rules. Keyed by the pattern text, so a pattern that
 * changes falls back to Ajv's message (test/reliability/bad-requests.test.ts notices).
 */
const readablePatterns: Record<string, string> = {
  '^(?!xn--)(?!sthree-)(?!\\d{1,3}\\.\\d{1,3}\\.\\d{1,3}\\.\\d{1,3}$)(?!.*\\.\\.)(?!.*-s3alias$)(?!.*--ol-s3$)[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$':
    "must be an S3 bucket name (not an ARN): 3-63 lowercase letters, digits, dots and hyphens, starting and ending with a letter or digit, no '..', not an IP address, no xn-- or sthree- prefix, no -s3alias or --ol-s3 suffix",
  '^\\d{12}$': 'must be an AWS account id: 12 digits',
  '^arn:aws[a-zA-Z-]*:iam::\\d{12}:role/[\\w+=,.@/-]+$':
    'must be an IAM role ARN: arn:aws:iam::<12-digit account id>:role/<role name>',
  '^arn:aws[a-zA-Z0-9-]*:kms:[a-z0-9-]+:[0-9]{12}:key/[a-zA-Z0-9-]+$':
    'must be a KMS key ARN: arn:aws:kms:<region>:<12-digit account id>:key/<key id> (not an alias)',
  '^arn:[^:]+:(s3|s3express):.*$': 'must be an S3 ARN, e.g. arn:aws:s3:::<bucket> (not a bucket name)',
  '^(arn:(aws[a-zA-Z-]*)?:lambda:)?([a-z]{2}((-gov)|(-iso([a-z]?)))?-[a-z]+-\\d{1}:)?(\\d{12}:)?(function:)?([a-zA-Z0-9-_]+)(:(\\$LATEST|[a-zA-Z0-9-_]+))?$':
    'must be a Lambda function ARN or name: arn:aws:lambda:<region>:<account id>:function:<name>[:<version or alias>]',
  '^\\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\\d|3[01])[Tt]([01]\\d|2[0-3]):[0-5]\\d:([0-5]\\d|60)(\\.\\d+)?([Zz]|[+-]([01]\\d|2[0-3]):[0-5]\\d)$':
    'must be an RFC 3339 date-time with a time zone, e.g. 2026-01-31T00:00:00Z',
};

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
    case 'pattern':
      return {
        field: base || root,
        reason: readablePatterns[String(error.params.pattern)] ?? error.message ?? 'is invalid',
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
