/**
 * Assembles a state machine from its states, listed in flow order (the first one is `StartAt`), and checks
 * what asl-validator cannot see from one state at a time: names are unique and PascalCase, every transition
 * names a state of the machine, and every state is reachable from the start.
 */
import type { State } from './asl.js';

export interface StateMachineDefinition {
  readonly Comment: string;
  readonly StartAt: string;
  /** A hard ceiling per execution, in seconds. */
  readonly TimeoutSeconds: number;
  readonly States: Readonly<Record<string, State>>;
}

const pascalCase = /^[A-Z][A-Za-z0-9]*$/;

/** The states a state may hand over to: Next, Default, every Choice rule's and every Catch's Next. */
export function transitionsOf(state: State): string[] {
  switch (state.Type) {
    case 'Task':
    case 'Map':
      return [state.Next, ...(state.Catch ?? []).map((rule) => rule.Next)];
    case 'Choice':
      return [...state.Choices.map((rule) => rule.Next), state.Default];
    case 'Pass':
    case 'Wait':
      return [state.Next];
    case 'Succeed':
    case 'Fail':
      return [];
  }
}

export function stateMachine(options: {
  comment: string;
  timeoutSeconds: number;
  states: readonly (readonly [string, State])[];
}): StateMachineDefinition {
  const { StartAt, States } = stateGraph(options.states);
  return {
    Comment: options.comment,
    StartAt,
    TimeoutSeconds: options.timeoutSeconds,
    States,
  };
}

/**
 * A checked graph of states, for a machine or a Map's ItemProcessor (states inside a Map transition only
 * among themselves): unique PascalCase names, transitions to existing states, everything reachable.
 */
export function stateGraph(list: readonly (readonly [string, State])[]): {
  StartAt: string;
  States: Readonly<Record<string, State>>;
} {
  const options = { states: list };
  const states: Record<string, State> = {};
  for (const [name, state] of options.states) {
    if (!pascalCase.test(name)) throw new Error(`state ${name}: names are PascalCase`);
    if (name in states) throw new Error(`state ${name}: defined twice`);
    states[name] = state;
  }
  const startAt = options.states[0]?.[0];
  if (startAt === undefined) throw new Error('a state machine needs at least one state');

  for (const [name, state] of Object.entries(states)) {
    for (const target of transitionsOf(state)) {
      if (!(target in states)) throw new Error(`state ${name}: goes to ${target}, which is not a state`);
    }
  }
  const reached = new Set<string>([startAt]);
  const queue = [startAt];
  while (queue.length > 0) {
    for (const target of transitionsOf(states[queue.shift()!]!)) {
      if (!reached.has(target)) {
        reached.add(target);
        queue.push(target);
      }
    }
  }
  const unreachable = Object.keys(states).filter((name) => !reached.has(name));
  if (unreachable.length > 0) throw new Error(`unreachable states: ${unreachable.join(', ')}`);
  return { StartAt: startAt, States: states };
}
