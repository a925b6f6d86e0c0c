/**
 * Field checks shared by the CreateJob validators (create-job-request.ts, manifest-generator-request.ts):
 * every failure is a BadRequestException whose message names the field, as S3 Control's own messages do.
 */
import { badRequest } from './errors.js';

export const BUCKET_ARN = /^arn:aws[a-z-]*:s3:::([a-z0-9][a-z0-9.-]{1,61}[a-z0-9])$/;
export const OBJECT_ARN = /^arn:aws[a-z-]*:s3:::([a-z0-9][a-z0-9.-]{1,61}[a-z0-9])\/(.+)$/s;
export const ACCOUNT_ID = /^\d{12}$/;

/** S3StorageClass in the S3 Control model (the classes a Batch Operations job can name). */
export const STORAGE_CLASSES = [
  'STANDARD',
  'STANDARD_IA',
  'ONEZONE_IA',
  'GLACIER',
  'INTELLIGENT_TIERING',
  'DEEP_ARCHIVE',
  'GLACIER_IR',
];

export const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

export function checkEnum(value: unknown, field: string, allowed: readonly string[]): void {
  if (value !== undefined && !allowed.includes(String(value))) {
    throw badRequest(`${field} must be one of ${allowed.join(', ')}`);
  }
}

/** Timestamps arrive as ISO 8601 text (the SDK serialises Date fields so in REST-XML bodies). */
export function checkTimestamp(value: unknown, field: string): void {
  if (value !== undefined && (typeof value !== 'string' || Number.isNaN(Date.parse(value)))) {
    throw badRequest(`${field} must be an ISO 8601 timestamp`);
  }
}
