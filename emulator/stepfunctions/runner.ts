import {
  ExecutionAbortedError,
  ExecutionError,
  ExecutionTimeoutError,
  type RunOptions,
  StateMachine,
  type StateMachineDefinition,
} from 'aws-local-stepfunctions';
import type { EmulatorClock, EventSink, LambdaInvoker } from '../contracts.js';
import type { ChildExecutions } from './child-executions.js';
import { type AslDefinition, prepareForRun, stateTypes, TASK_TOKEN_PLACEHOLDER } from './definition.js';
import { TaskFailure } from './errors.js';
import { buildEvent, HISTORY_EVENT_LIMIT, NOT_TRUNCATED } from './history.js';
import { isTopLevelState, RESUME_STATE, resumingAt, usableCheckpoint } from './resume.js';
import { StateScopes } from './state-scopes.js';
import type { ExecutionRecord, ExecutionStatus, SfnStore } from './store.js';
import { buildTaskHandlers, type TaskAttempt } from './task-resources.js';
import type { TaskTokens } from './task-tokens.js';

export interface RunnerDeps {
  store: SfnStore;
  clock: EmulatorClock;
  lambda: LambdaInvoker;
  events: EventSink | undefined;
  tokens: TaskTokens;
  /** Executions started by `states:startExecution` tasks. */
  children: ChildExecutions;
  /** Called once an execution has closed and its final state is stored (child-executions.ts waits on it). */
  onClosed(record: ExecutionRecord): void;
  region: string;
  accountId: string;
}

export interface ActiveRun {
  /** StopExecution: ends the run as ABORTED with this error and cause. */
  stop(error: string | undefined, cause: string | undefined): void;
  /** Process shutdown: stops the run but leaves it RUNNING in storage, to be restarted next time. */
  shutdown(): void;
  /** Settles once the run has ended and its final state is stored (or it was shut down). */
  done: Promise<void>;
}

interface Outcome {
  status: ExecutionStatus | 'SHUTDOWN';
  output?: string;
  error?: string;
  cause?: string;
}

const DEFAULT_FAIL_CAUSE = 'Execution failed because of a Fail state';
const TERMINAL_EVENT: Record<ExecutionStatus, string> = {
  RUNNING: '',
  SUCCEEDED: 'ExecutionSucceeded',
  FAILED: 'ExecutionFailed',
  ABORTED: 'ExecutionAborted',
  TIMED_OUT: 'ExecutionTimedOut',
};

/**
 * Error and cause of a failed run, named as AWS names them. Anything that is not a task failure, a Fail
 * state or a `States.*` error is the emulator failing to run the execution: `States.Runtime`, with `context`
 * (what the emulator was doing) ahead of the error in the cause.
 */
function failureOf(error: unknown, context?: string): Outcome {
  const inner = error instanceof ExecutionError ? (error.cause as Error) : (error as Error);
  if (inner instanceof TaskFailure) {
    return { status: 'FAILED', error: inner.error || undefined, cause: inner.causeText || undefined };
  }
  const name = inner?.name ?? 'Error';
  const message = inner?.message ?? String(error);
  // The interpreter's Fail state error; its class is not exported, its name is the state's Error.
  if (inner?.constructor?.name === 'FailStateError') {
    return {
      status: 'FAILED',
      error: name === 'FailStateError' ? undefined : name,
      cause: message === DEFAULT_FAIL_CAUSE ? undefined : message,
    };
  }
  if (name.startsWith('States.'))
    return { status: 'FAILED', error: name, cause: message === name ? undefined : message };
  const detail = context ? `${name}: ${message}` : message;
  return { status: 'FAILED', error: 'States.Runtime', cause: context ? `${context}: ${detail}` : detail };
}

function succeeded(output: unknown): Outcome {
  try {
    return { status: 'SUCCEEDED', output: JSON.stringify(output ?? null) };
  } catch (error) {
    return failureOf(error, 'The emulator could not serialize the execution output');
  }
}

/** One event of the interpreter's log (the library does not export the type). */
type EventLog = ReturnType<StateMachine['run']>['eventLogs'] extends AsyncGenerator<infer E> ? E : never;

const barrier = () => new Promise<void>((resolve) => setImmediate(resolve));

/**
 * Runs one execution with aws-local-stepfunctions and turns its event log into AWS history.
 * `mode` 'restart' continues an execution found RUNNING after a process restart: it resumes at the top-level
 * state it was in (its checkpoint, see resume.ts), or from the beginning when there is none, with the same
 * name, ARN and input, and history records an ExecutionRedriven event.
 */
export function runExecution(
  deps: RunnerDeps,
  record: ExecutionRecord,
  mode: 'start' | 'restart',
): ActiveRun {
  const { store, clock } = deps;
  const arn = record.executionArn;
  const definition = JSON.parse(record.definition) as AslDefinition;
  const originals = stateTypes(definition);
  const controller = new AbortController();
  let closed = false;
  let forced: Outcome | undefined;
  let stopRequest: { error?: string; cause?: string } | undefined;
  let shuttingDown = false;
  const attempts = new Map<string, TaskAttempt>();
  let abortRun = (): void => undefined;

  const append = (type: string, details?: Record<string, unknown>): void => {
    const events = store.history(arn);
    store.appendEvent(arn, buildEvent(events.length + 1, clock.now().getTime(), type, details));
    if (events.length >= HISTORY_EVENT_LIMIT - 1 && !forced) {
      forced = {
        status: 'FAILED',
        error: 'States.Runtime',
        cause: `The execution reached the maximum number of history events (${HISTORY_EVENT_LIMIT}).`,
      };
      abortRun();
    }
  };
  const record_ = (type: string, details?: Record<string, unknown>) => {
    if (!closed) append(type, details);
  };

  if (mode === 'start') {
    record_('ExecutionStarted', {
      input: record.input,
      inputDetails: NOT_TRUNCATED,
      roleArn: record.roleArn,
    });
  } else {
    record_('ExecutionRedriven', { redriveCount: record.redriveCount });
  }

  const scopes = new StateScopes(definition, controller.signal);
  const handlers = buildTaskHandlers(originals, {
    region: deps.region,
    accountId: deps.accountId,
    executionArn: arn,
    redriveCount: record.redriveCount,
    clock,
    lambda: deps.lambda,
    events: deps.events,
    tokens: deps.tokens,
    children: deps.children,
    signal: controller.signal,
    stateSignal: (stateName) => scopes.signalFor(stateName),
    shuttingDown: () => shuttingDown,
    beginAttempt(stateName, eventPrefix, timeoutDetails) {
      const attempt: TaskAttempt = {
        closed: false,
        eventPrefix,
        timeoutDetails,
        async record(type, details) {
          await barrier(); // let the interpreter's queued events (e.g. TaskStateEntered) land first
          if (!attempt.closed) record_(type, details);
        },
        async end(type, details) {
          await attempt.record(type, details);
          attempt.closed = true;
        },
      };
      attempts.set(stateName, attempt);
      return attempt;
    },
  });

  const checkpoint = mode === 'restart' ? usableCheckpoint(definition, store.checkpoint(record)) : undefined;
  const prepared = prepareForRun(definition, clock);
  const stateMachine = new StateMachine(
    (checkpoint ? resumingAt(prepared, checkpoint) : prepared) as unknown as StateMachineDefinition,
    {
      validationOptions: { noValidate: true },
    },
  );
  const context = {
    Execution: {
      Id: arn,
      Name: record.name,
      RoleArn: record.roleArn,
      RedriveCount: record.redriveCount,
      EmulatedStartTime: new Date(record.startDate).toISOString(),
    },
    StateMachine: { Id: record.stateMachineArn, Name: record.stateMachineName },
    Task: { Token: TASK_TOKEN_PLACEHOLDER },
  };
  const execution = stateMachine.run(JSON.parse(record.input), {
    overrides: {
      taskResourceLocalHandlers: handlers as NonNullable<
        RunOptions['overrides']
      >['taskResourceLocalHandlers'],
    },
    context,
  });

  abortRun = execution.abort;

  const typeOf = (name: string) => originals.get(name)?.Type ?? 'Task';
  const onInterpreterEvent = (event: EventLog): void => {
    if ('state' in event && event.state.name === RESUME_STATE) return;
    if (event.type === 'StateEntered') {
      // Before the state acts (its task handler waits a macrotask first): a crash from here on re-runs it.
      if (!closed && isTopLevelState(definition, event.state.name)) {
        store.putCheckpoint(record, {
          executionArn: arn,
          state: event.state.name,
          input: JSON.stringify(event.state.input ?? null),
        });
      }
      record_(`${typeOf(event.state.name)}StateEntered`, {
        name: event.state.name,
        input: JSON.stringify(event.state.input ?? null),
        inputDetails: NOT_TRUNCATED,
      });
    } else if (event.type === 'StateExited') {
      record_(`${typeOf(event.state.name)}StateExited`, {
        name: event.state.name,
        output: JSON.stringify(event.state.output ?? null),
        outputDetails: NOT_TRUNCATED,
      });
    } else if (event.type === 'StateFailed') {
      scopes.failed(event.state.name, typeOf(event.state.name));
      if (event.Error !== 'States.Timeout') return;
      // The interpreter timed the state out (a TimeoutSecondsPath it enforces itself, see prepareForRun)
      // while our handler still runs. A timeout the handler raised has already closed its attempt.
      const attempt = attempts.get(event.state.name);
      if (attempt && !attempt.closed) {
        attempt.closed = true;
        attempt.onClose?.();
        const type = attempt.eventPrefix === 'Lambda' ? 'LambdaFunctionTimedOut' : 'TaskTimedOut';
        record_(type, { ...attempt.timeoutDetails, error: 'States.Timeout' });
      }
    } else if (
      event.type === 'MapIterationStarted' ||
      event.type === 'MapIterationSucceeded' ||
      event.type === 'MapIterationFailed'
    ) {
      record_(event.type, { name: event.parentState.name, index: event.index });
    }
  };

  // Resolved when the interpreter's event log will never close: it closes only on the events that end a run,
  // and an error thrown outside its states (e.g. its clone of a deeply nested input overflowing the stack)
  // rejects the result without any of them.
  const abandonLog = Promise.withResolvers<undefined>();
  // Never rejects: whatever goes wrong here fails the execution (through `forced`) instead of leaving it RUNNING.
  const consume = (async () => {
    const log = execution.eventLogs[Symbol.asyncIterator]();
    for (;;) {
      let next: IteratorResult<EventLog> | undefined;
      try {
        next = await Promise.race([log.next(), abandonLog.promise]);
        if (!next || next.done) return;
        onInterpreterEvent(next.value);
      } catch (error) {
        // E.g. a state's data too deeply nested to serialize: a history missing events is no history, so the
        // execution fails, as AWS fails what it cannot run.
        const what = next?.done === false ? `record ${next.value.type}` : 'read the interpreter events';
        forced ??= failureOf(error, `The emulator could not ${what}`);
        abortRun();
        if (!next || next.done) return;
      }
    }
  })();

  const finish = (outcome: Outcome): void => {
    closed = true;
    controller.abort();
    deps.tokens.cancelExecution(arn);
    for (const attempt of attempts.values()) attempt.closed = true;
    if (outcome.status === 'SHUTDOWN') {
      store.flush();
      return;
    }
    const status = outcome.status;
    const details: Record<string, unknown> =
      status === 'SUCCEEDED'
        ? { output: outcome.output, outputDetails: NOT_TRUNCATED }
        : {
            ...(outcome.error ? { error: outcome.error } : {}),
            ...(outcome.cause ? { cause: outcome.cause } : {}),
          };
    append(TERMINAL_EVENT[status], details);
    const current = store.executions.get(arn) ?? record;
    const { output: _o, error: _e, cause: _c, ...rest } = current;
    const closedRecord: ExecutionRecord = {
      ...rest,
      status,
      stopDate: clock.now().getTime(),
      ...(outcome.output === undefined ? {} : { output: outcome.output }),
      ...(outcome.error === undefined ? {} : { error: outcome.error }),
      ...(outcome.cause === undefined ? {} : { cause: outcome.cause }),
    };
    store.putExecution(closedRecord);
    deps.onClosed(closedRecord);
  };

  const done = (async () => {
    let outcome: Outcome;
    try {
      outcome = succeeded(await execution.result);
    } catch (error) {
      const escaped = !(
        error instanceof ExecutionError ||
        error instanceof ExecutionAbortedError ||
        error instanceof ExecutionTimeoutError
      );
      if (escaped) {
        // Take what the log already holds (its events are queued synchronously), then stop waiting for it.
        await barrier();
        abandonLog.resolve(undefined);
      }
      if (shuttingDown) outcome = { status: 'SHUTDOWN' };
      else if (error instanceof ExecutionAbortedError) outcome = { status: 'ABORTED', ...stopRequest };
      else if (error instanceof ExecutionTimeoutError)
        outcome = { status: 'TIMED_OUT', error: 'States.Timeout' };
      else if (escaped) outcome = failureOf(error, 'The interpreter failed outside any state');
      else outcome = failureOf(error);
    }
    await consume;
    // A forced end (history limit, an event that could not be recorded) wins over how the run itself ended.
    finish(forced ?? outcome);
  })();

  return {
    done,
    stop(error, cause) {
      if (closed) return;
      stopRequest = { ...(error === undefined ? {} : { error }), ...(cause === undefined ? {} : { cause }) };
      execution.abort();
    },
    shutdown() {
      if (closed) return;
      shuttingDown = true;
      execution.abort();
    },
  };
}
