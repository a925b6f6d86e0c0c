import { submitJob } from '../src/core/submit-job.js';
import { validateSubmitJobInput } from '../src/generated/validators.js';
import { s3ControlJobs, s3Objects } from '../src/runtime/adapters.js';
import { awsRuntime, type HandlerRuntime, lambdaHandler } from '../src/runtime/handler.js';

export const createHandler = (runtime: HandlerRuntime) =>
  lambdaHandler(
    'submit-job',
    runtime,
    validateSubmitJobInput,
    { jobs: s3ControlJobs, objects: s3Objects },
    (event, deps) =>
      submitJob(
        { jobs: deps.jobs(), objects: deps.objects(), config: deps.config, clock: deps.clock },
        event,
      ),
  );

export const handler = createHandler(awsRuntime());
