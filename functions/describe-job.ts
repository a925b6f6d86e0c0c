import { monitorJob } from '../src/core/monitor-job.js';
import type { JobSnapshot, SubmittedJob } from '../src/core/workflow-state.js';
import { awsRuntime, type HandlerRuntime, lambdaHandler } from '../src/runtime/handler.js';

export const createHandler = (runtime: HandlerRuntime) =>
  lambdaHandler(
    'describe-job',
    runtime,
    (event: { job: SubmittedJob; previous?: JobSnapshot | null }, deps) =>
      monitorJob(
        { jobs: deps.jobs(), clock: deps.clock, stage: deps.config.stage },
        event.job,
        event.previous,
      ),
  );

export const handler = createHandler(awsRuntime());
