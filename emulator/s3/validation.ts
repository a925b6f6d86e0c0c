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

/** "Naming Amazon S3 objects": a key is at most 1,024 bytes of UTF-8. */
export const MAX_KEY_BYTES = 1024;

/**
 * Checks the bucket and key a request names before anything looks them up: a name no bucket can have is
 * InvalidBucketName (legacy names pass: the job engine seeds DOC-EXAMPLE-BUCKET1-style buckets), a key over
 * 1,024 bytes KeyTooLongError, for reads as for writes. Bucket names also name a directory of the durable
 * store, so this keeps `..`, `/` and NUL out of its paths before the store's own checks.
 */
export function checkRequestTarget(bucket: string | undefined, key: string | undefined): void {
  if (bucket !== undefined && !LEGACY_BUCKET_NAME.test(bucket)) {
    throw new S3Error('InvalidBucketName', 400, 'The specified bucket is not valid.', { BucketName: bucket });
  }
  if (key !== undefined && Buffer.byteLength(key, 'utf8') > MAX_KEY_BYTES) {
    throw new S3Error('KeyTooLongError', 400, 'Your key is too long', {
      MaxSizeAllowed: String(MAX_KEY_BYTES),
      Size: String(Buffer.byteLength(key, 'utf8')),
    });
  }
}
