import {
  BadRequestException,
  CreateJobCommand,
  type CreateJobCommandInput,
  DeleteJobTaggingCommand,
  GetJobTaggingCommand,
  IdempotencyException,
  JobStatusException,
  ListJobsCommand,
  NotFoundException,
  PutJobTaggingCommand,
  TooManyRequestsException,
  UpdateJobPriorityCommand,
  UpdateJobStatusCommand,
} from '@aws-sdk/client-s3-control';
import { afterEach, describe, expect, it } from 'vitest';
import { parseXml, xmlToValue } from '../../../emulator/s3control/xml.js';
import {
  ACCOUNT_ID,
  createTestEnv,
  describe as describeJob,
  ROLE_ARN,
  seedObjects,
  type TestEnv,
  waitFor,
} from './helpers.js';

function request(
  manifest: { etag: string; objectArn: string },
  overrides: Partial<CreateJobCommandInput> = {},
) {
  return {
    AccountId: ACCOUNT_ID,
    Operation: { S3PutObjectTagging: { TagSet: [{ Key: 'k', Value: 'v' }] } },
    Report: { Enabled: false },
    Manifest: {
      Spec: { Format: 'S3BatchOperations_CSV_20180820', Fields: ['Bucket', 'Key'] },
      Location: { ObjectArn: manifest.objectArn, ETag: manifest.etag },
    },
    Priority: 10,
    RoleArn: ROLE_ARN,
    ...overrides,
  } satisfies CreateJobCommandInput;
}

describe('S3 Control jobs API over REST-XML (real S3ControlClient)', () => {
  let env: TestEnv;
  afterEach(async () => env?.close());

  it('returns the same JobId for a repeated ClientRequestToken and rejects a reused token with new parameters', async () => {
    env = await createTestEnv({ autoStart: false });
    const manifest = seedObjects(env.s3, 'src-bucket', ['k']);
    const first = await env.client.send(
      new CreateJobCommand(request(manifest, { ClientRequestToken: 'tok-1' })),
    );
    const again = await env.client.send(
      new CreateJobCommand(request(manifest, { ClientRequestToken: 'tok-1' })),
    );
    expect(again.JobId).toBe(first.JobId);
    await expect(
      env.client.send(new CreateJobCommand(request(manifest, { ClientRequestToken: 'tok-1', Priority: 11 }))),
    ).rejects.toBeInstanceOf(IdempotencyException);
    expect(env.service.engine.jobs()).toHaveLength(1);
  });

  it.each([
    ['no operation', { Operation: {} }],
    [
      'a report without a bucket ARN',
      { Report: { Enabled: true, Bucket: 'reports', Format: 'Report_CSV_20180820' } },
    ],
    ['a priority out of range', { Priority: -1 }],
    ['a role that is not an IAM role ARN', { RoleArn: 'S3BatchJobRole' }],
    ['a 65-character token', { ClientRequestToken: 'x'.repeat(65) }],
    ['a 257-character description', { Description: 'd'.repeat(257) }],
    [
      'a manifest without an ETag',
      {
        Manifest: {
          Spec: { Format: 'S3BatchOperations_CSV_20180820', Fields: ['Bucket', 'Key'] },
          Location: { ObjectArn: 'arn:aws:s3:::src-bucket/m.csv' },
        },
      },
    ],
  ] as [string, Partial<CreateJobCommandInput>][])(
    'rejects %s with BadRequestException',
    async (_name, overrides) => {
      env = await createTestEnv({ autoStart: false });
      const manifest = seedObjects(env.s3, 'src-bucket', ['k']);
      await expect(
        env.client.send(new CreateJobCommand(request(manifest, overrides as CreateJobCommandInput))),
      ).rejects.toBeInstanceOf(BadRequestException);
    },
  );

  it('describes the job with the fields of the AWS CLI example and lists it by status', async () => {
    env = await createTestEnv({ autoStart: false });
    const manifest = seedObjects(env.s3, 'src-bucket', ['k']);
    const copy = {
      S3PutObjectCopy: {
        TargetResource: 'arn:aws:s3:::target',
        MetadataDirective: 'REPLACE' as const,
        NewObjectMetadata: { UserMetadata: { a: '1' } },
      },
    };
    const { JobId } = await env.client.send(
      new CreateJobCommand(request(manifest, { Operation: copy, Description: 'copy <&>' })),
    );
    const job = await describeJob(env, JobId!);
    expect(job).toMatchObject({
      JobId,
      Status: 'New',
      Priority: 10,
      Description: 'copy <&>',
      RoleArn: ROLE_ARN,
      Operation: copy,
      Report: { Enabled: false },
      Manifest: request(manifest).Manifest,
      ProgressSummary: { TotalNumberOfTasks: 0, NumberOfTasksSucceeded: 0, NumberOfTasksFailed: 0 },
      FailureReasons: [],
    });
    expect(job.CreationTime).toBeInstanceOf(Date);
    const listed = await env.client.send(
      new ListJobsCommand({ AccountId: ACCOUNT_ID, JobStatuses: ['New'] }),
    );
    expect(listed.Jobs).toEqual([
      expect.objectContaining({ JobId, Operation: 'S3PutObjectCopy', Status: 'New' }),
    ]);
    const none = await env.client.send(
      new ListJobsCommand({ AccountId: ACCOUNT_ID, JobStatuses: ['Complete'] }),
    );
    expect(none.Jobs ?? []).toEqual([]);
  });

  it('pages ListJobs with MaxResults and NextToken', async () => {
    env = await createTestEnv({ autoStart: false });
    const manifest = seedObjects(env.s3, 'src-bucket', ['k']);
    for (let i = 0; i < 3; i++) await env.client.send(new CreateJobCommand(request(manifest)));
    const page1 = await env.client.send(new ListJobsCommand({ AccountId: ACCOUNT_ID, MaxResults: 2 }));
    const page2 = await env.client.send(
      new ListJobsCommand({ AccountId: ACCOUNT_ID, MaxResults: 2, NextToken: page1.NextToken }),
    );
    expect(page1.Jobs).toHaveLength(2);
    expect(page2.Jobs).toHaveLength(1);
    expect(page2.NextToken).toBeUndefined();
  });

  it('raises NotFoundException for an unknown job and JobStatusException for impossible status changes', async () => {
    env = await createTestEnv();
    await expect(
      env.client.send(
        new UpdateJobPriorityCommand({ AccountId: ACCOUNT_ID, JobId: 'nope-nope', Priority: 1 }),
      ),
    ).rejects.toBeInstanceOf(NotFoundException);
    const { JobId } = await env.client.send(
      new CreateJobCommand(request(seedObjects(env.s3, 'src-bucket', ['k']))),
    );
    await expect(
      env.client.send(
        new UpdateJobStatusCommand({ AccountId: ACCOUNT_ID, JobId, RequestedJobStatus: 'Ready' }),
      ),
    ).rejects.toBeInstanceOf(JobStatusException);
    await waitFor(env, JobId!, (j) => j.Status === 'Complete');
    await expect(
      env.client.send(
        new UpdateJobStatusCommand({ AccountId: ACCOUNT_ID, JobId, RequestedJobStatus: 'Cancelled' }),
      ),
    ).rejects.toBeInstanceOf(JobStatusException);
  });

  it('updates priority and job tags', async () => {
    env = await createTestEnv({ autoStart: false });
    const { JobId } = await env.client.send(
      new CreateJobCommand(
        request(seedObjects(env.s3, 'src-bucket', ['k']), { Tags: [{ Key: 'a', Value: '1' }] }),
      ),
    );
    const updated = await env.client.send(
      new UpdateJobPriorityCommand({ AccountId: ACCOUNT_ID, JobId, Priority: 99 }),
    );
    expect(updated).toMatchObject({ JobId, Priority: 99 });
    expect((await env.client.send(new GetJobTaggingCommand({ AccountId: ACCOUNT_ID, JobId }))).Tags).toEqual([
      { Key: 'a', Value: '1' },
    ]);
    await env.client.send(
      new PutJobTaggingCommand({
        AccountId: ACCOUNT_ID,
        JobId,
        Tags: [
          { Key: 'b', Value: '2' },
          { Key: 'c', Value: '' },
        ],
      }),
    );
    expect((await env.client.send(new GetJobTaggingCommand({ AccountId: ACCOUNT_ID, JobId }))).Tags).toEqual([
      { Key: 'b', Value: '2' },
      { Key: 'c', Value: '' },
    ]);
    await env.client.send(new DeleteJobTaggingCommand({ AccountId: ACCOUNT_ID, JobId }));
    expect(
      (await env.client.send(new GetJobTaggingCommand({ AccountId: ACCOUNT_ID, JobId }))).Tags ?? [],
    ).toEqual([]);
  });

  it('answers with an injected fault instead of acting (throttling)', async () => {
    env = await createTestEnv({ autoStart: false, faults: { throttleFirst: { 's3control:ListJobs': 1 } } });
    await expect(env.client.send(new ListJobsCommand({ AccountId: ACCOUNT_ID }))).rejects.toBeInstanceOf(
      TooManyRequestsException,
    );
    // Only the first call was throttled: the next one acts.
    expect((await env.client.send(new ListJobsCommand({ AccountId: ACCOUNT_ID }))).Jobs ?? []).toEqual([]);
  });
});

describe('xml', () => {
  it('reads members, entries, entities and CDATA tolerantly', () => {
    const root = parseXml(
      '<?xml version="1.0"?><!-- c --><a:R xmlns:a="x"><L><member>1</member><member>2</member></L>' +
        '<M><entry><key>k</key><value>v&amp;</value></entry></M><S><![CDATA[<raw>]]></S><E/></a:R>',
    );
    expect(xmlToValue(root)).toEqual({ L: ['1', '2'], M: { k: 'v&' }, S: '<raw>', E: '' });
  });
});
