import { wakeParkedWait } from '../src/core/wake/parked-wait.js';
import { validateJobStatusEvent } from '../src/generated/validators.js';
import { s3Objects, sfnWorkflow } from '../src/runtime/adapters.js';
import { awsRuntime, type HandlerRuntime, lambdaHandler } from '../src/runtime/handler.js';

/** Target of the rule on S3's CloudTrail JobStatusChanged events (serverless.yml). */
export const createHandler = (runtime: HandlerRuntime) =>
  lambdaHandler(
    'wake-job',
    runtime,
    validateJobStatusEvent,
    { objects: s3Objects, workflow: sfnWorkflow },
    (event, deps) =>
      wakeParkedWait(
        {
          objects: deps.objects(),
          workflow: deps.workflow(),
          stateBucket: deps.config.stateBucket,
          clock: deps.clock,
        },
        event,
      ),
  );

export const handler = createHandler(awsRuntime());
