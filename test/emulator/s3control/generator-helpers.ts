/**
 * Builders for ManifestGenerator jobs (CreateJob without a manifest: S3 lists the source bucket) driven by the
 * real S3ControlClient through helpers.ts, and readers that tell which object versions a job acted on.
 */
import { S3Client } from '@aws-sdk/client-s3';
import {
  CreateJobCommand,
  type CreateJobCommandInput,
  type JobDescriptor,
  type S3JobManifestGenerator,
} from '@aws-sdk/client-s3-control';
import type { S3Backend, Tag } from '../../../emulator/contracts.js';
import { ACCOUNT_ID, ROLE_ARN, type TestEnv, waitFor } from './helpers.js';

/** The tag the generator jobs below set: tagged versions are the ones the job selected. */
export const PICKED: Tag = { Key: 'picked', Value: 'yes' };
const TERMINAL = new Set(['Complete', 'Failed', 'Cancelled']);

/** A tagging job (no completion report) over the objects S3JobManifestGenerator selects from `sourceBucket`. */
export function aGeneratorJobInput(
  sourceBucket: string,
  generator: Partial<S3JobManifestGenerator> = {},
  overrides: Partial<CreateJobCommandInput> = {},
): CreateJobCommandInput {
  return {
    AccountId: ACCOUNT_ID,
    Operation: { S3PutObjectTagging: { TagSet: [PICKED] } },
    Report: { Enabled: false },
    ManifestGenerator: {
      S3JobManifestGenerator: {
        SourceBucket: `arn:aws:s3:::${sourceBucket}`,
        EnableManifestOutput: false,
        ...generator,
      },
    },
    Priority: 10,
    RoleArn: ROLE_ARN,
    ConfirmationRequired: false,
    ...overrides,
  };
}

/** Creates the job and waits until it is Complete, Failed or Cancelled. */
export async function runJob(env: TestEnv, input: CreateJobCommandInput): Promise<JobDescriptor> {
  const { JobId } = await env.client.send(new CreateJobCommand(input));
  return (await waitFor(env, JobId!, (job) => TERMINAL.has(job.Status ?? ''))).job;
}

/** `key` for current versions, `key@versionId` for noncurrent ones: every version in `bucket` carrying `tag`. */
export function versionsTagged(s3: S3Backend, bucket: string, tag: Tag = PICKED): string[] {
  return [...s3.listObjectVersions(bucket)]
    .filter((version) => !version.isDeleteMarker)
    .filter((version) => version.tags.some((t) => t.Key === tag.Key && t.Value === tag.Value))
    .map((version) => (version.isLatest ? version.key : `${version.key}@${version.versionId ?? 'null'}`))
    .sort();
}

/** Current keys of `bucket` (delete markers excluded). */
export function currentKeys(s3: S3Backend, bucket: string): string[] {
  return [...s3.listObjectVersions(bucket)]
    .filter((version) => version.isLatest && !version.isDeleteMarker)
    .map((version) => version.key)
    .sort();
}

/** The real S3 client on the test endpoint (for bucket configuration the backend seam does not offer). */
export function s3Client(env: TestEnv): S3Client {
  return new S3Client({
    endpoint: env.url,
    forcePathStyle: true,
    region: 'us-east-1',
    credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
    maxAttempts: 1,
  });
}

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
