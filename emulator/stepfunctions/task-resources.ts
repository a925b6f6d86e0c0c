import { randomUUID } from 'node:crypto';
import type { EventInput } from '../contracts.js';
import { type AslState, type Json, TASK_TOKEN_PLACEHOLDER, TIMEOUT_SECONDS_PARAMETER } from './definition.js';
import { runtimeFailure, TaskFailure } from './errors.js';
import { NOT_TRUNCATED } from './history.js';
import {
  START_EXECUTION_RESOURCE,
  type SyncVariant,
  startExecutionSyncTask,
  startExecutionTask,
} from './start-execution-task.js';
import type { Integration, SyncIntegration, TaskEnvironment } from './task-environment.js';

export type { TaskAttempt, TaskEnvironment } from './task-environment.js';

export type TaskHandler = (input: Json) => Promise<Json>;

const LAMBDA_ARN = /^arn:aws[a-z-]*:lambda:[^:]+:\d{12}:function:.+$/;
const WAIT_SUFFIX = '.waitForTaskToken';

/**
 * A Lambda function error as Step Functions reports it: the error name is the function's `errorType`
 * (so `ErrorEquals` matches it) and the cause is the JSON error document. Failures to invoke at all
 * become `Lambda.<Code>` (Lambda.ResourceNotFoundException, Lambda.TooManyRequestsException, …).
 */
export function lambdaFailure(error: unknown): TaskFailure {
  const failure = error as {
    errorType?: unknown;
    errorMessage?: unknown;
    trace?: unknown;
    stackTrace?: unknown;
  };
  if (typeof failure === 'object' && failure !== null && typeof failure.errorType === 'string') {
    const document: Record<string, unknown> = {
      errorMessage: failure.errorMessage ?? '',
      errorType: failure.errorType,
    };
    if (failure.trace !== undefined) document.trace = failure.trace;
    else if (failure.stackTrace !== undefined) document.stackTrace = failure.stackTrace;
    return new TaskFailure(failure.errorType, JSON.stringify(document));
  }
  const err = error as { code?: unknown; name?: unknown; message?: unknown };
  const code =
    typeof err?.code === 'string' ? err.code : typeof err?.name === 'string' ? err.name : undefined;
  const name =
    !code || code === 'Error' ? 'Lambda.Unknown' : code.startsWith('Lambda.') ? code : `Lambda.${code}`;
  return new TaskFailure(name, typeof err?.message === 'string' ? err.message : String(error));
}

function withToken(value: unknown, token: string): Json {
  if (typeof value === 'string')
    return value.includes(TASK_TOKEN_PLACEHOLDER)
      ? value.replaceAll(TASK_TOKEN_PLACEHOLDER, () => token)
      : value;
  if (Array.isArray(value)) return value.map((item) => withToken(item, token));
  if (typeof value === 'object' && value !== null) {
    return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, withToken(item, token)]));
  }
  return value as Json;
}

const MAX_SLEEP_MS = 2 ** 31 - 1;

/** Resolves after `ms` real milliseconds or as soon as `signal` aborts. */
export async function sleep(ms: number, signal: AbortSignal): Promise<void> {
  let remaining = ms;
  while (remaining > 0 && !signal.aborted) {
    const chunk = Math.min(remaining, MAX_SLEEP_MS);
    await new Promise<void>((resolve) => {
      const timer = setTimeout(done, chunk);
      function done() {
        clearTimeout(timer);
        signal.removeEventListener('abort', done);
        resolve();
      }
      signal.addEventListener('abort', done, { once: true });
    });
    remaining -= chunk;
  }
}

/** The handler for a Wait state turned into a Task by prepareForRun: sleeps in emulated time. */
function waitHandler(env: TaskEnvironment): TaskHandler {
  return async (input) => {
    const {
      seconds,
      timestamp,
      input: passThrough,
    } = input as { seconds?: unknown; timestamp?: unknown; input: Json };
    let waitSeconds = 0;
    if (seconds !== undefined) {
      if (typeof seconds !== 'number' || !Number.isInteger(seconds) || seconds < 0) {
        throw runtimeFailure(
          `The SecondsPath parameter does not reference a valid non-negative integer: ${JSON.stringify(seconds)}`,
        );
      }
      waitSeconds = seconds;
    } else if (timestamp !== undefined) {
      const at = typeof timestamp === 'string' ? Date.parse(timestamp) : Number.NaN;
      if (Number.isNaN(at))
        throw runtimeFailure(`The TimestampPath parameter does not reference a valid ISO-8601 timestamp`);
      waitSeconds = Math.max(0, (at - env.clock.now().getTime()) / 1000);
    }
    await sleep(env.clock.realMs(waitSeconds), env.signal);
    return passThrough;
  };
}

function lambdaFunctionHandler(env: TaskEnvironment, stateName: string, state: AslState): TaskHandler {
  const resource = state.Resource as string;
  const timeoutSeconds = typeof state.TimeoutSeconds === 'number' ? state.TimeoutSeconds : undefined;
  return async (input) => {
    const attempt = env.beginAttempt(stateName, 'Lambda', {});
    const payload = withToken(input, randomUUID());
    await attempt.record('LambdaFunctionScheduled', {
      resource,
      input: JSON.stringify(payload),
      inputDetails: NOT_TRUNCATED,
      ...(timeoutSeconds === undefined ? {} : { timeoutInSeconds: timeoutSeconds }),
    });
    await attempt.record('LambdaFunctionStarted');
    const timer = timeoutSeconds === undefined ? undefined : emulatedTimeout(env, timeoutSeconds);
    let result: unknown;
    try {
      result = await withTimeout(env.lambda.invoke(resource, payload), timer);
    } catch (error) {
      const failure = error instanceof TaskFailure ? error : lambdaFailure(error);
      const timedOut = failure.error === 'States.Timeout';
      await attempt.end(timedOut ? 'LambdaFunctionTimedOut' : 'LambdaFunctionFailed', {
        ...(failure.error ? { error: failure.error } : {}),
        ...(failure.causeText ? { cause: failure.causeText } : {}),
      });
      throw failure;
    } finally {
      timer?.cancel();
    }
    const output = (result ?? null) as Json;
    await attempt.end('LambdaFunctionSucceeded', {
      output: JSON.stringify(output),
      outputDetails: NOT_TRUNCATED,
    });
    return output;
  };
}

function lambdaInvoke(env: TaskEnvironment): Integration {
  return async (params) => {
    const functionName = params.FunctionName;
    if (typeof functionName !== 'string') throw runtimeFailure('The field "FunctionName" is required');
    const payload = params.Payload === undefined ? {} : params.Payload;
    const requestId = randomUUID();
    const response = (body: unknown, statusCode: number) =>
      ({
        ExecutedVersion: '$LATEST',
        Payload: body ?? null,
        SdkHttpMetadata: {
          HttpHeaders: {
            'Content-Type': 'application/json',
            'X-Amz-Executed-Version': '$LATEST',
            'x-amzn-RequestId': requestId,
          },
          HttpStatusCode: statusCode,
        },
        SdkResponseMetadata: { RequestId: requestId },
        StatusCode: statusCode,
      }) as Json;
    if (params.InvocationType === 'Event') {
      env.lambda.invoke(functionName, payload).catch(() => undefined);
      return response('', 202);
    }
    try {
      return response(await env.lambda.invoke(functionName, payload), 200);
    } catch (error) {
      throw lambdaFailure(error);
    }
  };
}

function putEvents(env: TaskEnvironment): Integration {
  return async (params) => {
    if (!env.events) throw runtimeFailure('EventBridge is not available to this Step Functions emulator');
    const entries = Array.isArray(params.Entries) ? (params.Entries as Record<string, unknown>[]) : [];
    const inputs: EventInput[] = entries.map((entry) => ({
      Source: String(entry.Source ?? ''),
      DetailType: String(entry.DetailType ?? ''),
      Detail: typeof entry.Detail === 'string' ? entry.Detail : JSON.stringify(entry.Detail ?? {}),
      ...(entry.EventBusName === undefined ? {} : { EventBusName: String(entry.EventBusName) }),
      ...(Array.isArray(entry.Resources) ? { Resources: entry.Resources.map(String) } : {}),
    }));
    env.events.putEvents(inputs, env.accountId, env.region);
    return { Entries: inputs.map(() => ({ EventId: randomUUID() })), FailedEntryCount: 0 };
  };
}

interface IntegrationEntry {
  resourceType: string;
  resource: string;
  /** Request response (and `.waitForTaskToken`). */
  build: (env: TaskEnvironment) => Integration;
  /** Run a Job (`.sync` / `.sync:2`), for the integrations that have it. */
  buildSync?: (env: TaskEnvironment, variant: SyncVariant) => SyncIntegration;
}

const INTEGRATIONS: Record<string, IntegrationEntry> = {
  'arn:aws:states:::lambda:invoke': { resourceType: 'lambda', resource: 'invoke', build: lambdaInvoke },
  'arn:aws:states:::events:putEvents': { resourceType: 'events', resource: 'putEvents', build: putEvents },
  [START_EXECUTION_RESOURCE]: {
    resourceType: 'states',
    resource: 'startExecution',
    build: startExecutionTask,
    buildSync: startExecutionSyncTask,
  },
};

const SYNC_SUFFIXES: readonly SyncVariant[] = ['.sync:2', '.sync'];

/** The integration behind a Task's Resource and how the task waits: not at all, for a token, for a job. */
function resolveIntegration(
  arn: string,
): { entry: IntegrationEntry; pattern: 'request' | 'token' | SyncVariant; suffix: string } | undefined {
  if (arn.endsWith(WAIT_SUFFIX)) {
    const entry = INTEGRATIONS[arn.slice(0, -WAIT_SUFFIX.length)];
    return entry && { entry, pattern: 'token', suffix: WAIT_SUFFIX };
  }
  const variant = SYNC_SUFFIXES.find((suffix) => arn.endsWith(suffix));
  if (variant) {
    const entry = INTEGRATIONS[arn.slice(0, -variant.length)];
    return entry?.buildSync && { entry, pattern: variant, suffix: variant };
  }
  const entry = INTEGRATIONS[arn];
  return entry && { entry, pattern: 'request', suffix: '' };
}

/**
 * Optimized service integrations: request response; `.waitForTaskToken` pausing until SendTaskSuccess/Failure;
 * `.sync` / `.sync:2` recording TaskSubmitted once the job is started, then waiting for it to end.
 */
function integrationHandler(
  env: TaskEnvironment,
  stateName: string,
  state: AslState,
): TaskHandler | undefined {
  const resolved = resolveIntegration(state.Resource as string);
  if (!resolved) return undefined;
  const { entry, pattern } = resolved;
  const waitForToken = pattern === 'token';
  const call = pattern === 'request' || pattern === 'token' ? entry.build(env) : undefined;
  const startJob = pattern === '.sync' || pattern === '.sync:2' ? entry.buildSync!(env, pattern) : undefined;
  const ids = { resourceType: entry.resourceType, resource: entry.resource + resolved.suffix };
  const heartbeatMs =
    typeof state.HeartbeatSeconds === 'number' ? env.clock.realMs(state.HeartbeatSeconds) : undefined;
  return async (rawInput) => {
    const taken = takeTimeout(rawInput);
    const input = taken.input;
    const timeoutSeconds =
      taken.timeoutSeconds ?? (typeof state.TimeoutSeconds === 'number' ? state.TimeoutSeconds : undefined);
    const attempt = env.beginAttempt(stateName, 'Task', ids);
    // Aborted when this run of the state stops mattering (its Map or Parallel failed): record nothing more.
    const scope = env.stateSignal(stateName);
    const task = waitForToken ? env.tokens.open(env.executionArn, stateName, heartbeatMs) : undefined;
    attempt.onClose = () => task?.cancel();
    const params = withToken(input, task?.token ?? randomUUID()) as Record<string, unknown>;
    await attempt.record('TaskScheduled', {
      ...ids,
      region: env.region,
      parameters: JSON.stringify(params),
      ...(timeoutSeconds === undefined ? {} : { timeoutInSeconds: timeoutSeconds }),
      ...(typeof state.HeartbeatSeconds === 'number' ? { heartbeatInSeconds: state.HeartbeatSeconds } : {}),
    });
    await attempt.record('TaskStarted', ids);
    const fail = async (error: unknown): Promise<never> => {
      task?.cancel();
      const failure = error instanceof TaskFailure ? error : lambdaFailure(error);
      if (scope.aborted) attempt.closed = true;
      const timedOut = failure.error === 'States.HeartbeatTimeout' || failure.error === 'States.Timeout';
      await attempt.end(timedOut ? 'TaskTimedOut' : 'TaskFailed', {
        ...ids,
        ...(failure.error ? { error: failure.error } : {}),
        ...(failure.causeText ? { cause: failure.causeText } : {}),
      });
      throw failure;
    };
    const submitted = (output: Json) =>
      attempt.record('TaskSubmitted', {
        ...ids,
        output: JSON.stringify(output),
        outputDetails: NOT_TRUNCATED,
      });
    let output: Json;
    // The timeout covers the whole task: the call and the wait for the token or the job.
    const timer = timeoutSeconds === undefined ? undefined : emulatedTimeout(env, timeoutSeconds);
    try {
      if (startJob) {
        const job = await withTimeout(startJob(params, scope), timer);
        await submitted(job.submitted);
        try {
          output = await withTimeout(job.result, timer);
        } catch (error) {
          // The task gave up on the job (its own timeout): stop the job too, as Step Functions does.
          if (error instanceof TaskFailure && error.error === 'States.Timeout') job.cancel();
          throw error;
        }
      } else {
        output = await withTimeout(call!(params), timer);
        if (task) {
          await submitted(output);
          output = (await withTimeout(task.result, timer)) as Json;
        }
      }
    } catch (error) {
      return fail(error);
    } finally {
      timer?.cancel();
    }
    if (scope.aborted) attempt.closed = true;
    await attempt.end('TaskSucceeded', {
      ...ids,
      output: JSON.stringify(output),
      outputDetails: NOT_TRUNCATED,
    });
    return output;
  };
}

/** Splits off the TimeoutSecondsPath value that prepareForRun moved into the parameters. */
function takeTimeout(input: Json): { input: Json; timeoutSeconds: number | undefined } {
  if (
    typeof input !== 'object' ||
    input === null ||
    Array.isArray(input) ||
    !(TIMEOUT_SECONDS_PARAMETER in input)
  ) {
    return { input, timeoutSeconds: undefined };
  }
  const { [TIMEOUT_SECONDS_PARAMETER]: value, ...rest } = input as Record<string, Json>;
  if (typeof value !== 'number' || !Number.isInteger(value) || value <= 0) {
    throw runtimeFailure(
      `The TimeoutSecondsPath parameter does not reference a positive integer: ${JSON.stringify(value)}`,
    );
  }
  return { input: rest as Json, timeoutSeconds: value };
}

interface EmulatedTimeout {
  expired: Promise<never>;
  cancel(): void;
}

/**
 * Rejects with States.Timeout after `seconds` of emulated time, as a Task's TimeoutSeconds would. Handlers
 * start it once TaskStarted / LambdaFunctionStarted is recorded; it is cleared when the execution ends, so
 * a stopped execution leaves no timer behind.
 */
function emulatedTimeout(env: TaskEnvironment, seconds: number): EmulatedTimeout {
  let timer: NodeJS.Timeout | undefined;
  const cancel = () => {
    clearTimeout(timer);
    env.signal.removeEventListener('abort', cancel);
  };
  const expired = new Promise<never>((_resolve, reject) => {
    timer = setTimeout(
      () => reject(new TaskFailure('States.Timeout', 'The task timed out.')),
      Math.min(env.clock.realMs(seconds), MAX_SLEEP_MS),
    );
  });
  env.signal.addEventListener('abort', cancel, { once: true });
  expired.catch(() => {});
  return { expired, cancel };
}

function withTimeout<T>(work: Promise<T>, timeout: EmulatedTimeout | undefined): Promise<T> {
  return timeout ? Promise.race([work, timeout.expired]) : work;
}

/**
 * A local handler for every Task and Wait state, keyed by state name (the interpreter's override key).
 * `states` are the original states (Wait states run as Tasks in the prepared definition).
 */
export function buildTaskHandlers(
  states: Map<string, AslState>,
  env: TaskEnvironment,
): Record<string, TaskHandler> {
  const handlers: Record<string, TaskHandler> = {};
  for (const [name, state] of states) {
    if (state.Type === 'Wait') handlers[name] = waitHandler(env);
    if (state.Type !== 'Task') continue;
    const resource = String(state.Resource);
    if (LAMBDA_ARN.test(resource)) handlers[name] = lambdaFunctionHandler(env, name, state);
    else {
      handlers[name] =
        integrationHandler(env, name, state) ??
        (async () => {
          throw runtimeFailure(
            `The resource ${resource} is not emulated (see emulator/stepfunctions/PARITY.md)`,
          );
        });
    }
  }
  return handlers;
}
