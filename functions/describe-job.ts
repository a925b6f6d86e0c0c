import { describeJobProgress } from '../src/core/describe-job.js';
import type { JobSnapshot, SubmittedJob } from '../src/core/workflow-state.js';
import { dependencies } from '../src/runtime/dependencies.js';
import { lambdaHandler } from '../src/runtime/handler.js';

export const handler = lambdaHandler(
  'describe-job',
  (event: { job: SubmittedJob; previous?: JobSnapshot | null }) =>
    describeJobProgress(dependencies().jobs(), dependencies().clock, event.job, event.previous),
);
