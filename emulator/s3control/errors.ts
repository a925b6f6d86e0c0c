/**
 * S3 Control API errors. The code is the identity: the AWS SDK maps `<Error><Code>` to its exception class
 * (BadRequestException, NotFoundException, …). None of these shapes carries an httpError trait in the
 * S3 Control model, so the statuses below are the ones S3 Control answers with (client errors 400,
 * unknown job 404, throttling 400 like most S3 Control throttles — the SDK retries it by code, not status).
 */
import { randomBytes } from 'node:crypto';
import type { HttpResponse } from '../contracts.js';
import { escapeXml } from './xml.js';

export class S3ControlError extends Error {
  constructor(
    readonly code: string,
    readonly httpStatus: number,
    message: string,
  ) {
    super(message);
    this.name = code;
  }
}

export const badRequest = (message: string) => new S3ControlError('BadRequestException', 400, message);
export const invalidRequest = (message: string) => new S3ControlError('InvalidRequest', 400, message);
export const notFound = (jobId: string) =>
  new S3ControlError('NotFoundException', 404, `The specified job does not exist: ${jobId}`);
export const jobStatusConflict = (message: string) => new S3ControlError('JobStatusException', 400, message);
export const idempotencyConflict = () =>
  new S3ControlError(
    'IdempotencyException',
    400,
    'A job with this ClientRequestToken already exists with different parameters',
  );
export const tooManyTags = () =>
  new S3ControlError('TooManyTagsException', 400, 'A job can have at most 50 tags');
export const internalError = (message: string) =>
  new S3ControlError('InternalServiceException', 500, message);

export function newRequestId(): string {
  return randomBytes(8).toString('hex').toUpperCase();
}

/** S3 Control's error document: `<ErrorResponse><Error>…</Error><RequestId/><HostId/></ErrorResponse>`. */
export function renderError(error: { code: string; httpStatus: number; message: string }): HttpResponse {
  const requestId = newRequestId();
  const hostId = randomBytes(24).toString('base64');
  const body =
    '<?xml version="1.0" encoding="UTF-8"?>\n' +
    `<ErrorResponse><Error><Code>${escapeXml(error.code)}</Code><Message>${escapeXml(error.message)}</Message></Error>` +
    `<RequestId>${requestId}</RequestId><HostId>${escapeXml(hostId)}</HostId></ErrorResponse>`;
  return {
    status: error.httpStatus,
    headers: { 'content-type': 'application/xml', 'x-amz-request-id': requestId, 'x-amz-id-2': hostId },
    body,
  };
}
