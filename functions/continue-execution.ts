import { continueExecution } from '../src/core/continuation/continue-execution.js';
import { validateContinueExecutionInput } from '../src/generated/validators.js';
import { s3Objects, sfnWorkflow } from '../src/runtime/adapters.js';
import { awsRuntime, type HandlerRuntime, lambdaHandler } from '../src/runtime/handler.js';

/**
 * Both ends of a continuation: ContinueAsNew saves the state and starts the next execution (`state`);
 * that execution's ResumeExecution reads it back by its own name (`resume`).
 */
export const createHandler = (runtime: HandlerRuntime) =>
  lambdaHandler(
    'continue-execution',
    runtime,
    validateContinueExecutionInput,
    { objects: s3Objects, workflow: sfnWorkflow },
    (event, deps) =>
      continueExecution(
        { workflow: deps.workflow(), objects: deps.objects(), stateBucket: deps.config.stateBucket },
        event,
      ),
  );

export const handler = createHandler(awsRuntime());
