/**
 * S3 Batch Operations job events as EventBridge receives them through CloudTrail ("Tracking job status with
 * EventBridge and CloudTrail", S3 User Guide): source `aws.s3`, detail-type `AWS Service Event via CloudTrail`,
 * `detail.eventName` JobCreated | JobStatusChanged. No progress counts travel in them. Delivery is best effort,
 * as on AWS: a failing sink never disturbs the job.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import type { EventSink } from '../contracts.js';
import type { JobRecord } from './types.js';

export const JOB_EVENT_SOURCE = 'aws.s3';
export const JOB_EVENT_DETAIL_TYPE = 'AWS Service Event via CloudTrail';

/** CloudTrail records eventTime to the second. */
const cloudTrailTime = (date: Date) => date.toISOString().replace(/\.\d{3}Z$/, 'Z');

export function buildJobEventDetail(
  record: JobRecord,
  eventName: 'JobCreated' | 'JobStatusChanged',
  now: Date,
): Record<string, unknown> {
  return {
    eventVersion: '1.05',
    userIdentity: { accountId: record.accountId, invokedBy: 's3.amazonaws.com' },
    eventTime: cloudTrailTime(now),
    eventSource: 's3.amazonaws.com',
    eventName,
    awsRegion: record.region,
    sourceIPAddress: 's3.amazonaws.com',
    userAgent: 's3.amazonaws.com',
    eventID: randomUUID(),
    readOnly: false,
    eventType: 'AwsServiceEvent',
    serviceEventDetails: {
      jobId: record.JobId,
      jobArn: record.JobArn,
      status: record.Status,
      jobEventId: randomBytes(16).toString('hex'),
      failureCodes: record.FailureReasons.map((failure) => failure.FailureCode),
      statusChangeReason: record.StatusUpdateReason ? [record.StatusUpdateReason] : [],
    },
  };
}

export function emitJobEvent(
  sink: EventSink,
  record: JobRecord,
  eventName: 'JobCreated' | 'JobStatusChanged',
  now: Date,
): void {
  try {
    sink.putEvents(
      [
        {
          Source: JOB_EVENT_SOURCE,
          DetailType: JOB_EVENT_DETAIL_TYPE,
          Detail: JSON.stringify(buildJobEventDetail(record, eventName, now)),
          EventBusName: 'default',
          Resources: [],
          Time: cloudTrailTime(now),
        },
      ],
      record.accountId,
      record.region,
    );
  } catch {
    // Best effort, like CloudTrail → EventBridge delivery: consumers must not rely on these alone.
  }
}
