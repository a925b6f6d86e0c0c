import { recordRestore } from '../src/core/restore-phase/record-restore.js';
import { validateObjectRestoreCompletedEvent } from '../src/generated/validators.js';
import { s3Objects } from '../src/runtime/adapters.js';
import { awsRuntime, type HandlerRuntime, lambdaHandler } from '../src/runtime/handler.js';

/** Target of the rule on S3's Object Restore Completed events (serverless.yml). */
export const createHandler = (runtime: HandlerRuntime) =>
  lambdaHandler(
    'record-restore',
    runtime,
    validateObjectRestoreCompletedEvent,
    { objects: s3Objects },
    (event, deps) =>
      recordRestore(
        { objects: deps.objects(), stateBucket: deps.config.stateBucket, clock: deps.clock },
        event,
      ),
  );

export const handler = createHandler(awsRuntime());
