import type { SubmittedJob, WaitSettings } from '../../src/core/workflow-state.js';
import { jobRequestDefaults } from '../../src/generated/constants.js';

/** The request defaults of schemas/job-request.schema.json (WaitOptions), as SubmitJob fills them in. */
export const defaultWaitSettings: WaitSettings = { ...jobRequestDefaults.WaitOptions };

/** What SubmitJob returns for a plain tagging job (`$.job`); override what a test is about. */
export function aSubmittedJob(overrides: Partial<SubmittedJob> = {}): SubmittedJob {
  return {
    jobId: '93735294-df46-44d5-8638-6356f335324e',
    accountId: '123456789012',
    clientRequestToken: 'a'.repeat(64),
    operation: 'S3PutObjectTagging',
    priority: 42,
    submittedAt: '2026-11-26T10:00:00.000Z',
    deadline: '2026-12-03T10:00:00.000Z',
    confirmationRequired: false,
    autoConfirm: false,
    manifest: { bucket: 'manifests', key: 'm.csv', etag: '69f52a4e9f797e987155d9c8f5880897' },
    manifestSource: { kind: 'csv', bucket: 'manifests', key: 'm.csv' },
    report: { enabled: true, bucket: 'reports', prefix: 'batch', scope: 'AllTasks' },
    wait: defaultWaitSettings,
    policy: null,
    attempt: 1,
    continuations: 0,
    ...overrides,
  };
}
