/**
 * Seams between the emulator's services. Each service folder implements its side; others depend only on
 * these types, so the S3 Control job engine can run tasks on emulated S3 and emit events without knowing
 * how either is stored.
 */

/** Persistence for every service: durable (directory, atomic writes) or in-memory (tests). */
export interface Storage {
  /** JSON documents grouped by namespace, e.g. ('s3control/jobs', jobId). */
  getDoc<T>(namespace: string, id: string): T | undefined;
  putDoc<T>(namespace: string, id: string, value: T): void;
  deleteDoc(namespace: string, id: string): void;
  listDocs<T>(namespace: string): T[];
  /** Opaque byte blobs (object bodies), addressed by an id the caller chooses. */
  getBlob(id: string): Buffer | undefined;
  putBlob(id: string, bytes: Buffer): void;
  deleteBlob(id: string): void;
  /** Append one line to an append-only log file (e.g. events/<bus>.jsonl). */
  appendLine(logName: string, line: string): void;
  /**
   * Optional: the lines appended so far to `logName`, oldest first ([] when none). Lets tests and the CLI read
   * logs back from an in-memory store; readers fall back to `<dataDir>/<logName>` when it is absent.
   */
  readLines?(logName: string): string[];
  /** Where durable files live, or undefined when in memory. */
  readonly dataDir: string | undefined;
}

/** An S3 error with AWS's code and HTTP status; the REST layer renders it, the job engine reports it. */
export class S3ServiceError extends Error {
  constructor(
    readonly code: string,
    readonly httpStatus: number,
    message: string,
  ) {
    super(message);
    this.name = code;
  }
}

export interface Tag {
  Key: string;
  Value: string;
}

export interface ObjectRef {
  bucket: string;
  key: string;
  versionId?: string;
}

export interface StoredObjectInfo {
  bucket: string;
  key: string;
  versionId?: string;
  etag: string; // with quotes, as S3 returns it
  size: number;
  lastModified: string;
  storageClass: string;
  contentType?: string;
  contentEncoding?: string;
  contentDisposition?: string;
  contentLanguage?: string;
  cacheControl?: string;
  /** The Expires header as stored (an HTTP date). */
  expires?: string;
  metadata: Record<string, string>;
  tags: Tag[];
  /** x-amz-server-side-encryption: AES256 (SSE-S3, every object's default) or aws:kms. */
  serverSideEncryption?: string;
  sseKmsKeyId?: string;
  bucketKeyEnabled?: boolean;
  checksum?: { algorithm: string; value: string; type: string };
  websiteRedirectLocation?: string;
  objectLockMode?: string;
  objectLockRetainUntilDate?: string;
  objectLockLegalHoldStatus?: string;
  replicationStatus?: string;
  /** The x-amz-restore header value while a restore is ongoing or a restored copy exists. */
  restoreStatus?: string;
}

/**
 * One version of an object as a bucket listing sees it (ListObjectVersions' fields and the object facts
 * S3 Inventory and the Batch Operations manifest generator filter on). Delete markers are included, flagged.
 */
export interface ListedObjectVersion extends StoredObjectInfo {
  isLatest: boolean;
  isDeleteMarker: boolean;
}

/** CopyObject's request fields as the S3 backend takes them (header names in the comments). */
export interface CopyObjectOptions {
  /** x-amz-metadata-directive (COPY by default). */
  metadataDirective?: 'COPY' | 'REPLACE';
  /** x-amz-meta-*, used with REPLACE. */
  metadata?: Record<string, string>;
  contentType?: string;
  /** Content-Type, Content-Encoding, Content-Disposition, Content-Language, Cache-Control, Expires (REPLACE). */
  content?: {
    contentType?: string;
    contentEncoding?: string;
    contentDisposition?: string;
    contentLanguage?: string;
    cacheControl?: string;
    expires?: string;
  };
  storageClass?: string;
  taggingDirective?: 'COPY' | 'REPLACE';
  tags?: Tag[];
  acl?: AccessControlPolicy;
  /** x-amz-acl (a canned ACL; not together with acl). */
  cannedAcl?: string;
  /** x-amz-copy-source-if-modified-since / x-amz-copy-source-if-unmodified-since. */
  ifModifiedSince?: string;
  ifUnmodifiedSince?: string;
  /** x-amz-object-lock-mode + x-amz-object-lock-retain-until-date. */
  retention?: { mode: string; retainUntil: string };
  /** x-amz-object-lock-legal-hold. */
  legalHold?: 'ON' | 'OFF';
  /** x-amz-checksum-algorithm. */
  checksumAlgorithm?: string;
  /** x-amz-server-side-encryption, -aws-kms-key-id, -bucket-key-enabled. */
  sse?: { algorithm: 'AES256' | 'aws:kms'; kmsKeyId?: string; bucketKeyEnabled?: boolean };
  /** x-amz-website-redirect-location. */
  websiteRedirectLocation?: string;
}

export interface AccessControlPolicy {
  Owner?: { ID?: string; DisplayName?: string };
  Grants: {
    Grantee: { Type: string; ID?: string; URI?: string; EmailAddress?: string; DisplayName?: string };
    Permission: string;
  }[];
}

/**
 * The S3 operations the job engine performs per task (and the REST layer exposes).
 * Every method throws S3ServiceError with AWS's code (NoSuchKey, NoSuchBucket, InvalidObjectState,
 * AccessDenied, …) when S3 would fail the call.
 */
export interface S3Backend {
  ensureBucket(bucket: string): void;
  headObject(ref: ObjectRef): StoredObjectInfo;
  getObjectBody(ref: ObjectRef): Buffer;
  putObject(
    bucket: string,
    key: string,
    body: Buffer,
    options?: {
      contentType?: string;
      metadata?: Record<string, string>;
      storageClass?: string;
      tags?: Tag[];
      /** x-amz-server-side-encryption: AES256 (SSE-S3, also the default) or aws:kms (SSE-KMS). */
      serverSideEncryption?: 'AES256' | 'aws:kms';
      /** x-amz-server-side-encryption-aws-kms-key-id; only with serverSideEncryption aws:kms. */
      sseKmsKeyId?: string;
      /** `If-None-Match: *`: PreconditionFailed (412) when the key has a current object. */
      ifNoneMatch?: string;
      /** `If-Match: <etag>`: PreconditionFailed (412) when the ETag differs, NoSuchKey (404) when absent. */
      ifMatch?: string;
    },
  ): StoredObjectInfo;
  copyObject(
    source: ObjectRef,
    target: { bucket: string; key: string },
    options: CopyObjectOptions,
  ): StoredObjectInfo;
  putObjectTagging(ref: ObjectRef, tags: Tag[]): void;
  deleteObjectTagging(ref: ObjectRef): void;
  putObjectAcl(ref: ObjectRef, acl: { canned?: string; policy?: AccessControlPolicy }): void;
  restoreObject(
    ref: ObjectRef,
    days: number | undefined,
    tier: string | undefined,
  ): 'accepted' | 'already-restored';
  putObjectLegalHold(ref: ObjectRef, status: 'ON' | 'OFF'): void;
  /** Neither mode nor date removes the retention; shortening or removing GOVERNANCE needs the bypass. */
  putObjectRetention(
    ref: ObjectRef,
    mode: 'GOVERNANCE' | 'COMPLIANCE' | undefined,
    retainUntil: string | undefined,
    bypassGovernance?: boolean,
  ): void;
  /** Compute the object's checksum (S3ComputeObjectChecksum); returns the base64 value. */
  computeChecksum(ref: ObjectRef, algorithm: string, type?: 'FULL_OBJECT' | 'COMPOSITE'): string;
  /** Replicate (S3ReplicateObject): the emulator copies to the bucket's replication destination if configured. */
  replicateObject(ref: ObjectRef): void;
  /** Whether an Enabled rule of the bucket's replication configuration applies to the object. */
  isEligibleForReplication(bucket: string, key: string, tags: Tag[]): boolean;
  /**
   * Every version of every key under `prefix`, keys in S3 (UTF-8 byte) order and each key's versions newest
   * first, as ListObjectVersions walks them; lazily, so a caller can stop early. NoSuchBucket when absent.
   */
  listObjectVersions(bucket: string, prefix?: string): Iterable<ListedObjectVersion>;
}

/** One EventBridge entry as PutEvents takes it. */
export interface EventInput {
  Source: string;
  DetailType: string;
  Detail: string;
  EventBusName?: string;
  Resources?: string[];
  Time?: string;
}

/** How services publish events (S3 restore, S3 Control job events) onto emulated EventBridge. */
export interface EventSink {
  putEvents(entries: EventInput[], accountId: string, region: string): void;
}

/** How the job engine (LambdaInvoke) and EventBridge/Step Functions targets call emulated Lambda. */
export interface LambdaInvoker {
  /** Resolves with the function's JSON result; rejects with { errorType, errorMessage } on a function error. */
  invoke(functionNameOrArn: string, payload: unknown): Promise<unknown>;
}

/** Emulated time: `timeScale` 60 makes one emulated minute last one real second. */
export interface EmulatorClock {
  now(): Date;
  readonly timeScale: number;
  /** Real milliseconds to wait for `emulatedSeconds` of emulated time. */
  realMs(emulatedSeconds: number): number;
}

/** A request as the emulator's single HTTP server hands it to a service (target already in origin-form). */
export interface HttpRequest {
  method: string;
  /** Path and query, e.g. `/bucket/key?tagging`; absolute-form targets are already reduced to this. */
  url: string;
  path: string;
  query: URLSearchParams;
  /** Lower-cased header names. */
  headers: Record<string, string>;
  /** The Host header (virtual-host style S3 and the s3control `<account>.` prefix are read from it). */
  host: string;
  body: Buffer;
}

export interface HttpResponse {
  status: number;
  headers?: Record<string, string>;
  body?: Buffer | string;
}

/** A service's HTTP entry point. server.ts routes to one of these by protocol. */
export type ServiceHandler = (request: HttpRequest) => Promise<HttpResponse>;

/** Per-API fault injection (throttling, 5xx, latency), consulted by every service before it acts. */
export interface FaultInjector {
  /** Returns an error the service must answer with instead of acting, or undefined. May also sleep (latency). */
  before(
    service: string,
    operation: string,
  ): Promise<{ code: string; httpStatus: number; message: string } | undefined>;
  /** Task failures by key pattern for the job engine: undefined = no fault. */
  taskFailure(
    bucket: string,
    key: string,
    attempt: number,
  ): { code: string; httpStatus: number; permanent: boolean } | undefined;
  /** Fraction (0..1) of PutEvents entries to fail with InternalFailure. */
  readonly putEventsFailureRate: number;
}
