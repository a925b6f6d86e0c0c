/**
 * The one place SDK exceptions become core errors (STYLE.md rule 5). Adapters wrap every call in
 * `withAwsErrors`; nothing above `src/adapters/aws` sees an SDK exception.
 */
import {
  AccessDeniedError,
  JobIdempotencyError,
  JobNotFoundError,
  JobStatusConflictError,
  ObjectNotFoundError,
  OrchestratorError,
  ServiceRequestRejectedError,
  ServiceThrottledError,
  ServiceUnavailableError,
} from '../../core/errors.js';

type CoreErrorClass = new (message: string, options?: { cause?: unknown }) => OrchestratorError;

/** AWS error codes with a specific meaning for the orchestrator. Checked before any status-code rule. */
const errorsByCode: Record<string, CoreErrorClass> = {
  // S3 Control jobs API (CreateJob / DescribeJob / UpdateJob*)
  IdempotencyException: JobIdempotencyError,
  JobStatusException: JobStatusConflictError,
  NotFoundException: JobNotFoundError,
  // S3 objects; HeadObject's 404 has no body, so the SDK names it `NotFound`
  NoSuchKey: ObjectNotFoundError,
  NoSuchBucket: ObjectNotFoundError,
  NoSuchVersion: ObjectNotFoundError,
  NotFound: ObjectNotFoundError,
  // Throttling (S3 sends SlowDown as a 503)
  TooManyRequestsException: ServiceThrottledError,
  ThrottlingException: ServiceThrottledError,
  Throttling: ServiceThrottledError,
  ThrottledException: ServiceThrottledError,
  SlowDown: ServiceThrottledError,
  KmsThrottlingException: ServiceThrottledError,
  RequestLimitExceeded: ServiceThrottledError,
  RequestThrottled: ServiceThrottledError,
  RequestThrottledException: ServiceThrottledError,
  ProvisionedThroughputExceededException: ServiceThrottledError,
  // AWS-side failures
  InternalServiceException: ServiceUnavailableError,
  InternalServerException: ServiceUnavailableError,
  InternalError: ServiceUnavailableError,
  InternalException: ServiceUnavailableError,
  InternalFailure: ServiceUnavailableError,
  ServiceUnavailable: ServiceUnavailableError,
  ServiceUnavailableException: ServiceUnavailableError,
  ServiceException: ServiceUnavailableError,
  RequestTimeout: ServiceUnavailableError,
  RequestTimeoutException: ServiceUnavailableError,
  TimeoutError: ServiceUnavailableError,
  // Permissions
  AccessDenied: AccessDeniedError,
  AccessDeniedException: AccessDeniedError,
  // Malformed requests
  BadRequestException: ServiceRequestRejectedError,
  InvalidRequest: ServiceRequestRejectedError,
  ValidationException: ServiceRequestRejectedError,
};

/** Node.js socket errors: the call may not have reached AWS, or its answer was lost. */
const networkErrorCodes = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ECONNABORTED',
  'ETIMEDOUT',
  'EPIPE',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ENOTFOUND',
  'EAI_AGAIN',
  'UND_ERR_SOCKET',
  'UND_ERR_CONNECT_TIMEOUT',
]);

interface SdkErrorShape {
  name?: string;
  message?: string;
  code?: string;
  Code?: string;
  cause?: unknown;
  $fault?: 'client' | 'server';
  $metadata?: { httpStatusCode?: number; requestId?: string };
  $retryable?: { throttling?: boolean };
  $response?: { statusCode?: number };
}

/** What we know about an SDK error, for classification and the message. */
export interface AwsErrorInfo {
  code: string;
  message: string;
  httpStatusCode?: number;
  requestId?: string;
}

export function awsErrorInfo(error: unknown): AwsErrorInfo | undefined {
  if (error === null || typeof error !== 'object') return undefined;
  const e = error as SdkErrorShape;
  const httpStatusCode = e.$metadata?.httpStatusCode ?? e.$response?.statusCode;
  const requestId = e.$metadata?.requestId;
  // Service exceptions are named after AWS's error code; Node errors carry theirs in `code`.
  const nodeCode = networkCode(error);
  const isSdkError = e.$metadata !== undefined || e.$fault !== undefined || e.$response !== undefined;
  if (!isSdkError && nodeCode === undefined && e.name !== 'TimeoutError') return undefined;
  const code =
    nodeCode ?? (e.Code || (e.name && e.name !== 'Error' ? e.name : undefined) || e.code || 'UnknownError');
  return {
    code,
    message: e.message ?? '',
    ...(httpStatusCode === undefined ? {} : { httpStatusCode }),
    ...(requestId === undefined ? {} : { requestId }),
  };
}

function networkCode(error: unknown, depth = 0): string | undefined {
  if (error === null || typeof error !== 'object' || depth > 5) return undefined;
  const code = (error as SdkErrorShape).code;
  if (typeof code === 'string' && networkErrorCodes.has(code)) return code;
  return networkCode((error as SdkErrorShape).cause, depth + 1);
}

function classify(info: AwsErrorInfo, error: SdkErrorShape): CoreErrorClass {
  const byCode = errorsByCode[info.code];
  if (byCode) return byCode;
  if (networkErrorCodes.has(info.code)) return ServiceUnavailableError;
  const status = info.httpStatusCode;
  if (status === 429 || error.$retryable?.throttling === true) return ServiceThrottledError;
  if (status !== undefined && status >= 500) return ServiceUnavailableError;
  if (status === 403) return AccessDeniedError;
  if (status !== undefined && status >= 400) return ServiceRequestRejectedError;
  if (error.$retryable !== undefined) return ServiceUnavailableError;
  return error.$fault === 'server' ? ServiceUnavailableError : ServiceRequestRejectedError;
}

/**
 * Translates an exception raised by an SDK call into a core error whose message names the operation and
 * AWS's code and message, keeping the original as `cause`. Core errors pass through unchanged; so do errors
 * that do not come from AWS or the network (bugs, aborts), so they are not disguised as service failures.
 *
 * @param operation e.g. `S3Control.CreateJob`
 */
export function translateAwsError(operation: string, error: unknown): Error {
  if (error instanceof OrchestratorError) return error;
  // A caller's abort is a decision, not a service failure.
  if (error instanceof Error && error.name === 'AbortError') return error;
  const info = awsErrorInfo(error);
  if (info === undefined) {
    return error instanceof Error
      ? error
      : new Error(`${operation} failed: ${String(error)}`, { cause: error });
  }
  const ErrorClass = classify(info, error as SdkErrorShape);
  const status = info.httpStatusCode === undefined ? '' : ` (HTTP ${info.httpStatusCode})`;
  const detail = info.message && info.message !== info.code ? `: ${info.message}` : '';
  const requestId = info.requestId ? ` [request id ${info.requestId}]` : '';
  return new ErrorClass(`${operation} failed with ${info.code}${status}${detail}${requestId}`, {
    cause: error,
  });
}

/** Runs one SDK call, translating whatever it throws. */
export async function withAwsErrors<T>(operation: string, call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (error) {
    throw translateAwsError(operation, error);
  }
}
