import {
  type FaultInjector,
  type HttpRequest,
  type HttpResponse,
  S3ServiceError,
  type ServiceHandler,
} from '../contracts.js';
import { decodeAwsChunked, isAwsChunked } from './chunked.js';
import { newRequestId, notImplemented, renderS3Error, requestHeaders, S3Error } from './errors.js';
import type { S3Request } from './http-helpers.js';
import type { S3Inventory } from './inventory.js';
import { listObjects, listObjectVersions } from './listing.js';
import {
  abortMultipartUpload,
  completeMultipartUpload,
  createMultipartUpload,
  listParts,
  uploadPart,
} from './multipart.js';
import type { S3Operations } from './operations.js';
import * as buckets from './rest-buckets.js';
import { inventoryHandlers, inventoryOperation } from './rest-inventory.js';
import * as objects from './rest-objects.js';
import { checkRequestTarget } from './validation.js';

type Handler = (ops: S3Operations, request: S3Request) => HttpResponse;

const HANDLERS: Record<string, Handler> = {
  ListBuckets: (ops) => buckets.listBuckets(ops),
  CreateBucket: buckets.createBucket,
  HeadBucket: buckets.headBucket,
  DeleteBucket: buckets.deleteBucket,
  GetBucketLocation: buckets.bucketLocation,
  GetBucketVersioning: buckets.bucketVersioning,
  PutBucketVersioning: buckets.bucketVersioning,
  GetBucketAcl: buckets.bucketAcl,
  PutBucketAcl: buckets.bucketAcl,
  GetBucketReplication: buckets.bucketReplication,
  PutBucketReplication: buckets.bucketReplication,
  DeleteBucketReplication: buckets.bucketReplication,
  GetObjectLockConfiguration: buckets.objectLockConfiguration,
  PutObjectLockConfiguration: buckets.objectLockConfiguration,
  DeleteObjects: buckets.deleteObjects,
  ListObjects: (ops, r) => listObjects(ops, r.bucket!, r.http),
  ListObjectsV2: (ops, r) => listObjects(ops, r.bucket!, r.http),
  ListObjectVersions: (ops, r) => listObjectVersions(ops, r.bucket!, r.http),
  PutObject: objects.putObject,
  CopyObject: objects.copyObject,
  GetObject: objects.getObject,
  HeadObject: objects.getObject,
  DeleteObject: objects.deleteObject,
  GetObjectTagging: objects.objectTagging,
  PutObjectTagging: objects.objectTagging,
  DeleteObjectTagging: objects.objectTagging,
  GetObjectAcl: objects.objectAcl,
  PutObjectAcl: objects.objectAcl,
  RestoreObject: objects.restoreObject,
  GetObjectLegalHold: objects.legalHold,
  PutObjectLegalHold: objects.legalHold,
  GetObjectRetention: objects.retention,
  PutObjectRetention: objects.retention,
  CreateMultipartUpload: createMultipartUpload,
  UploadPart: uploadPart,
  UploadPartCopy: uploadPart,
  CompleteMultipartUpload: completeMultipartUpload,
  AbortMultipartUpload: abortMultipartUpload,
  ListParts: listParts,
};

/** Bucket subresources S3 has but the emulator does not: answered with NotImplemented, never as a listing. */
const UNSUPPORTED_BUCKET_SUBRESOURCES = [
  'policy',
  'cors',
  'lifecycle',
  'tagging',
  'notification',
  'encryption',
  'website',
  'logging',
  'ownershipControls',
  'publicAccessBlock',
  'intelligent-tiering',
  'metrics',
  'analytics',
  'accelerate',
  'requestPayment',
  'uploads',
  'policyStatus',
  'session',
  'metadataTable',
];

const VERB: Record<string, string> = { GET: 'Get', PUT: 'Put', DELETE: 'Delete', HEAD: 'Get', POST: 'Post' };

/** The AWS operation name of a request (also the key fault injection matches on). */
export function identifyOperation(request: S3Request): string {
  const { method, query: q } = request;
  const verb = VERB[method] ?? method;
  if (request.bucket === undefined) return method === 'GET' ? 'ListBuckets' : `${verb}Service`;
  if (request.key === undefined) {
    if (q.has('versioning')) return `${verb}BucketVersioning`;
    if (q.has('acl')) return `${verb}BucketAcl`;
    if (q.has('location')) return 'GetBucketLocation';
    if (q.has('replication')) return `${verb}BucketReplication`;
    if (q.has('object-lock')) return `${verb}ObjectLockConfiguration`;
    if (q.has('delete') && method === 'POST') return 'DeleteObjects';
    if (q.has('versions')) return 'ListObjectVersions';
    if (q.has('inventory')) return inventoryOperation(method, q);
    const unsupported = UNSUPPORTED_BUCKET_SUBRESOURCES.find((name) => q.has(name));
    if (unsupported) return `${verb}Bucket:${unsupported}`;
    if (method === 'PUT') return 'CreateBucket';
    if (method === 'HEAD') return 'HeadBucket';
    if (method === 'DELETE') return 'DeleteBucket';
    if (method === 'GET') return q.get('list-type') === '2' ? 'ListObjectsV2' : 'ListObjects';
    return `${verb}Bucket`;
  }
  if (q.has('uploads') && method === 'POST') return 'CreateMultipartUpload';
  if (q.has('uploadId')) {
    if (method === 'PUT') return request.headers['x-amz-copy-source'] ? 'UploadPartCopy' : 'UploadPart';
    if (method === 'POST') return 'CompleteMultipartUpload';
    if (method === 'DELETE') return 'AbortMultipartUpload';
    return 'ListParts';
  }
  if (q.has('tagging')) return `${verb}ObjectTagging`;
  if (q.has('acl')) return `${verb}ObjectAcl`;
  if (q.has('restore') && method === 'POST') return 'RestoreObject';
  if (q.has('legal-hold')) return `${verb}ObjectLegalHold`;
  if (q.has('retention')) return `${verb}ObjectRetention`;
  if (q.has('attributes')) return 'GetObjectAttributes';
  if (q.has('select')) return 'SelectObjectContent';
  if (method === 'PUT')
    return request.headers['x-amz-copy-source'] !== undefined ? 'CopyObject' : 'PutObject';
  if (method === 'GET') return 'GetObject';
  if (method === 'HEAD') return 'HeadObject';
  if (method === 'DELETE') return 'DeleteObject';
  return `${verb}Object`;
}

/**
 * Virtual-hosted buckets: `<bucket>.s3[.-]<region>.amazonaws.com` (dots allowed in the bucket) and
 * `<bucket>.localhost`; anything else is path style.
 */
export function bucketFromHost(host: string): string | undefined {
  const name = host.toLowerCase().replace(/:\d+$/, '');
  const aws = /^(.+)\.s3(?:[.-][a-z0-9-]+)*\.amazonaws\.com$/.exec(name);
  if (aws) return aws[1];
  const local = /^(.+)\.localhost$/.exec(name);
  return local?.[1];
}

const invalidUri = () => new S3Error('InvalidURI', 400, "Couldn't parse the specified URI.");

function decodePathPart(raw: string): string {
  try {
    return decodeURIComponent(raw);
  } catch {
    throw invalidUri();
  }
}

/** Reads bucket and key from the raw target, so encoded characters (%2F, %3F, ...) keep their meaning. */
export function locate(http: HttpRequest): { bucket?: string; key?: string } {
  const rawPath = http.url.split('?', 1)[0] || '/';
  const hostBucket = bucketFromHost(http.host);
  const rest = rawPath.startsWith('/') ? rawPath.slice(1) : rawPath;
  if (hostBucket !== undefined)
    return rest === '' ? { bucket: hostBucket } : { bucket: hostBucket, key: decodePathPart(rest) };
  if (rest === '') return {};
  const slash = rest.indexOf('/');
  if (slash === -1) return { bucket: decodePathPart(rest) };
  const key = rest.slice(slash + 1);
  return { bucket: decodePathPart(rest.slice(0, slash)), ...(key !== '' && { key: decodePathPart(key) }) };
}

/**
 * The S3 REST-XML endpoint: route, inject faults, act, and render errors as S3 does. Without `inventory`,
 * `?inventory` requests answer NotImplemented.
 */
export function createS3Handler(
  ops: S3Operations,
  faults?: FaultInjector,
  inventory?: S3Inventory,
): ServiceHandler {
  const handlers = inventory ? { ...HANDLERS, ...inventoryHandlers(inventory) } : HANDLERS;
  return async (http) => {
    const requestId = newRequestId();
    let resource: string | undefined;
    try {
      const located = locate(http);
      checkRequestTarget(located.bucket, located.key);
      resource =
        located.bucket === undefined
          ? '/'
          : `/${located.bucket}${located.key === undefined ? '' : `/${located.key}`}`;
      let body = http.body;
      let headers = http.headers;
      if (isAwsChunked(headers)) {
        const decoded = decodeAwsChunked(body);
        body = decoded.body;
        headers = { ...headers, ...decoded.trailers };
      }
      const request: S3Request = {
        http,
        method: http.method.toUpperCase(),
        bucket: located.bucket,
        key: located.key,
        query: http.query,
        headers,
        body,
      };
      const operation = identifyOperation(request);
      const fault = await faults?.before('s3', operation);
      if (fault) throw new S3Error(fault.code, fault.httpStatus, fault.message);
      const handler = handlers[operation];
      if (!handler) throw notImplemented(operation);
      const response = handler(ops, request);
      return { ...response, headers: { ...requestHeaders(requestId), ...response.headers } };
    } catch (error) {
      if (error instanceof S3ServiceError)
        return renderS3Error(error, requestId, http.method.toUpperCase(), resource);
      throw error;
    }
  };
}
