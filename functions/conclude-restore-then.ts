import { concludeRestoreThen } from '../src/core/restore-phase/conclude.js';
import { validateConcludeRestoreThenInput } from '../src/generated/validators.js';
import { awsRuntime, type HandlerRuntime, lambdaHandler } from '../src/runtime/handler.js';

export const createHandler = (runtime: HandlerRuntime) =>
  lambdaHandler('conclude-restore-then', runtime, validateConcludeRestoreThenInput, {}, async (event) =>
    concludeRestoreThen(event.state),
  );

export const handler = createHandler(awsRuntime());
