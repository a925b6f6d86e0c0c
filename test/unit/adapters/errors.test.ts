import { describe, expect, it } from 'vitest';
import { translateAwsError, withAwsErrors } from '../../../src/adapters/aws/errors.js';
import {
  AccessDeniedError,
  JobIdempotencyError,
  JobNotFoundError,
  JobStatusConflictError,
  ObjectNotFoundError,
  type OrchestratorError,
  ServiceRequestRejectedError,
  ServiceThrottledError,
  ServiceUnavailableError,
} from '../../../src/core/errors.js';

/** An error shaped like the SDK's ServiceException: named after AWS's code, with response metadata. */
function sdkError(code: string, httpStatusCode?: number, extra: Record<string, unknown> = {}): Error {
  const error = new Error(`${code} message`);
  error.name = code;
  return Object.assign(error, {
    $fault: httpStatusCode !== undefined && httpStatusCode >= 500 ? 'server' : 'client',
    $metadata: httpStatusCode === undefined ? {} : { httpStatusCode },
    ...extra,
  });
}

function nodeError(code: string): Error {
  return Object.assign(new Error(`connect ${code} 127.0.0.1:4599`), { code });
}

const cases: [string, Error, typeof OrchestratorError][] = [
  ['TooManyRequestsException', sdkError('TooManyRequestsException', 400), ServiceThrottledError],
  ['ThrottlingException', sdkError('ThrottlingException', 400), ServiceThrottledError],
  ['SlowDown (503)', sdkError('SlowDown', 503), ServiceThrottledError],
  ['Throttling', sdkError('Throttling', 400), ServiceThrottledError],
  ['RequestLimitExceeded', sdkError('RequestLimitExceeded', 400), ServiceThrottledError],
  ['any 429', sdkError('WhateverCode', 429), ServiceThrottledError],
  [
    '$retryable throttling',
    sdkError('Odd', undefined, { $retryable: { throttling: true } }),
    ServiceThrottledError,
  ],
  ['InternalServiceException', sdkError('InternalServiceException', 500), ServiceUnavailableError],
  ['InternalError', sdkError('InternalError', 500), ServiceUnavailableError],
  ['ServiceUnavailable', sdkError('ServiceUnavailable', 503), ServiceUnavailableError],
  ['any 5xx', sdkError('Gateway', 502), ServiceUnavailableError],
  ['ECONNREFUSED', nodeError('ECONNREFUSED'), ServiceUnavailableError],
  ['ECONNRESET', nodeError('ECONNRESET'), ServiceUnavailableError],
  [
    'TimeoutError',
    Object.assign(new Error('Connection timed out after 1000 ms'), { name: 'TimeoutError' }),
    ServiceUnavailableError,
  ],
  ['IdempotencyException', sdkError('IdempotencyException', 409), JobIdempotencyError],
  ['NotFoundException', sdkError('NotFoundException', 404), JobNotFoundError],
  ['JobStatusException', sdkError('JobStatusException', 400), JobStatusConflictError],
  ['NoSuchKey', sdkError('NoSuchKey', 404), ObjectNotFoundError],
  ['NotFound (HeadObject 404)', sdkError('NotFound', 404), ObjectNotFoundError],
  ['NoSuchBucket', sdkError('NoSuchBucket', 404), ObjectNotFoundError],
  ['AccessDenied', sdkError('AccessDenied', 403), AccessDeniedError],
  ['AccessDeniedException', sdkError('AccessDeniedException', 400), AccessDeniedError],
  ['BadRequestException', sdkError('BadRequestException', 400), ServiceRequestRejectedError],
  ['InvalidRequest', sdkError('InvalidRequest', 400), ServiceRequestRejectedError],
  ['other 4xx', sdkError('InvalidNextTokenException', 400), ServiceRequestRejectedError],
];

describe('translateAwsError', () => {
  it.each(cases)('maps %s', (_label, error, expected) => {
    // Act
    const translated = translateAwsError('Test.Operation', error);

    // Assess
    expect(translated).toBeInstanceOf(expected);
    expect(translated.name).toBe(expected.name);
    expect(translated.cause).toBe(error);
  });

  it('names the operation, the AWS code, the status and the message', () => {
    const translated = translateAwsError('S3Control.DescribeJob', sdkError('NotFoundException', 404));

    expect(translated.message).toBe(
      'S3Control.DescribeJob failed with NotFoundException (HTTP 404): NotFoundException message',
    );
  });

  it('finds a network error code in the cause chain', () => {
    const wrapped = new Error('request failed', { cause: nodeError('ECONNRESET') });

    expect(translateAwsError('S3.GetObject', wrapped)).toBeInstanceOf(ServiceUnavailableError);
  });

  it('leaves core errors alone (translation happens once)', () => {
    const core = new JobNotFoundError('already translated');

    expect(translateAwsError('S3Control.DescribeJob', core)).toBe(core);
  });

  it('lets errors that did not come from AWS through unchanged', () => {
    const bug = new TypeError('cannot read properties of undefined');
    const abort = Object.assign(new Error('aborted'), { name: 'AbortError', $metadata: {} });

    expect(translateAwsError('S3.GetObject', bug)).toBe(bug);
    expect(translateAwsError('S3.GetObject', abort)).toBe(abort);
  });

  it('withAwsErrors translates a rejected call and passes a result through', async () => {
    await expect(withAwsErrors('Op', async () => 42)).resolves.toBe(42);
    await expect(
      withAwsErrors('Op', () => Promise.reject(sdkError('TooManyRequestsException', 400))),
    ).rejects.toBeInstanceOf(ServiceThrottledError);
  });
});
