import { continueInFreshExecution } from '../src/core/continuation/continue-execution.js';
import type { WorkflowState } from '../src/core/workflow-state.js';
import { dependencies } from '../src/runtime/dependencies.js';
import { lambdaHandler } from '../src/runtime/handler.js';

export const handler = lambdaHandler('continue-execution', (event: { state: WorkflowState }) =>
  continueInFreshExecution(dependencies().workflow(), event.state),
);
