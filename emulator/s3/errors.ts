import { randomBytes } from 'node:crypto';
import type { HttpResponse } from '../contracts.js';
import { S3ServiceError } from '../contracts.js';

/**
 * An S3 error with the extra elements S3 puts in its `<Error>` document (Key, BucketName, VersionId,
 * StorageClass, ...) and any headers it sends with it (x-amz-delete-marker on a deleted key).
 */
export class S3Error extends S3ServiceError {
  constructor(
    code: string,
    httpStatus: number,
    message: string,
    readonly details: Record<string, string | undefined> = {},
    readonly headers: Record<string, string> = {},
  ) {
    super(code, httpStatus, message);
  }
}

export const noSuchBucket = (bucket: string) =>
  new S3Error('NoSuchBucket', 404, 'The specified bucket does not exist', { BucketName: bucket });
export const noSuchKey = (key: string, headers: Record<string, string> = {}) =>
  new S3Error('NoSuchKey', 404, 'The specified key does not exist.', { Key: key }, headers);
export const noSuchVersion = (key: string, versionId: string) =>
  new S3Error('NoSuchVersion', 404, 'The specified version does not exist.', {
    Key: key,
    VersionId: versionId,
  });
export const noSuchUpload = (uploadId: string) =>
  new S3Error(
    'NoSuchUpload',
    404,
    'The specified upload does not exist. The upload ID may be invalid, or the upload may have been aborted or completed.',
    { UploadId: uploadId },
  );
export const invalidArgument = (message: string, name?: string, value?: string) =>
  new S3Error('InvalidArgument', 400, message, { ArgumentName: name, ArgumentValue: value });
export const invalidRequest = (message: string) => new S3Error('InvalidRequest', 400, message);
export const invalidObjectState = (storageClass: string) =>
  new S3Error('InvalidObjectState', 403, "The operation is not valid for the object's storage class", {
    StorageClass: storageClass,
  });
export const accessDenied = (message = 'Access Denied') => new S3Error('AccessDenied', 403, message);
export const notImplemented = (what: string) =>
  new S3Error(
    'NotImplemented',
    501,
    `A header or query you provided implies functionality that is not implemented: ${what}`,
  );

export function newRequestId(): string {
  return randomBytes(8).toString('hex').toUpperCase();
}

export function requestHeaders(requestId: string): Record<string, string> {
  return { 'x-amz-request-id': requestId, 'x-amz-id-2': Buffer.from(requestId).toString('base64') };
}

/** S3's error document; HEAD responses carry no body, so the SDK sees only the status (NotFound, ...). */
export function renderS3Error(
  error: S3ServiceError,
  requestId: string,
  method = 'GET',
  resource?: string,
): HttpResponse {
  const details = error instanceof S3Error ? error.details : {};
  const extraHeaders = error instanceof S3Error ? error.headers : {};
  const headers = { ...requestHeaders(requestId), ...extraHeaders };
  if (method === 'HEAD') return { status: error.httpStatus, headers };
  // Keys and bucket names in the details may hold control characters (NUL too): written as character
  // references, the document stays parseable.
  const escapeText = (text: string) =>
    text
      .replace(/&/g, '&amp;')
      .replace(/</g, '&lt;')
      .replace(/>/g, '&gt;')
      // biome-ignore lint/suspicious/noControlCharactersInRegex: matching control characters is the point here.
      .replace(/[\u0000-\u0008\u000b-\u001f]/g, (ch) => `&#${ch.charCodeAt(0)};`);
  const parts = [`<Code>${escapeText(error.code)}</Code>`, `<Message>${escapeText(error.message)}</Message>`];
  for (const [name, value] of Object.entries(details)) {
    if (value !== undefined) parts.push(`<${name}>${escapeText(value)}</${name}>`);
  }
  if (resource !== undefined && !('Key' in details) && !('BucketName' in details)) {
    parts.push(`<Resource>${escapeText(resource)}</Resource>`);
  }
  parts.push(`<RequestId>${requestId}</RequestId>`, `<HostId>${headers['x-amz-id-2']}</HostId>`);
  return {
    status: error.httpStatus,
    headers: { ...headers, 'content-type': 'application/xml' },
    body: `<?xml version="1.0" encoding="UTF-8"?>\n<Error>${parts.join('')}</Error>`,
  };
}
