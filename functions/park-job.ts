import type { ParkInput } from '../src/core/wake/parked-wait.js';
import { parkWait } from '../src/core/wake/parked-wait.js';
import { dependencies } from '../src/runtime/dependencies.js';
import { lambdaHandler } from '../src/runtime/handler.js';

export const handler = lambdaHandler('park-job', (event: ParkInput) => {
  const deps = dependencies();
  return parkWait(
    { objects: deps.objects(), stateBucket: deps.config.stateBucket, clock: deps.clock },
    event,
  );
});
