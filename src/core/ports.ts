/**
 * What core logic needs from the outside world. `src/adapters/aws` implements these with the AWS SDK;
 * tests may implement them in memory. Shapes use AWS's own field names where they mirror an API.
 */
import type { JobStatus } from './names.js';

/** The subset of S3 Control `CreateJob` input we send (AWS field names). */
export interface CreateJobInput {
  AccountId: string;
  ConfirmationRequired: boolean;
  Operation: Record<string, unknown>;
  Report: {
    Bucket?: string;
    Format?: 'Report_CSV_20180820';
    Enabled: boolean;
    Prefix?: string;
    ReportScope?: 'AllTasks' | 'FailedTasksOnly';
  };
  ClientRequestToken: string;
  /** Exactly one of Manifest and ManifestGenerator (CreateJob). */
  Manifest?: {
    Spec: { Format: 'S3BatchOperations_CSV_20180820' | 'S3InventoryReport_CSV_20161130'; Fields?: string[] };
    Location: { ObjectArn: string; ObjectVersionId?: string; ETag: string };
  };
  ManifestGenerator?: { S3JobManifestGenerator: S3JobManifestGenerator };
  Description?: string;
  Priority: number;
  RoleArn: string;
  Tags?: { Key: string; Value: string }[];
}

/** CreateJob's S3JobManifestGenerator (AWS field names). Timestamps are ISO strings: the adapter makes Dates. */
export interface S3JobManifestGenerator {
  ExpectedBucketOwner?: string;
  SourceBucket: string;
  ManifestOutputLocation?: {
    ExpectedManifestBucketOwner?: string;
    Bucket: string;
    ManifestPrefix?: string;
    ManifestEncryption?: { SSES3: Record<string, never> } | { SSEKMS: { KeyId: string } };
    ManifestFormat: 'S3InventoryReport_CSV_20211130';
  };
  Filter?: {
    EligibleForReplication?: boolean;
    CreatedAfter?: string;
    CreatedBefore?: string;
    ObjectReplicationStatuses?: string[];
    KeyNameConstraint?: {
      MatchAnyPrefix?: string[];
      MatchAnySuffix?: string[];
      MatchAnySubstring?: string[];
    };
    ObjectSizeGreaterThanBytes?: number;
    ObjectSizeLessThanBytes?: number;
    MatchAnyStorageClass?: string[];
    MatchAnyObjectEncryption?: Record<string, Record<string, unknown>>[];
  };
  EnableManifestOutput: boolean;
}

/** DescribeJob's `Job`, reduced to what the orchestrator reads. Dates are ISO strings. */
export interface JobDescription {
  JobId: string;
  Status: JobStatus;
  Priority?: number;
  ProgressSummary?: {
    TotalNumberOfTasks?: number;
    NumberOfTasksSucceeded?: number;
    NumberOfTasksFailed?: number;
    Timers?: { ElapsedTimeInActiveSeconds?: number };
  };
  StatusUpdateReason?: string;
  FailureReasons?: { FailureCode?: string; FailureReason?: string }[];
  Report?: CreateJobInput['Report'];
  CreationTime?: string;
  TerminationDate?: string;
  SuspendedDate?: string;
  SuspendedCause?: string;
}

export interface BatchJobsPort {
  createJob(input: CreateJobInput): Promise<{ jobId: string }>;
  describeJob(accountId: string, jobId: string): Promise<JobDescription>;
  updateJobStatus(
    accountId: string,
    jobId: string,
    requested: 'Ready' | 'Cancelled',
    reason?: string,
  ): Promise<{ status: JobStatus }>;
  updateJobPriority(accountId: string, jobId: string, priority: number): Promise<{ priority: number }>;
  /** GetJobTagging: the job's tags (the stage tag says whether the job is the orchestrator's). */
  getJobTagging(accountId: string, jobId: string): Promise<{ Key: string; Value: string }[]>;
}

export interface ObjectHead {
  /** ETag without the surrounding quotes. */
  etag: string;
  versionId?: string;
  contentLength: number;
  /** HeadObject's StorageClass, when S3 sends one (it leaves STANDARD out). */
  storageClass?: string;
  /** HeadObject's `x-amz-restore` header (an archived object's restore status), when S3 sends one. */
  restore?: string;
}

/** One object of a ListObjectsV2 page (a current version; delete markers are never listed). */
export interface ListedObject {
  key: string;
  size: number;
  /** LastModified, ISO. */
  lastModified: string;
  /** StorageClass as the listing names it (STANDARD when S3 leaves it out). */
  storageClass: string;
}

export interface ObjectListingPage {
  objects: ListedObject[];
  /** With a delimiter: the keys rolled up into "folders", each ending with the delimiter. */
  commonPrefixes: string[];
  /** More keys follow this page (the listing stopped at maxPages when the iteration ends on one). */
  truncated: boolean;
}

export interface ListObjectsOptions {
  prefix?: string;
  /** Roll keys up into common prefixes at this delimiter (ListObjectsV2 Delimiter). */
  delimiter?: string;
  /** At most this many pages (ListObjectsV2 calls) are requested, whatever the caller consumes. */
  maxPages: number;
}

export interface ObjectStorePort {
  headObject(bucket: string, key: string, versionId?: string): Promise<ObjectHead>;
  /**
   * ListObjectsV2, a page (at most 1,000 keys and prefixes) at a time: each page is requested only when the
   * caller asks for it, following the continuation token, never more than `maxPages`. Rejects with
   * ObjectNotFoundError when the bucket does not exist.
   */
  listObjects(bucket: string, options: ListObjectsOptions): AsyncIterable<ObjectListingPage>;
  /** The object's bytes as a stream; rejects with ObjectNotFoundError when it does not exist. */
  getObjectStream(bucket: string, key: string): Promise<AsyncIterable<Uint8Array>>;
  putObject(
    bucket: string,
    key: string,
    body: string | Uint8Array,
    contentType?: string,
  ): Promise<ObjectHead>;
  /**
   * PutObject with `If-None-Match: *` (S3 conditional writes): `created` when the key did not exist, `exists`
   * when it did (S3 answers 412 PreconditionFailed and writes nothing). One writer wins a race for a key.
   */
  putObjectIfAbsent(
    bucket: string,
    key: string,
    body: string | Uint8Array,
    contentType?: string,
  ): Promise<'created' | 'exists'>;
  /**
   * GetObject of a small document with its ETag (bare), for a later `putObjectIfMatch`; `undefined` when the
   * key does not exist. Reads the whole body: only for documents the caller bounds (a trigger's pending store).
   */
  getObjectWithEtag(bucket: string, key: string): Promise<{ body: Buffer; etag: string } | undefined>;
  /**
   * PutObject with `If-Match: <etag>` (S3 conditional writes): `written` when the object still had that ETag,
   * `changed` when another writer got there first or the key is gone (S3 answers 412 PreconditionFailed or
   * 404, or 409 ConditionalRequestConflict while a concurrent write is in flight) and nothing was written.
   */
  putObjectIfMatch(
    bucket: string,
    key: string,
    body: string | Uint8Array,
    etag: string,
    contentType?: string,
  ): Promise<'written' | 'changed'>;
}

/** One PutEvents entry, AWS field names. */
export interface EventEntry {
  Source: string;
  DetailType: string;
  Detail: string;
  EventBusName: string;
  Resources?: string[];
  Time?: Date;
}

export interface PutEventsResult {
  /** Indexes (into the entries sent) of the entries PutEvents did not accept, with AWS's error code. */
  failed: { index: number; errorCode: string; errorMessage?: string }[];
}

export interface EventBusPort {
  /** One PutEvents call: at most 10 entries. Partial failure is a result, not an exception. */
  putEvents(entries: EventEntry[]): Promise<PutEventsResult>;
}

/** Time and randomness enter core only through these, so core stays pure and testable. */
export interface Clock {
  now(): Date;
}
export const systemClock: Clock = { now: () => new Date() };

/** The Step Functions calls the orchestrator makes on itself (continuation, event-driven wake). */
export interface WorkflowPort {
  /** StartExecution; the same name with the same input returns the existing execution (a retried call). */
  startExecution(
    stateMachineArn: string,
    name: string,
    input: object,
  ): Promise<{ executionArn: string; alreadyExisted: boolean }>;
  sendTaskSuccess(taskToken: string, output: object): Promise<void>;
}
