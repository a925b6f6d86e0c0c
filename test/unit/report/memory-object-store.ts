import { createHash } from 'node:crypto';
import { ObjectNotFoundError } from '../../../src/core/errors.js';
import type { ObjectHead, ObjectStorePort } from '../../../src/core/ports.js';

/** An in-memory ObjectStorePort that streams objects in small chunks, to exercise chunk boundaries. */
export class MemoryObjectStore implements ObjectStorePort {
  readonly objects = new Map<string, Buffer>();
  readonly reads: string[] = [];

  constructor(readonly chunkSize = 7) {}

  put(bucket: string, key: string, body: string | Uint8Array): this {
    this.objects.set(`${bucket}/${key}`, Buffer.from(body));
    return this;
  }

  async headObject(bucket: string, key: string): Promise<ObjectHead> {
    const body = this.#get(bucket, key);
    return { etag: createHash('md5').update(body).digest('hex'), contentLength: body.length };
  }

  async getObjectStream(bucket: string, key: string): Promise<AsyncIterable<Uint8Array>> {
    const body = this.#get(bucket, key);
    this.reads.push(`${bucket}/${key}`);
    const chunkSize = this.chunkSize;
    return (async function* () {
      for (let i = 0; i < body.length; i += chunkSize) yield body.subarray(i, i + chunkSize);
    })();
  }

  async putObject(bucket: string, key: string, body: string | Uint8Array): Promise<ObjectHead> {
    this.put(bucket, key, body);
    return this.headObject(bucket, key);
  }

  #get(bucket: string, key: string): Buffer {
    const body = this.objects.get(`${bucket}/${key}`);
    if (body === undefined) throw new ObjectNotFoundError(`s3://${bucket}/${key} does not exist`);
    return body;
  }
}

export const md5 = (body: string | Uint8Array): string => createHash('md5').update(body).digest('hex');
