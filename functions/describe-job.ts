import { monitorJob } from '../src/core/monitor-job.js';
import type { JobSnapshot, SubmittedJob } from '../src/core/workflow-state.js';
import { dependencies } from '../src/runtime/dependencies.js';
import { lambdaHandler } from '../src/runtime/handler.js';

export const handler = lambdaHandler(
  'describe-job',
  (event: { job: SubmittedJob; previous?: JobSnapshot | null }) => {
    const deps = dependencies();
    return monitorJob(
      { jobs: deps.jobs(), clock: deps.clock, stage: deps.config.stage },
      event.job,
      event.previous,
    );
  },
);
