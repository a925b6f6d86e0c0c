import { createHash } from 'node:crypto';
import {
  JobIdempotencyError,
  JobNotFoundError,
  JobStatusConflictError,
  ObjectNotFoundError,
} from '../../src/core/errors.js';
import type {
  BatchJobsPort,
  CreateJobInput,
  JobDescription,
  ListObjectsOptions,
  ObjectHead,
  ObjectListingPage,
  ObjectStorePort,
} from '../../src/core/ports.js';

/** What a listing shows of an object besides its key and size. */
export interface ObjectAttributes {
  /** ISO; defaults to 2026-01-01T00:00:00.000Z. */
  lastModified?: string;
  /** Defaults to STANDARD. */
  storageClass?: string;
}

const defaultLastModified = '2026-01-01T00:00:00.000Z';

/**
 * The one in-memory ObjectStorePort for core tests (core takes ports, so no SDK mocks are needed). It streams
 * each object in chunks of `chunkSize` bytes, so readers meet chunk boundaries, records every read, and lists
 * `pageSize` keys or common prefixes per ListObjectsV2 page, as S3 orders them.
 */
export class MemoryObjectStore implements ObjectStorePort {
  readonly objects = new Map<string, Buffer>();
  readonly attributes = new Map<string, ObjectAttributes>();
  /** `bucket/key` of every GetObject, in order. */
  readonly reads: string[] = [];
  /** Every ListObjectsV2 page requested: `bucket`, `prefix`, and the page's index in its listing. */
  readonly listCalls: { bucket: string; prefix: string; page: number }[] = [];
  /** Buckets that exist without holding an object (any bucket holding one exists too). */
  readonly buckets = new Set<string>();

  constructor(
    readonly chunkSize = 7,
    readonly pageSize = 1000,
  ) {}

  put(bucket: string, key: string, body: string | Uint8Array, attributes: ObjectAttributes = {}): this {
    this.objects.set(`${bucket}/${key}`, Buffer.from(body));
    this.attributes.set(`${bucket}/${key}`, attributes);
    this.buckets.add(bucket);
    return this;
  }

  async *listObjects(bucket: string, options: ListObjectsOptions): AsyncGenerator<ObjectListingPage> {
    if (!this.buckets.has(bucket)) throw new ObjectNotFoundError(`ListObjectsV2: NoSuchBucket ${bucket}`);
    const prefix = options.prefix ?? '';
    const entries: { key?: string; commonPrefix?: string }[] = [];
    const rolledUp = new Set<string>();
    const keys = [...this.objects.keys()]
      .filter((path) => path.startsWith(`${bucket}/`))
      .map((path) => path.slice(bucket.length + 1))
      .filter((key) => key.startsWith(prefix))
      .sort((a, b) => Buffer.compare(Buffer.from(a), Buffer.from(b)));
    for (const key of keys) {
      const at = options.delimiter === undefined ? -1 : key.indexOf(options.delimiter, prefix.length);
      if (at === -1) {
        entries.push({ key });
        continue;
      }
      const commonPrefix = key.slice(0, at + options.delimiter!.length);
      if (!rolledUp.has(commonPrefix)) entries.push({ commonPrefix });
      rolledUp.add(commonPrefix);
    }
    for (let page = 0; page < options.maxPages; page++) {
      this.listCalls.push({ bucket, prefix, page });
      const slice = entries.slice(page * this.pageSize, (page + 1) * this.pageSize);
      const truncated = entries.length > (page + 1) * this.pageSize;
      yield {
        objects: slice
          .filter((entry) => entry.key !== undefined)
          .map(({ key }) => {
            const attributes = this.attributes.get(`${bucket}/${key}`) ?? {};
            return {
              key: key!,
              size: this.objects.get(`${bucket}/${key}`)!.length,
              lastModified: attributes.lastModified ?? defaultLastModified,
              storageClass: attributes.storageClass ?? 'STANDARD',
            };
          }),
        commonPrefixes: slice.flatMap(({ commonPrefix }) =>
          commonPrefix === undefined ? [] : [commonPrefix],
        ),
        truncated,
      };
      if (!truncated) return;
    }
  }

  async headObject(bucket: string, key: string): Promise<ObjectHead> {
    const body = this.#get('HeadObject', bucket, key);
    return { etag: md5(body), contentLength: body.length };
  }

  async getObjectStream(bucket: string, key: string): Promise<AsyncIterable<Uint8Array>> {
    const body = this.#get('GetObject', bucket, key);
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

  /** If-None-Match: * as S3 applies it: the first writer of a key wins, later ones write nothing. */
  async putObjectIfAbsent(
    bucket: string,
    key: string,
    body: string | Uint8Array,
  ): Promise<'created' | 'exists'> {
    if (this.objects.has(`${bucket}/${key}`)) return 'exists';
    this.put(bucket, key, body);
    return 'created';
  }

  async getObjectWithEtag(bucket: string, key: string): Promise<{ body: Buffer; etag: string } | undefined> {
    const body = this.objects.get(`${bucket}/${key}`);
    return body === undefined ? undefined : { body: Buffer.from(body), etag: md5(body) };
  }

  /** If-Match as S3 applies it: written only while the object still has that ETag. */
  async putObjectIfMatch(
    bucket: string,
    key: string,
    body: string | Uint8Array,
    etag: string,
  ): Promise<'written' | 'changed'> {
    const current = this.objects.get(`${bucket}/${key}`);
    if (current === undefined || md5(current) !== etag) return 'changed';
    this.put(bucket, key, body);
    return 'written';
  }

  #get(operation: string, bucket: string, key: string): Buffer {
    const body = this.objects.get(`${bucket}/${key}`);
    if (body === undefined) throw new ObjectNotFoundError(`${operation}: NoSuchKey s3://${bucket}/${key}`);
    return body;
  }
}

export const md5 = (body: string | Uint8Array): string => createHash('md5').update(body).digest('hex');

/** A MemoryObjectStore holding `initial` (`bucket/key` → body). */
export function memoryObjectStore(initial: Record<string, string | Uint8Array> = {}): MemoryObjectStore {
  const store = new MemoryObjectStore();
  for (const [path, body] of Object.entries(initial)) {
    const [bucket, ...key] = path.split('/');
    store.put(bucket!, key.join('/'), body);
  }
  return store;
}

/** S3 Control jobs in memory, with CreateJob's token idempotency. */
export function memoryBatchJobs(): BatchJobsPort & {
  created: CreateJobInput[];
  jobs: Map<string, JobDescription>;
  tags: Map<string, { Key: string; Value: string }[]>;
} {
  const created: CreateJobInput[] = [];
  const jobs = new Map<string, JobDescription>();
  const byToken = new Map<string, { id: string; input: string }>();
  /** Job tags by job id: CreateJob's Tags, or what a test sets for a job it put straight into `jobs`. */
  const tags = new Map<string, { Key: string; Value: string }[]>();
  const find = (id: string) => {
    const job = jobs.get(id);
    if (!job) throw new JobNotFoundError(`DescribeJob: NotFoundException ${id}`);
    return job;
  };
  return {
    created,
    jobs,
    tags,
    async createJob(input) {
      const known = byToken.get(input.ClientRequestToken);
      const serialized = JSON.stringify(input);
      if (known) {
        if (known.input !== serialized) throw new JobIdempotencyError('CreateJob: IdempotencyException');
        return { jobId: known.id };
      }
      const id = `job-${created.length + 1}`;
      created.push(input);
      tags.set(id, [...(input.Tags ?? [])]);
      byToken.set(input.ClientRequestToken, { id, input: serialized });
      jobs.set(id, {
        JobId: id,
        Status: input.ConfirmationRequired ? 'Suspended' : 'New',
        Priority: input.Priority,
      });
      return { jobId: id };
    },
    async describeJob(_account, id) {
      return find(id);
    },
    async updateJobStatus(_account, id, requested, reason) {
      const job = find(id);
      if (requested === 'Ready' && job.Status !== 'Suspended')
        throw new JobStatusConflictError('JobStatusException');
      job.Status = requested === 'Ready' ? 'Ready' : 'Cancelling';
      if (reason) job.StatusUpdateReason = reason;
      return { status: job.Status };
    },
    async updateJobPriority(_account, id, priority) {
      find(id).Priority = priority;
      return { priority };
    },
    async getJobTagging(_account, id) {
      find(id);
      return tags.get(id) ?? [];
    },
  };
}
