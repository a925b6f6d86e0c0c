import type { JobOperationName, JobRequestWithDefaults } from '../generated/types.js';
import { stageJobTagKey } from './names.js';
import type { CreateJobInput } from './ports.js';

export interface CreateJobContext {
  accountId: string;
  roleArn: string;
  manifestEtag: string;
  clientRequestToken: string;
  /** The stage, written as the `s3bo:stage` job tag (names.ts, stageJobTagKey). */
  stage: string;
  /** Used when the request has no description, so the job is recognisable in the S3 console. */
  fallbackDescription: string;
}

const maxDescriptionLength = 256;

/** Maps a validated job request (defaults applied) to S3 Control CreateJob input. */
export function buildCreateJobInput(
  request: JobRequestWithDefaults,
  context: CreateJobContext,
): CreateJobInput {
  const manifest = request.manifest;
  const isCsv = manifest.format === 'S3BatchOperations_CSV_20180820';
  const report = request.report;
  return {
    AccountId: context.accountId,
    // AWS-FACTS: the docs disagree on when confirmation is needed; always send it explicitly.
    ConfirmationRequired: request.confirmationRequired,
    Operation: request.operation as Record<string, unknown>,
    Report: !report.enabled
      ? { Enabled: false }
      : {
          Enabled: true,
          Bucket: bucketArn(report.bucket!),
          Format: 'Report_CSV_20180820',
          ReportScope: report.scope,
          ...(report.prefix ? { Prefix: report.prefix } : {}),
        },
    ClientRequestToken: context.clientRequestToken,
    Manifest: {
      Spec: isCsv
        ? { Format: 'S3BatchOperations_CSV_20180820', Fields: manifest.fields }
        : { Format: 'S3InventoryReport_CSV_20161130' },
      Location: {
        ObjectArn: `${bucketArn(manifest.bucket)}/${manifest.key}`,
        ETag: context.manifestEtag,
        ...(manifest.versionId ? { ObjectVersionId: manifest.versionId } : {}),
      },
    },
    Description: (request.description ?? context.fallbackDescription).slice(0, maxDescriptionLength),
    Priority: request.priority,
    RoleArn: context.roleArn,
    Tags: [
      { Key: stageJobTagKey, Value: context.stage },
      ...Object.entries(request.tags ?? {}).map(([Key, Value]) => ({ Key, Value: String(Value) })),
    ],
  };
}

export const bucketArn = (bucket: string): string => `arn:aws:s3:::${bucket}`;

/** The single key of `operation` (the schema guarantees exactly one, and only known keys). */
export function operationName(request: Pick<JobRequestWithDefaults, 'operation'>): JobOperationName {
  return Object.keys(request.operation)[0] as JobOperationName;
}
