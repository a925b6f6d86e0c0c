import type { HttpResponse } from '../contracts.js';
import { aclFromHeaders, cannedAcl, parseAccessControlPolicy, renderAccessControlPolicy } from './acl.js';
import { S3Error } from './errors.js';
import { type S3Request, xmlOk } from './http-helpers.js';
import type { S3Operations } from './operations.js';
import { child, childrenNamed, childText, el, opt, parseXml, parseXmlBody, S3_XMLNS } from './xml.js';

export function listBuckets(ops: S3Operations): HttpResponse {
  const buckets = ops.store
    .listBuckets()
    .map((bucket) =>
      el('Bucket', [
        el('Name', bucket.name),
        el('CreationDate', bucket.creationDate),
        el('BucketRegion', bucket.region),
      ]),
    );
  return xmlOk(
    el(
      'ListAllMyBucketsResult',
      [
        el('Owner', [el('ID', ops.owner.ID ?? ''), el('DisplayName', ops.owner.DisplayName ?? '')]),
        el('Buckets', buckets),
      ],
      { xmlns: S3_XMLNS },
    ),
  );
}

export function createBucket(ops: S3Operations, request: S3Request): HttpResponse {
  const name = request.bucket!;
  if (request.body.length > 0) {
    const root = parseXmlBody(request.body, 'CreateBucketConfiguration');
    const location = childText(root, 'LocationConstraint');
    if (location && location !== ops.region) {
      throw new S3Error(
        'IllegalLocationConstraintException',
        400,
        `The ${location} location constraint is incompatible for the region specific endpoint this request was sent to.`,
      );
    }
  }
  const created = ops.createBucket(name, {
    objectLock: request.headers['x-amz-bucket-object-lock-enabled'] === 'true',
    acl: aclFromHeaders(request.headers, ops.owner),
  });
  // us-east-1 answers 200 to a repeated CreateBucket by the owner; every other region says 409.
  if (!created && ops.region !== 'us-east-1') {
    throw new S3Error(
      'BucketAlreadyOwnedByYou',
      409,
      'Your previous request to create the named bucket succeeded and you already own it.',
      { BucketName: name },
    );
  }
  return { status: 200, headers: { location: `/${name}` } };
}

export function headBucket(ops: S3Operations, request: S3Request): HttpResponse {
  const bucket = ops.store.requireBucket(request.bucket!);
  return { status: 200, headers: { 'x-amz-bucket-region': bucket.region } };
}

export function deleteBucket(ops: S3Operations, request: S3Request): HttpResponse {
  ops.deleteBucket(request.bucket!);
  return { status: 204 };
}

export function bucketLocation(ops: S3Operations, request: S3Request): HttpResponse {
  const bucket = ops.store.requireBucket(request.bucket!);
  // us-east-1 is reported as an empty LocationConstraint.
  const region = bucket.region === 'us-east-1' ? undefined : bucket.region;
  return xmlOk(el('LocationConstraint', region, { xmlns: S3_XMLNS }));
}

export function bucketVersioning(ops: S3Operations, request: S3Request): HttpResponse {
  if (request.method === 'PUT') {
    const status = childText(parseXmlBody(request.body, 'VersioningConfiguration'), 'Status') ?? '';
    ops.putBucketVersioning(request.bucket!, status);
    return { status: 200 };
  }
  const bucket = ops.store.requireBucket(request.bucket!);
  return xmlOk(el('VersioningConfiguration', [opt('Status', bucket.versioning)], { xmlns: S3_XMLNS }));
}

export function bucketAcl(ops: S3Operations, request: S3Request): HttpResponse {
  const bucket = ops.store.requireBucket(request.bucket!);
  if (request.method === 'GET') return xmlOk(renderAccessControlPolicy(bucket.acl, ops.owner));
  bucket.acl =
    aclFromHeaders(request.headers, ops.owner) ??
    (request.body.length > 0
      ? parseAccessControlPolicy(parseXmlBody(request.body, 'AccessControlPolicy'))
      : cannedAcl('private', ops.owner));
  ops.store.saveBucket(bucket);
  return { status: 200 };
}

export function bucketReplication(ops: S3Operations, request: S3Request): HttpResponse {
  const bucket = ops.store.requireBucket(request.bucket!);
  if (request.method === 'PUT') {
    const root = parseXmlBody(request.body, 'ReplicationConfiguration');
    if (bucket.versioning !== 'Enabled') {
      throw new S3Error(
        'InvalidRequest',
        400,
        "Versioning must be 'Enabled' on the bucket to apply a replication configuration",
      );
    }
    if (childrenNamed(root, 'Rule').length === 0)
      throw new S3Error('MalformedXML', 400, 'At least one Rule is required');
    bucket.replication = request.body.toString('utf8');
  } else if (request.method === 'DELETE') {
    delete bucket.replication;
  } else {
    if (!bucket.replication) {
      throw new S3Error(
        'ReplicationConfigurationNotFoundError',
        404,
        'The replication configuration was not found',
        { BucketName: bucket.name },
      );
    }
    parseXml(bucket.replication);
    return xmlOk(bucket.replication.replace(/^<\?xml[^>]*\?>\s*/, ''));
  }
  ops.store.saveBucket(bucket);
  return { status: request.method === 'DELETE' ? 204 : 200 };
}

export function objectLockConfiguration(ops: S3Operations, request: S3Request): HttpResponse {
  const bucket = ops.store.requireBucket(request.bucket!);
  if (request.method === 'PUT') {
    const root = parseXmlBody(request.body, 'ObjectLockConfiguration');
    if (childText(root, 'ObjectLockEnabled') !== 'Enabled')
      throw new S3Error('MalformedXML', 400, 'ObjectLockEnabled must be Enabled');
    if (bucket.versioning !== 'Enabled') {
      throw new S3Error(
        'InvalidBucketState',
        409,
        "Versioning must be 'Enabled' on the bucket to apply a Object Lock configuration",
      );
    }
    if (child(root, 'Rule'))
      throw new S3Error('NotImplemented', 501, 'Default retention rules are not emulated');
    bucket.objectLock = true;
    ops.store.saveBucket(bucket);
    return { status: 200 };
  }
  if (!bucket.objectLock) {
    throw new S3Error(
      'ObjectLockConfigurationNotFoundError',
      404,
      'Object Lock configuration does not exist for this bucket',
      { BucketName: bucket.name },
    );
  }
  return xmlOk(el('ObjectLockConfiguration', [el('ObjectLockEnabled', 'Enabled')], { xmlns: S3_XMLNS }));
}

/** DeleteObjects: per-key results; a failure on one key does not fail the request. */
export function deleteObjects(ops: S3Operations, request: S3Request): HttpResponse {
  ops.store.requireBucket(request.bucket!);
  const root = parseXmlBody(request.body, 'Delete');
  const quiet = childText(root, 'Quiet') === 'true';
  const objects = childrenNamed(root, 'Object');
  if (objects.length > 1000)
    throw new S3Error('MalformedXML', 400, 'The request must contain no more than 1000 keys');
  const bypass = request.headers['x-amz-bypass-governance-retention'] === 'true';
  const results = objects.map((object) => {
    const key = childText(object, 'Key', true) ?? '';
    const versionId = childText(object, 'VersionId');
    try {
      const result = ops.deleteObject(request.bucket!, key, versionId, bypass);
      if (quiet) return '';
      return el('Deleted', [
        el('Key', key),
        opt('VersionId', versionId),
        ...(result.deleteMarker ? [el('DeleteMarker', true)] : []),
        ...(result.deleteMarker && versionId === undefined
          ? [el('DeleteMarkerVersionId', result.versionId ?? '')]
          : []),
      ]);
    } catch (error) {
      if (!(error instanceof S3Error)) throw error;
      return el('Error', [
        el('Key', key),
        opt('VersionId', versionId),
        el('Code', error.code),
        el('Message', error.message),
      ]);
    }
  });
  return xmlOk(el('DeleteResult', results, { xmlns: S3_XMLNS }));
}
