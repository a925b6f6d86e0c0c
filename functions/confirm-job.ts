import { confirmJob } from '../src/core/confirm-job.js';
import { validateConfirmJobInput } from '../src/generated/validators.js';
import { s3ControlJobs } from '../src/runtime/adapters.js';
import { awsRuntime, type HandlerRuntime, lambdaHandler } from '../src/runtime/handler.js';

export const createHandler = (runtime: HandlerRuntime) =>
  lambdaHandler('confirm-job', runtime, validateConfirmJobInput, { jobs: s3ControlJobs }, (event, deps) =>
    confirmJob({ jobs: deps.jobs(), stage: deps.config.stage }, event.job, event.progress),
  );

export const handler = createHandler(awsRuntime());
