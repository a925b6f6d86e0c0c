import { randomBytes } from 'node:crypto';
import type { Storage } from '../contracts.js';
import { noSuchBucket } from './errors.js';
import type { BucketDoc, ObjectDoc, PendingRestore, UploadDoc } from './model.js';

const BUCKETS = 's3/buckets';
const UPLOADS = 's3/uploads';
const RESTORES = 's3/restores';
const objectsNamespace = (bucket: string) => `s3/objects/${bucket}`;

/**
 * S3 orders keys by their UTF-8 bytes, which is code point order; JavaScript compares UTF-16 code units.
 * The two differ only between surrogates and U+E000..U+FFFF, fixed up at the first differing unit.
 */
export function compareKeys(a: string, b: string): number {
  const length = Math.min(a.length, b.length);
  for (let i = 0; i < length; i++) {
    let x = a.charCodeAt(i);
    let y = b.charCodeAt(i);
    if (x === y) continue;
    if (x >= 0xd800 && y >= 0xd800) {
      x += x >= 0xe000 ? -0x800 : 0x2000;
      y += y >= 0xe000 ? -0x800 : 0x2000;
    }
    return x - y;
  }
  return a.length - b.length;
}

/** First index whose key is > `key` (or >= when `inclusive`). */
export function searchKeys(keys: string[], key: string, inclusive = false): number {
  let low = 0;
  let high = keys.length;
  while (low < high) {
    const mid = (low + high) >>> 1;
    const order = compareKeys(keys[mid]!, key);
    if (order < 0 || (order === 0 && !inclusive)) low = mid + 1;
    else high = mid;
  }
  return low;
}

export function newBlobId(): string {
  return `s3-${randomBytes(16).toString('hex')}`;
}

/** Bucket, object and upload documents over `Storage`, plus a sorted key index per bucket for listing. */
export class S3Store {
  private readonly keyIndex = new Map<string, string[]>();

  constructor(readonly storage: Storage) {}

  getBucket(name: string): BucketDoc | undefined {
    return this.storage.getDoc<BucketDoc>(BUCKETS, name);
  }

  requireBucket(name: string): BucketDoc {
    const bucket = this.getBucket(name);
    if (!bucket) throw noSuchBucket(name);
    return bucket;
  }

  saveBucket(bucket: BucketDoc): void {
    this.storage.putDoc(BUCKETS, bucket.name, bucket);
  }

  deleteBucket(name: string): void {
    this.storage.deleteDoc(BUCKETS, name);
    this.keyIndex.delete(name);
  }

  listBuckets(): BucketDoc[] {
    return this.storage.listDocs<BucketDoc>(BUCKETS).sort((a, b) => compareKeys(a.name, b.name));
  }

  getObject(bucket: string, key: string): ObjectDoc | undefined {
    return this.storage.getDoc<ObjectDoc>(objectsNamespace(bucket), key);
  }

  /** Saves the doc, or deletes it once no version is left. */
  saveObject(bucket: string, doc: ObjectDoc): void {
    const keys = this.keys(bucket);
    const at = searchKeys(keys, doc.key, true);
    const present = keys[at] === doc.key;
    if (doc.versions.length === 0) {
      this.storage.deleteDoc(objectsNamespace(bucket), doc.key);
      if (present) keys.splice(at, 1);
      return;
    }
    this.storage.putDoc(objectsNamespace(bucket), doc.key, doc);
    if (!present) keys.splice(at, 0, doc.key);
  }

  /** Every key with at least one version (delete markers included), in S3's order. */
  keys(bucket: string): string[] {
    let keys = this.keyIndex.get(bucket);
    if (!keys) {
      keys = this.storage
        .listDocs<ObjectDoc>(objectsNamespace(bucket))
        .map((doc) => doc.key)
        .sort(compareKeys);
      this.keyIndex.set(bucket, keys);
    }
    return keys;
  }

  putBody(bytes: Buffer): string {
    const blobId = newBlobId();
    this.storage.putBlob(blobId, bytes);
    return blobId;
  }

  getBody(blobId: string | undefined): Buffer {
    return (blobId && this.storage.getBlob(blobId)) || Buffer.alloc(0);
  }

  deleteBody(blobId: string | undefined): void {
    if (blobId) this.storage.deleteBlob(blobId);
  }

  getUpload(uploadId: string): UploadDoc | undefined {
    return this.storage.getDoc<UploadDoc>(UPLOADS, uploadId);
  }

  saveUpload(upload: UploadDoc): void {
    this.storage.putDoc(UPLOADS, upload.uploadId, upload);
  }

  deleteUpload(uploadId: string): void {
    this.storage.deleteDoc(UPLOADS, uploadId);
  }

  listUploads(bucket: string): UploadDoc[] {
    return this.storage.listDocs<UploadDoc>(UPLOADS).filter((upload) => upload.bucket === bucket);
  }

  savePendingRestore(pending: PendingRestore): void {
    this.storage.putDoc(RESTORES, pending.id, pending);
  }

  deletePendingRestore(id: string): void {
    this.storage.deleteDoc(RESTORES, id);
  }

  listPendingRestores(): PendingRestore[] {
    return this.storage.listDocs<PendingRestore>(RESTORES);
  }
}
