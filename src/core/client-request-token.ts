import { createHash } from 'node:crypto';
import type { JobRequest } from '../generated/types.js';

/**
 * CreateJob's ClientRequestToken (1–64 chars). Derived from the execution and the request, so a Lambda
 * retried by Step Functions sends the same token and S3 returns the same job instead of creating a second
 * one (the SDK would otherwise fill a random token per call).
 */
export function clientRequestToken(executionArn: string, request: JobRequest): string {
  return createHash('sha256').update(executionArn).update('\n').update(canonicalJson(request)).digest('hex'); // 64 hex chars: exactly the API's maximum
}

/** JSON with object keys sorted, so key order in the request does not change the token. */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}
