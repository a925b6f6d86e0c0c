import { emitWorkflowEvent } from '../src/core/events/emit-workflow-event.js';
import type { EmitRequest } from '../src/core/events/workflow-details.js';
import { dependencies } from '../src/runtime/dependencies.js';
import { lambdaHandler } from '../src/runtime/handler.js';

export const handler = lambdaHandler('emit-events', (event: EmitRequest) => {
  const deps = dependencies();
  return emitWorkflowEvent({ bus: deps.bus(), config: deps.config, clock: deps.clock }, event);
});
