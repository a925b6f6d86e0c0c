import { fetchJobReport } from '../src/core/fetch-job-report.js';
import type { JobSnapshot, SubmittedJob } from '../src/core/workflow-state.js';
import { dependencies } from '../src/runtime/dependencies.js';
import { lambdaHandler } from '../src/runtime/handler.js';

export const handler = lambdaHandler(
  'fetch-report',
  (event: { job: SubmittedJob; progress?: JobSnapshot | null }) => {
    const deps = dependencies();
    return fetchJobReport(deps.objects(), event.job, event.progress, deps.config.maxSampleFailures);
  },
);
