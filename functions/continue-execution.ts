import { continueInFreshExecution, resumeContinuation } from '../src/core/continuation/continue-execution.js';
import type { ExecutionRef, WorkflowState } from '../src/core/workflow-state.js';
import { awsRuntime, type HandlerRuntime, lambdaHandler } from '../src/runtime/handler.js';

/**
 * Both ends of a continuation: ContinueAsNew saves the state and starts the next execution (`state`);
 * that execution's ResumeExecution reads it back by its own name (`resume`).
 */
export const createHandler = (runtime: HandlerRuntime) =>
  lambdaHandler(
    'continue-execution',
    runtime,
    (
      event: { state: WorkflowState } | { resume: ExecutionRef },
      deps,
    ): Promise<WorkflowState | { executionArn: string; continuation: number }> => {
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

export const handler = createHandler(awsRuntime());
