import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { buildCreateJobInput, type CreateJobContext } from '../../../src/core/create-job-input.js';
import { requestedManifest } from '../../../src/core/manifest-source/requested-manifest.js';
import type { ResolvedManifestSource } from '../../../src/core/manifest-source/resolve-manifest-source.js';
import { parseJobRequest } from '../../../src/core/request-validation.js';
import type { JobRequestWithDefaults } from '../../../src/generated/types.js';
import { aJobRequest } from '../../builders/job-request.js';

const fixture = JSON.parse(readFileSync('test/fixtures/create-job-input.json', 'utf8'));
const manifestEtag = '69f52a4e9f797e987155d9c8f5880897';

/** The request's named manifest as resolveManifestSource would leave it, its ETag known. */
function namedManifest(request: JobRequestWithDefaults): ResolvedManifestSource {
  const requested = requestedManifest(request);
  if (requested.kind !== 'csv' && requested.kind !== 'inventory') throw new Error('not a named manifest');
  return { ...requested, etag: requested.etag ?? manifestEtag };
}

describe('buildCreateJobInput', () => {
  const contextFor = (request: JobRequestWithDefaults): CreateJobContext => ({
    accountId: '123456789012',
    roleArn: 'arn:aws:iam::123456789012:role/S3BatchJobRole',
    source: namedManifest(request),
    clientRequestToken: 'token-1',
    stage: 'dev',
    fallbackDescription: 's3-batch-orchestrator run-1',
  });
  const build = (request: JobRequestWithDefaults) => buildCreateJobInput(request, contextFor(request));

  it('produces the CreateJob input of the AWS CLI example from the equivalent request', () => {
    // Prepare
    const request = parseJobRequest(
      aJobRequest({
        manifest: {
          bucket: 'employee-records-logs',
          key: 'inv-report/7a6a9be4-072c-407e-85a2-ec3e982f773e.csv',
        },
      }),
    );
    // Act
    const input = build(request);
    // Assess
    expect(input).toMatchObject({ ...fixture, ClientRequestToken: 'token-1', ConfirmationRequired: false });
    expect(input.Description).toBe('s3-batch-orchestrator run-1');
  });

  it('sends a disabled report without a bucket', () => {
    const request = parseJobRequest(aJobRequest({ report: { enabled: false } }));
    expect(build(request).Report).toEqual({ Enabled: false });
  });

  it('points an inventory manifest at its manifest.json without Fields', () => {
    const request = parseJobRequest(
      aJobRequest({
        manifest: {
          bucket: 'inv',
          key: 'src/cfg/2026-11-01T00-00Z/manifest.json',
          format: 'S3InventoryReport_CSV_20161130',
        },
      }),
    );
    const input = build(request);
    expect(input.Manifest?.Spec).toEqual({ Format: 'S3InventoryReport_CSV_20161130' });
    expect(input.Manifest?.Location.ObjectArn).toBe(
      'arn:aws:s3:::inv/src/cfg/2026-11-01T00-00Z/manifest.json',
    );
  });

  it('tags every job with its stage, even when the request has no tags', () => {
    const input = build(parseJobRequest(aJobRequest()));
    expect(input.Tags).toEqual([{ Key: 's3bo:stage', Value: 'dev' }]);
  });

  it('refuses a request that sets the stage tag itself, naming the tag', () => {
    expect(() => parseJobRequest(aJobRequest({ tags: { 's3bo:stage': 'prod' } }))).toThrow(
      /^tags\.s3bo:stage: is reserved/,
    );
  });

  it('maps request tags to S3 job tags and keeps the manifest version', () => {
    const request = parseJobRequest(
      aJobRequest({
        tags: { team: 'platform' },
        manifest: { bucket: 'm-bucket', key: 'k.csv', versionId: 'v1' },
      }),
    );
    const input = build(request);
    expect(input.Tags).toEqual([
      { Key: 's3bo:stage', Value: 'dev' },
      { Key: 'team', Value: 'platform' },
    ]);
    expect(input.Manifest?.Location.ObjectVersionId).toBe('v1');
  });
});
