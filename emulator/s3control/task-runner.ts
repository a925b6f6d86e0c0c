/**
 * Runs one task of a job for real on emulated S3 (or Lambda). An S3ServiceError becomes a failed task
 * carrying S3's code, HTTP status and a message shaped like the ones AWS writes into reports (the Java SDK's
 * "(Service: Amazon S3; Status Code: …)" suffix). 5xx and SlowDown are retried with backoff, as S3 Batch
 * Operations retries them; injected faults (FaultInjector.taskFailure) go through the same path.
 */
import { randomBytes } from 'node:crypto';
import {
  type AccessControlPolicy,
  type EmulatorClock,
  type FaultInjector,
  type LambdaInvoker,
  type ObjectRef,
  type S3Backend,
  S3ServiceError,
} from '../contracts.js';
import { BUCKET_ARN } from './create-job-request.js';
import { decodeManifestKey } from './csv.js';
import { runLambdaTask } from './lambda-task.js';
import type { JobRecord, OperationParams, TaskOutcome, TaskRow } from './types.js';

export interface TaskRunnerDeps {
  s3: S3Backend;
  lambda: LambdaInvoker;
  clock: EmulatorClock;
  faults?: FaultInjector;
  maxAttempts: number;
}

export type TaskExecutor = (row: TaskRow) => Promise<TaskOutcome>;

const SUCCESS: TaskOutcome = { succeeded: true, httpStatus: 200, errorCode: '', message: 'Successful' };

function s3Failure(code: string, httpStatus: number, message: string): TaskOutcome {
  const requestId = randomBytes(8).toString('hex').toUpperCase();
  const extended = randomBytes(32).toString('base64');
  return {
    succeeded: false,
    httpStatus,
    errorCode: code,
    message: `${message} (Service: Amazon S3; Status Code: ${httpStatus}; Error Code: ${code}; Request ID: ${requestId}; S3 Extended Request ID: ${extended}; Proxy: null)`,
  };
}

const isRetryable = (code: string, httpStatus: number) =>
  httpStatus >= 500 || code === 'SlowDown' || code === 'RequestTimeout' || code === 'ThrottlingException';

const GRANTEE_TYPES: Record<string, string> = {
  id: 'CanonicalUser',
  emailAddress: 'AmazonCustomerByEmail',
  uri: 'Group',
};

/** S3 Control's S3AccessControlPolicy → S3's AccessControlPolicy. */
function toAcl(params: OperationParams): { canned?: string; policy?: AccessControlPolicy } {
  const policy = params.AccessControlPolicy ?? {};
  if (policy.CannedAccessControlList) return { canned: policy.CannedAccessControlList };
  const list = policy.AccessControlList ?? {};
  return {
    policy: {
      ...(list.Owner ? { Owner: list.Owner } : {}),
      // biome-ignore lint/suspicious/noExplicitAny: wire data
      Grants: (list.Grants ?? []).map((grant: any) => {
        const type = GRANTEE_TYPES[grant.Grantee?.TypeIdentifier] ?? 'CanonicalUser';
        const identifier = grant.Grantee?.Identifier;
        return {
          Grantee: {
            Type: type,
            ...(type === 'CanonicalUser' ? { ID: identifier } : {}),
            ...(type === 'Group' ? { URI: identifier } : {}),
            ...(type === 'AmazonCustomerByEmail' ? { EmailAddress: identifier } : {}),
            ...(grant.Grantee?.DisplayName ? { DisplayName: grant.Grantee.DisplayName } : {}),
          },
          Permission: grant.Permission,
        };
      }),
    },
  };
}

/** Performs the operation once; returns a result message for operations that report one. */
function performS3(s3: S3Backend, name: string, params: OperationParams, ref: ObjectRef): string {
  switch (name) {
    case 'S3PutObjectTagging':
      s3.putObjectTagging(ref, params.TagSet ?? []);
      return SUCCESS.message;
    case 'S3DeleteObjectTagging':
      s3.deleteObjectTagging(ref);
      return SUCCESS.message;
    case 'S3PutObjectAcl':
      s3.putObjectAcl(ref, toAcl(params));
      return SUCCESS.message;
    case 'S3PutObjectCopy': {
      const targetBucket = BUCKET_ARN.exec(params.TargetResource)![1]!;
      const target = { bucket: targetBucket, key: `${params.TargetKeyPrefix ?? ''}${ref.key}` };
      const metadata = params.NewObjectMetadata ?? {};
      s3.copyObject(ref, target, {
        metadataDirective: params.MetadataDirective ?? 'COPY',
        ...(metadata.UserMetadata ? { metadata: { ...metadata.UserMetadata } } : {}),
        ...(metadata.ContentType ? { contentType: metadata.ContentType } : {}),
        ...(params.StorageClass ? { storageClass: params.StorageClass } : {}),
        ...(params.NewObjectTagging !== undefined
          ? { taggingDirective: 'REPLACE' as const, tags: params.NewObjectTagging }
          : { taggingDirective: 'COPY' as const }),
      });
      if (params.CannedAccessControlList) s3.putObjectAcl(target, { canned: params.CannedAccessControlList });
      else if (params.AccessControlGrants) {
        s3.putObjectAcl(
          target,
          toAcl({ AccessControlPolicy: { AccessControlList: { Grants: params.AccessControlGrants } } }),
        );
      }
      return SUCCESS.message;
    }
    case 'S3InitiateRestoreObject':
      s3.restoreObject(ref, params.ExpirationInDays, params.GlacierJobTier);
      return SUCCESS.message;
    case 'S3PutObjectLegalHold':
      s3.putObjectLegalHold(ref, params.LegalHold.Status);
      return SUCCESS.message;
    case 'S3PutObjectRetention':
      s3.putObjectRetention(ref, params.Retention.Mode, params.Retention.RetainUntilDate);
      return SUCCESS.message;
    case 'S3ReplicateObject':
      s3.replicateObject(ref);
      return SUCCESS.message;
    case 'S3ComputeObjectChecksum':
      return s3.computeChecksum(ref, params.ChecksumAlgorithm);
    default:
      throw new S3ServiceError('NotImplemented', 501, `Operation ${name} is not emulated`);
  }
}

export function createTaskExecutor(record: JobRecord, deps: TaskRunnerDeps): TaskExecutor {
  const [name, params] = Object.entries(record.Operation)[0]!;
  const backoff = (attempt: number) =>
    new Promise<void>((resolve) => setTimeout(resolve, deps.clock.realMs(0.2 * 2 ** (attempt - 1))));

  if (name === 'LambdaInvoke') {
    const context = {
      jobId: record.JobId,
      params,
      lambda: deps.lambda,
      maxAttempts: deps.maxAttempts,
      backoff,
    };
    return (row) => runLambdaTask(context, row);
  }

  return async (row) => {
    const [bucket, encodedKey, versionId] = row;
    const key = decodeManifestKey(encodedKey);
    const ref: ObjectRef = versionId ? { bucket, key, versionId } : { bucket, key };
    for (let attempt = 1; ; attempt++) {
      const fault = deps.faults?.taskFailure(bucket, key, attempt);
      let failure: TaskOutcome | undefined;
      let retryable = false;
      if (fault) {
        failure = s3Failure(fault.code, fault.httpStatus, 'Injected fault');
        retryable = !fault.permanent;
      } else {
        try {
          const message = performS3(deps.s3, name, params, ref);
          return message === SUCCESS.message ? SUCCESS : { ...SUCCESS, message };
        } catch (error) {
          if (!(error instanceof S3ServiceError)) {
            return s3Failure('InternalError', 500, error instanceof Error ? error.message : String(error));
          }
          failure = s3Failure(error.code, error.httpStatus, error.message);
          retryable = isRetryable(error.code, error.httpStatus);
        }
      }
      if (!retryable || attempt >= deps.maxAttempts) return failure;
      await backoff(attempt);
    }
  };
}
