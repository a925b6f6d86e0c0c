/**
 * Runs one task of a job for real on emulated S3 (or Lambda). An S3ServiceError becomes a failed task
 * carrying S3's code, HTTP status and a message shaped like the ones AWS writes into reports (the Java SDK's
 * "(Service: Amazon S3; Status Code: …)" suffix). 5xx and SlowDown are retried with backoff, as S3 Batch
 * Operations retries them; injected faults (FaultInjector.taskFailure) go through the same path.
 */
import { randomBytes } from 'node:crypto';
import {
  type EmulatorClock,
  type FaultInjector,
  type LambdaInvoker,
  type ObjectRef,
  type S3Backend,
  S3ServiceError,
} from '../contracts.js';
import { decodeManifestKey } from './csv.js';
import { runLambdaTask } from './lambda-task.js';
import { performS3, SUCCESS_MESSAGE } from './s3-task.js';
import type { JobRecord, TaskOutcome, TaskRow } from './types.js';

export interface TaskRunnerDeps {
  s3: S3Backend;
  lambda: LambdaInvoker;
  clock: EmulatorClock;
  faults?: FaultInjector;
  maxAttempts: number;
}

export type TaskExecutor = (row: TaskRow) => Promise<TaskOutcome>;

const SUCCESS: TaskOutcome = { succeeded: true, httpStatus: 200, errorCode: '', message: SUCCESS_MESSAGE };

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
