import { emitWorkflowEvent } from '../src/core/events/emit-workflow-event.js';
import { validateEmitRequest } from '../src/generated/validators.js';
import { awsRuntime, type HandlerRuntime, lambdaHandler } from '../src/runtime/handler.js';

export const createHandler = (runtime: HandlerRuntime) =>
  lambdaHandler('emit-events', runtime, validateEmitRequest, (event, deps) =>
    emitWorkflowEvent({ bus: deps.bus(), config: deps.config, clock: deps.clock }, event),
  );

export const handler = createHandler(awsRuntime());
