import type {
  EmulatorClock,
  EventSink,
  FaultInjector,
  LambdaInvoker,
  ServiceHandler,
  Storage,
} from '../contracts.js';
import { type CloseWatchers, createChildExecutions } from './child-executions.js';
import { SfnServiceError } from './errors.js';
import { describeExecution, executionOperations, findExecution, launch } from './execution-operations.js';
import { createJsonHandler } from './handler.js';
import type { Body, ServiceContext } from './service-context.js';
import { stateMachineOperations } from './state-machine-operations.js';
import { createSfnStore } from './store.js';
import { createTaskTokens } from './task-tokens.js';

export interface StepFunctionsServiceOptions {
  storage: Storage;
  clock: EmulatorClock;
  lambda: LambdaInvoker;
  faults?: FaultInjector;
  region: string;
  accountId: string;
  /** Target of `arn:aws:states:::events:putEvents` tasks; without it those tasks fail with States.Runtime. */
  events?: EventSink;
  /** Real milliseconds between history writes while an execution runs (default 250). */
  historyFlushMs?: number;
  /**
   * When executions interrupted by a previous process run again: `immediately` (one turn after creation,
   * the default) or `manual` (on `resumeInterrupted()`, e.g. once the Lambdas they call are registered).
   */
  resume?: 'immediately' | 'manual';
}

/** DescribeExecution's output as the JSON protocol sends it (dates in epoch seconds). */
export interface ExecutionDescription {
  executionArn: string;
  stateMachineArn: string;
  name: string;
  status: 'RUNNING' | 'SUCCEEDED' | 'FAILED' | 'TIMED_OUT' | 'ABORTED';
  startDate: number;
  stopDate?: number;
  input: string;
  output?: string;
  error?: string;
  cause?: string;
  redriveCount: number;
}

export interface StepFunctionsService {
  /** The JSON 1.0 endpoint server.ts routes `x-amz-target: AWSStepFunctions.*` requests to. */
  handler: ServiceHandler;
  /** Creates the state machine, or updates it when one with that name exists; returns its ARN. */
  createStateMachine(name: string, definition: string | object, roleArn?: string): string;
  /** StartExecution; `input` strings are taken as JSON text, anything else is serialized (undefined: `{}`). */
  startExecution(
    stateMachineArn: string,
    input: unknown,
    name?: string,
  ): { executionArn: string; startDate: Date };
  /** Resolves once the execution has closed, or after `timeoutMs` with its current (RUNNING) description. */
  waitForExecution(executionArn: string, timeoutMs: number): Promise<ExecutionDescription>;
  /** Runs the executions a previous process left RUNNING (with `resume: 'manual'`); idempotent. */
  resumeInterrupted(): void;
  /** Stops every run without closing it (it restarts when a service opens the same storage) and flushes. */
  stop(): Promise<void>;
}

const OPTION_KEYS = [
  'storage',
  'clock',
  'lambda',
  'faults',
  'region',
  'accountId',
  'events',
  'historyFlushMs',
  'resume',
];

export function createStepFunctionsService(options: StepFunctionsServiceOptions): StepFunctionsService {
  const unknown = Object.keys(options).filter((key) => !OPTION_KEYS.includes(key));
  if (unknown.length > 0) throw new Error(`Unknown Step Functions service option: ${unknown.join(', ')}`);
  const store = createSfnStore(options.storage, options.historyFlushMs);
  const closeWatchers: CloseWatchers = new Map();
  const ctx: ServiceContext = {
    store,
    clock: options.clock,
    lambda: options.lambda,
    events: options.events,
    tokens: createTaskTokens((arn) => store.executions.has(arn)),
    // Bound below: the child executions need the context they belong to.
    children: undefined as unknown as ServiceContext['children'],
    onClosed(record) {
      for (const notify of [...(closeWatchers.get(record.executionArn) ?? [])]) notify(record);
    },
    region: options.region,
    accountId: options.accountId,
    runs: new Map(),
  };
  ctx.children = createChildExecutions(ctx, closeWatchers);
  const operations = { ...stateMachineOperations(ctx), ...executionOperations(ctx) };
  const call = (name: string, body: Body) => operations[name]!(body) as Body;
  let stopped = false;

  // Executions left RUNNING by a previous process cannot resume mid-flight in aws-local-stepfunctions:
  // each runs again from the beginning (same name, ARN and input), recorded as ExecutionRedriven.
  // Deferred (a turn, or until resumeInterrupted) so the caller can finish wiring Lambda and EventBridge.
  const interrupted = [...store.executions.values()].filter((record) => record.status === 'RUNNING');
  let resumed = false;
  let markResumed: () => void = () => {};
  const restarts = new Promise<void>((resolve) => {
    markResumed = resolve;
  });
  const resumeInterrupted = () => {
    if (resumed) return;
    resumed = true;
    for (const record of stopped ? [] : interrupted) {
      const now = ctx.clock.now().getTime();
      const restarted = { ...record, redriveCount: record.redriveCount + 1, redriveDate: now };
      store.putExecution(restarted);
      launch(ctx, restarted, 'restart');
    }
    markResumed();
  };
  if (interrupted.length === 0) resumeInterrupted();
  else if (options.resume !== 'manual') setImmediate(resumeInterrupted);

  return {
    handler: createJsonHandler(operations, options.faults),

    createStateMachine(
      name,
      definition,
      roleArn = `arn:aws:iam::${options.accountId}:role/StepFunctionsLocal`,
    ) {
      const text = typeof definition === 'string' ? definition : JSON.stringify(definition);
      try {
        return call('CreateStateMachine', { name, definition: text, roleArn }).stateMachineArn as string;
      } catch (error) {
        if (!(error instanceof SfnServiceError) || error.code !== 'StateMachineAlreadyExists') throw error;
        const stateMachineArn = store.machines.get(name)!.stateMachineArn;
        call('UpdateStateMachine', { stateMachineArn, definition: text, roleArn });
        return stateMachineArn;
      }
    },

    startExecution(stateMachineArn, input, name) {
      // No input means `{}` (StartExecution's default); null is a JSON value like any other.
      const text = typeof input === 'string' ? input : input === undefined ? '{}' : JSON.stringify(input);
      const output = call('StartExecution', {
        stateMachineArn,
        input: text,
        ...(name === undefined ? {} : { name }),
      });
      return {
        executionArn: output.executionArn as string,
        startDate: new Date((output.startDate as number) * 1000),
      };
    },

    async waitForExecution(executionArn, timeoutMs) {
      findExecution(ctx, executionArn);
      await restarts;
      const run = ctx.runs.get(executionArn);
      if (run) {
        let timer: NodeJS.Timeout | undefined;
        const timeout = new Promise<void>((resolve) => {
          timer = setTimeout(resolve, timeoutMs);
        });
        await Promise.race([run.done, timeout]);
        clearTimeout(timer);
      }
      return describeExecution(findExecution(ctx, executionArn)) as unknown as ExecutionDescription;
    },

    resumeInterrupted,

    async stop() {
      stopped = true;
      const runs = [...ctx.runs.values()];
      for (const run of runs) run.shutdown();
      await Promise.allSettled(runs.map((run) => run.done));
      store.close();
    },
  };
}
