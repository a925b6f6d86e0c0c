import { monitorJob } from '../src/core/monitor-job.js';
import { validateDescribeJobInput } from '../src/generated/validators.js';
import { s3ControlJobs } from '../src/runtime/adapters.js';
import { awsRuntime, type HandlerRuntime, lambdaHandler } from '../src/runtime/handler.js';

export const createHandler = (runtime: HandlerRuntime) =>
  lambdaHandler('describe-job', runtime, validateDescribeJobInput, { jobs: s3ControlJobs }, (event, deps) =>
    monitorJob({ jobs: deps.jobs(), clock: deps.clock, stage: deps.config.stage }, event.job, event.previous),
  );

export const handler = createHandler(awsRuntime());
