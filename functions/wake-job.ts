import { type JobStatusEvent, wakeParkedWait } from '../src/core/wake/parked-wait.js';
import { dependencies } from '../src/runtime/dependencies.js';
import { lambdaHandler } from '../src/runtime/handler.js';

/** Target of the rule on S3's CloudTrail JobStatusChanged events (serverless.yml). */
export const handler = lambdaHandler('wake-job', (event: JobStatusEvent) => {
  const deps = dependencies();
  return wakeParkedWait(
    {
      objects: deps.objects(),
      workflow: deps.workflow(),
      stateBucket: deps.config.stateBucket,
      clock: deps.clock,
    },
    event,
  );
});
