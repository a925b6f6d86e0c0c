/** What both trigger Lambdas (collect-objects, flush-triggers) pass to core, from their Dependencies. */
import { ConfigurationError } from '../core/errors.js';
import type { FlushDeps } from '../core/triggers/flush.js';
import { eventBridgeBus, s3Objects, sfnWorkflow } from './adapters.js';
import type { Dependencies } from './dependencies.js';

/** The adapters flushDepsOf reads. */
export const flushAdapters = { objects: s3Objects, workflow: sfnWorkflow, bus: eventBridgeBus };

export function flushDepsOf(deps: Dependencies<keyof typeof flushAdapters>): FlushDeps {
  if (!deps.config.stateBucket) throw new ConfigurationError('S3BO_STATE_BUCKET', 'is not set');
  return {
    objects: deps.objects(),
    stateBucket: deps.config.stateBucket,
    workflow: deps.workflow(),
    stateMachineArn: deps.config.stateMachineArn,
    events: { bus: deps.bus(), config: deps.config, clock: deps.clock },
    clock: deps.clock,
  };
}
