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
  ObjectHead,
  ObjectStorePort,
} from '../../src/core/ports.js';

/** In-memory S3 objects for core tests (core takes ports, so no SDK mocks are needed here). */
export function memoryObjectStore(initial: Record<string, string | Uint8Array> = {}): ObjectStorePort & {
  objects: Map<string, Uint8Array>;
} {
  const objects = new Map<string, Uint8Array>();
  const put = (bucket: string, key: string, body: string | Uint8Array) =>
    objects.set(`${bucket}/${key}`, typeof body === 'string' ? Buffer.from(body) : body);
  for (const [path, body] of Object.entries(initial)) {
    const [bucket, ...key] = path.split('/');
    put(bucket!, key.join('/'), body);
  }
  const head = (bucket: string, key: string): ObjectHead => {
    const body = objects.get(`${bucket}/${key}`);
    if (!body) throw new ObjectNotFoundError(`HeadObject: NotFound s3://${bucket}/${key}`);
    return { etag: createHash('md5').update(body).digest('hex'), contentLength: body.length };
  };
  return {
    objects,
    async headObject(bucket, key) {
      return head(bucket, key);
    },
    async getObjectStream(bucket, key) {
      const body = objects.get(`${bucket}/${key}`);
      if (!body) throw new ObjectNotFoundError(`GetObject: NoSuchKey s3://${bucket}/${key}`);
      return (async function* () {
        yield body;
      })();
    },
    async putObject(bucket, key, body) {
      put(bucket, key, body);
      return head(bucket, key);
    },
  };
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
