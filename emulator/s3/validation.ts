import { randomBytes } from 'node:crypto';
import type { Tag } from '../contracts.js';
import { S3Error } from './errors.js';
import { STORAGE_CLASSES } from './model.js';

export const BUCKET_NAME = /^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/;
/** Buckets created in us-east-1 before March 2018 could use these. */
export const LEGACY_BUCKET_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,254}$/;

export function newVersionId(): string {
  return randomBytes(24).toString('base64url');
}

export function checkStorageClass(storageClass: string | undefined): string {
  const value = storageClass ?? 'STANDARD';
  if (!STORAGE_CLASSES.has(value)) {
    throw new S3Error('InvalidStorageClass', 400, 'The storage class you specified is not valid', {
      StorageClassRequested: value,
    });
  }
  return value;
}

export function validateTags(tags: Tag[], limit = 10): Tag[] {
  if (tags.length > limit)
    throw new S3Error('BadRequest', 400, `Object tags cannot be greater than ${limit}`);
  const seen = new Set<string>();
  for (const tag of tags) {
    if (tag.Key.length < 1 || tag.Key.length > 128 || tag.Value.length > 256) {
      throw new S3Error('InvalidTag', 400, 'The TagKey or TagValue you have provided is too long or invalid');
    }
    if (seen.has(tag.Key))
      throw new S3Error('InvalidTag', 400, 'Cannot provide multiple Tags with the same key');
    seen.add(tag.Key);
  }
  return tags;
}
