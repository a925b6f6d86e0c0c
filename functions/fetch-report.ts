import { fetchJobReport } from '../src/core/fetch-job-report.js';
import type { JobSnapshot, SubmittedJob } from '../src/core/workflow-state.js';
import { awsRuntime, type HandlerRuntime, lambdaHandler } from '../src/runtime/handler.js';

export const createHandler = (runtime: HandlerRuntime) =>
  lambdaHandler(
    'fetch-report',
    runtime,
    (event: { job: SubmittedJob; progress?: JobSnapshot | null }, deps) =>
      fetchJobReport(deps.objects(), event.job, event.progress, deps.config.maxSampleFailures),
  );

export const handler = createHandler(awsRuntime());
