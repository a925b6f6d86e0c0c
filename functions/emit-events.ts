import { emitWorkflowEvent } from '../src/core/events/emit-workflow-event.js';
import type { EmitRequest } from '../src/core/events/workflow-details.js';
import { systemClock } from '../src/core/ports.js';
import { dependencies } from '../src/runtime/dependencies.js';
import { lambdaHandler } from '../src/runtime/handler.js';

export const handler = lambdaHandler('emit-events', (event: EmitRequest) => {
  const deps = dependencies();
  return emitWorkflowEvent({ bus: deps.bus(), config: deps.config, clock: systemClock }, event);
});
