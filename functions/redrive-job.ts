import { redriveFailedTasks } from '../src/core/redrive/run-redrive.js';
import type { WorkflowState } from '../src/core/workflow-state.js';
import { awsRuntime, type HandlerRuntime, lambdaHandler } from '../src/runtime/handler.js';

export const createHandler = (runtime: HandlerRuntime) =>
  lambdaHandler('redrive-job', runtime, (event: { state: WorkflowState }, deps) =>
    redriveFailedTasks(
      { jobs: deps.jobs(), objects: deps.objects(), config: deps.config, clock: deps.clock },
      event.state,
    ),
  );

export const handler = createHandler(awsRuntime());
