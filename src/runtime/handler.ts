import { Logger } from '@aws-lambda-powertools/logger';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import middy from '@middy/core';
import type { Context } from 'aws-lambda';
import { serviceName } from '../core/names.js';
import { systemClock } from '../core/ports.js';
import { parseTaskInput } from '../core/task-input.js';
import type { SchemaValidator } from '../generated/validators.js';
import type { AdapterBuilders, PortName } from './adapters.js';
import { createDependencies, type Dependencies, type HandlerRuntime } from './dependencies.js';
import { createMetricsRecorder, type MetricsRecorder } from './metrics.js';
import { type RunContext, runContextOf } from './run-context.js';

export type { HandlerRuntime } from './dependencies.js';

/** A Lambda's handler built from its runtime: `functions/<name>.ts` exports one as `createHandler`. */
export type HandlerFactory = (
  runtime: HandlerRuntime,
) => (event: unknown, context: Context) => Promise<unknown>;

/** The runtime on AWS: the process environment Lambda sets from the function's configuration, real time. */
export function awsRuntime(): HandlerRuntime {
  return { env: process.env, clock: systemClock };
}

/** Longest error message a log line carries: room for any of ours, never a whole payload an error quotes. */
export const maxLoggedMessageLength = 1_000;

/** An error message as logged: cut to its first `maxLoggedMessageLength` characters, saying how long it was. */
function loggedMessage(message: string): string {
  if (message.length <= maxLoggedMessageLength) return message;
  return `${message.slice(0, maxLoggedMessageLength)}… (${message.length} characters in all)`;
}

/** The keys every log line of an invocation carries: the stage, and the run as far as the input names it. */
function runLogKeys(stage: string | undefined, run: RunContext): Record<string, string> {
  const keys = { stage, jobId: run.jobId, executionArn: run.executionArn, operation: run.operation };
  return Object.fromEntries(
    Object.entries(keys).filter((entry): entry is [string, string] => entry[1] !== undefined),
  );
}

/**
 * Wraps one core call as a Lambda handler: Powertools logger context, the input checked against its
 * generated validator (schemas/tasks/; defaults filled in; a mismatch is a TaskInputError naming the
 * field), and one structured log line per failure (name, message cut to maxLoggedMessageLength,
 * retryable — never the event, which may carry bucket keys users consider private). The error itself
 * propagates unchanged: its `name` is what the state machine's Retry/Catch match on.
 *
 * Every log line of an invocation carries `stage`, `jobId`, `executionArn` and `operation` (those the input
 * names: ./run-context.ts), so one run's lines are found by any of them. The metrics its events stand for
 * (./job-metrics.ts, counted as the bus accepts them) are published once at its end, failed or not
 * (./metrics.ts; off without POWERTOOLS_METRICS_NAMESPACE), and its SDK clients are traced on Lambda
 * (./tracing.ts).
 *
 * Dependencies are built from `runtime` on the first invocation and kept (once per cold start); lazily, so
 * importing a function file (its AWS `handler` included) reads no environment. They hold only the ports
 * `adapters` names (`{}` for a function that calls no AWS API): what a function names is what its bundle
 * carries (./adapters.ts).
 */
export function lambdaHandler<TEvent, TResult, K extends PortName = never>(
  functionKey: string,
  runtime: HandlerRuntime,
  validateInput: SchemaValidator<TEvent>,
  adapters: AdapterBuilders<K>,
  run: (event: TEvent, deps: Dependencies<K>, context: Context) => Promise<TResult>,
) {
  // The level from this Lambda's own environment; Powertools would otherwise read process.env.
  const logLevel = runtime.env.POWERTOOLS_LOG_LEVEL ?? runtime.env.LOG_LEVEL;
  const logger = new Logger({
    serviceName,
    ...(logLevel
      ? { logLevel: logLevel as NonNullable<ConstructorParameters<typeof Logger>[0]>['logLevel'] }
      : {}),
  });
  const stage = runtime.env.S3BO_STAGE;
  let deps: Dependencies<K> | undefined;
  let metrics: MetricsRecorder | undefined;
  let currentRun: RunContext = {};
  // Built on the first invocation, as deps are: Powertools Metrics reads the process environment when built.
  const metricsRecorder = () => {
    metrics ??= createMetricsRecorder({ namespace: runtime.env.POWERTOOLS_METRICS_NAMESPACE, stage });
    return metrics;
  };
  // logEvent false outright: POWERTOOLS_LOGGER_LOG_EVENT=true in a function's configuration would otherwise
  // print every whole event, object keys and all, to the function's log group.
  return middy<unknown, TResult>()
    .use(injectLambdaContext(logger, { resetKeys: true, logEvent: false }))
    .use({
      // After the logger's own `before`, whose resetKeys clears these keys again when the invocation ends.
      before: async (request) => {
        currentRun = runContextOf(request.event);
        logger.appendKeys(runLogKeys(stage, currentRun));
        metricsRecorder().begin(currentRun);
        logger.debug(`${functionKey} started`);
      },
      after: async () => {
        metricsRecorder().flush();
      },
      onError: async (request) => {
        const error = request.error as (Error & { retryable?: boolean }) | null;
        logger.error(`${functionKey} failed`, {
          errorName: error?.name,
          errorMessage: error?.message === undefined ? undefined : loggedMessage(error.message),
          retryable: error?.retryable ?? false,
        });
        // What the invocation put on the bus before it failed still happened.
        metricsRecorder().flush();
      },
    })
    .handler((event, context) => {
      const input = parseTaskInput(functionKey, validateInput, event);
      deps ??= createDependencies(runtime, adapters, {
        busMeter: { record: (records) => metricsRecorder().record(records), run: () => currentRun },
      });
      return run(input, deps, context);
    });
}
