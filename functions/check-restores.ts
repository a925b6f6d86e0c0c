import { checkRestores } from '../src/core/restore-phase/check-restores.js';
import { validateCheckRestoresInput } from '../src/generated/validators.js';
import { s3Objects } from '../src/runtime/adapters.js';
import { awsRuntime, type HandlerRuntime, lambdaHandler } from '../src/runtime/handler.js';

export const createHandler = (runtime: HandlerRuntime) =>
  lambdaHandler(
    'check-restores',
    runtime,
    validateCheckRestoresInput,
    { objects: s3Objects },
    (event, deps) =>
      checkRestores(
        { objects: deps.objects(), stateBucket: deps.config.stateBucket, clock: deps.clock },
        event.state,
      ),
  );

export const handler = createHandler(awsRuntime());
