import type { JobOperationName, JobRequestWithDefaults } from '../generated/types.js';
import { bucketArn, buildS3JobManifestGenerator } from './manifest-source/generator.js';
import type { ResolvedManifestSource } from './manifest-source/resolve-manifest-source.js';
import { stageJobTagKey } from './names.js';
import type { CreateJobInput } from './ports.js';

export { bucketArn };

export interface CreateJobContext {
  accountId: string;
  roleArn: string;
  /** The request's source of objects, resolved (resolveManifestSource): a manifest with its ETag, or a generator. */
  source: ResolvedManifestSource;
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
    ...manifestOrGenerator(context.source),
    Description: (request.description ?? context.fallbackDescription).slice(0, maxDescriptionLength),
    Priority: request.priority,
    RoleArn: context.roleArn,
    Tags: [
      { Key: stageJobTagKey, Value: context.stage },
      ...Object.entries(request.tags ?? {}).map(([Key, Value]) => ({ Key, Value: String(Value) })),
    ],
  };
}

/** CreateJob takes exactly one of Manifest and ManifestGenerator. */
function manifestOrGenerator(
  source: ResolvedManifestSource,
): Pick<CreateJobInput, 'Manifest' | 'ManifestGenerator'> {
  if (source.kind === 'generator') {
    return {
      ManifestGenerator: {
        S3JobManifestGenerator: buildS3JobManifestGenerator(source.generator, source.dates),
      },
    };
  }
  return {
    Manifest: {
      Spec:
        source.kind === 'csv'
          ? { Format: 'S3BatchOperations_CSV_20180820', Fields: source.fields }
          : { Format: 'S3InventoryReport_CSV_20161130' },
      Location: {
        ObjectArn: `${bucketArn(source.bucket)}/${source.key}`,
        ETag: source.etag,
        ...(source.versionId ? { ObjectVersionId: source.versionId } : {}),
      },
    },
  };
}

/** The single key of `operation` (the schema guarantees exactly one, and only known keys). */
export function operationName(request: Pick<JobRequestWithDefaults, 'operation'>): JobOperationName {
  return Object.keys(request.operation)[0] as JobOperationName;
}
