import { redriveFailedTasks } from '../src/core/redrive/run-redrive.js';
import type { WorkflowState } from '../src/core/workflow-state.js';
import { dependencies } from '../src/runtime/dependencies.js';
import { lambdaHandler } from '../src/runtime/handler.js';

export const handler = lambdaHandler('redrive-job', (event: { state: WorkflowState }) => {
  const deps = dependencies();
  return redriveFailedTasks(
    { jobs: deps.jobs(), objects: deps.objects(), config: deps.config, clock: deps.clock },
    event.state,
  );
});
