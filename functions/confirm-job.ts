import { confirmJob } from '../src/core/confirm-job.js';
import { validateConfirmJobInput } from '../src/generated/validators.js';
import { awsRuntime, type HandlerRuntime, lambdaHandler } from '../src/runtime/handler.js';

export const createHandler = (runtime: HandlerRuntime) =>
  lambdaHandler('confirm-job', runtime, validateConfirmJobInput, (event, deps) =>
    confirmJob({ jobs: deps.jobs(), stage: deps.config.stage }, event.job, event.progress),
  );

export const handler = createHandler(awsRuntime());
