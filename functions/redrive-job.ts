import { redriveFailedTasks } from '../src/core/redrive/run-redrive.js';
import { validateRedriveJobInput } from '../src/generated/validators.js';
import { s3ControlJobs, s3Objects } from '../src/runtime/adapters.js';
import { awsRuntime, type HandlerRuntime, lambdaHandler } from '../src/runtime/handler.js';

export const createHandler = (runtime: HandlerRuntime) =>
  lambdaHandler(
    'redrive-job',
    runtime,
    validateRedriveJobInput,
    { jobs: s3ControlJobs, objects: s3Objects },
    (event, deps) =>
      redriveFailedTasks(
        { jobs: deps.jobs(), objects: deps.objects(), config: deps.config, clock: deps.clock },
        event.state,
      ),
  );

export const handler = createHandler(awsRuntime());
