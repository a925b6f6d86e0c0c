import { prepareRestoreThen } from '../src/core/restore-phase/prepare-restore-then.js';
import { validatePrepareRestoreThenInput } from '../src/generated/validators.js';
import { awsRuntime, type HandlerRuntime, lambdaHandler } from '../src/runtime/handler.js';

export const createHandler = (runtime: HandlerRuntime) =>
  lambdaHandler('prepare-restore-then', runtime, validatePrepareRestoreThenInput, {}, async (event) =>
    prepareRestoreThen(event.input),
  );

export const handler = createHandler(awsRuntime());
