/**
 * CreateJob operation fields as the real S3ControlClient serialises them (timestamps as ISO 8601 text, maps as
 * entries), and the validation naming the field that is wrong.
 */
import { CreateJobCommand } from '@aws-sdk/client-s3-control';
import { afterEach, describe, expect, it } from 'vitest';
import { parseRequestBody, validateCreateJob } from '../../../emulator/s3control/create-job-request.js';
import {
  ACCOUNT_ID,
  aCreateJobInput,
  createTestEnv,
  describe as describeJob,
  seedObjects,
  type TestEnv,
} from './helpers.js';

let env: TestEnv | undefined;
afterEach(async () => {
  await env?.close();
  env = undefined;
});

describe('CreateJob timestamps sent by the SDK', () => {
  it('parses every date-time field of S3PutObjectCopy and S3PutObjectRetention and echoes it in DescribeJob', async () => {
    // Prepare
    env = await createTestEnv({ autoStart: false });
    const manifest = seedObjects(env.s3, 'data', ['a.txt']);
    const copy = {
      TargetResource: 'arn:aws:s3:::target',
      ModifiedSinceConstraint: new Date('2001-02-03T04:05:06Z'),
      UnModifiedSinceConstraint: new Date('2099-02-03T04:05:06Z'),
      ObjectLockMode: 'GOVERNANCE' as const,
      ObjectLockRetainUntilDate: new Date('2098-01-01T00:00:00Z'),
      NewObjectMetadata: {
        HttpExpiresDate: new Date('2030-06-01T12:00:00Z'),
        UserMetadata: { team: 'data' },
      },
    };
    const retention = {
      BypassGovernanceRetention: true,
      Retention: { Mode: 'COMPLIANCE' as const, RetainUntilDate: new Date('2097-05-06T07:08:09Z') },
    };
    // Act
    const copyJob = await env.client.send(
      new CreateJobCommand({
        ...aCreateJobInput(manifest),
        Operation: { S3PutObjectCopy: copy },
        ClientRequestToken: 'copy',
      }),
    );
    const retentionJob = await env.client.send(
      new CreateJobCommand({
        ...aCreateJobInput(manifest),
        Operation: { S3PutObjectRetention: retention },
        ClientRequestToken: 'retention',
      }),
    );
    // Assess
    expect((await describeJob(env, copyJob.JobId!)).Operation?.S3PutObjectCopy).toMatchObject(copy);
    expect((await describeJob(env, retentionJob.JobId!)).Operation?.S3PutObjectRetention).toEqual(retention);
  });
});

/** A CreateJob body around `operationXml`, parsed and validated as the handler does. */
function createJob(operationXml: string) {
  const body = `<CreateJobRequest xmlns="http://awss3control.amazonaws.com/doc/2018-08-20/">
    <ClientRequestToken>t</ClientRequestToken><Priority>1</Priority>
    <RoleArn>arn:aws:iam::${ACCOUNT_ID}:role/r</RoleArn>
    <Operation>${operationXml}</Operation>
    <Report><Enabled>false</Enabled></Report>
    <Manifest><Spec><Format>S3BatchOperations_CSV_20180820</Format><Fields><member>Bucket</member><member>Key</member></Fields></Spec>
    <Location><ObjectArn>arn:aws:s3:::data/m.csv</ObjectArn><ETag>e</ETag></Location></Manifest>
  </CreateJobRequest>`;
  return validateCreateJob(parseRequestBody(Buffer.from(body), 'CreateJobRequest'));
}

describe('CreateJob operation validation', () => {
  it.each([
    [
      '<S3PutObjectRetention><Retention><Mode>GOVERNANCE</Mode><RetainUntilDate>soon</RetainUntilDate></Retention></S3PutObjectRetention>',
      'Retention.RetainUntilDate',
    ],
    [
      '<S3PutObjectCopy><TargetResource>arn:aws:s3:::target</TargetResource><UnModifiedSinceConstraint>x</UnModifiedSinceConstraint></S3PutObjectCopy>',
      'S3PutObjectCopy.UnModifiedSinceConstraint',
    ],
    [
      '<S3PutObjectCopy><TargetResource>arn:aws:s3:::target</TargetResource><NewObjectMetadata><HttpExpiresDate>x</HttpExpiresDate></NewObjectMetadata></S3PutObjectCopy>',
      'S3PutObjectCopy.NewObjectMetadata.HttpExpiresDate',
    ],
    [
      '<S3PutObjectCopy><TargetResource>arn:aws:s3:::target</TargetResource><StorageClass>COLD</StorageClass></S3PutObjectCopy>',
      'S3PutObjectCopy.StorageClass',
    ],
    [
      '<S3ComputeObjectChecksum><ChecksumAlgorithm>CRC64NVME</ChecksumAlgorithm><ChecksumType>COMPOSITE</ChecksumType></S3ComputeObjectChecksum>',
      'CRC64NVME supports only ChecksumType FULL_OBJECT',
    ],
    [
      '<S3ComputeObjectChecksum><ChecksumAlgorithm>MD4</ChecksumAlgorithm></S3ComputeObjectChecksum>',
      'S3ComputeObjectChecksum.ChecksumAlgorithm',
    ],
  ])('rejects %s naming %s', (operationXml, field) => {
    expect(() => createJob(operationXml)).toThrow(field);
  });

  it('reads an empty UserMetadata as an empty map', () => {
    const request = createJob(
      '<S3PutObjectCopy><TargetResource>arn:aws:s3:::target</TargetResource><NewObjectMetadata><UserMetadata/></NewObjectMetadata></S3PutObjectCopy>',
    );
    expect(request.Operation.S3PutObjectCopy?.NewObjectMetadata).toEqual({ UserMetadata: {} });
  });
});
