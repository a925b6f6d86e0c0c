/**
 * A job someone created outside the orchestrator (no stage tag), for the tests that prove the workflow never
 * touches such a job. It is held in Suspended, so any confirm or cancel would show in its status.
 */
import { CreateJobCommand, DescribeJobCommand } from '@aws-sdk/client-s3-control';
import { createS3ControlClient } from '../../src/adapters/aws/index.js';
import { aSubmittedJob } from '../builders/submitted-job.js';
import { type Harness, seededManifest, taggingRequest } from './harness.js';

export const s3ControlOf = (h: Harness) =>
  createS3ControlClient({
    region: h.aws.region,
    endpoints: { default: h.aws.url },
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
  });

/** Creates the foreign job over the seeded manifest and returns its id. */
export async function createForeignJob(h: Harness, clientRequestToken = 'foreign-job-1'): Promise<string> {
  const etag = h.aws.s3.backend.headObject({ bucket: seededManifest.bucket, key: seededManifest.key }).etag;
  const { JobId } = await s3ControlOf(h).send(
    new CreateJobCommand({
      AccountId: h.aws.accountId,
      ConfirmationRequired: true,
      Operation: { S3PutObjectTagging: { TagSet: [{ Key: 'owner', Value: 'someone-else' }] } },
      Report: { Enabled: false },
      ClientRequestToken: clientRequestToken,
      Manifest: {
        Spec: { Format: 'S3BatchOperations_CSV_20180820', Fields: ['Bucket', 'Key'] },
        Location: {
          ObjectArn: `arn:aws:s3:::${seededManifest.bucket}/${seededManifest.key}`,
          ETag: etag.replace(/"/g, ''),
        },
      },
      Priority: 50,
      RoleArn: `arn:aws:iam::${h.aws.accountId}:role/someone-elses-role`,
    }),
  );
  return JobId!;
}

/** The job's status now, through DescribeJob. */
export async function jobStatusOf(h: Harness, jobId: string): Promise<string | undefined> {
  const { Job } = await s3ControlOf(h).send(
    new DescribeJobCommand({ AccountId: h.aws.accountId, JobId: jobId }),
  );
  return Job?.Status;
}

/** What an attacker would forge: the foreign job, to be auto-confirmed and cancelled at any failure rate. */
export const forgedState = (h: Harness, jobId: string) => ({
  request: taggingRequest(seededManifest),
  job: aSubmittedJob({
    jobId,
    accountId: h.aws.accountId,
    autoConfirm: true,
    deadline: '2099-01-01T00:00:00.000Z',
    policy: { autoCancel: { failureRateThreshold: 0.01, minTasksRun: 1 } },
  }),
  progress: null,
  attempts: [],
});
