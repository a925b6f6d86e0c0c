/**
 * Objects: buckets, a folder-style listing of a bucket (keys grouped at `/` below a prefix, as the S3 console
 * shows them) one page at a time, and one object's facts: storage class, tags, restore status.
 */
import { S3ServiceError } from '../contracts.js';
import type { S3Operations } from '../s3/operations.js';
import { searchKeys } from '../s3/store.js';
import { ConsoleRequestError, type PageRequest } from './http.js';

export type ListingEntry = { kind: 'folder'; prefix: string } | { kind: 'object'; key: string };

function asConsoleError(error: unknown): never {
  if (error instanceof S3ServiceError)
    throw new ConsoleRequestError(error.httpStatus, error.code, error.message);
  throw error;
}

export function createObjectsView(s3: S3Operations) {
  return {
    buckets() {
      return s3.store.listBuckets().map((bucket) => ({
        name: bucket.name,
        creationDate: bucket.creationDate,
        versioning: bucket.versioning ?? 'Disabled',
      }));
    },

    list(bucket: string, prefix: string, page: PageRequest) {
      let keys: string[];
      try {
        s3.store.requireBucket(bucket);
        keys = s3.store.keys(bucket);
      } catch (error) {
        asConsoleError(error);
      }
      // Keys are sorted, so the folders and objects below `prefix` come out sorted too.
      const entries: ListingEntry[] = [];
      for (let i = searchKeys(keys, prefix, true); i < keys.length; i++) {
        const key = keys[i]!;
        if (!key.startsWith(prefix)) break;
        const slash = key.indexOf('/', prefix.length);
        if (slash === -1) entries.push({ kind: 'object', key });
        else {
          const folder = key.slice(0, slash + 1);
          const last = entries[entries.length - 1];
          if (!(last?.kind === 'folder' && last.prefix === folder))
            entries.push({ kind: 'folder', prefix: folder });
        }
      }
      const items = entries.slice(page.offset, page.offset + page.limit).map((entry) => {
        if (entry.kind === 'folder') return entry;
        try {
          const info = s3.headObject({ bucket, key: entry.key });
          return {
            ...entry,
            size: info.size,
            storageClass: info.storageClass,
            lastModified: info.lastModified,
            ...(info.restoreStatus ? { restoreStatus: info.restoreStatus } : {}),
          };
        } catch {
          // The latest version is a delete marker: listed as S3's console shows it, deleted.
          return { ...entry, deleted: true };
        }
      });
      return { bucket, prefix, items, total: entries.length, offset: page.offset, limit: page.limit };
    },

    object(bucket: string, key: string) {
      try {
        const info = s3.headObject({ bucket, key });
        return {
          bucket,
          key,
          versionId: info.versionId,
          size: info.size,
          etag: info.etag,
          lastModified: info.lastModified,
          storageClass: info.storageClass,
          contentType: info.contentType,
          tags: info.tags,
          metadata: info.metadata,
          restoreStatus: info.restoreStatus,
          objectLockMode: info.objectLockMode,
          objectLockLegalHoldStatus: info.objectLockLegalHoldStatus,
          checksum: info.checksum,
        };
      } catch (error) {
        asConsoleError(error);
      }
    },
  };
}

export type ObjectsView = ReturnType<typeof createObjectsView>;
