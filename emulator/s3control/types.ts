/** Shapes of the S3 Control job emulator: the CreateJob request (AWS field names) and the persisted job. */
import type { Tag } from '../contracts.js';

export type JobStatus =
  | 'New'
  | 'Preparing'
  | 'Suspended'
  | 'Ready'
  | 'Active'
  | 'Pausing'
  | 'Paused'
  | 'Completing'
  | 'Complete'
  | 'Cancelling'
  | 'Cancelled'
  | 'Failing'
  | 'Failed';

export const TERMINAL_STATUSES: ReadonlySet<JobStatus> = new Set(['Complete', 'Cancelled', 'Failed']);

export const OPERATION_NAMES = [
  'LambdaInvoke',
  'S3PutObjectCopy',
  'S3PutObjectAcl',
  'S3PutObjectTagging',
  'S3DeleteObjectTagging',
  'S3InitiateRestoreObject',
  'S3PutObjectLegalHold',
  'S3PutObjectRetention',
  'S3ReplicateObject',
  'S3ComputeObjectChecksum',
] as const;
export type OperationName = (typeof OPERATION_NAMES)[number];

/** Operation parameters as sent on the wire (nested plain data, already type-coerced). */
// biome-ignore lint/suspicious/noExplicitAny: operation parameter shapes vary per operation
export type OperationParams = Record<string, any>;

export interface JobReport {
  Enabled: boolean;
  Bucket?: string;
  Format?: string;
  Prefix?: string;
  ReportScope?: 'AllTasks' | 'FailedTasksOnly';
  ExpectedBucketOwner?: string;
}

export interface JobManifest {
  Spec: { Format: 'S3BatchOperations_CSV_20180820' | 'S3InventoryReport_CSV_20161130'; Fields?: string[] };
  Location: { ObjectArn: string; ETag: string; ObjectVersionId?: string };
}

export const GENERATED_MANIFEST_FORMAT = 'S3InventoryReport_CSV_20211130';
export const REPLICATION_STATUSES = ['COMPLETED', 'FAILED', 'REPLICA', 'NONE'] as const;
export type ReplicationStatusFilter = (typeof REPLICATION_STATUSES)[number];

/**
 * One entry of Filter.MatchAnyObjectEncryption, keyed by XML element name: the SDK's `SSES3`, `SSEKMS`,
 * `DSSEKMS`, `SSEC`, `NOTSSE` travel as `<SSE-S3/>`, `<SSE-KMS>`, `<DSSE-KMS>`, `<SSE-C/>`, `<NOT-SSE/>`
 * (@aws-sdk/client-s3-control schemas), so the record keeps them so and DescribeJob echoes them unchanged.
 */
export interface ObjectEncryptionFilter {
  'SSE-S3'?: Record<string, never>;
  'SSE-KMS'?: { KmsKeyArn?: string; BucketKeyEnabled?: boolean };
  'DSSE-KMS'?: { KmsKeyArn?: string };
  'SSE-C'?: Record<string, never>;
  'NOT-SSE'?: Record<string, never>;
}

export interface KeyNameConstraint {
  MatchAnyPrefix?: string[];
  MatchAnySuffix?: string[];
  MatchAnySubstring?: string[];
}

/** JobManifestGeneratorFilter; timestamps stay the ISO text the request carried. */
export interface JobManifestGeneratorFilter {
  EligibleForReplication?: boolean;
  CreatedAfter?: string;
  CreatedBefore?: string;
  ObjectReplicationStatuses?: ReplicationStatusFilter[];
  KeyNameConstraint?: KeyNameConstraint;
  ObjectSizeGreaterThanBytes?: number;
  ObjectSizeLessThanBytes?: number;
  MatchAnyStorageClass?: string[];
  MatchAnyObjectEncryption?: ObjectEncryptionFilter[];
}

/** S3ManifestOutputLocation; ManifestEncryption keyed by XML element name (`SSE-S3` / `SSE-KMS`). */
export interface S3ManifestOutputLocation {
  ExpectedManifestBucketOwner?: string;
  Bucket: string;
  ManifestPrefix?: string;
  ManifestEncryption?: { 'SSE-S3'?: Record<string, never>; 'SSE-KMS'?: { KeyId: string } };
  ManifestFormat: typeof GENERATED_MANIFEST_FORMAT;
}

export interface S3JobManifestGenerator {
  ExpectedBucketOwner?: string;
  SourceBucket: string;
  EnableManifestOutput: boolean;
  ManifestOutputLocation?: S3ManifestOutputLocation;
  Filter?: JobManifestGeneratorFilter;
}

/** CreateJob's ManifestGenerator union; S3JobManifestGenerator is its only member. */
export interface JobManifestGenerator {
  S3JobManifestGenerator: S3JobManifestGenerator;
}

/** DescribeJob's S3GeneratedManifestDescriptor, set once the generated manifest has been written. */
export interface GeneratedManifestDescriptor {
  Format: typeof GENERATED_MANIFEST_FORMAT;
  Location: { ObjectArn: string; ETag: string };
}

/** A validated CreateJob request, minus the AccountId (which travels in a header). Exactly one manifest source. */
export interface CreateJobRequest {
  Operation: Record<string, OperationParams>;
  Report: JobReport;
  ClientRequestToken: string;
  Manifest?: JobManifest;
  ManifestGenerator?: JobManifestGenerator;
  Priority: number;
  RoleArn: string;
  ConfirmationRequired: boolean;
  Description?: string;
  Tags: Tag[];
}

export interface JobFailure {
  FailureCode: string;
  FailureReason: string;
}

/** The persisted job (namespace `s3control/jobs`). Dates are ISO strings of emulated time. */
export interface JobRecord {
  accountId: string;
  region: string;
  JobId: string;
  JobArn: string;
  Status: JobStatus;
  Priority: number;
  ConfirmationRequired: boolean;
  Description?: string;
  Operation: Record<string, OperationParams>;
  /** Exactly one of Manifest and ManifestGenerator is set. */
  Manifest?: JobManifest;
  ManifestGenerator?: JobManifestGenerator;
  GeneratedManifestDescriptor?: GeneratedManifestDescriptor;
  Report: JobReport;
  RoleArn: string;
  Tags: Tag[];
  CreationTime: string;
  TerminationDate?: string;
  SuspendedDate?: string;
  SuspendedCause?: string;
  StatusUpdateReason?: string;
  FailureReasons: JobFailure[];
  clientRequestToken: string;
  /** Canonical JSON of the request without its token, for ClientRequestToken idempotency. */
  requestFingerprint: string;
  progress: {
    total: number;
    succeeded: number;
    failed: number;
    /** Emulated seconds spent Active before the current activation. */
    activeSeconds: number;
    activeSince?: string;
  };
  /** How many result segments (`s3control/results`, `<jobId>.<n>`) have been written. */
  resultSegments: number;
}

/** One manifest row: bucket, key exactly as the manifest spells it (URL-encoded), version id or null. */
export type TaskRow = [bucket: string, encodedKey: string, versionId: string | null];

export interface TaskOutcome {
  succeeded: boolean;
  httpStatus: number;
  errorCode: string;
  message: string;
}

/** A finished task, persisted in segments: [taskIndex, succeeded 1|0, httpStatus, errorCode, message]. */
export type TaskResult = [
  index: number,
  succeeded: 0 | 1,
  httpStatus: number,
  errorCode: string,
  message: string,
];

export interface EngineOptions {
  /** Tasks per emulated second per job (AWS runs large jobs at thousands/s; 50 keeps demos watchable). */
  tasksPerSecond: number;
  /** Tasks in flight at once per job. */
  concurrency: number;
  /** How many jobs may be Active (or Pausing) at once across the account. */
  maxActiveJobs: number;
  /** Emulated seconds spent in Preparing before the manifest is read. */
  preparingSeconds: number;
  /** Emulated seconds spent in Completing / Cancelling / Failing while the report is written. */
  completingSeconds: number;
  /** Attempts per task for retryable failures (5xx, SlowDown, Lambda TemporaryFailure). */
  taskMaxAttempts: number;
}

export const JOBS_NAMESPACE = 's3control/jobs';
export const TASKS_NAMESPACE = 's3control/tasks';
export const RESULTS_NAMESPACE = 's3control/results';
