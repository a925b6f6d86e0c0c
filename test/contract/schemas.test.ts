import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { generatedDir, generateSchemaFiles, repoRoot } from '../../scripts/gen-schemas.js';
import { generateWasmFiles } from '../../scripts/gen-wasm.js';
import { type DetailType, detailTypes } from '../../src/core/names.js';
import {
  type BatchJobAutoCancelledDetail,
  type BatchJobCancelledDetail,
  type BatchJobCompletedDetail,
  type BatchJobFailedDetail,
  type BatchJobRedrivenDetail,
  type BatchJobRejectedDetail,
  type BatchJobReprioritizedDetail,
  type BatchJobStatusChangedDetail,
  type BatchJobSubmittedDetail,
  type CampaignCompletedDetail,
  type CampaignPhaseCompletedDetail,
  type CampaignPhaseStartedDetail,
  type CampaignStartedDetail,
  type Config,
  detailSchemaFiles,
  detailValidators,
  type EventDetailByType,
  type JobManifest,
  type JobRequest,
  type ReportSummary,
  type SchemaError,
  type TriggerFlushedDetail,
  validateConfig,
  validateJobRequest,
  validateReportSummary,
  validateWorkflowState,
} from '../../src/generated/index.js';

const fixture = async (name: string): Promise<unknown> =>
  JSON.parse(await readFile(join(repoRoot, 'test/fixtures', name), 'utf8'));

/** `arn:aws:s3:::bucket/some/key` -> { bucket, key } */
const parseS3Arn = (arn: string): { bucket: string; key: string } => {
  const match = /^arn:[^:]+:s3:::([^/]+)(?:\/(.*))?$/.exec(arn);
  if (!match) throw new Error(`not an S3 ARN: ${arn}`);
  return { bucket: match[1]!, key: match[2] ?? '' };
};

interface CreateJobInputFixture {
  AccountId: string;
  Operation: JobRequest['operation'];
  Report: { Bucket: string; Prefix?: string; Enabled: boolean; ReportScope?: 'AllTasks' | 'FailedTasksOnly' };
  Manifest: {
    Spec: { Format: JobManifest['format']; Fields?: JobManifest['fields'] };
    Location: { ObjectArn: string; ETag: string; ObjectVersionId?: string };
  };
  Priority: number;
  RoleArn: string;
}

/** Our request for the job AWS's `s3control create-job` example creates (PascalCase ARNs -> camelCase names). */
const requestFromCreateJobInput = (input: CreateJobInputFixture): JobRequest => {
  const manifest = parseS3Arn(input.Manifest.Location.ObjectArn);
  return {
    operation: input.Operation,
    manifest: {
      ...manifest,
      format: input.Manifest.Spec.Format,
      ...(input.Manifest.Spec.Fields ? { fields: input.Manifest.Spec.Fields } : {}),
      etag: input.Manifest.Location.ETag,
    },
    report: {
      enabled: input.Report.Enabled,
      bucket: parseS3Arn(input.Report.Bucket).bucket,
      ...(input.Report.Prefix ? { prefix: input.Report.Prefix } : {}),
      ...(input.Report.ReportScope ? { scope: input.Report.ReportScope } : {}),
    },
    priority: input.Priority,
    roleArn: input.RoleArn,
    accountId: input.AccountId,
  };
};

const minimalRequest = (): Record<string, unknown> => ({
  operation: { S3PutObjectTagging: { TagSet: [{ Key: 'classification', Value: 'public' }] } },
  manifest: { bucket: 'my-manifests', key: 'jobs/tag.csv' },
  report: { bucket: 'my-reports' },
});

const errorsOf = (errors: SchemaError[] | null | undefined): string[] =>
  (errors ?? []).map((error) => `${error.instancePath} ${error.keyword} ${JSON.stringify(error.params)}`);

const firstDifference = (actual: string | undefined, expected: string): string => {
  if (actual === undefined) return 'missing';
  const actualLines = actual.split('\n');
  const line = expected.split('\n').findIndex((text, index) => text !== actualLines[index]);
  return `first difference at line ${(line === -1 ? actualLines.length : line) + 1}`;
};

/** Every `properties` entry of a schema, as [JSON pointer, property schema]. */
const propertiesOf = (node: unknown, pointer = ''): [string, Record<string, unknown>][] => {
  if (node === null || typeof node !== 'object') return [];
  return Object.entries(node as Record<string, unknown>).flatMap(([key, value]) => {
    const here = `${pointer}/${key}`;
    const nested = propertiesOf(value, here);
    if (key !== 'properties' || value === null || typeof value !== 'object') return nested;
    return [
      ...Object.entries(value as Record<string, Record<string, unknown>>).map(
        ([name, property]) => [`${here}/${name}`, property] as [string, Record<string, unknown>],
      ),
      ...nested,
    ];
  });
};

describe('schemas', () => {
  it('describe every property and forbid unknown ones in every structured object', async () => {
    const files = [
      ...(await readdir(join(repoRoot, 'schemas'))).filter((name) => name.endsWith('.json')),
      ...(await readdir(join(repoRoot, 'schemas/events'))).map((name) => `events/${name}`),
    ];
    const problems: string[] = [];
    for (const file of files) {
      const schema = JSON.parse(await readFile(join(repoRoot, 'schemas', file), 'utf8')) as unknown;
      for (const [pointer, property] of propertiesOf(schema)) {
        // Conditions only restate constraints of properties described next to them.
        if (/\/(if|then|else)\//.test(pointer)) continue;
        if (typeof property['description'] !== 'string') problems.push(`${file}#${pointer}: no description`);
        const isObject = property['type'] === 'object' && property['properties'] !== undefined;
        if (isObject && property['additionalProperties'] !== false) {
          problems.push(`${file}#${pointer}: additionalProperties is not false`);
        }
      }
    }
    expect(problems).toEqual([]);
  });
});

describe('generated files', () => {
  it('match the schemas (run `npm run gen` after editing schemas/)', async () => {
    // Act
    const expected = await generateSchemaFiles();

    // Assess
    const stale: string[] = [];
    for (const [path, content] of Object.entries(expected)) {
      const actual = await readFile(join(repoRoot, path), 'utf8').catch(() => undefined);
      if (actual !== content) stale.push(`${path} (${firstDifference(actual, content)})`);
    }
    // Not a toBe on the contents: validators.js embeds whole schemas on single lines, too long to diff.
    expect(stale, 'stale generated files: run npm run gen').toEqual([]);
    const onDisk = (await readdir(join(repoRoot, generatedDir)))
      .map((name) => `${generatedDir}/${name}`)
      .sort();
    // Every file there comes from a generator: these schemas, or the row scanner's WebAssembly (wasm.test.ts).
    const fromWasm = Object.keys(await generateWasmFiles());
    expect(onDisk).toEqual([...Object.keys(expected), ...fromWasm].sort());
  });

  it('are the same when generated twice', async () => {
    expect(await generateSchemaFiles()).toEqual(await generateSchemaFiles());
  });

  it('import nothing but ajv runtime helpers from the validators', async () => {
    const code = (await generateSchemaFiles())[`${generatedDir}/validators.js`]!;

    const imports = [...code.matchAll(/^import .* from "([^"]+)";$/gm)].map((match) => match[1]);

    expect(code).not.toMatch(/\brequire\(/);
    for (const specifier of imports) expect(specifier).toMatch(/^ajv\/dist\/runtime\/[a-z0-9]+\.js$/);
  });
});

describe('validateJobRequest', () => {
  it('fills in the defaults of a minimal request', () => {
    // Prepare
    const request = minimalRequest();

    // Act
    const valid = validateJobRequest(request);

    // Assess
    expect(errorsOf(validateJobRequest.errors)).toEqual([]);
    expect(valid).toBe(true);
    expect(request).toMatchObject({
      priority: 10,
      confirmationRequired: false,
      autoConfirm: false,
      manifest: { format: 'S3BatchOperations_CSV_20180820', fields: ['Bucket', 'Key'] },
      report: { enabled: true, scope: 'AllTasks' },
    });
  });

  it('fills in the defaults of nested options only when they are given', () => {
    const request = {
      ...minimalRequest(),
      wait: {},
      policy: { autoCancel: { failureRateThreshold: 0.2 }, redrive: {} },
    };

    expect(validateJobRequest(request)).toBe(true);
    expect(request).toMatchObject({
      wait: {
        minSeconds: 5,
        maxSeconds: 600,
        timeoutSeconds: 604800,
        eventDriven: true,
        maxPollsPerExecution: 500,
        stallThresholdSeconds: 900,
      },
      policy: {
        dryRun: false,
        autoCancel: { failureRateThreshold: 0.2, minTasksRun: 100 },
        redrive: { maxAttempts: 1 },
      },
    });
  });

  it('accepts the example of docs/workflow-contract.md', async () => {
    // Prepare
    const doc = await readFile(join(repoRoot, 'docs/workflow-contract.md'), 'utf8');
    const section = doc.slice(doc.indexOf('## Execution input'));
    const json = /```json\n([\s\S]*?)```/.exec(section)?.[1];
    expect(json, 'no json block under "Execution input"').toBeDefined();

    // Act
    const valid = validateJobRequest(JSON.parse(json!));

    // Assess
    expect(errorsOf(validateJobRequest.errors)).toEqual([]);
    expect(valid).toBe(true);
  });

  it('accepts the request built from AWS create-job example (test/fixtures/create-job-input.json)', async () => {
    // Prepare
    const request = requestFromCreateJobInput(
      (await fixture('create-job-input.json')) as CreateJobInputFixture,
    );

    // Act
    const valid = validateJobRequest(request);

    // Assess
    expect(errorsOf(validateJobRequest.errors)).toEqual([]);
    expect(valid).toBe(true);
    expect(request).toMatchObject({
      manifest: {
        bucket: 'employee-records-logs',
        key: 'inv-report/7a6a9be4-072c-407e-85a2-ec3e982f773e.csv',
        etag: '69f52a4e9f797e987155d9c8f5880897',
      },
      report: { bucket: 'employee-records-logs', prefix: 'batch-op-create-job', scope: 'AllTasks' },
      priority: 42,
    });
  });

  it('rejects two operations', () => {
    const request = {
      ...minimalRequest(),
      operation: { S3PutObjectTagging: { TagSet: [] }, S3DeleteObjectTagging: {} },
    };

    expect(validateJobRequest(request)).toBe(false);
    expect(validateJobRequest.errors).toContainEqual(
      expect.objectContaining({ instancePath: '/operation', keyword: 'maxProperties' }),
    );
  });

  it('rejects no operation', () => {
    expect(validateJobRequest({ ...minimalRequest(), operation: {} })).toBe(false);
    expect(validateJobRequest.errors).toContainEqual(
      expect.objectContaining({ instancePath: '/operation', keyword: 'minProperties' }),
    );
  });

  it('names an unknown property', () => {
    expect(validateJobRequest({ ...minimalRequest(), priorty: 5 })).toBe(false);
    expect(validateJobRequest.errors).toContainEqual(
      expect.objectContaining({ instancePath: '', params: { additionalProperty: 'priorty' } }),
    );
  });

  it('names an unknown property inside an operation', () => {
    const request = { ...minimalRequest(), operation: { S3PutObjectTagging: { Tagset: [] } } };

    expect(validateJobRequest(request)).toBe(false);
    expect(validateJobRequest.errors).toContainEqual(
      expect.objectContaining({
        instancePath: '/operation/S3PutObjectTagging',
        params: { additionalProperty: 'Tagset' },
      }),
    );
  });

  it('requires report.bucket when the report is enabled', () => {
    expect(validateJobRequest({ ...minimalRequest(), report: { enabled: true } })).toBe(false);
    expect(validateJobRequest.errors).toContainEqual(
      expect.objectContaining({ instancePath: '/report', params: { missingProperty: 'bucket' } }),
    );
    expect(validateJobRequest({ ...minimalRequest(), report: {} })).toBe(false);
  });

  it('accepts a disabled report without a bucket', () => {
    expect(validateJobRequest({ ...minimalRequest(), report: { enabled: false } })).toBe(true);
  });

  it.each([
    ['a bucket name with capitals', { manifest: { bucket: 'My-Manifests', key: 'm.csv' } }],
    ['a bucket name that is an IP address', { manifest: { bucket: '192.168.1.1', key: 'm.csv' } }],
    [
      'CSV fields without Key',
      { manifest: { bucket: 'my-manifests', key: 'm.csv', fields: ['Bucket', 'Ignore'] } },
    ],
    [
      'CSV fields without Bucket',
      { manifest: { bucket: 'my-manifests', key: 'm.csv', fields: ['Key', 'VersionId'] } },
    ],
    ['a priority above the S3 maximum', { priority: 2147483648 }],
    ['a description longer than 256 characters', { description: 'x'.repeat(257) }],
    ['51 tags', { tags: Object.fromEntries(Array.from({ length: 51 }, (_, i) => [`k${i}`, 'v'])) }],
    ['an account id that is not 12 digits', { accountId: '12345' }],
    ['a role that is not an IAM role ARN', { roleArn: 'arn:aws:iam::123456789012:user/me' }],
    ['a zero failure-rate threshold', { policy: { autoCancel: { failureRateThreshold: 0 } } }],
    ['an auto-cancel policy without a trigger', { policy: { autoCancel: { minTasksRun: 10 } } }],
    [
      'a deadline that is not a date-time',
      { policy: { reprioritize: { deadline: 'tomorrow', raisedPriority: 99 } } },
    ],
    ['more than 10 redrive attempts', { policy: { redrive: { maxAttempts: 11 } } }],
    ['a timeout over a year', { wait: { timeoutSeconds: 31536001 } }],
    [
      'Lambda user arguments with invocation schema 1.0',
      {
        operation: {
          LambdaInvoke: {
            FunctionArn: 'arn:aws:lambda:us-east-1:123456789012:function:f',
            InvocationSchemaVersion: '1.0',
            UserArguments: { a: 'b' },
          },
        },
      },
    ],
    ['a legal hold without a status', { operation: { S3PutObjectLegalHold: { LegalHold: {} } } }],
    [
      'a restore tier that does not exist',
      { operation: { S3InitiateRestoreObject: { GlacierJobTier: 'EXPEDITED' } } },
    ],
  ])('rejects %s', (_name, patch) => {
    expect(validateJobRequest({ ...minimalRequest(), ...patch })).toBe(false);
  });

  it.each<[string, JobRequest['operation']]>([
    [
      'LambdaInvoke',
      {
        LambdaInvoke: {
          FunctionArn: 'arn:aws:lambda:us-east-1:123456789012:function:process:live',
          InvocationSchemaVersion: '2.0',
          UserArguments: { mode: 'fast' },
        },
      },
    ],
    [
      'S3PutObjectCopy',
      {
        S3PutObjectCopy: {
          TargetResource: 'arn:aws:s3:::destination-bucket',
          CannedAccessControlList: 'bucket-owner-full-control',
          AccessControlGrants: [{ Grantee: { TypeIdentifier: 'id', Identifier: 'abc' }, Permission: 'READ' }],
          MetadataDirective: 'REPLACE',
          ModifiedSinceConstraint: '2024-01-01T00:00:00Z',
          NewObjectMetadata: {
            CacheControl: 'max-age=60',
            ContentDisposition: 'inline',
            ContentEncoding: 'gzip',
            ContentLanguage: 'en',
            UserMetadata: { owner: 'team-a' },
            ContentLength: 12,
            ContentMD5: 'abc',
            ContentType: 'text/csv',
            HttpExpiresDate: '2030-01-01T00:00:00.000Z',
            RequesterCharged: false,
            SSEAlgorithm: 'KMS',
          },
          NewObjectTagging: [{ Key: 'copied', Value: 'yes' }],
          RedirectLocation: '/other',
          RequesterPays: false,
          StorageClass: 'GLACIER_IR',
          UnModifiedSinceConstraint: '2030-01-01T00:00:00+02:00',
          SSEAwsKmsKeyId: 'arn:aws:kms:us-east-1:123456789012:key/k',
          TargetKeyPrefix: 'copies/',
          ObjectLockLegalHoldStatus: 'OFF',
          ObjectLockMode: 'GOVERNANCE',
          ObjectLockRetainUntilDate: '2031-01-01T00:00:00Z',
          BucketKeyEnabled: true,
          ChecksumAlgorithm: 'CRC64NVME',
        },
      },
    ],
    [
      'S3PutObjectAcl',
      {
        S3PutObjectAcl: {
          AccessControlPolicy: {
            AccessControlList: {
              Owner: { ID: 'owner-id', DisplayName: 'owner' },
              Grants: [{ Grantee: { TypeIdentifier: 'uri', Identifier: 'http://acs' }, Permission: 'READ' }],
            },
          },
        },
      },
    ],
    ['S3PutObjectTagging', { S3PutObjectTagging: { TagSet: [{ Key: 'k', Value: '' }] } }],
    ['S3DeleteObjectTagging', { S3DeleteObjectTagging: {} }],
    ['S3InitiateRestoreObject', { S3InitiateRestoreObject: { ExpirationInDays: 1, GlacierJobTier: 'BULK' } }],
    ['S3PutObjectLegalHold', { S3PutObjectLegalHold: { LegalHold: { Status: 'ON' } } }],
    [
      'S3PutObjectRetention',
      {
        S3PutObjectRetention: {
          BypassGovernanceRetention: true,
          Retention: { RetainUntilDate: '2030-01-01T00:00:00Z', Mode: 'COMPLIANCE' },
        },
      },
    ],
    ['S3ReplicateObject', { S3ReplicateObject: {} }],
    [
      'S3ComputeObjectChecksum',
      { S3ComputeObjectChecksum: { ChecksumAlgorithm: 'SHA256', ChecksumType: 'FULL_OBJECT' } },
    ],
  ])('accepts the %s operation', (_name, operation) => {
    const request = { ...minimalRequest(), operation };

    const valid = validateJobRequest(request);

    expect(errorsOf(validateJobRequest.errors)).toEqual([]);
    expect(valid).toBe(true);
  });

  it('accepts an inventory report manifest and a full policy', () => {
    const request: JobRequest = {
      operation: { S3InitiateRestoreObject: { ExpirationInDays: 7, GlacierJobTier: 'STANDARD' } },
      manifest: {
        bucket: 'inventory-destination',
        key: 'source-bucket/config-id/2016-11-06T21-32Z/manifest.json',
        format: 'S3InventoryReport_CSV_20161130',
        versionId: '3',
      },
      report: { enabled: true, bucket: 'my-reports', scope: 'FailedTasksOnly' },
      description: 'restore campaign',
      tags: { campaign: 'restore-2025', 'cost center': 'A-1' },
      confirmationRequired: true,
      autoConfirm: true,
      policy: {
        dryRun: true,
        autoCancel: { failureRateThreshold: 0.3, minTasksRun: 50, maxFailedTasks: 1000 },
        reprioritize: {
          warnFailureRate: 0.1,
          recoverFailureRate: 0.05,
          loweredPriority: 1,
          deadline: '2030-06-01T12:00:00Z',
          raisedPriority: 100,
        },
        redrive: { maxAttempts: 2, errorCodes: ['SlowDown', 'InternalError'] },
      },
    };

    expect(validateJobRequest(request)).toBe(true);
  });
});

describe('validateJobRequest: sources of objects', () => {
  const { manifest: _manifest, ...withoutManifest } = minimalRequest();

  it('accepts a manifestGenerator instead of a manifest, and fills its defaults', () => {
    const request = {
      ...withoutManifest,
      manifestGenerator: { sourceBucket: 'photos', filter: { olderThanDays: 30 } },
    };

    expect(validateJobRequest(request), JSON.stringify(validateJobRequest.errors)).toBe(true);
    expect(request.manifestGenerator).toEqual({
      sourceBucket: 'photos',
      enableManifestOutput: false,
      filter: { olderThanDays: 30 },
    });
  });

  it('accepts the newest report of an inventory configuration, maxAgeHours defaulting to 48', () => {
    const request = {
      ...withoutManifest,
      manifest: {
        inventory: { bucket: 'inventories', prefix: 'inv', sourceBucket: 'photos', configId: 'daily' },
      },
    };

    expect(validateJobRequest(request), JSON.stringify(validateJobRequest.errors)).toBe(true);
    expect(request.manifest.inventory).toMatchObject({ maxAgeHours: 48 });
  });

  it.each([
    [
      'both a manifest and a manifestGenerator',
      { ...minimalRequest(), manifestGenerator: { sourceBucket: 'photos' } },
    ],
    ['neither', withoutManifest],
    [
      'a named manifest beside inventory',
      {
        ...withoutManifest,
        manifest: {
          key: 'm.csv',
          inventory: { bucket: 'inventories', sourceBucket: 'photos', configId: 'daily' },
        },
      },
    ],
    [
      'olderThanDays with createdBefore',
      {
        ...withoutManifest,
        manifestGenerator: {
          sourceBucket: 'photos',
          filter: { olderThanDays: 1, createdBefore: '2026-01-01T00:00:00Z' },
        },
      },
    ],
    [
      'newerThanDays with createdAfter',
      {
        ...withoutManifest,
        manifestGenerator: {
          sourceBucket: 'photos',
          filter: { newerThanDays: 1, createdAfter: '2026-01-01T00:00:00Z' },
        },
      },
    ],
    [
      'an output location without enableManifestOutput',
      {
        ...withoutManifest,
        manifestGenerator: { sourceBucket: 'photos', manifestOutputLocation: { bucket: 'out' } },
      },
    ],
    [
      'enableManifestOutput without an output location',
      { ...withoutManifest, manifestGenerator: { sourceBucket: 'photos', enableManifestOutput: true } },
    ],
  ])('rejects %s', (_name, request) => {
    expect(validateJobRequest(structuredClone(request))).toBe(false);
  });
});

describe('validateWorkflowState: the job and its source', () => {
  const execution = {
    arn: 'arn:aws:states:us-east-1:123456789012:execution:s3-batch-orchestrator-dev-batch-job:run-1',
    name: 'run-1',
    startTime: '2026-11-26T10:00:00.000Z',
  };
  const job = {
    jobId: '93735294-df46-44d5-8638-6356f335324e',
    accountId: '123456789012',
    clientRequestToken: 'a'.repeat(64),
    operation: 'S3PutObjectTagging',
    priority: 42,
    submittedAt: '2026-11-26T10:00:00.000Z',
    deadline: '2026-12-03T10:00:00.000Z',
    confirmationRequired: false,
    autoConfirm: false,
    report: { enabled: false, scope: 'AllTasks' },
    wait: {},
    policy: null,
    attempt: 1,
    continuations: 0,
  };
  const manifest = { bucket: 'manifests', key: 'm.csv', etag: 'e' };

  it.each([
    [
      'a generated object list, without a manifest',
      { manifestSource: { kind: 'generator', sourceBucket: 'photos' } },
    ],
    ['a state saved before manifestSource existed', { manifest }],
    [
      'a CSV job as SubmitJob now writes it',
      { manifest, manifestSource: { kind: 'csv', bucket: 'manifests', key: 'm.csv' } },
    ],
  ])('accepts %s', (_name, source) => {
    expect(validateWorkflowState({ execution, job: { ...job, ...source } })).toBe(true);
  });

  it.each([
    ['neither a manifest nor a manifestSource', {}],
    ['a manifestSource of an unknown kind', { manifestSource: { kind: 'tape', bucket: 'b', key: 'k' } }],
    [
      'a newest inventory report without its report time',
      {
        manifest,
        manifestSource: {
          kind: 'latestInventory',
          bucket: 'b',
          key: 'k',
          sourceBucket: 'src',
          configId: 'c',
        },
      },
    ],
  ])('rejects %s', (_name, source) => {
    expect(validateWorkflowState({ execution, job: { ...job, ...source } })).toBe(false);
  });
});

describe('validateReportSummary', () => {
  const summary = (): ReportSummary => ({
    jobId: 'f8fb9d89-a3aa-461d-bddc-ea6a1b131955',
    available: true,
    reportCreationDate: '2019-04-05T17:48:39.725Z',
    manifestKey: 'job-f8fb9d89-a3aa-461d-bddc-ea6a1b131955/manifest.json',
    totalTasks: 3,
    succeededTasks: 2,
    failedTasks: 1,
    byErrorCode: { PermanentFailure: 1 },
    byHttpStatus: { '200': 3 },
    sampleFailures: [
      {
        bucket: 'my-bucket',
        key: 'photos/a b.jpg',
        errorCode: 'PermanentFailure',
        httpStatus: 200,
        message: 'Lambda returned function error: "boom, with a comma"',
      },
    ],
    resultFiles: [
      'job-f8fb9d89-a3aa-461d-bddc-ea6a1b131955/results/6217b0fab0de85c408b4be96aeaca9b195a7daa5.csv',
    ],
    attempts: 1,
  });

  it('accepts a summary of a report', () => {
    expect(validateReportSummary(summary())).toBe(true);
  });

  it('accepts a job without a report', () => {
    const none: ReportSummary = {
      jobId: 'f8fb9d89-a3aa-461d-bddc-ea6a1b131955',
      available: false,
      reason: 'job failed before any task ran',
      totalTasks: 0,
      succeededTasks: 0,
      failedTasks: 0,
      byErrorCode: {},
      byHttpStatus: {},
      sampleFailures: [],
      resultFiles: [],
    };
    expect(validateReportSummary(none)).toBe(true);
  });

  it('keeps at most 20 sample failures', () => {
    const tooMany = summary();
    tooMany.sampleFailures = Array.from({ length: 21 }, () => tooMany.sampleFailures[0]!);

    expect(validateReportSummary(tooMany)).toBe(false);
  });

  it('rejects an HTTP status key that is not a status code', () => {
    expect(validateReportSummary({ ...summary(), byHttpStatus: { OK: 1 } })).toBe(false);
  });
});

describe('validateConfig', () => {
  it('fills in defaults and allows other variables', () => {
    const env: Config = {
      S3BO_STAGE: 'dev',
      S3BO_EVENT_BUS_NAME: 's3-batch-orchestrator-dev',
      PATH: '/usr/bin',
    };

    expect(validateConfig(env)).toBe(true);
    expect(env).toMatchObject({
      S3BO_EVENT_SOURCE: 's3-batch-orchestrator',
      AWS_REGION: 'us-east-1',
      S3BO_REPORT_MAX_SAMPLE_FAILURES: '20',
    });
  });

  it('accepts local endpoints', () => {
    const env: Config = {
      S3BO_STAGE: 'local',
      S3BO_EVENT_BUS_NAME: 's3-batch-orchestrator-local',
      S3BO_ACCOUNT_ID: '123456789012',
      S3BO_BATCH_ROLE_ARN: 'arn:aws:iam::123456789012:role/S3BatchJobRole',
      AWS_ENDPOINT_URL: 'http://127.0.0.1:4566',
      AWS_ENDPOINT_URL_S3_CONTROL: 'http://localhost:4566/',
    };
    expect(validateConfig(env)).toBe(true);
  });

  it.each([
    ['no stage', { S3BO_EVENT_BUS_NAME: 'bus' }],
    [
      'an endpoint that is not a URL',
      { S3BO_STAGE: 'dev', S3BO_EVENT_BUS_NAME: 'bus', AWS_ENDPOINT_URL: 'localhost' },
    ],
    ['an aws. event source', { S3BO_STAGE: 'dev', S3BO_EVENT_BUS_NAME: 'bus', S3BO_EVENT_SOURCE: 'aws.s3' }],
    [
      'more than 20 sample failures',
      { S3BO_STAGE: 'dev', S3BO_EVENT_BUS_NAME: 'bus', S3BO_REPORT_MAX_SAMPLE_FAILURES: '21' },
    ],
  ])('rejects %s', (_name, env) => {
    expect(validateConfig(env)).toBe(false);
  });
});

describe('event detail schemas', () => {
  const envelope = {
    eventId: 'c0a8e0f6b7d54a3f9e2c1b0a9d8e7f6a5b4c3d2e1f0a9b8c7d6e5f4a3b2c1d0e',
    executionArn: 'arn:aws:states:us-east-1:123456789012:execution:s3-batch-orchestrator-dev-batch-job:run-1',
    stage: 'dev',
    occurredAt: '2025-11-26T13:40:00.000Z',
  };
  const jobId = '93735294-df46-44d5-8638-6356f335324e';
  const progress = { totalTasks: 8, succeededTasks: 7, failedTasks: 1, failureRate: 0.125 };
  const manifest = { bucket: 'employee-records-logs', key: 'inv-report/redrive-1.csv' };
  const summary: ReportSummary = {
    jobId,
    available: true,
    totalTasks: 8,
    succeededTasks: 7,
    failedTasks: 1,
    byErrorCode: { PermanentFailure: 1 },
    byHttpStatus: { '200': 8 },
    sampleFailures: [],
    resultFiles: [],
  };

  // One builder per detail type: the type annotation makes a missing detail type a compile error.
  const examples: { [K in DetailType]: () => EventDetailByType[K] } = {
    [detailTypes.submitted]: (): BatchJobSubmittedDetail => ({
      ...envelope,
      jobId,
      accountId: '123456789012',
      operation: 'S3PutObjectTagging',
      priority: 42,
      clientRequestToken: 'run-1',
      manifest,
      manifestSource: { kind: 'csv', ...manifest },
    }),
    [detailTypes.statusChanged]: (): BatchJobStatusChangedDetail => ({
      ...envelope,
      jobId,
      status: 'Active',
      previousStatus: null,
      progress,
      stalled: false,
    }),
    [detailTypes.reprioritized]: (): BatchJobReprioritizedDetail => ({
      ...envelope,
      jobId,
      fromPriority: 42,
      toPriority: 1,
      reason: 'failure rate 0.125 >= warnFailureRate 0.1',
      failureRate: 0.125,
      dryRun: false,
    }),
    [detailTypes.autoCancelled]: (): BatchJobAutoCancelledDetail => ({
      ...envelope,
      jobId,
      failureRate: 0.6,
      tasksRun: 200,
      failedTasks: 120,
      threshold: 0.5,
      reason: 'failure rate 0.6 > 0.5 after 200 tasks',
      dryRun: true,
    }),
    [detailTypes.completed]: (): BatchJobCompletedDetail => ({
      ...envelope,
      jobId,
      outcome: 'PartialFailure',
      summary,
      progress,
    }),
    [detailTypes.failed]: (): BatchJobFailedDetail => ({
      ...envelope,
      jobId,
      reason: 'Reading the manifest is forbidden: AccessDenied',
      failureReasons: [{ code: 'AccessDenied', reason: 'Reading the manifest is forbidden: AccessDenied' }],
      status: 'Failed',
      progress: { totalTasks: 0, succeededTasks: 0, failedTasks: 0, failureRate: 0 },
    }),
    [detailTypes.cancelled]: (): BatchJobCancelledDetail => ({
      ...envelope,
      jobId,
      reason: 'auto-cancelled',
      cancelledBy: 'policy',
      progress,
      summary,
    }),
    [detailTypes.rejected]: (): BatchJobRejectedDetail => ({
      ...envelope,
      field: '/operation',
      reason: 'must NOT have more than 1 properties',
    }),
    [detailTypes.redriven]: (): BatchJobRedrivenDetail => ({
      ...envelope,
      jobId: 'b1f4e1a7-0000-4000-8000-000000000001',
      parentJobId: jobId,
      attempt: 1,
      taskCount: 1,
      manifest,
    }),
    [detailTypes.campaignStarted]: (): CampaignStartedDetail => ({
      ...envelope,
      campaign: 'archive-restore',
      runId: 'archive-restore-20251101T0200Z',
      scheduledTime: '2025-11-01T02:00:00Z',
      trigger: 'schedule',
      concurrency: 2,
      targets: [
        {
          name: 'logs',
          kind: 'restore-then',
          operation: 'S3InitiateRestoreObject',
          executionName: 'archive-restore-20251101T0200Z-logs',
          manifestSource: { kind: 'csv', ...manifest },
          objectCount: 8,
          estimatedUsd: 0.250324,
        },
      ],
      estimate: { totalUsd: 0.250324, budgetUsd: 5, complete: true },
    }),
    [detailTypes.campaignCompleted]: (): CampaignCompletedDetail => ({
      ...envelope,
      campaign: 'archive-restore',
      runId: 'archive-restore-20251101T0200Z',
      scheduledTime: '2025-11-01T02:00:00Z',
      trigger: 'schedule',
      outcome: 'Succeeded',
      targets: [
        {
          name: 'logs',
          outcome: 'Succeeded',
          jobId,
          executionArn: envelope.executionArn,
          totals: { tasks: 8, succeeded: 8, failed: 0 },
          failuresByCode: {},
          estimatedUsd: 0.250324,
        },
      ],
      totals: {
        targets: 1,
        succeededTargets: 1,
        partialTargets: 0,
        failedTargets: 0,
        tasks: 8,
        succeededTasks: 8,
        failedTasks: 0,
      },
      cost: { estimatedUsd: 0.250324, budgetUsd: 5 },
    }),
    [detailTypes.campaignPhaseStarted]: (): CampaignPhaseStartedDetail => ({
      ...envelope,
      campaign: 'archive-restore',
      target: 'logs',
      runId: 'archive-restore-20251101T0200Z',
      phase: 'then',
      childExecutionName: 'archive-restore-20251101T0200Z-logs-then',
      objects: 7,
      manifest: { bucket: 'reports', key: 'batch/s3bo-redrive/job-1/restored-objects.csv' },
      restoreJobId: jobId,
    }),
    [detailTypes.campaignPhaseCompleted]: (): CampaignPhaseCompletedDetail => ({
      ...envelope,
      campaign: 'archive-restore',
      target: 'logs',
      runId: 'archive-restore-20251101T0200Z',
      phase: 'restore',
      outcome: 'PartialFailure',
      reason: '1 of 8 objects were not restored by the deadline',
      jobId,
      childExecutionArn: envelope.executionArn,
      tasks: { total: 8, succeeded: 8, failed: 0 },
      failuresByCode: {},
      restored: 7,
      notRestored: 1,
      deadlineReached: true,
    }),
    [detailTypes.triggerFlushed]: (): TriggerFlushedDetail => ({
      eventId: envelope.eventId,
      stage: envelope.stage,
      occurredAt: envelope.occurredAt,
      trigger: 'thumbnails',
      objectCount: 500,
      manifest: { bucket: 'state', key: 'triggers/thumbnails/manifests/0a1b.csv' },
      executionArn: envelope.executionArn,
      reason: 'maxObjects',
    }),
  };
  const cases = Object.values(detailTypes).map((detailType) => [detailType] as const);

  it('exist once per detail type of src/core/names.ts', async () => {
    const files = (await readdir(join(repoRoot, 'schemas/events'))).map((name) => `events/${name}`).sort();

    expect(files).toEqual(Object.values(detailSchemaFiles).sort());
  });

  it.each(cases)('%s accepts a built example', (detailType) => {
    const validate = detailValidators[detailType];

    const valid = validate(examples[detailType]());

    expect(errorsOf(validate.errors)).toEqual([]);
    expect(valid).toBe(true);
  });

  it.each(cases)('%s rejects a detail without eventId', (detailType) => {
    const { eventId: _omitted, ...detail } = examples[detailType]();

    expect(detailValidators[detailType](detail)).toBe(false);
    expect(detailValidators[detailType].errors).toContainEqual(
      expect.objectContaining({ keyword: 'required', params: { missingProperty: 'eventId' } }),
    );
  });

  it.each(cases)('%s rejects an unknown property', (detailType) => {
    expect(detailValidators[detailType]({ ...examples[detailType](), extra: true })).toBe(false);
  });

  // Failed is also emitted when the orchestration fails before CreateJob returned a job id.
  it.each(
    Object.values(detailTypes)
      .filter(
        (detailType) =>
          detailType !== detailTypes.rejected &&
          detailType !== detailTypes.failed &&
          // A trigger flush only starts the workflow: the job does not exist yet.
          detailType !== detailTypes.triggerFlushed &&
          !detailType.startsWith('Campaign'),
      )
      .map((detailType) => [detailType] as const),
  )('%s requires jobId', (detailType) => {
    const { jobId: _omitted, ...detail } = examples[detailType]() as { jobId?: unknown };

    expect(detailValidators[detailType](detail)).toBe(false);
  });

  it('accepts a failed run that never got a job id', () => {
    const detail: BatchJobFailedDetail = {
      ...envelope,
      reason: 'ServiceThrottledError: Rate exceeded',
      failureReasons: [],
      errorName: 'ServiceThrottledError',
    };

    expect(detailValidators[detailTypes.failed](detail)).toBe(true);
  });

  it('rejects an occurredAt that is not a date-time', () => {
    const detail = { ...examples[detailTypes.completed](), occurredAt: '26/11/2025' };

    expect(detailValidators[detailTypes.completed](detail)).toBe(false);
  });

  it('rejects a completed event whose summary is not a report summary', () => {
    const detail = { ...examples[detailTypes.completed](), summary: { jobId } };

    expect(detailValidators[detailTypes.completed](detail)).toBe(false);
  });
});
