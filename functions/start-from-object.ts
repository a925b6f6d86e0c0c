import { type ObjectCreatedEvent, startFromObject } from '../src/core/triggers/start-from-object.js';
import { dependencies } from '../src/runtime/dependencies.js';
import { lambdaHandler } from '../src/runtime/handler.js';

/** Target of the rule on S3 "Object Created" events in the stage's request bucket (serverless.yml). */
export const handler = lambdaHandler('start-from-object', (event: ObjectCreatedEvent) => {
  const deps = dependencies();
  return startFromObject(
    {
      objects: deps.objects(),
      workflow: deps.workflow(),
      stateMachineArn: deps.config.stateMachineArn,
      events: { bus: deps.bus(), config: deps.config, clock: deps.clock },
    },
    event,
  );
});
