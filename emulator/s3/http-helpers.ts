import { createHash } from 'node:crypto';
import type { HttpRequest, HttpResponse, Tag } from '../contracts.js';
import { CHECKSUM_ALGORITHMS, computeChecksum } from './checksums.js';
import { storedContentEncoding } from './chunked.js';
import { invalidArgument, S3Error } from './errors.js';
import type { BucketDoc, ContentHeaders, ObjectVersion, ServerSideEncryption } from './model.js';
import type { S3Operations } from './operations.js';
import { xmlDocument } from './xml.js';

/** One S3 request after routing: bucket and key resolved, aws-chunked decoded, trailers merged into headers. */
export interface S3Request {
  http: HttpRequest;
  method: string;
  bucket: string | undefined;
  key: string | undefined;
  query: URLSearchParams;
  headers: Record<string, string>;
  body: Buffer;
}

export function xmlOk(body: string, headers: Record<string, string> = {}, status = 200): HttpResponse {
  return { status, headers: { 'content-type': 'application/xml', ...headers }, body: xmlDocument(body) };
}

export const httpDate = (iso: string) => new Date(iso).toUTCString();

export function metadataFromHeaders(headers: Record<string, string>): Record<string, string> {
  const metadata: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) {
    if (name.startsWith('x-amz-meta-')) metadata[name.slice('x-amz-meta-'.length)] = value;
  }
  return metadata;
}

export function contentFromHeaders(headers: Record<string, string>): ContentHeaders {
  const content: ContentHeaders = {};
  if (headers['content-type']) content.contentType = headers['content-type'];
  const encoding = storedContentEncoding(headers);
  if (encoding) content.contentEncoding = encoding;
  if (headers['content-disposition']) content.contentDisposition = headers['content-disposition'];
  if (headers['content-language']) content.contentLanguage = headers['content-language'];
  if (headers['cache-control']) content.cacheControl = headers['cache-control'];
  if (headers.expires) content.expires = headers.expires;
  return content;
}

/** `x-amz-tagging: k1=v1&k2=v2` (URL query encoded). */
export function tagsFromHeader(value: string | undefined): Tag[] | undefined {
  if (value === undefined) return undefined;
  return [...new URLSearchParams(value)].map(([Key, Value]) => ({ Key, Value }));
}

/** Verifies Content-MD5 and any x-amz-checksum-* value against the body; returns the checksum to store. */
export function verifyIntegrity(
  headers: Record<string, string>,
  body: Buffer,
): { algorithm: string; value: string } | undefined {
  const md5 = headers['content-md5'];
  if (md5 !== undefined && createHash('md5').update(body).digest('base64') !== md5) {
    throw new S3Error('BadDigest', 400, 'The Content-MD5 you specified did not match what we received.');
  }
  for (const algorithm of CHECKSUM_ALGORITHMS) {
    const value = headers[`x-amz-checksum-${algorithm.toLowerCase()}`];
    if (value === undefined) continue;
    if (computeChecksum(algorithm, body) !== value) {
      throw new S3Error(
        'BadDigest',
        400,
        `The ${algorithm} you specified did not match the calculated checksum.`,
      );
    }
    return { algorithm, value };
  }
  return undefined;
}

export function objectLockFromHeaders(headers: Record<string, string>) {
  const mode = headers['x-amz-object-lock-mode'];
  const until = headers['x-amz-object-lock-retain-until-date'];
  const hold = headers['x-amz-object-lock-legal-hold'];
  if ((mode === undefined) !== (until === undefined)) {
    throw invalidArgument(
      'x-amz-object-lock-retain-until-date and x-amz-object-lock-mode must both be supplied',
    );
  }
  if (mode !== undefined && mode !== 'GOVERNANCE' && mode !== 'COMPLIANCE') {
    throw invalidArgument('Unknown wormMode directive.', 'x-amz-object-lock-mode', mode);
  }
  if (hold !== undefined && hold !== 'ON' && hold !== 'OFF') {
    throw invalidArgument('Legal Hold must be either of ON or OFF', 'x-amz-object-lock-legal-hold', hold);
  }
  return {
    ...(mode &&
      until && {
        retention: { mode: mode as 'GOVERNANCE' | 'COMPLIANCE', retainUntil: new Date(until).toISOString() },
      }),
    ...(hold && { legalHold: hold as 'ON' | 'OFF' }),
  };
}

export function versionHeader(bucket: BucketDoc, version: ObjectVersion): Record<string, string> {
  return bucket.versioning || version.versionId !== 'null' ? { 'x-amz-version-id': version.versionId } : {};
}

/** The headers GetObject / HeadObject answer with. */
export function objectHeaders(
  ops: S3Operations,
  bucket: BucketDoc,
  version: ObjectVersion,
): Record<string, string> {
  const headers: Record<string, string> = {
    etag: version.etag,
    'last-modified': httpDate(version.lastModified),
    'content-type': version.contentType ?? 'binary/octet-stream',
    'accept-ranges': 'bytes',
    ...versionHeader(bucket, version),
  };
  if (version.contentEncoding) headers['content-encoding'] = version.contentEncoding;
  if (version.contentDisposition) headers['content-disposition'] = version.contentDisposition;
  if (version.contentLanguage) headers['content-language'] = version.contentLanguage;
  if (version.cacheControl) headers['cache-control'] = version.cacheControl;
  if (version.expires) headers.expires = version.expires;
  for (const [name, value] of Object.entries(version.metadata)) headers[`x-amz-meta-${name}`] = value;
  if (version.storageClass !== 'STANDARD') headers['x-amz-storage-class'] = version.storageClass;
  const restore = ops.restores.header(version);
  if (restore) headers['x-amz-restore'] = restore;
  if (version.tags.length > 0) headers['x-amz-tagging-count'] = String(version.tags.length);
  if (version.retention) {
    headers['x-amz-object-lock-mode'] = version.retention.mode;
    headers['x-amz-object-lock-retain-until-date'] = version.retention.retainUntil;
  }
  if (version.legalHold) headers['x-amz-object-lock-legal-hold'] = version.legalHold;
  // Every object is encrypted at rest; SSE-S3 is the default since January 2023 (User Guide, "Default encryption").
  headers['x-amz-server-side-encryption'] = version.sse?.algorithm ?? 'AES256';
  if (version.sse?.kmsKeyId) headers['x-amz-server-side-encryption-aws-kms-key-id'] = version.sse.kmsKeyId;
  if (version.sse?.bucketKeyEnabled) headers['x-amz-server-side-encryption-bucket-key-enabled'] = 'true';
  if (version.websiteRedirectLocation)
    headers['x-amz-website-redirect-location'] = version.websiteRedirectLocation;
  if (version.replicationStatus) headers['x-amz-replication-status'] = version.replicationStatus;
  return headers;
}

/** x-amz-server-side-encryption (+ KMS key id, bucket key) as a write request asks for it; undefined = default. */
export function sseFromHeaders(headers: Record<string, string>): ServerSideEncryption | undefined {
  const algorithm = headers['x-amz-server-side-encryption'];
  const kmsKeyId = headers['x-amz-server-side-encryption-aws-kms-key-id'];
  if (algorithm === undefined) {
    if (kmsKeyId !== undefined) {
      throw invalidArgument(
        'Server Side Encryption with AWS KMS managed key requires HTTP header x-amz-server-side-encryption : aws:kms',
      );
    }
    return undefined;
  }
  if (algorithm !== 'AES256' && algorithm !== 'aws:kms') {
    throw invalidArgument(
      'The encryption method specified is not supported',
      'x-amz-server-side-encryption',
      algorithm,
    );
  }
  const bucketKey = headers['x-amz-server-side-encryption-bucket-key-enabled'];
  return {
    algorithm,
    ...(algorithm === 'aws:kms' && kmsKeyId !== undefined && { kmsKeyId }),
    ...(algorithm === 'aws:kms' && bucketKey !== undefined && { bucketKeyEnabled: bucketKey === 'true' }),
  };
}

/** `bytes=a-b`, `bytes=a-`, `bytes=-n`; undefined means the whole object (S3 ignores what it cannot parse). */
export function parseRange(
  header: string | undefined,
  size: number,
): { start: number; end: number } | undefined {
  if (header === undefined) return undefined;
  const match = /^bytes=(\d*)-(\d*)$/.exec(header.trim());
  if (!match || (match[1] === '' && match[2] === '')) return undefined;
  let start: number;
  let end: number;
  if (match[1] === '') {
    const suffix = Number(match[2]);
    if (suffix === 0) throw invalidRange(size);
    start = Math.max(0, size - suffix);
    end = size - 1;
  } else {
    start = Number(match[1]);
    end = match[2] === '' ? size - 1 : Math.min(Number(match[2]), size - 1);
    if (match[2] !== '' && Number(match[2]) < start) return undefined;
  }
  if (start >= size) throw invalidRange(size);
  return { start, end };
}

const invalidRange = (size: number) =>
  new S3Error('InvalidRange', 416, 'The requested range is not satisfiable', {
    RangeRequested: undefined,
    ActualObjectSize: String(size),
  });

/** If-Match / If-None-Match / If-(Un)Modified-Since as S3 evaluates them for GET and HEAD. */
export function checkPreconditions(
  headers: Record<string, string>,
  version: ObjectVersion,
): HttpResponse | undefined {
  const etag = version.etag.replace(/"/g, '');
  const matches = (header: string) =>
    header.split(',').some((candidate) => ['*', etag].includes(candidate.trim().replace(/"/g, '')));
  const modified = Math.floor(new Date(version.lastModified).getTime() / 1000) * 1000;
  const failed = (condition: string) =>
    new S3Error('PreconditionFailed', 412, 'At least one of the pre-conditions you specified did not hold', {
      Condition: condition,
    });
  if (headers['if-match'] !== undefined) {
    if (!matches(headers['if-match'])) throw failed('If-Match');
  } else if (headers['if-unmodified-since'] !== undefined) {
    const since = Date.parse(headers['if-unmodified-since']);
    if (!Number.isNaN(since) && modified > since) throw failed('If-Unmodified-Since');
  }
  const notModified = {
    status: 304,
    headers: { etag: version.etag, 'last-modified': httpDate(version.lastModified) },
  };
  if (headers['if-none-match'] !== undefined) {
    if (matches(headers['if-none-match'])) return notModified;
  } else if (headers['if-modified-since'] !== undefined) {
    const since = Date.parse(headers['if-modified-since']);
    if (!Number.isNaN(since) && modified <= since) return notModified;
  }
  return undefined;
}
