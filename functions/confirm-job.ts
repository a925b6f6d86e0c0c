import { confirmJob } from '../src/core/confirm-job.js';
import type { JobSnapshot, SubmittedJob } from '../src/core/workflow-state.js';
import { awsRuntime, type HandlerRuntime, lambdaHandler } from '../src/runtime/handler.js';

export const createHandler = (runtime: HandlerRuntime) =>
  lambdaHandler('confirm-job', runtime, (event: { job: SubmittedJob; progress: JobSnapshot }, deps) =>
    confirmJob({ jobs: deps.jobs(), stage: deps.config.stage }, event.job, event.progress),
  );

export const handler = createHandler(awsRuntime());
