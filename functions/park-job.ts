import type { ParkInput } from '../src/core/wake/parked-wait.js';
import { parkWait } from '../src/core/wake/parked-wait.js';
import { awsRuntime, type HandlerRuntime, lambdaHandler } from '../src/runtime/handler.js';

export const createHandler = (runtime: HandlerRuntime) =>
  lambdaHandler('park-job', runtime, (event: ParkInput, deps) =>
    parkWait({ objects: deps.objects(), stateBucket: deps.config.stateBucket, clock: deps.clock }, event),
  );

export const handler = createHandler(awsRuntime());
