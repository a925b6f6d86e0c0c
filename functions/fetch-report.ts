import { fetchJobReport } from '../src/core/fetch-job-report.js';
import { validateFetchReportInput } from '../src/generated/validators.js';
import { s3Objects } from '../src/runtime/adapters.js';
import { awsRuntime, type HandlerRuntime, lambdaHandler } from '../src/runtime/handler.js';

export const createHandler = (runtime: HandlerRuntime) =>
  lambdaHandler('fetch-report', runtime, validateFetchReportInput, { objects: s3Objects }, (event, deps) =>
    fetchJobReport(deps.objects(), event.job, event.progress, deps.config.maxSampleFailures),
  );

export const handler = createHandler(awsRuntime());
