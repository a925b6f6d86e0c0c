import { continueInFreshExecution, resumeContinuation } from '../src/core/continuation/continue-execution.js';
import type { ExecutionRef, WorkflowState } from '../src/core/workflow-state.js';
import { dependencies } from '../src/runtime/dependencies.js';
import { lambdaHandler } from '../src/runtime/handler.js';

/**
 * Both ends of a continuation: ContinueAsNew saves the state and starts the next execution (`state`);
 * that execution's ResumeExecution reads it back by its own name (`resume`).
 */
export const handler = lambdaHandler(
  'continue-execution',
  (
    event: { state: WorkflowState } | { resume: ExecutionRef },
  ): Promise<WorkflowState | { executionArn: string; continuation: number }> => {
    const deps = dependencies();
    const ports = {
      workflow: deps.workflow(),
      objects: deps.objects(),
      stateBucket: deps.config.stateBucket,
    };
    return 'resume' in event
      ? resumeContinuation(ports, event.resume)
      : continueInFreshExecution(ports, event.state);
  },
);
