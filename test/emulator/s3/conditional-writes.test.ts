import {
  CompleteMultipartUploadCommand,
  CreateBucketCommand,
  CreateMultipartUploadCommand,
  DeleteObjectCommand,
  GetObjectCommand,
  PutBucketVersioningCommand,
  PutObjectCommand,
  S3ServiceException,
  UploadPartCommand,
} from '@aws-sdk/client-s3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type S3Harness, startS3Harness } from './harness.js';

const BUCKET = 'state-bucket';
const KEY = 'campaign-runs/weekly/weekly-20261206T0300Z.json';

describe('S3 conditional writes', () => {
  let s3: S3Harness;

  beforeEach(async () => {
    s3 = await startS3Harness({ maxAttempts: 1 });
    await s3.client.send(new CreateBucketCommand({ Bucket: BUCKET }));
  });
  afterEach(() => s3.close());

  const put = (body: string, conditions: { IfNoneMatch?: string; IfMatch?: string } = {}) =>
    s3.client.send(new PutObjectCommand({ Bucket: BUCKET, Key: KEY, Body: body, ...conditions }));
  const failure = (promise: Promise<unknown>) =>
    promise.then(
      () => {
        throw new Error('expected the write to fail');
      },
      (error: unknown) => {
        const s3Error = error as S3ServiceException & { Condition?: string; Key?: string };
        expect(s3Error).toBeInstanceOf(S3ServiceException);
        return {
          name: s3Error.name,
          status: s3Error.$metadata.httpStatusCode,
          message: s3Error.message,
          condition: s3Error.Condition,
        };
      },
    );
  const read = async () =>
    (await s3.client.send(new GetObjectCommand({ Bucket: BUCKET, Key: KEY }))).Body!.transformToString();

  it('If-None-Match: * — the first write wins, the second gets 412 and changes nothing', async () => {
    const first = await put('{"claimedBy":"execution-1"}', { IfNoneMatch: '*' });
    expect(first.ETag).toMatch(/^"[0-9a-f]{32}"$/);

    expect(await failure(put('{"claimedBy":"execution-2"}', { IfNoneMatch: '*' }))).toEqual({
      name: 'PreconditionFailed',
      status: 412,
      message: 'At least one of the pre-conditions you specified did not hold',
      condition: 'If-None-Match',
    });
    expect(await read()).toBe('{"claimedBy":"execution-1"}');
  });

  it('If-None-Match: * succeeds over a delete marker, and refuses any value but *', async () => {
    await s3.client.send(
      new PutBucketVersioningCommand({ Bucket: BUCKET, VersioningConfiguration: { Status: 'Enabled' } }),
    );
    await put('old');
    await s3.client.send(new DeleteObjectCommand({ Bucket: BUCKET, Key: KEY }));

    await put('new', { IfNoneMatch: '*' });

    expect(await read()).toBe('new');
    expect((await failure(put('other', { IfNoneMatch: '"abc"' }))).status).toBe(501);
  });

  it('If-Match: writes over the same ETag, 412 on another, NoSuchKey when there is no object', async () => {
    const { ETag } = await put('v1');

    const second = await put('v2', { IfMatch: ETag! });
    expect(await read()).toBe('v2');

    expect(await failure(put('v3', { IfMatch: ETag! }))).toMatchObject({
      name: 'PreconditionFailed',
      status: 412,
      condition: 'If-Match',
    });
    expect(await read()).toBe('v2');
    // Quotes are optional.
    await put('v3', { IfMatch: second.ETag!.replaceAll('"', '') });
    expect(await read()).toBe('v3');

    await s3.client.send(new DeleteObjectCommand({ Bucket: BUCKET, Key: KEY }));
    expect(await failure(put('v4', { IfMatch: second.ETag! }))).toMatchObject({
      name: 'NoSuchKey',
      status: 404,
    });
  });

  it('CompleteMultipartUpload: If-None-Match * fails when the key appeared during the upload', async () => {
    const upload = async () => {
      const { UploadId } = await s3.client.send(
        new CreateMultipartUploadCommand({ Bucket: BUCKET, Key: KEY }),
      );
      const { ETag } = await s3.client.send(
        new UploadPartCommand({ Bucket: BUCKET, Key: KEY, UploadId, PartNumber: 1, Body: 'multipart body' }),
      );
      return (conditions: { IfNoneMatch?: string; IfMatch?: string }) =>
        s3.client.send(
          new CompleteMultipartUploadCommand({
            Bucket: BUCKET,
            Key: KEY,
            UploadId,
            MultipartUpload: { Parts: [{ PartNumber: 1, ETag }] },
            ...conditions,
          }),
        );
    };
    const complete = await upload();
    const { ETag } = await put('written meanwhile');

    expect(await failure(complete({ IfNoneMatch: '*' }))).toMatchObject({
      status: 412,
      condition: 'If-None-Match',
    });
    // The object changed after the upload began: even the matching ETag is a conflict.
    expect(await failure(complete({ IfMatch: ETag! }))).toEqual({
      name: 'ConditionalRequestConflict',
      status: 409,
      message: 'The conditional request cannot succeed due to a conflicting operation against this resource.',
      condition: 'If-Match',
    });

    const afterWrite = await upload();
    await afterWrite({ IfMatch: ETag! });
    expect(await read()).toBe('multipart body');
  });

  it('the in-process S3 backend takes the same conditions', () => {
    s3.service.backend.putObject(BUCKET, 'lock', Buffer.from('one'), { ifNoneMatch: '*' });

    expect(() =>
      s3.service.backend.putObject(BUCKET, 'lock', Buffer.from('two'), { ifNoneMatch: '*' }),
    ).toThrow(expect.objectContaining({ code: 'PreconditionFailed', httpStatus: 412 }));
    expect(() =>
      s3.service.backend.putObject(BUCKET, 'lock', Buffer.from('two'), { ifMatch: '"nope"' }),
    ).toThrow(expect.objectContaining({ code: 'PreconditionFailed' }));
  });
});
