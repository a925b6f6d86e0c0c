import { Logger } from '@aws-lambda-powertools/logger';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import middy from '@middy/core';
import type { Context } from 'aws-lambda';
import { serviceName } from '../core/names.js';

export const logger = new Logger({ serviceName });

/**
 * Wraps one core call as a Lambda handler: Powertools logger context, and one structured log line per
 * failure (name, message, retryable — never the event, which may carry bucket keys users consider private).
 * The error itself propagates unchanged: its `name` is what the state machine's Retry/Catch match on.
 */
export function lambdaHandler<TEvent, TResult>(
  functionKey: string,
  run: (event: TEvent, context: Context) => Promise<TResult>,
) {
  return middy<TEvent, TResult>()
    .use(injectLambdaContext(logger, { resetKeys: true }))
    .use({
      onError: async (request) => {
        const error = request.error as (Error & { retryable?: boolean }) | null;
        logger.error(`${functionKey} failed`, {
          errorName: error?.name,
          errorMessage: error?.message,
          retryable: error?.retryable ?? false,
        });
      },
    })
    .handler((event, context) => run(event, context));
}
