import { ServiceUnavailableError } from '../src/core/errors.js';
import { flushTriggers } from '../src/core/triggers/flush-triggers.js';
import { validateScheduledEvent } from '../src/generated/validators.js';
import { awsRuntime, type HandlerRuntime, lambdaHandler } from '../src/runtime/handler.js';
import { flushAdapters, flushDepsOf } from '../src/runtime/trigger-deps.js';
import { enabledTriggerNames, triggerDirOf, triggerFiles } from '../src/runtime/trigger-files.js';

/**
 * Target of the `rate(1 minute)` rule: flushes every enabled trigger's window that waited maxWaitSeconds.
 * Fails (after trying every trigger) when one could not be flushed, so the failure shows in the function's
 * error metric; the next minute tries again either way.
 */
export const createHandler = (runtime: HandlerRuntime) => {
  const triggers = triggerFiles(enabledTriggerNames(runtime.env.S3BO_TRIGGERS), triggerDirOf(runtime.env));
  return lambdaHandler(
    'flush-triggers',
    runtime,
    validateScheduledEvent,
    flushAdapters,
    async (_event, deps) => {
      const result = await flushTriggers({
        ...flushDepsOf(deps),
        triggerNames: triggers.names,
        loadTrigger: triggers.load,
      });
      if (result.failed.length > 0) {
        const summary = result.failed.map(({ trigger, error }) => `${trigger}: ${error}`).join('; ');
        throw new ServiceUnavailableError(`flush-triggers: ${summary}`);
      }
      return {
        flushed: result.flushes.map(({ executionArn, objectCount }) => ({ executionArn, objectCount })),
      };
    },
  );
};

export const handler = createHandler(awsRuntime());
