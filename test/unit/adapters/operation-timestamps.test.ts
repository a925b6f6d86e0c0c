import { Readable } from 'node:stream';
import { CreateJobCommand, S3ControlClient } from '@aws-sdk/client-s3-control';
import { describe, expect, it } from 'vitest';
import {
  manifestGeneratorDateTimePaths,
  withSdkTimestamps,
} from '../../../src/adapters/aws/operation-timestamps.js';
import { createBatchJobsAdapter } from '../../../src/adapters/aws/s3-control.js';
import type { CreateJobInput } from '../../../src/core/ports.js';
import { operationDateTimePaths } from '../../../src/generated/date-time-paths.js';
import { aJobRequest } from '../../builders/job-request.js';

/** A real S3 Control client whose transport records the serialised request instead of sending it. */
function capturingClient() {
  const bodies: string[] = [];
  const client = new S3ControlClient({
    region: 'us-east-1',
    credentials: { accessKeyId: 'fake', secretAccessKey: 'fake' },
    requestHandler: {
      async handle(request: { body?: unknown }) {
        bodies.push(String(request.body ?? ''));
        const xml = '<CreateJobResult><JobId>job-with-dates-1</JobId></CreateJobResult>';
        return {
          response: {
            statusCode: 200,
            headers: { 'content-type': 'application/xml' },
            body: Readable.from([xml]),
          },
        };
      },
    } as never,
  });
  return { client, bodies };
}

const createJobInput = (operation: Record<string, unknown>): CreateJobInput => ({
  AccountId: '123456789012',
  ConfirmationRequired: false,
  Operation: operation,
  Report: { Enabled: false },
  ClientRequestToken: 'token-1',
  Manifest: {
    Spec: { Format: 'S3BatchOperations_CSV_20180820', Fields: ['Bucket', 'Key'] },
    Location: { ObjectArn: 'arn:aws:s3:::manifests/m.csv', ETag: 'etag' },
  },
  Priority: 10,
  RoleArn: 'arn:aws:iam::123456789012:role/batch',
});

const retention = {
  S3PutObjectRetention: {
    BypassGovernanceRetention: true,
    Retention: { Mode: 'GOVERNANCE', RetainUntilDate: '2030-01-01T00:00:00Z' },
  },
};

const copy = {
  S3PutObjectCopy: {
    TargetResource: 'arn:aws:s3:::target',
    ModifiedSinceConstraint: '2020-01-01T00:00:00Z',
    UnModifiedSinceConstraint: '2031-06-01T12:30:00.5+02:00',
    ObjectLockRetainUntilDate: '2030-01-01T00:00:00Z',
    ObjectLockMode: 'GOVERNANCE',
    NewObjectMetadata: { HttpExpiresDate: '2029-12-31T23:59:59Z', ContentType: 'text/plain' },
  },
};

describe('operationDateTimePaths (generated from the job-request schema)', () => {
  it("lists every timestamp field of S3 Control's operations", () => {
    expect(operationDateTimePaths.map((p) => p.join('.')).sort()).toEqual([
      'S3PutObjectCopy.ModifiedSinceConstraint',
      'S3PutObjectCopy.NewObjectMetadata.HttpExpiresDate',
      'S3PutObjectCopy.ObjectLockRetainUntilDate',
      'S3PutObjectCopy.UnModifiedSinceConstraint',
      'S3PutObjectRetention.Retention.RetainUntilDate',
    ]);
  });
});

describe('withSdkTimestamps', () => {
  it('turns the date-time strings into Dates and leaves everything else, and the input, unchanged', () => {
    const converted = withSdkTimestamps(copy) as typeof copy & Record<string, Record<string, unknown>>;
    const op = converted.S3PutObjectCopy as unknown as Record<string, unknown>;
    expect(op.ModifiedSinceConstraint).toEqual(new Date('2020-01-01T00:00:00Z'));
    expect(op.UnModifiedSinceConstraint).toEqual(new Date('2031-06-01T10:30:00.500Z'));
    expect((op.NewObjectMetadata as Record<string, unknown>).HttpExpiresDate).toEqual(
      new Date('2029-12-31T23:59:59Z'),
    );
    expect((op.NewObjectMetadata as Record<string, unknown>).ContentType).toBe('text/plain');
    expect(op.ObjectLockMode).toBe('GOVERNANCE');
    expect(copy.S3PutObjectCopy.ModifiedSinceConstraint).toBe('2020-01-01T00:00:00Z');
  });

  it('follows array items marked * in a path', () => {
    const converted = withSdkTimestamps({ Op: { Dates: ['2020-01-01T00:00:00Z', 7] } }, [
      ['Op', 'Dates', '*'],
    ]);
    expect(converted).toEqual({ Op: { Dates: [new Date('2020-01-01T00:00:00Z'), 7] } });
  });

  it('ignores operations without timestamps', () => {
    const tagging = aJobRequest().operation as Record<string, unknown>;
    expect(withSdkTimestamps(tagging)).toEqual(tagging);
  });
});

describe('createJob with timestamp fields, through the real SDK serialiser', () => {
  it('fails in the SDK itself when a timestamp is sent as a string (the defect this guards)', async () => {
    const { client } = capturingClient();
    await expect(client.send(new CreateJobCommand(createJobInput(retention) as never))).rejects.toThrow(
      /RetainUntilDate/,
    );
  });

  it('serialises S3PutObjectRetention.RetainUntilDate as an ISO-8601 timestamp', async () => {
    const { client, bodies } = capturingClient();
    const { jobId } = await createBatchJobsAdapter(client).createJob(createJobInput(retention));
    expect(jobId).toBe('job-with-dates-1');
    expect(bodies[0]).toContain('<RetainUntilDate>2030-01-01T00:00:00Z</RetainUntilDate>');
  });

  it('serialises every S3PutObjectCopy timestamp, offsets normalised to UTC', async () => {
    const { client, bodies } = capturingClient();
    await createBatchJobsAdapter(client).createJob(createJobInput(copy));
    expect(bodies[0]).toContain('<ModifiedSinceConstraint>2020-01-01T00:00:00Z</ModifiedSinceConstraint>');
    expect(bodies[0]).toContain(
      '<UnModifiedSinceConstraint>2031-06-01T10:30:00.500Z</UnModifiedSinceConstraint>',
    );
    expect(bodies[0]).toContain(
      '<ObjectLockRetainUntilDate>2030-01-01T00:00:00Z</ObjectLockRetainUntilDate>',
    );
    expect(bodies[0]).toContain('<HttpExpiresDate>2029-12-31T23:59:59Z</HttpExpiresDate>');
  });
});

describe('createJob with a ManifestGenerator, through the real SDK serialiser', () => {
  const generatorInput = (filter: Record<string, unknown>): CreateJobInput => {
    const { Manifest: _none, ...input } = createJobInput(copy);
    return {
      ...input,
      Operation: { S3DeleteObjectTagging: {} },
      ManifestGenerator: {
        S3JobManifestGenerator: {
          SourceBucket: 'arn:aws:s3:::photos',
          EnableManifestOutput: false,
          Filter: filter,
        },
      },
    };
  };

  it('lists exactly the filter timestamps', () => {
    expect(manifestGeneratorDateTimePaths.map((p) => p.join('.'))).toEqual([
      'S3JobManifestGenerator.Filter.CreatedAfter',
      'S3JobManifestGenerator.Filter.CreatedBefore',
    ]);
  });

  it('serialises CreatedAfter and CreatedBefore as timestamps, and sends no Manifest', async () => {
    // Prepare
    const { client, bodies } = capturingClient();

    // Act
    await createBatchJobsAdapter(client).createJob(
      generatorInput({
        CreatedAfter: '2026-10-26T10:00:00.000Z',
        CreatedBefore: '2026-11-18T12:00:00+02:00',
        KeyNameConstraint: { MatchAnyPrefix: ['logs/'] },
      }),
    );

    // Assess
    expect(bodies[0]).toContain('<CreatedAfter>2026-10-26T10:00:00Z</CreatedAfter>');
    expect(bodies[0]).toContain('<CreatedBefore>2026-11-18T10:00:00Z</CreatedBefore>');
    expect(bodies[0]).toContain('<SourceBucket>arn:aws:s3:::photos</SourceBucket>');
    expect(bodies[0]).toMatch(/<MatchAnyPrefix><member>logs\/<\/member><\/MatchAnyPrefix>/);
    expect(bodies[0]).not.toContain('<Manifest>');
  });

  it('fails in the SDK itself when a filter timestamp is sent as a string (the defect this guards)', async () => {
    const { client } = capturingClient();
    const input = generatorInput({ CreatedAfter: '2026-10-26T10:00:00.000Z' });
    await expect(client.send(new CreateJobCommand(input as never))).rejects.toThrow(/CreatedAfter/);
  });
});
