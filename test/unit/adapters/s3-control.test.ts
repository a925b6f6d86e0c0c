import {
  CreateJobCommand,
  DescribeJobCommand,
  GetJobTaggingCommand,
  IdempotencyException,
  JobStatusException,
  ListJobsCommand,
  NotFoundException,
  PutJobTaggingCommand,
  S3ControlClient,
  TooManyRequestsException,
  UpdateJobPriorityCommand,
  UpdateJobStatusCommand,
} from '@aws-sdk/client-s3-control';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import { createBatchJobsAdapter } from '../../../src/adapters/aws/s3-control.js';
import {
  JobIdempotencyError,
  JobNotFoundError,
  JobStatusConflictError,
  ServiceThrottledError,
} from '../../../src/core/errors.js';
import type { CreateJobInput } from '../../../src/core/ports.js';
import createJobFixture from '../../fixtures/create-job-input.json' with { type: 'json' };
import createJobOutputFixture from '../../fixtures/create-job-output.json' with { type: 'json' };
import describeJobFixture from '../../fixtures/describe-job.json' with { type: 'json' };

const accountId = '123456789012';
const jobId = describeJobFixture.Job.JobId;
const s3Control = mockClient(S3ControlClient);

const createJobInput = (): CreateJobInput => ({
  ...(structuredClone(createJobFixture) as Omit<
    CreateJobInput,
    'ClientRequestToken' | 'ConfirmationRequired'
  >),
  ClientRequestToken: 'exec-1234',
  ConfirmationRequired: false,
});

const metadata = (httpStatusCode: number) => ({ httpStatusCode, requestId: 'req-1' });

/** The SDK parses timestamps into Date objects; the fixture is the CLI's JSON rendering. */
function describeJobFromSdk() {
  const { Job } = structuredClone(describeJobFixture);
  return {
    $metadata: metadata(200),
    Job: {
      ...Job,
      CreationTime: new Date(Job.CreationTime),
      TerminationDate: new Date(Job.TerminationDate),
    },
  } as never;
}

describe('createBatchJobsAdapter', () => {
  beforeEach(() => {
    s3Control.reset();
  });

  describe('createJob', () => {
    it('sends the CreateJob input as given and returns the job id', async () => {
      // Prepare
      s3Control.on(CreateJobCommand).resolves(createJobOutputFixture);
      const input = createJobInput();

      // Act
      const result = await createBatchJobsAdapter(new S3ControlClient({})).createJob(input);

      // Assess
      expect(result).toEqual({ jobId: '93735294-df46-44d5-8638-6356f335324e' });
      const calls = s3Control.commandCalls(CreateJobCommand);
      expect(calls).toHaveLength(1);
      expect(calls[0]?.args[0].input).toEqual(input);
    });

    it('translates TooManyRequestsException into a retryable ServiceThrottledError', async () => {
      // Prepare
      const sdkError = new TooManyRequestsException({ message: 'Rate exceeded', $metadata: metadata(400) });
      s3Control.on(CreateJobCommand).rejects(sdkError);

      // Act
      const error = await createBatchJobsAdapter(new S3ControlClient({}))
        .createJob(createJobInput())
        .catch((e: unknown) => e);

      // Assess
      expect(error).toBeInstanceOf(ServiceThrottledError);
      expect(error).toMatchObject({ name: 'ServiceThrottledError', retryable: true, cause: sdkError });
      expect((error as Error).message).toBe(
        'S3Control.CreateJob failed with TooManyRequestsException (HTTP 400): Rate exceeded [request id req-1]',
      );
    });

    it('translates IdempotencyException into JobIdempotencyError (not retryable)', async () => {
      // Prepare
      s3Control
        .on(CreateJobCommand)
        .rejects(new IdempotencyException({ message: 'token reused', $metadata: metadata(409) }));

      // Act
      const error = await createBatchJobsAdapter(new S3ControlClient({}))
        .createJob(createJobInput())
        .catch((e: unknown) => e);

      // Assess
      expect(error).toBeInstanceOf(JobIdempotencyError);
      expect(error).toMatchObject({ retryable: false });
    });
  });

  describe('describeJob', () => {
    it('maps the AWS example to a JobDescription with ISO dates', async () => {
      // Prepare
      s3Control.on(DescribeJobCommand, { AccountId: accountId, JobId: jobId }).resolves(describeJobFromSdk());

      // Act
      const job = await createBatchJobsAdapter(new S3ControlClient({})).describeJob(accountId, jobId);

      // Assess
      expect(job).toEqual({
        JobId: '93735294-df46-44d5-8638-6356f335324e',
        Status: 'Complete',
        Priority: 42,
        ProgressSummary: { TotalNumberOfTasks: 8, NumberOfTasksFailed: 0, NumberOfTasksSucceeded: 8 },
        FailureReasons: [],
        Report: {
          ReportScope: 'AllTasks',
          Format: 'Report_CSV_20180820',
          Enabled: true,
          Prefix: 'batch-op-create-job',
          Bucket: 'arn:aws:s3:::employee-records-logs',
        },
        CreationTime: '2019-10-03T21:48:48.048Z',
        TerminationDate: '2019-10-03T21:49:53.944Z',
      });
    });

    it('maps suspension, failure reasons and timers', async () => {
      // Prepare
      s3Control.on(DescribeJobCommand).resolves({
        Job: {
          JobId: 'job-2',
          Status: 'Suspended',
          SuspendedDate: new Date('2024-05-01T10:00:00Z'),
          SuspendedCause: 'AwaitingConfirmation',
          FailureReasons: [{ FailureCode: 'ManifestNotFound', FailureReason: 'no manifest' }],
          ProgressSummary: { Timers: { ElapsedTimeInActiveSeconds: 12 } },
        },
      });

      // Act
      const job = await createBatchJobsAdapter(new S3ControlClient({})).describeJob(accountId, 'job-2');

      // Assess
      expect(job).toEqual({
        JobId: 'job-2',
        Status: 'Suspended',
        SuspendedDate: '2024-05-01T10:00:00.000Z',
        SuspendedCause: 'AwaitingConfirmation',
        FailureReasons: [{ FailureCode: 'ManifestNotFound', FailureReason: 'no manifest' }],
        ProgressSummary: { Timers: { ElapsedTimeInActiveSeconds: 12 } },
      });
    });

    it('translates NotFoundException into JobNotFoundError', async () => {
      s3Control
        .on(DescribeJobCommand)
        .rejects(new NotFoundException({ message: 'no job', $metadata: metadata(404) }));

      const error = await createBatchJobsAdapter(new S3ControlClient({}))
        .describeJob(accountId, 'missing')
        .catch((e: unknown) => e);

      expect(error).toBeInstanceOf(JobNotFoundError);
    });
  });

  describe('updateJobStatus', () => {
    it('sends the requested status with the reason and returns the new status', async () => {
      // Prepare
      s3Control.on(UpdateJobStatusCommand).resolves({ JobId: jobId, Status: 'Cancelling' });

      // Act
      const result = await createBatchJobsAdapter(new S3ControlClient({})).updateJobStatus(
        accountId,
        jobId,
        'Cancelled',
        'failure rate 12% over 10%',
      );

      // Assess
      expect(result).toEqual({ status: 'Cancelling' });
      expect(s3Control.commandCalls(UpdateJobStatusCommand)[0]?.args[0].input).toEqual({
        AccountId: accountId,
        JobId: jobId,
        RequestedJobStatus: 'Cancelled',
        StatusUpdateReason: 'failure rate 12% over 10%',
      });
    });

    it('translates JobStatusException into JobStatusConflictError', async () => {
      s3Control
        .on(UpdateJobStatusCommand)
        .rejects(new JobStatusException({ message: 'job is Complete', $metadata: metadata(400) }));

      const error = await createBatchJobsAdapter(new S3ControlClient({}))
        .updateJobStatus(accountId, jobId, 'Cancelled')
        .catch((e: unknown) => e);

      expect(error).toBeInstanceOf(JobStatusConflictError);
      expect((error as Error).message).toContain('S3Control.UpdateJobStatus failed with JobStatusException');
    });
  });

  it('updateJobPriority sends the priority and returns the one AWS reports', async () => {
    // Prepare
    s3Control.on(UpdateJobPriorityCommand).resolves({ JobId: jobId, Priority: 7 });

    // Act
    const result = await createBatchJobsAdapter(new S3ControlClient({})).updateJobPriority(
      accountId,
      jobId,
      7,
    );

    // Assess
    expect(result).toEqual({ priority: 7 });
    expect(s3Control.commandCalls(UpdateJobPriorityCommand)[0]?.args[0].input).toEqual({
      AccountId: accountId,
      JobId: jobId,
      Priority: 7,
    });
  });

  it('listJobs passes the filters and maps one page', async () => {
    // Prepare
    s3Control.on(ListJobsCommand).resolves({
      NextToken: 'page-2',
      Jobs: [
        {
          JobId: 'job-1',
          Status: 'Active',
          Operation: 'S3PutObjectTagging',
          Priority: 10,
          CreationTime: new Date('2024-05-01T10:00:00Z'),
          ProgressSummary: { TotalNumberOfTasks: 100, NumberOfTasksSucceeded: 40, NumberOfTasksFailed: 1 },
        },
      ],
    });

    // Act
    const page = await createBatchJobsAdapter(new S3ControlClient({})).listJobs(accountId, {
      statuses: ['Active', 'Paused'],
      maxResults: 50,
      nextToken: 'page-1',
    });

    // Assess
    expect(page).toEqual({
      nextToken: 'page-2',
      jobs: [
        {
          JobId: 'job-1',
          Status: 'Active',
          Operation: 'S3PutObjectTagging',
          Priority: 10,
          CreationTime: '2024-05-01T10:00:00.000Z',
          ProgressSummary: { TotalNumberOfTasks: 100, NumberOfTasksSucceeded: 40, NumberOfTasksFailed: 1 },
        },
      ],
    });
    expect(s3Control.commandCalls(ListJobsCommand)[0]?.args[0].input).toEqual({
      AccountId: accountId,
      JobStatuses: ['Active', 'Paused'],
      MaxResults: 50,
      NextToken: 'page-1',
    });
  });

  it('puts and gets job tags', async () => {
    // Prepare
    const tags = [{ Key: 'campaign', Value: 'restore-2024' }];
    s3Control.on(PutJobTaggingCommand).resolves({});
    s3Control.on(GetJobTaggingCommand).resolves({ Tags: tags });
    const adapter = createBatchJobsAdapter(new S3ControlClient({}));

    // Act
    await adapter.putJobTagging(accountId, jobId, tags);
    const read = await adapter.getJobTagging(accountId, jobId);

    // Assess
    expect(read).toEqual(tags);
    expect(s3Control.commandCalls(PutJobTaggingCommand)[0]?.args[0].input).toEqual({
      AccountId: accountId,
      JobId: jobId,
      Tags: tags,
    });
  });
});
