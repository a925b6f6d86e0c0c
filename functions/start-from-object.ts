import { startFromObject } from '../src/core/triggers/start-from-object.js';
import { validateObjectCreatedEvent } from '../src/generated/validators.js';
import { eventBridgeBus, s3Objects, sfnWorkflow } from '../src/runtime/adapters.js';
import { awsRuntime, type HandlerRuntime, lambdaHandler } from '../src/runtime/handler.js';

/** Target of the rule on S3 "Object Created" events in the stage's request bucket (serverless.yml). */
export const createHandler = (runtime: HandlerRuntime) =>
  lambdaHandler(
    'start-from-object',
    runtime,
    validateObjectCreatedEvent,
    { bus: eventBridgeBus, objects: s3Objects, workflow: sfnWorkflow },
    (event, deps) =>
      startFromObject(
        {
          objects: deps.objects(),
          workflow: deps.workflow(),
          stateMachineArn: deps.config.stateMachineArn,
          events: { bus: deps.bus(), config: deps.config, clock: deps.clock },
        },
        event,
      ),
  );

export const handler = createHandler(awsRuntime());
