/** What both trigger Lambdas (collect-objects, flush-triggers) pass to core, from their Dependencies. */
import { ConfigurationError } from '../core/errors.js';
import type { FlushDeps } from '../core/triggers/flush.js';
import type { Dependencies } from './dependencies.js';

export function flushDepsOf(deps: Dependencies): FlushDeps {
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
