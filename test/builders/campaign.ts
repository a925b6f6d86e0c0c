// biome-ignore-all lint/suspicious/noThenProperty: `then` is a restore campaign's second job (schemas/campaign.schema.json), a plain data field, never a function.
import type { Campaign } from '../../src/generated/types.js';

/** A valid three-target tagging campaign (generator, generator, CSV); override what a test is about. */
export function aCampaign(overrides: Partial<Campaign> = {}): Campaign {
  return {
    name: 'weekly-tagging',
    schedule: { expression: 'cron(0 3 ? * SUN *)', timezone: 'Europe/Paris' },
    job: {
      operation: { S3PutObjectTagging: { TagSet: [{ Key: 'classification', Value: 'internal' }] } },
      report: { bucket: 'reports', prefix: 'campaigns', scope: 'AllTasks' },
      priority: 10,
    },
    targets: [
      {
        name: 'logs',
        manifestGenerator: {
          sourceBucket: 'data',
          filter: { keyNameConstraint: { matchAnyPrefix: ['logs/'] } },
        },
      },
      {
        name: 'images',
        manifestGenerator: {
          sourceBucket: 'data',
          filter: { keyNameConstraint: { matchAnySuffix: ['.jpg'] } },
        },
        overrides: { priority: 20 },
      },
      { name: 'exports', manifest: { bucket: 'manifests', key: 'exports.csv' } },
    ],
    concurrency: 2,
    ...overrides,
  };
}

/** A restore campaign with a second job copying the restored objects to STANDARD in place. */
export function aRestoreCampaign(overrides: Partial<Campaign> = {}): Campaign {
  return aCampaign({
    name: 'archive-restore',
    job: {
      operation: { S3InitiateRestoreObject: {} },
      report: { bucket: 'reports', prefix: 'restores', scope: 'AllTasks' },
    },
    targets: [{ name: 'audit', manifest: { bucket: 'manifests', key: 'audit.csv' } }],
    restore: {
      tier: 'BULK',
      expirationDays: 7,
      then: {
        operation: {
          S3PutObjectCopy: {
            TargetResource: 'arn:aws:s3:::archive',
            StorageClass: 'STANDARD',
            MetadataDirective: 'COPY',
          },
        },
      },
    },
    ...overrides,
  });
}

export const aCampaignExecution = {
  arn: 'arn:aws:states:us-east-1:123456789012:execution:s3-batch-orchestrator-dev-campaign:run-1',
  name: 'run-1',
  startTime: '2026-03-01T02:00:07.120Z',
};
