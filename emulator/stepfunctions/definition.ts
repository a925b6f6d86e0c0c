import { StateMachine, type StateMachineDefinition } from 'aws-local-stepfunctions';
import type { EmulatorClock } from '../contracts.js';
import { SfnServiceError } from './errors.js';

export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

export interface AslState {
  Type: string;
  [field: string]: unknown;
}

export interface AslDefinition {
  StartAt: string;
  States: Record<string, AslState>;
  TimeoutSeconds?: number;
  [field: string]: unknown;
}

/** What `$$.Task.Token` evaluates to inside the interpreter; task handlers swap in a real token. */
export const TASK_TOKEN_PLACEHOLDER = '__sfn_emulator_task_token__';
/** Wait states run as Tasks on this resource so the emulator can scale their duration (see prepareForRun). */
export const WAIT_RESOURCE = 'arn:aws:states:::emulator:wait';
/** Timers above 2^31-1 ms fire at once in Node; every duration handed to the interpreter stays below this. */
export const MAX_TIMER_SECONDS = 2_000_000;
/**
 * Parameter key carrying a Task's evaluated TimeoutSecondsPath to our task handler, which enforces it in
 * emulated time (the interpreter would count real seconds). Stripped before the target sees the parameters.
 */
export const TIMEOUT_SECONDS_PARAMETER = '__sfn_emulator_timeout_seconds__';

const invalidDefinition = (detail: string) =>
  new SfnServiceError('InvalidDefinition', `Invalid State Machine Definition: '${detail}'`);

/** Calls `visit` for every state, including those nested in Map and Parallel states. */
export function forEachState(
  definition: { States: Record<string, AslState> },
  visit: (name: string, state: AslState) => void,
): void {
  for (const [name, state] of Object.entries(definition.States ?? {})) {
    visit(name, state);
    const processor = (state.ItemProcessor ?? state.Iterator) as AslDefinition | undefined;
    if (processor?.States) forEachState(processor, visit);
    for (const branch of (state.Branches as AslDefinition[] | undefined) ?? []) {
      if (branch?.States) forEachState(branch, visit);
    }
  }
}

/**
 * Parses and validates a definition as CreateStateMachine does (asl-validator, via aws-local-stepfunctions).
 * JSONata, `Assign` and Distributed Map are rejected here rather than silently ignored by the interpreter.
 */
export function parseDefinition(text: string): AslDefinition {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    throw invalidDefinition(`INVALID_JSON_DESCRIPTION: ${(error as Error).message}`);
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw invalidDefinition('SCHEMA_VALIDATION_FAILED: the definition must be a JSON object');
  }
  const definition = parsed as AslDefinition;
  const unsupported: string[] = [];
  if (definition.QueryLanguage === 'JSONata') unsupported.push('QueryLanguage JSONata');
  if (typeof definition.States === 'object' && definition.States !== null) {
    forEachState(definition, (name, state) => {
      if (state.QueryLanguage === 'JSONata') unsupported.push(`QueryLanguage JSONata in ${name}`);
      if ('Assign' in state) unsupported.push(`Assign in ${name}`);
      const processor = state.ItemProcessor as { ProcessorConfig?: { Mode?: string } } | undefined;
      if (processor?.ProcessorConfig?.Mode === 'DISTRIBUTED' || 'ItemReader' in state) {
        unsupported.push(`Distributed Map ${name}`);
      }
    });
  }
  if (unsupported.length > 0) {
    throw invalidDefinition(
      `UNSUPPORTED_BY_EMULATOR: ${unsupported.join(', ')} (JSONPath only, see PARITY.md)`,
    );
  }
  try {
    new StateMachine(definition as unknown as StateMachineDefinition, {
      validationOptions: { checkArn: true, checkPaths: true },
    });
  } catch (error) {
    const message = (error as Error).message.replace(
      /^State machine definition is invalid, see error\(s\) below:\s*/,
      '',
    );
    throw invalidDefinition(message.trim());
  }
  return definition;
}

/** The original type of every state by name (Wait states run as Tasks, history must still say Wait). */
export function stateTypes(definition: AslDefinition): Map<string, AslState> {
  const states = new Map<string, AslState>();
  forEachState(definition, (name, state) => states.set(name, state));
  return states;
}

// Replacements go through functions: in a replacement string `$$` means a literal `$`.
const START_TIME_PATH = '$$.Execution.StartTime';
/** Context field the runner fills with the emulated start time. */
export const EMULATED_START_TIME_PATH = '$$.Execution.EmulatedStartTime';

const quoteIntrinsic = (value: string) => `'${value.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;

/**
 * Rewrites JSONPath values inside one state's payload templates and path fields. The interpreter builds its
 * own Context object, overwriting `Execution.StartTime` with the real time and knowing nothing of `State`,
 * so `$$.Execution.StartTime` is pointed at the emulated start time and `$$.State.Name` becomes a literal.
 */
function rewritePaths(value: unknown, stateName: string): unknown {
  if (Array.isArray(value)) return value.map((item) => rewritePaths(item, stateName));
  if (typeof value !== 'object' || value === null) return value;
  const out: Record<string, unknown> = {};
  for (const [key, raw] of Object.entries(value)) {
    const isPath = key.endsWith('.$') || key.endsWith('Path') || key === 'Variable';
    if (!isPath || typeof raw !== 'string') {
      out[key] = rewritePaths(raw, stateName);
      continue;
    }
    const path = raw.replaceAll(START_TIME_PATH, () => EMULATED_START_TIME_PATH);
    if (key.endsWith('.$') && path === '$$.State.Name') out[key.slice(0, -2)] = stateName;
    else if (key.endsWith('.$') && path.startsWith('States.')) {
      out[key] = path.replaceAll('$$.State.Name', () => quoteIntrinsic(stateName));
    } else out[key] = path;
  }
  return out;
}

const NESTED_FIELDS = new Set(['ItemProcessor', 'Iterator', 'Branches']);

/**
 * The definition the interpreter actually runs. Durations are converted to real time with the clock
 * (aws-local-stepfunctions has no clock option):
 * - Wait states become Tasks on WAIT_RESOURCE whose Parameters carry the evaluated Seconds/Timestamp;
 *   the emulator's handler sleeps `clock.realMs(seconds)` (SecondsPath and TimestampPath included).
 * - Retry `IntervalSeconds` / `MaxDelaySeconds` are divided by the time scale, so backoff and jitter
 *   keep their shape; the machine's `TimeoutSeconds` likewise.
 * - Every Task gets MAX_TIMER_SECONDS as the interpreter's timeout: its default is 60 s while AWS has none
 *   (a `.waitForTaskToken` task may wait for days), and a Task's own `TimeoutSeconds` (or a
 *   `TimeoutSecondsPath` carried in its Parameters) is enforced by its handler in emulated time.
 */
export function prepareForRun(definition: AslDefinition, clock: EmulatorClock): AslDefinition {
  const realSeconds = (seconds: number) =>
    Math.min(Math.max(clock.realMs(seconds) / 1000, 0.001), MAX_TIMER_SECONDS);

  const prepareStates = (machine: AslDefinition): AslDefinition => {
    const states: Record<string, AslState> = {};
    for (const [name, original] of Object.entries(machine.States)) {
      let state: AslState = { Type: original.Type };
      for (const [key, value] of Object.entries(original)) {
        if (key === 'Type') continue;
        if (NESTED_FIELDS.has(key)) {
          state[key] = Array.isArray(value)
            ? value.map((branch) => prepareStates(branch as AslDefinition))
            : prepareStates(value as AslDefinition);
        } else if (typeof value === 'string' && key.endsWith('Path')) {
          state[key] = value.replaceAll(START_TIME_PATH, () => EMULATED_START_TIME_PATH);
        } else {
          state[key] = rewritePaths(value, name);
        }
      }
      if (state.Type === 'Wait') state = waitAsTask(state);
      if (
        state.Type === 'Task' &&
        typeof state.TimeoutSecondsPath === 'string' &&
        isObject(state.Parameters)
      ) {
        state.Parameters = {
          ...state.Parameters,
          [`${TIMEOUT_SECONDS_PARAMETER}.$`]: state.TimeoutSecondsPath,
        };
        delete state.TimeoutSecondsPath;
      }
      // The task handlers enforce TimeoutSeconds themselves (task-resources.ts): counted from TaskStarted in
      // emulated time, and recorded once. The interpreter's own timer would fire at a scaled-down instant
      // that races the handler's history events (TaskStarted and TaskSubmitted went missing).
      if (state.Type === 'Task' && state.TimeoutSecondsPath === undefined)
        state.TimeoutSeconds = MAX_TIMER_SECONDS;
      if (Array.isArray(state.Retry)) {
        state.Retry = (state.Retry as Record<string, unknown>[]).map((retrier) => ({
          ...retrier,
          IntervalSeconds: realSeconds((retrier.IntervalSeconds as number | undefined) ?? 1),
          MaxDelaySeconds:
            typeof retrier.MaxDelaySeconds === 'number'
              ? realSeconds(retrier.MaxDelaySeconds)
              : MAX_TIMER_SECONDS,
        }));
      }
      states[name] = state;
    }
    return { ...machine, States: states };
  };

  const prepared = prepareStates(definition);
  if (typeof definition.TimeoutSeconds === 'number')
    prepared.TimeoutSeconds = realSeconds(definition.TimeoutSeconds);
  return prepared;
}

function waitAsTask(wait: AslState): AslState {
  const { Seconds, SecondsPath, Timestamp, TimestampPath, Type: _type, ...rest } = wait;
  const parameters: Record<string, unknown> = { 'input.$': '$' };
  if (Seconds !== undefined) parameters.seconds = Seconds;
  else if (SecondsPath !== undefined) parameters['seconds.$'] = SecondsPath;
  else if (Timestamp !== undefined) parameters.timestamp = Timestamp;
  else if (TimestampPath !== undefined) parameters['timestamp.$'] = TimestampPath;
  return {
    ...rest,
    Type: 'Task',
    Resource: WAIT_RESOURCE,
    Parameters: parameters,
    TimeoutSeconds: MAX_TIMER_SECONDS,
  };
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
