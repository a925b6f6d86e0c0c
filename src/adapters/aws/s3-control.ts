/** S3 Batch Operations jobs through the S3 Control API: `BatchJobsPort` plus what the CLI needs. */
import {
  CreateJobCommand,
  type CreateJobCommandInput,
  DeleteJobTaggingCommand,
  DescribeJobCommand,
  GetJobTaggingCommand,
  type JobDescriptor,
  type JobListDescriptor,
  type JobProgressSummary,
  ListJobsCommand,
  PutJobTaggingCommand,
  type S3ControlClient,
  type JobStatus as SdkJobStatus,
  UpdateJobPriorityCommand,
  UpdateJobStatusCommand,
} from '@aws-sdk/client-s3-control';
import { ServiceUnavailableError } from '../../core/errors.js';
import type { JobStatus } from '../../core/names.js';
import type { BatchJobsPort, CreateJobInput, JobDescription } from '../../core/ports.js';
import { withAwsErrors } from './errors.js';
import { manifestGeneratorDateTimePaths, withSdkTimestamps } from './operation-timestamps.js';

export interface JobTag {
  Key: string;
  Value: string;
}

export interface ListJobsOptions {
  /** Only jobs in these statuses (ListJobs `JobStatuses`). */
  statuses?: JobStatus[];
  /** Page size, at most 1,000 (AWS's limit). */
  maxResults?: number;
  nextToken?: string;
}

/** ListJobs' `JobListDescriptor`, dates as ISO strings. */
export interface JobSummary {
  JobId: string;
  Status: JobStatus;
  Description?: string;
  /** The operation's name, e.g. `S3PutObjectTagging`. */
  Operation?: string;
  Priority?: number;
  CreationTime?: string;
  TerminationDate?: string;
  ProgressSummary?: JobDescription['ProgressSummary'];
}

export interface ListJobsPage {
  jobs: JobSummary[];
  /** Present when there are more jobs to fetch. */
  nextToken?: string;
}

export interface BatchJobsAdapter extends BatchJobsPort {
  /** One ListJobs page. AWS returns only jobs that ended in the last 90 days. */
  listJobs(accountId: string, options?: ListJobsOptions): Promise<ListJobsPage>;
  /** Replaces the job's whole tag set (PutJobTagging semantics). */
  putJobTagging(accountId: string, jobId: string, tags: JobTag[]): Promise<void>;
  deleteJobTagging(accountId: string, jobId: string): Promise<void>;
}

const op = (name: string) => `S3Control.${name}`;

export function createBatchJobsAdapter(client: S3ControlClient): BatchJobsAdapter {
  return {
    async createJob(input: CreateJobInput) {
      const output = await withAwsErrors(op('CreateJob'), () =>
        // Our input mirrors CreateJob with AWS's field names; only timestamps change type (to Date).
        client.send(
          new CreateJobCommand({
            ...input,
            Operation: withSdkTimestamps(input.Operation),
            ...(input.ManifestGenerator === undefined
              ? {}
              : {
                  ManifestGenerator: withSdkTimestamps(
                    input.ManifestGenerator as unknown as Record<string, unknown>,
                    manifestGeneratorDateTimePaths,
                  ),
                }),
          } as unknown as CreateJobCommandInput),
        ),
      );
      if (!output.JobId) throw malformed('CreateJob', 'no JobId');
      return { jobId: output.JobId };
    },

    async describeJob(accountId, jobId) {
      const output = await withAwsErrors(op('DescribeJob'), () =>
        client.send(new DescribeJobCommand({ AccountId: accountId, JobId: jobId })),
      );
      if (!output.Job?.JobId || !output.Job.Status)
        throw malformed('DescribeJob', 'no Job.JobId or Job.Status');
      return toJobDescription(output.Job);
    },

    async updateJobStatus(accountId, jobId, requested, reason) {
      const output = await withAwsErrors(op('UpdateJobStatus'), () =>
        client.send(
          new UpdateJobStatusCommand({
            AccountId: accountId,
            JobId: jobId,
            RequestedJobStatus: requested,
            ...(reason === undefined ? {} : { StatusUpdateReason: reason }),
          }),
        ),
      );
      if (!output.Status) throw malformed('UpdateJobStatus', 'no Status');
      return { status: output.Status as JobStatus };
    },

    async updateJobPriority(accountId, jobId, priority) {
      const output = await withAwsErrors(op('UpdateJobPriority'), () =>
        client.send(new UpdateJobPriorityCommand({ AccountId: accountId, JobId: jobId, Priority: priority })),
      );
      return { priority: output.Priority ?? priority };
    },

    async listJobs(accountId, options = {}) {
      const output = await withAwsErrors(op('ListJobs'), () =>
        client.send(
          new ListJobsCommand({
            AccountId: accountId,
            ...(options.statuses === undefined ? {} : { JobStatuses: options.statuses as SdkJobStatus[] }),
            ...(options.maxResults === undefined ? {} : { MaxResults: options.maxResults }),
            ...(options.nextToken === undefined ? {} : { NextToken: options.nextToken }),
          }),
        ),
      );
      const jobs = (output.Jobs ?? []).filter((job) => job.JobId && job.Status).map(toJobSummary);
      return { jobs, ...(output.NextToken ? { nextToken: output.NextToken } : {}) };
    },

    async getJobTagging(accountId, jobId) {
      const output = await withAwsErrors(op('GetJobTagging'), () =>
        client.send(new GetJobTaggingCommand({ AccountId: accountId, JobId: jobId })),
      );
      return (output.Tags ?? []).map((tag) => ({ Key: tag.Key ?? '', Value: tag.Value ?? '' }));
    },

    async putJobTagging(accountId, jobId, tags) {
      await withAwsErrors(op('PutJobTagging'), () =>
        client.send(new PutJobTaggingCommand({ AccountId: accountId, JobId: jobId, Tags: tags })),
      );
    },

    async deleteJobTagging(accountId, jobId) {
      await withAwsErrors(op('DeleteJobTagging'), () =>
        client.send(new DeleteJobTaggingCommand({ AccountId: accountId, JobId: jobId })),
      );
    },
  };
}

/** A 200 response without the fields AWS always sends: treat as a service fault (retryable). */
function malformed(operation: string, what: string): ServiceUnavailableError {
  return new ServiceUnavailableError(`${op(operation)} returned a malformed response: ${what}`);
}

/** The SDK parses timestamps into Date; core speaks ISO strings. */
function isoDate(value: Date | string | undefined): string | undefined {
  if (value === undefined) return undefined;
  return (value instanceof Date ? value : new Date(value)).toISOString();
}

/** Copies the defined values only, so results compare cleanly and serialize without `undefined` noise. */
function defined<T extends object>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as T;
}

function toProgressSummary(summary: JobProgressSummary | undefined): JobDescription['ProgressSummary'] {
  if (summary === undefined) return undefined;
  return defined({
    TotalNumberOfTasks: summary.TotalNumberOfTasks,
    NumberOfTasksSucceeded: summary.NumberOfTasksSucceeded,
    NumberOfTasksFailed: summary.NumberOfTasksFailed,
    Timers:
      summary.Timers === undefined
        ? undefined
        : defined({ ElapsedTimeInActiveSeconds: summary.Timers.ElapsedTimeInActiveSeconds }),
  });
}

export function toJobDescription(job: JobDescriptor): JobDescription {
  return defined<JobDescription>({
    JobId: job.JobId as string,
    Status: job.Status as JobStatus,
    Priority: job.Priority,
    ProgressSummary: toProgressSummary(job.ProgressSummary),
    StatusUpdateReason: job.StatusUpdateReason,
    FailureReasons: job.FailureReasons?.map((reason) =>
      defined({ FailureCode: reason.FailureCode, FailureReason: reason.FailureReason }),
    ),
    Report:
      job.Report === undefined
        ? undefined
        : defined({
            Bucket: job.Report.Bucket,
            Format: job.Report.Format as 'Report_CSV_20180820' | undefined,
            Enabled: job.Report.Enabled ?? false,
            Prefix: job.Report.Prefix,
            ReportScope: job.Report.ReportScope as 'AllTasks' | 'FailedTasksOnly' | undefined,
          }),
    CreationTime: isoDate(job.CreationTime),
    TerminationDate: isoDate(job.TerminationDate),
    SuspendedDate: isoDate(job.SuspendedDate),
    SuspendedCause: job.SuspendedCause,
  });
}

function toJobSummary(job: JobListDescriptor): JobSummary {
  return defined<JobSummary>({
    JobId: job.JobId as string,
    Status: job.Status as JobStatus,
    Description: job.Description,
    Operation: job.Operation,
    Priority: job.Priority,
    CreationTime: isoDate(job.CreationTime),
    TerminationDate: isoDate(job.TerminationDate),
    ProgressSummary: toProgressSummary(job.ProgressSummary),
  });
}
