import { randomBytes } from 'node:crypto';
import type { HttpResponse } from '../contracts.js';
import { aclFromHeaders } from './acl.js';
import { md5Hex, multipartEtag } from './checksums.js';
import { conditionsFromHeaders, keyState } from './conditional-writes.js';
import { invalidArgument, noSuchUpload, S3Error } from './errors.js';
import {
  contentFromHeaders,
  metadataFromHeaders,
  objectLockFromHeaders,
  type S3Request,
  tagsFromHeader,
  verifyIntegrity,
  versionHeader,
  xmlOk,
} from './http-helpers.js';
import type { UploadDoc } from './model.js';
import type { S3Operations } from './operations.js';
import { parseCopySource, readCopySource } from './rest-objects.js';
import { checkStorageClass, validateTags } from './validation.js';
import { childrenNamed, childText, el, parseXmlBody, S3_XMLNS } from './xml.js';

const MIN_PART_SIZE = 5 * 1024 * 1024;

function requireUpload(ops: S3Operations, request: S3Request): UploadDoc {
  const uploadId = request.query.get('uploadId') ?? '';
  const upload = ops.store.getUpload(uploadId);
  if (!upload || upload.bucket !== request.bucket || upload.key !== request.key) throw noSuchUpload(uploadId);
  return upload;
}

function partNumberOf(request: S3Request): number {
  const raw = request.query.get('partNumber') ?? '';
  const partNumber = Number(raw);
  if (!/^\d+$/.test(raw) || partNumber < 1 || partNumber > 10000) {
    throw invalidArgument('Part number must be an integer between 1 and 10000, inclusive', 'partNumber', raw);
  }
  return partNumber;
}

export function createMultipartUpload(ops: S3Operations, request: S3Request): HttpResponse {
  const bucket = request.bucket!;
  const key = request.key!;
  ops.store.requireBucket(bucket);
  const { headers } = request;
  const upload: UploadDoc = {
    uploadId: randomBytes(32).toString('base64url'),
    bucket,
    key,
    initiated: ops.now(),
    storageClass: checkStorageClass(headers['x-amz-storage-class']),
    metadata: metadataFromHeaders(headers),
    tags: validateTags(tagsFromHeader(headers['x-amz-tagging']) ?? []),
    ...contentFromHeaders(headers),
    ...(headers['x-amz-checksum-algorithm'] && { checksumAlgorithm: headers['x-amz-checksum-algorithm'] }),
    parts: {},
    keyStateAtStart: keyState(ops.store.getObject(bucket, key)),
  };
  const acl = aclFromHeaders(headers, ops.owner);
  if (acl) upload.acl = acl;
  objectLockFromHeaders(headers);
  ops.store.saveUpload(upload);
  return xmlOk(
    el(
      'InitiateMultipartUploadResult',
      [el('Bucket', bucket), el('Key', key), el('UploadId', upload.uploadId)],
      {
        xmlns: S3_XMLNS,
      },
    ),
  );
}

/** UploadPart, or UploadPartCopy when x-amz-copy-source is present. */
export function uploadPart(ops: S3Operations, request: S3Request): HttpResponse {
  const upload = requireUpload(ops, request);
  const partNumber = partNumberOf(request);
  const copySource = request.headers['x-amz-copy-source'];
  let body = request.body;
  if (copySource !== undefined) {
    body = readCopySource(ops, parseCopySource(copySource)).body;
    const range = /^bytes=(\d+)-(\d+)$/.exec(request.headers['x-amz-copy-source-range'] ?? '');
    if (request.headers['x-amz-copy-source-range'] !== undefined) {
      if (!range || Number(range[2]) >= body.length || Number(range[1]) > Number(range[2])) {
        throw new S3Error('InvalidRange', 416, 'The requested range is not satisfiable');
      }
      body = body.subarray(Number(range[1]), Number(range[2]) + 1);
    }
  }
  const checksum = verifyIntegrity(request.headers, body);
  const previous = upload.parts[String(partNumber)];
  if (previous) ops.store.deleteBody(previous.blobId);
  const etag = `"${md5Hex(body)}"`;
  const lastModified = ops.now();
  upload.parts[String(partNumber)] = {
    partNumber,
    etag,
    size: body.length,
    blobId: ops.store.putBody(body),
    lastModified,
  };
  ops.store.saveUpload(upload);
  if (copySource !== undefined) {
    return xmlOk(
      el('CopyPartResult', [el('LastModified', lastModified), el('ETag', etag)], { xmlns: S3_XMLNS }),
    );
  }
  const headers: Record<string, string> = { etag };
  if (checksum) headers[`x-amz-checksum-${checksum.algorithm.toLowerCase()}`] = checksum.value;
  return { status: 200, headers };
}

export function completeMultipartUpload(ops: S3Operations, request: S3Request): HttpResponse {
  const upload = requireUpload(ops, request);
  const requestedConditions = conditionsFromHeaders(request.headers);
  const conditions = requestedConditions && {
    ...requestedConditions,
    ...(upload.keyStateAtStart === undefined ? {} : { stateAtStart: upload.keyStateAtStart }),
  };
  const requested = childrenNamed(parseXmlBody(request.body, 'CompleteMultipartUpload'), 'Part').map(
    (part) => ({
      partNumber: Number(childText(part, 'PartNumber')),
      etag: (childText(part, 'ETag') ?? '').replace(/"/g, ''),
    }),
  );
  if (requested.length === 0) {
    throw new S3Error(
      'MalformedXML',
      400,
      'The XML you provided was not well-formed or did not validate against our published schema',
    );
  }
  const parts = requested.map((wanted, index) => {
    if (index > 0 && wanted.partNumber <= requested[index - 1]!.partNumber) {
      throw new S3Error(
        'InvalidPartOrder',
        400,
        'The list of parts was not in ascending order. Parts must be ordered by part number.',
        { UploadId: upload.uploadId },
      );
    }
    const stored = upload.parts[String(wanted.partNumber)];
    if (!stored || stored.etag.replace(/"/g, '') !== wanted.etag) {
      throw new S3Error(
        'InvalidPart',
        400,
        "One or more of the specified parts could not be found. The part may not have been uploaded, or the specified entity tag may not match the part's entity tag.",
        {
          UploadId: upload.uploadId,
          PartNumber: String(wanted.partNumber),
          ETag: wanted.etag,
        },
      );
    }
    if (index < requested.length - 1 && stored.size < MIN_PART_SIZE) {
      throw new S3Error(
        'EntityTooSmall',
        400,
        'Your proposed upload is smaller than the minimum allowed object size.',
        {
          ProposedSize: String(stored.size),
          MinSizeAllowed: String(MIN_PART_SIZE),
          PartNumber: String(wanted.partNumber),
          ETag: wanted.etag,
        },
      );
    }
    return stored;
  });
  const body = Buffer.concat(parts.map((part) => ops.store.getBody(part.blobId)));
  const {
    uploadId,
    bucket,
    key,
    initiated: _i,
    parts: _p,
    checksumAlgorithm: _c,
    keyStateAtStart: _k,
    ...attributes
  } = upload;
  const version = ops.writeObject(
    bucket,
    key,
    body,
    {
      ...attributes,
      partsCount: parts.length,
      partSizes: parts.map((part) => part.size),
      ...(conditions && { conditions }),
    },
    'CompleteMultipartUpload',
    multipartEtag(parts.map((part) => part.etag)),
  );
  for (const part of Object.values(upload.parts)) ops.store.deleteBody(part.blobId);
  ops.store.deleteUpload(uploadId);
  const location = `http://${request.http.host}/${bucket}/${encodeURIComponent(key).replace(/%2F/g, '/')}`;
  return xmlOk(
    el(
      'CompleteMultipartUploadResult',
      [el('Location', location), el('Bucket', bucket), el('Key', key), el('ETag', version.etag)],
      {
        xmlns: S3_XMLNS,
      },
    ),
    versionHeader(ops.store.requireBucket(bucket), version),
  );
}

export function abortMultipartUpload(ops: S3Operations, request: S3Request): HttpResponse {
  const upload = requireUpload(ops, request);
  for (const part of Object.values(upload.parts)) ops.store.deleteBody(part.blobId);
  ops.store.deleteUpload(upload.uploadId);
  return { status: 204 };
}

export function listParts(ops: S3Operations, request: S3Request): HttpResponse {
  const upload = requireUpload(ops, request);
  const marker = Number(request.query.get('part-number-marker') ?? '0');
  const maxParts = Math.min(Number(request.query.get('max-parts') ?? '1000'), 1000);
  const all = Object.values(upload.parts)
    .filter((part) => part.partNumber > marker)
    .sort((a, b) => a.partNumber - b.partNumber);
  const page = all.slice(0, maxParts);
  const owner = [el('ID', ops.owner.ID ?? ''), el('DisplayName', ops.owner.DisplayName ?? '')];
  return xmlOk(
    el(
      'ListPartsResult',
      [
        el('Bucket', upload.bucket),
        el('Key', upload.key),
        el('UploadId', upload.uploadId),
        el('PartNumberMarker', marker),
        el('NextPartNumberMarker', page[page.length - 1]?.partNumber ?? marker),
        el('MaxParts', maxParts),
        el('IsTruncated', all.length > page.length),
        el('Initiator', owner),
        el('Owner', owner),
        el('StorageClass', upload.storageClass),
        ...page.map((part) =>
          el('Part', [
            el('PartNumber', part.partNumber),
            el('LastModified', part.lastModified),
            el('ETag', part.etag),
            el('Size', part.size),
          ]),
        ),
      ],
      { xmlns: S3_XMLNS },
    ),
  );
}
