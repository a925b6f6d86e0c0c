/** DescribeJob's JobDescriptor and ListJobs' JobListDescriptor, built from a job record (AWS field order). */
import { elapsedActiveSeconds } from './lifecycle.js';
import type { JobRecord } from './types.js';

function progressSummary(record: JobRecord, now: Date) {
  return {
    TotalNumberOfTasks: record.progress.total,
    NumberOfTasksSucceeded: record.progress.succeeded,
    NumberOfTasksFailed: record.progress.failed,
    Timers: { ElapsedTimeInActiveSeconds: elapsedActiveSeconds(record, now) },
  };
}

export function describeJobView(record: JobRecord, now: Date): Record<string, unknown> {
  return {
    JobId: record.JobId,
    ConfirmationRequired: record.ConfirmationRequired,
    Description: record.Description,
    JobArn: record.JobArn,
    Status: record.Status,
    Manifest: record.Manifest,
    Operation: record.Operation,
    Priority: record.Priority,
    ProgressSummary: progressSummary(record, now),
    StatusUpdateReason: record.StatusUpdateReason,
    FailureReasons: record.FailureReasons,
    Report: record.Report,
    CreationTime: record.CreationTime,
    TerminationDate: record.TerminationDate,
    RoleArn: record.RoleArn,
    SuspendedDate: record.SuspendedDate,
    SuspendedCause: record.SuspendedCause,
    ManifestGenerator: record.ManifestGenerator,
    GeneratedManifestDescriptor: record.GeneratedManifestDescriptor,
  };
}

export function listJobView(record: JobRecord, now: Date): Record<string, unknown> {
  return {
    JobId: record.JobId,
    Description: record.Description,
    Operation: Object.keys(record.Operation)[0],
    Priority: record.Priority,
    Status: record.Status,
    CreationTime: record.CreationTime,
    TerminationDate: record.TerminationDate,
    ProgressSummary: progressSummary(record, now),
  };
}
