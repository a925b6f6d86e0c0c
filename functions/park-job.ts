import { parkWait } from '../src/core/wake/parked-wait.js';
import { validateParkJobInput } from '../src/generated/validators.js';
import { s3Objects } from '../src/runtime/adapters.js';
import { awsRuntime, type HandlerRuntime, lambdaHandler } from '../src/runtime/handler.js';

export const createHandler = (runtime: HandlerRuntime) =>
  lambdaHandler('park-job', runtime, validateParkJobInput, { objects: s3Objects }, (event, deps) =>
    parkWait({ objects: deps.objects(), stateBucket: deps.config.stateBucket, clock: deps.clock }, event),
  );

export const handler = createHandler(awsRuntime());
