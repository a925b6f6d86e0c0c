/**
 * The S3 Control SDK serialises a Timestamp member only from a `Date`: an ISO string there makes the client
 * itself throw `Unhandled schema-value pair RetainUntilDate=…` before anything is sent. Requests carry
 * timestamps as RFC 3339 strings (JSON), so CreateJob's Operation is converted here, once, at the paths
 * the job-request schema marks `format: date-time` (generated, so a new timestamp field needs no list kept
 * by hand).
 */
import { operationDateTimePaths } from '../../generated/date-time-paths.js';

/**
 * The timestamps of CreateJob's ManifestGenerator. Not generated: the request's filter is camelCase and its
 * dates may be relative ages, which core turns into these two absolute fields (src/core/manifest-source/
 * generator.ts), so they are CreateJob's own shape rather than a schema pass-through like Operation.
 */
export const manifestGeneratorDateTimePaths: readonly (readonly string[])[] = [
  ['S3JobManifestGenerator', 'Filter', 'CreatedAfter'],
  ['S3JobManifestGenerator', 'Filter', 'CreatedBefore'],
];

/** A copy of `operation` (or of any CreateJob part) with each date-time string at `paths` turned into a `Date`. */
export function withSdkTimestamps(
  operation: Record<string, unknown>,
  paths: readonly (readonly string[])[] = operationDateTimePaths,
): Record<string, unknown> {
  const copy = structuredClone(operation);
  for (const path of paths) convertAt(copy, path);
  return copy;
}

function convertAt(node: unknown, path: readonly string[]): void {
  if (node === null || typeof node !== 'object' || path.length === 0) return;
  const [head, ...rest] = path as [string, ...string[]];
  const children: unknown[] =
    head === '*' ? (Array.isArray(node) ? node : []) : [(node as Record<string, unknown>)[head]];
  if (rest.length > 0) {
    for (const child of children) convertAt(child, rest);
    return;
  }
  if (head === '*') {
    const items = Array.isArray(node) ? node : [];
    items.forEach((item, index) => {
      if (typeof item === 'string') items[index] = toDate(item);
    });
    return;
  }
  const object = node as Record<string, unknown>;
  const value = object[head];
  if (typeof value === 'string') object[head] = toDate(value);
}

/** The request was validated against the schema's RFC 3339 pattern, so parsing cannot silently shift it. */
const toDate = (text: string): Date => new Date(text);
