import type { HttpResponse, ObjectRef, Tag } from '../contracts.js';
import { aclFromHeaders, cannedAcl, parseAccessControlPolicy, renderAccessControlPolicy } from './acl.js';
import { conditionsFromHeaders } from './conditional-writes.js';
import { invalidArgument, invalidRequest, S3Error } from './errors.js';
import {
  checkPreconditions,
  contentFromHeaders,
  metadataFromHeaders,
  objectHeaders,
  objectLockFromHeaders,
  parseRange,
  type S3Request,
  sseFromHeaders,
  tagsFromHeader,
  verifyIntegrity,
  versionHeader,
  xmlOk,
} from './http-helpers.js';
import type { ObjectVersion } from './model.js';
import type { S3Operations } from './operations.js';
import { child, childrenNamed, childText, el, parseXmlBody, S3_XMLNS } from './xml.js';

const refOf = (request: S3Request): ObjectRef => ({
  bucket: request.bucket!,
  key: request.key!,
  ...(request.query.has('versionId') && { versionId: request.query.get('versionId')! }),
});

/** `x-amz-copy-source: /bucket/url-encoded-key?versionId=…` (leading slash optional). */
export function parseCopySource(header: string): ObjectRef {
  const [path = '', query] = header.split('?', 2);
  let decoded: string;
  try {
    decoded = decodeURIComponent(path.replace(/^\//, ''));
  } catch {
    throw invalidArgument('Invalid copy source encoding', 'x-amz-copy-source', header);
  }
  const slash = decoded.indexOf('/');
  if (slash <= 0 || slash === decoded.length - 1) {
    throw invalidArgument(
      'Copy Source must mention the source bucket and key: sourcebucket/sourcekey',
      'x-amz-copy-source',
      header,
    );
  }
  const versionId = query ? new URLSearchParams(query).get('versionId') : null;
  return {
    bucket: decoded.slice(0, slash),
    key: decoded.slice(slash + 1),
    ...(versionId !== null && { versionId }),
  };
}

const optionalHeader = <K extends string>(name: K, value: string | undefined) =>
  (value === undefined ? {} : { [name]: value }) as Partial<Record<K, string>>;

export function readCopySource(ops: S3Operations, ref: ObjectRef): { version: ObjectVersion; body: Buffer } {
  const { version } = ops.resolve(ref);
  ops.assertReadable(version);
  return { version, body: ops.store.getBody(version.blobId) };
}

export function putObject(ops: S3Operations, request: S3Request): HttpResponse {
  const { headers } = request;
  const checksum = verifyIntegrity(headers, request.body);
  const acl = aclFromHeaders(headers, ops.owner);
  const sse = sseFromHeaders(headers);
  const conditions = conditionsFromHeaders(headers);
  const version = ops.writeObject(
    request.bucket!,
    request.key!,
    request.body,
    {
      ...contentFromHeaders(headers),
      metadata: metadataFromHeaders(headers),
      storageClass: headers['x-amz-storage-class'],
      tags: tagsFromHeader(headers['x-amz-tagging']),
      ...(acl && { acl }),
      ...(checksum && { checksum }),
      ...objectLockFromHeaders(headers),
      ...(sse && { sse }),
      ...(headers['x-amz-website-redirect-location'] && {
        websiteRedirectLocation: headers['x-amz-website-redirect-location'],
      }),
      ...(conditions && { conditions }),
    },
    'PutObject',
  );
  const responseHeaders: Record<string, string> = {
    etag: version.etag,
    ...versionHeader(ops.store.requireBucket(request.bucket!), version),
  };
  if (checksum) responseHeaders[`x-amz-checksum-${checksum.algorithm.toLowerCase()}`] = checksum.value;
  return { status: 200, headers: responseHeaders };
}

export function copyObject(ops: S3Operations, request: S3Request): HttpResponse {
  const { headers } = request;
  const source = parseCopySource(headers['x-amz-copy-source']!);
  const metadataDirective = headers['x-amz-metadata-directive'] ?? 'COPY';
  const taggingDirective = headers['x-amz-tagging-directive'] ?? 'COPY';
  for (const [name, value] of [
    ['x-amz-metadata-directive', metadataDirective],
    ['x-amz-tagging-directive', taggingDirective],
  ] as const) {
    if (value !== 'COPY' && value !== 'REPLACE') throw invalidArgument(`Unknown ${name}`, name, value);
  }
  const acl = aclFromHeaders(headers, ops.owner);
  const sse = sseFromHeaders(headers);
  const { version, sourceVersion } = ops.copy(
    source,
    { bucket: request.bucket!, key: request.key! },
    {
      metadataDirective: metadataDirective as 'COPY' | 'REPLACE',
      metadata: metadataFromHeaders(headers),
      content: contentFromHeaders(headers),
      storageClass: headers['x-amz-storage-class'],
      taggingDirective: taggingDirective as 'COPY' | 'REPLACE',
      tags: tagsFromHeader(headers['x-amz-tagging']),
      ...(acl && { acl }),
      ...optionalHeader('ifModifiedSince', headers['x-amz-copy-source-if-modified-since']),
      ...optionalHeader('ifUnmodifiedSince', headers['x-amz-copy-source-if-unmodified-since']),
      ...objectLockFromHeaders(headers),
      ...optionalHeader('checksumAlgorithm', headers['x-amz-checksum-algorithm']),
      ...(sse && { sse }),
      ...optionalHeader('websiteRedirectLocation', headers['x-amz-website-redirect-location']),
    },
  );
  const responseHeaders: Record<string, string> = versionHeader(
    ops.store.requireBucket(request.bucket!),
    version,
  );
  if (sourceVersion.versionId !== 'null')
    responseHeaders['x-amz-copy-source-version-id'] = sourceVersion.versionId;
  return xmlOk(
    el(
      'CopyObjectResult',
      [el('LastModified', new Date(version.lastModified).toISOString()), el('ETag', version.etag)],
      {
        xmlns: S3_XMLNS,
      },
    ),
    responseHeaders,
  );
}

const RESPONSE_OVERRIDES: Record<string, string> = {
  'response-content-type': 'content-type',
  'response-content-language': 'content-language',
  'response-expires': 'expires',
  'response-cache-control': 'cache-control',
  'response-content-disposition': 'content-disposition',
  'response-content-encoding': 'content-encoding',
};

/** GetObject and HeadObject: same headers, same errors; HEAD sends no body. */
export function getObject(ops: S3Operations, request: S3Request): HttpResponse {
  const { bucket, version } = ops.resolve(refOf(request));
  const headers = objectHeaders(ops, bucket, version);
  const notModified = checkPreconditions(request.headers, version);
  if (notModified) return notModified;
  // HeadObject answers for archived objects (with x-amz-restore); only reading the body needs a restored copy.
  if (request.method !== 'HEAD') ops.assertReadable(version);
  for (const [param, header] of Object.entries(RESPONSE_OVERRIDES)) {
    const value = request.query.get(param);
    if (value !== null) headers[header] = value;
  }
  const range = parseRange(request.headers.range, version.size);
  if (request.headers['x-amz-checksum-mode'] === 'ENABLED' && version.checksum && !range) {
    headers[`x-amz-checksum-${version.checksum.algorithm.toLowerCase()}`] = version.checksum.value;
    headers['x-amz-checksum-type'] = version.checksum.type ?? 'FULL_OBJECT';
  }
  if (request.method === 'HEAD') {
    const length = range ? range.end - range.start + 1 : version.size;
    if (range) headers['content-range'] = `bytes ${range.start}-${range.end}/${version.size}`;
    return { status: range ? 206 : 200, headers: { ...headers, 'content-length': String(length) } };
  }
  const body = ops.store.getBody(version.blobId);
  if (!range) return { status: 200, headers, body };
  headers['content-range'] = `bytes ${range.start}-${range.end}/${version.size}`;
  return { status: 206, headers, body: body.subarray(range.start, range.end + 1) };
}

export function deleteObject(ops: S3Operations, request: S3Request): HttpResponse {
  const result = ops.deleteObject(
    request.bucket!,
    request.key!,
    request.query.get('versionId') ?? undefined,
    request.headers['x-amz-bypass-governance-retention'] === 'true',
  );
  const headers: Record<string, string> = {};
  if (result.deleteMarker) headers['x-amz-delete-marker'] = 'true';
  if (result.versionId !== undefined) headers['x-amz-version-id'] = result.versionId;
  return { status: 204, headers };
}

function parseTagging(request: S3Request): Tag[] {
  const root = parseXmlBody(request.body, 'Tagging');
  return childrenNamed(child(root, 'TagSet'), 'Tag').map((tag) => ({
    Key: childText(tag, 'Key', true) ?? '',
    Value: childText(tag, 'Value', true) ?? '',
  }));
}

export function renderTagging(tags: Tag[]): string {
  return el(
    'Tagging',
    [
      el(
        'TagSet',
        tags.map((tag) => el('Tag', [el('Key', tag.Key), el('Value', tag.Value)])),
      ),
    ],
    {
      xmlns: S3_XMLNS,
    },
  );
}

export function objectTagging(ops: S3Operations, request: S3Request): HttpResponse {
  const ref = refOf(request);
  if (request.method === 'GET') {
    const { version } = ops.resolve(ref);
    return xmlOk(renderTagging(version.tags), versionHeaderOf(ops, request, version));
  }
  if (request.method === 'PUT') ops.putObjectTagging(ref, parseTagging(request));
  else ops.deleteObjectTagging(ref);
  const { version } = ops.resolve(ref);
  return { status: request.method === 'PUT' ? 200 : 204, headers: versionHeaderOf(ops, request, version) };
}

const versionHeaderOf = (ops: S3Operations, request: S3Request, version: ObjectVersion) =>
  versionHeader(ops.store.requireBucket(request.bucket!), version);

export function objectAcl(ops: S3Operations, request: S3Request): HttpResponse {
  const ref = refOf(request);
  if (request.method === 'GET') {
    const { version } = ops.resolve(ref);
    const policy = version.acl ?? cannedAcl('private', ops.owner);
    return xmlOk(renderAccessControlPolicy(policy, ops.owner), versionHeaderOf(ops, request, version));
  }
  const fromHeaders = aclFromHeaders(request.headers, ops.owner);
  if (fromHeaders && request.body.length > 0) {
    throw new S3Error('UnexpectedContent', 400, 'This request does not support content');
  }
  const policy = fromHeaders ?? parseAccessControlPolicy(parseXmlBody(request.body, 'AccessControlPolicy'));
  ops.putObjectAcl(ref, { policy });
  return { status: 200, headers: versionHeaderOf(ops, request, ops.resolve(ref).version) };
}

export function restoreObject(ops: S3Operations, request: S3Request): HttpResponse {
  const root = request.body.length > 0 ? parseXmlBody(request.body, 'RestoreRequest') : undefined;
  const daysText = childText(root, 'Days');
  const days = daysText === undefined ? undefined : Number(daysText);
  const tier = childText(child(root, 'GlacierJobParameters'), 'Tier') ?? childText(root, 'Tier');
  if (childText(root, 'Type') === 'SELECT')
    throw invalidRequest('Restore with SELECT is not supported by the emulator');
  const outcome = ops.restoreObject(refOf(request), days, tier);
  return { status: outcome === 'accepted' ? 202 : 200 };
}

export function legalHold(ops: S3Operations, request: S3Request): HttpResponse {
  const ref = refOf(request);
  if (request.method === 'GET') {
    ops.requireObjectLock(ref);
    const { version } = ops.resolve(ref);
    if (!version.legalHold) {
      throw new S3Error(
        'NoSuchObjectLockConfiguration',
        404,
        'The specified object does not have a ObjectLock configuration',
      );
    }
    return xmlOk(el('LegalHold', [el('Status', version.legalHold)], { xmlns: S3_XMLNS }));
  }
  const status = childText(parseXmlBody(request.body, 'LegalHold'), 'Status');
  ops.putObjectLegalHold(ref, status as 'ON' | 'OFF');
  return { status: 200 };
}

export function retention(ops: S3Operations, request: S3Request): HttpResponse {
  const ref = refOf(request);
  if (request.method === 'GET') {
    ops.requireObjectLock(ref);
    const { version } = ops.resolve(ref);
    if (!version.retention) {
      throw new S3Error(
        'NoSuchObjectLockConfiguration',
        404,
        'The specified object does not have a ObjectLock configuration',
      );
    }
    return xmlOk(
      el(
        'Retention',
        [el('Mode', version.retention.mode), el('RetainUntilDate', version.retention.retainUntil)],
        {
          xmlns: S3_XMLNS,
        },
      ),
    );
  }
  const root = parseXmlBody(request.body, 'Retention');
  ops.putObjectRetention(
    ref,
    childText(root, 'Mode') as 'GOVERNANCE' | 'COMPLIANCE',
    childText(root, 'RetainUntilDate') ?? '',
    request.headers['x-amz-bypass-governance-retention'] === 'true',
  );
  return { status: 200 };
}
