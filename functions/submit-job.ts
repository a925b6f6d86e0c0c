import { type SubmitJobInput, submitJob } from '../src/core/submit-job.js';
import { dependencies } from '../src/runtime/dependencies.js';
import { lambdaHandler } from '../src/runtime/handler.js';

export const handler = lambdaHandler('submit-job', (event: SubmitJobInput) => {
  const deps = dependencies();
  return submitJob(
    { jobs: deps.jobs(), objects: deps.objects(), config: deps.config, clock: deps.clock },
    event,
  );
});
