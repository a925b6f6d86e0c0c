import type { JobRequest } from '../../src/generated/types.js';

/** A valid tagging request; override what a test is about. */
export function aJobRequest(overrides: Partial<JobRequest> = {}): JobRequest {
  return {
    operation: { S3PutObjectTagging: { TagSet: [{ Key: 'confidential', Value: 'true' }] } },
    manifest: { bucket: 'employee-records-logs', key: 'inv-report/7a6a9be4.csv' },
    report: { bucket: 'employee-records-logs', prefix: 'batch-op-create-job', scope: 'AllTasks' },
    priority: 42,
    ...overrides,
  } as JobRequest;
}

export const anExecution = {
  arn: 'arn:aws:states:us-east-1:123456789012:execution:s3-batch-orchestrator-dev-batch-job:run-1',
  name: 'run-1',
  startTime: '2026-11-26T10:00:00.000Z',
};
