import { collectObjects } from '../src/core/triggers/collect-objects.js';
import { queueNamePrefix } from '../src/core/triggers/trigger-names.js';
import { validateSqsEvent } from '../src/generated/validators.js';
import { awsRuntime, type HandlerRuntime, lambdaHandler } from '../src/runtime/handler.js';
import { flushAdapters, flushDepsOf } from '../src/runtime/trigger-deps.js';
import { enabledTriggerNames, triggerDirOf, triggerFiles } from '../src/runtime/trigger-files.js';

/**
 * Target of each enabled trigger's SQS event source mapping (ReportBatchItemFailures): stores the batch's
 * objects in the trigger's pending store and flushes a full or old window. Answers `batchItemFailures`.
 */
export const createHandler = (runtime: HandlerRuntime) => {
  const triggers = triggerFiles(enabledTriggerNames(runtime.env.S3BO_TRIGGERS), triggerDirOf(runtime.env));
  return lambdaHandler('collect-objects', runtime, validateSqsEvent, flushAdapters, async (event, deps) => {
    const { batchItemFailures } = await collectObjects(
      { ...flushDepsOf(deps), queuePrefix: queueNamePrefix(deps.config.stage), loadTrigger: triggers.load },
      event.Records,
    );
    return { batchItemFailures };
  });
};

export const handler = createHandler(awsRuntime());
