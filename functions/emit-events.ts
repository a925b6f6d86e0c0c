import { emitBuiltDetail } from '../src/core/events/emit-built-detail.js';
import { emitWorkflowEvent } from '../src/core/events/emit-workflow-event.js';
import type { EmitDetailRequest, EmitRequest } from '../src/generated/types.js';
import { validateEmitDetailRequest, validateEmitRequest } from '../src/generated/validators.js';
import { eventBridgeBus } from '../src/runtime/adapters.js';
import { eitherInput } from '../src/runtime/either-input.js';
import { awsRuntime, type HandlerRuntime, lambdaHandler } from '../src/runtime/handler.js';

/** A built detail (campaign events) has `detail`; a batch-job emit has the workflow `state` instead. */
const isBuiltDetail = (input: unknown): boolean =>
  typeof input === 'object' && input !== null && 'detail' in input;

const validateInput = eitherInput<EmitRequest, EmitDetailRequest>(
  isBuiltDetail,
  validateEmitRequest,
  validateEmitDetailRequest,
);

export const createHandler = (runtime: HandlerRuntime) =>
  lambdaHandler('emit-events', runtime, validateInput, { bus: eventBridgeBus }, (event, deps) => {
    const emitDeps = { bus: deps.bus(), config: deps.config, clock: deps.clock };
    return 'detail' in event ? emitBuiltDetail(emitDeps, event) : emitWorkflowEvent(emitDeps, event);
  });

export const handler = createHandler(awsRuntime());
