import { confirmJob } from '../src/core/confirm-job.js';
import type { JobSnapshot, SubmittedJob } from '../src/core/workflow-state.js';
import { dependencies } from '../src/runtime/dependencies.js';
import { lambdaHandler } from '../src/runtime/handler.js';

export const handler = lambdaHandler('confirm-job', (event: { job: SubmittedJob; progress: JobSnapshot }) => {
  const deps = dependencies();
  return confirmJob({ jobs: deps.jobs(), stage: deps.config.stage }, event.job, event.progress);
});
