import { emitPhaseEvent } from '../src/core/restore-phase/emit-phase-event.js';
import { validateEmitPhaseEventInput } from '../src/generated/validators.js';
import { eventBridgeBus } from '../src/runtime/adapters.js';
import { awsRuntime, type HandlerRuntime, lambdaHandler } from '../src/runtime/handler.js';

export const createHandler = (runtime: HandlerRuntime) =>
  lambdaHandler(
    'emit-phase-event',
    runtime,
    validateEmitPhaseEventInput,
    { bus: eventBridgeBus },
    (event, deps) => emitPhaseEvent({ bus: deps.bus(), config: deps.config, clock: deps.clock }, event),
  );

export const handler = createHandler(awsRuntime());
