/** S3 objects (manifests, completion reports): `ObjectStorePort`. */
import {
  GetObjectCommand,
  HeadObjectCommand,
  ListObjectsV2Command,
  type ListObjectsV2CommandOutput,
  PutObjectCommand,
  type S3Client,
} from '@aws-sdk/client-s3';
import { ServiceUnavailableError } from '../../core/errors.js';
import type { ListObjectsOptions, ObjectHead, ObjectListingPage, ObjectStorePort } from '../../core/ports.js';
import { awsErrorInfo, translateAwsError, withAwsErrors } from './errors.js';

/** S3 returns ETags quoted (`"9b2c…"`); S3 Batch manifests and core want them bare. */
export function unquoteEtag(etag: string | undefined): string {
  if (etag === undefined) return '';
  return etag.replace(/^W\//, '').replace(/^"(.*)"$/, '$1');
}

const op = (name: string) => `S3.${name}`;

export function createObjectStoreAdapter(client: S3Client): ObjectStorePort {
  return {
    async headObject(bucket, key, versionId) {
      const output = await withAwsErrors(op('HeadObject'), () =>
        client.send(
          new HeadObjectCommand({
            Bucket: bucket,
            Key: key,
            ...(versionId === undefined ? {} : { VersionId: versionId }),
          }),
        ),
      );
      return {
        ...toObjectHead(output.ETag, output.VersionId, output.ContentLength ?? 0),
        ...(output.StorageClass === undefined ? {} : { storageClass: output.StorageClass }),
        ...(output.Restore === undefined ? {} : { restore: output.Restore }),
      };
    },

    listObjects(bucket, options) {
      return listObjectPages(client, bucket, options);
    },

    async getObjectStream(bucket, key) {
      const output = await withAwsErrors(op('GetObject'), () =>
        client.send(new GetObjectCommand({ Bucket: bucket, Key: key })),
      );
      return translateStreamErrors(op('GetObject'), toAsyncIterable(output.Body));
    },

    async putObject(bucket, key, body, contentType) {
      const output = await withAwsErrors(op('PutObject'), () =>
        client.send(
          new PutObjectCommand({
            Bucket: bucket,
            Key: key,
            Body: body,
            ...(contentType === undefined ? {} : { ContentType: contentType }),
          }),
        ),
      );
      const contentLength = typeof body === 'string' ? Buffer.byteLength(body, 'utf8') : body.byteLength;
      return toObjectHead(output.ETag, output.VersionId, contentLength);
    },

    async putObjectIfAbsent(bucket, key, body, contentType) {
      try {
        await client.send(
          new PutObjectCommand({
            Bucket: bucket,
            Key: key,
            Body: body,
            IfNoneMatch: '*',
            ...(contentType === undefined ? {} : { ContentType: contentType }),
          }),
        );
        return 'created';
      } catch (error) {
        const info = awsErrorInfo(error);
        // S3 User Guide, "Conditional writes": 412 Precondition Failed when the key exists; 409
        // ConditionalRequestConflict when another conditional write to the key is in flight, worth retrying
        // (the retry then sees 412 if that write won).
        if (info?.code === 'PreconditionFailed' || info?.httpStatusCode === 412) return 'exists';
        if (info?.code === 'ConditionalRequestConflict' || info?.httpStatusCode === 409) {
          throw new ServiceUnavailableError(
            `${op('PutObject')} (If-None-Match) failed with ConditionalRequestConflict: a concurrent write to s3://${bucket}/${key}`,
            { cause: error },
          );
        }
        throw translateAwsError(op('PutObject'), error);
      }
    },

    async getObjectWithEtag(bucket, key) {
      try {
        const output = await client.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
        const bytes = output.Body ? await output.Body.transformToByteArray() : new Uint8Array();
        return { body: Buffer.from(bytes), etag: unquoteEtag(output.ETag) };
      } catch (error) {
        const info = awsErrorInfo(error);
        if (info?.code === 'NoSuchKey' || info?.httpStatusCode === 404) return undefined;
        throw translateAwsError(op('GetObject'), error);
      }
    },

    async putObjectIfMatch(bucket, key, body, etag, contentType) {
      try {
        await client.send(
          new PutObjectCommand({
            Bucket: bucket,
            Key: key,
            Body: body,
            // S3 compares the quoted form; a bare ETag is quoted here.
            IfMatch: `"${etag}"`,
            ...(contentType === undefined ? {} : { ContentType: contentType }),
          }),
        );
        return 'written';
      } catch (error) {
        const info = awsErrorInfo(error);
        // S3 User Guide, "Conditional writes": 412 when the ETag no longer matches, 404 NoSuchKey when the
        // key is gone, 409 ConditionalRequestConflict while another conditional write is in flight. Each
        // means "read again": the caller's read-modify-write loop retries.
        const lost = ['PreconditionFailed', 'NoSuchKey', 'ConditionalRequestConflict'];
        if (lost.includes(info?.code ?? '') || [412, 404, 409].includes(info?.httpStatusCode ?? 0)) {
          return 'changed';
        }
        throw translateAwsError(op('PutObject'), error);
      }
    },
  };
}

function toObjectHead(
  etag: string | undefined,
  versionId: string | undefined,
  contentLength: number,
): ObjectHead {
  return {
    etag: unquoteEtag(etag),
    ...(versionId === undefined ? {} : { versionId }),
    contentLength,
  };
}

/**
 * In Node the SDK's Body is an `IncomingMessage` (a Readable, so async-iterable over Buffers, which are
 * Uint8Arrays). Other runtimes give a web ReadableStream or a Blob; handle them too rather than assume.
 */
function toAsyncIterable(body: unknown): AsyncIterable<Uint8Array> {
  if (body === undefined || body === null) return (async function* empty() {})();
  if (typeof body === 'object' && Symbol.asyncIterator in body) return body as AsyncIterable<Uint8Array>;
  const withWeb = body as { transformToWebStream?: () => ReadableStream<Uint8Array> };
  if (typeof withWeb.transformToWebStream === 'function') {
    return withWeb.transformToWebStream() as unknown as AsyncIterable<Uint8Array>;
  }
  if (body instanceof Blob) return body.stream() as unknown as AsyncIterable<Uint8Array>;
  throw new TypeError(`S3.GetObject: unsupported Body type ${Object.prototype.toString.call(body)}`);
}

/** A connection reset mid-body is as much an AWS failure as one before the headers: translate it too. */
async function* translateStreamErrors(
  operation: string,
  source: AsyncIterable<Uint8Array>,
): AsyncGenerator<Uint8Array, void, undefined> {
  try {
    yield* source;
  } catch (error) {
    throw translateAwsError(operation, error);
  }
}

/**
 * ListObjectsV2 pages, each requested when the consumer asks for it. A page that repeats the previous
 * continuation token (a faulty endpoint) would loop forever: it is a malformed answer, like a truncated
 * page without a token.
 */
async function* listObjectPages(
  client: S3Client,
  bucket: string,
  options: ListObjectsOptions,
): AsyncGenerator<ObjectListingPage, void, undefined> {
  let token: string | undefined;
  for (let page = 0; page < options.maxPages; page++) {
    const output: ListObjectsV2CommandOutput = await withAwsErrors(op('ListObjectsV2'), () =>
      client.send(
        new ListObjectsV2Command({
          Bucket: bucket,
          ...(options.prefix === undefined ? {} : { Prefix: options.prefix }),
          ...(options.delimiter === undefined ? {} : { Delimiter: options.delimiter }),
          ...(token === undefined ? {} : { ContinuationToken: token }),
        }),
      ),
    );
    const truncated = output.IsTruncated === true;
    const next = output.NextContinuationToken;
    if (truncated && (next === undefined || next === token)) {
      throw new ServiceUnavailableError(
        `${op('ListObjectsV2')} returned a malformed response: a truncated page without a new continuation token`,
      );
    }
    yield {
      objects: (output.Contents ?? [])
        .filter((object) => object.Key !== undefined)
        .map((object) => ({
          key: object.Key as string,
          size: object.Size ?? 0,
          lastModified: (object.LastModified ?? new Date(0)).toISOString(),
          storageClass: object.StorageClass ?? 'STANDARD',
        })),
      commonPrefixes: (output.CommonPrefixes ?? [])
        .map((common) => common.Prefix)
        .filter((prefix): prefix is string => prefix !== undefined),
      truncated,
    };
    if (!truncated) return;
    token = next;
  }
}
