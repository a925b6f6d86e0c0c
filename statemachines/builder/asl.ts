/**
 * Typed constructors for the JSONPath subset of the Amazon States Language the state machines use (Task,
 * Choice, Pass, Wait, Succeed, Fail, inline Map). JSONPath only, no JSONata, Assign or distributed Map: the same
 * definition runs in aws-local-stepfunctions (STYLE.md rule 8). Each constructor emits its fields in one fixed
 * order, so the generated `.asl.json` reads the same for every state of a type.
 */

/** A reference path into the state input (`$`, `$.job`) or the context object (`$$.Execution.Id`). */
export type Path = '$' | `$.${string}` | `$$.${string}`;

/** `Parameters`: a key ending in `.$` takes a path; any other key a literal value or a nested template. */
export type PayloadTemplate = { readonly [key: `${string}.$`]: Path | `States.${string}` } & {
  readonly [key: string]: unknown;
};

/** `ResultPath`: a path, or null to discard the result and pass the input on. */
export type ResultPath = Path | null;

export interface Retrier {
  readonly ErrorEquals: readonly string[];
  readonly IntervalSeconds: number;
  readonly MaxAttempts: number;
  readonly BackoffRate?: number;
  readonly MaxDelaySeconds?: number;
  readonly JitterStrategy: 'FULL' | 'NONE';
}

export interface Catcher {
  readonly ErrorEquals: readonly string[];
  readonly ResultPath: ResultPath;
  readonly Next: string;
}

/** One comparison on one variable (the operators the definitions use). */
export type Comparison = { readonly Variable: Path } & (
  | { readonly IsPresent: boolean }
  | { readonly IsNumeric: boolean }
  | { readonly BooleanEquals: boolean }
  | { readonly StringEquals: string }
  | { readonly NumericEquals: number }
  | { readonly NumericGreaterThan: number }
  | { readonly NumericGreaterThanEqualsPath: Path }
);

/** A boolean expression: a comparison, or And / Or / Not of expressions. */
export type Condition =
  | Comparison
  | { readonly And: readonly Condition[] }
  | { readonly Or: readonly Condition[] }
  | { readonly Not: Condition };

/** A top-level Choice rule: a condition and where it leads. */
export type ChoiceRule = Condition & { readonly Next: string };

export interface TaskState {
  readonly Type: 'Task';
  readonly Comment?: string;
  readonly Resource: string;
  readonly Parameters?: PayloadTemplate;
  readonly TimeoutSecondsPath?: Path;
  readonly ResultPath?: ResultPath;
  readonly Retry?: readonly Retrier[];
  readonly Catch?: readonly Catcher[];
  readonly Next: string;
}

export interface ChoiceState {
  readonly Type: 'Choice';
  readonly Comment?: string;
  readonly Choices: readonly ChoiceRule[];
  readonly Default: string;
}

export interface PassState {
  readonly Type: 'Pass';
  readonly Comment?: string;
  readonly Parameters?: PayloadTemplate;
  readonly ResultPath?: ResultPath;
  readonly Next: string;
}

export interface WaitState {
  readonly Type: 'Wait';
  readonly Comment?: string;
  readonly SecondsPath: Path;
  readonly Next: string;
}

export interface SucceedState {
  readonly Type: 'Succeed';
  readonly Comment?: string;
}

export interface FailState {
  readonly Type: 'Fail';
  readonly Comment?: string;
  readonly Error: string;
  readonly Cause: string;
}

/** An inline Map: runs `ItemProcessor` once per item of `ItemsPath`, at most `MaxConcurrency(Path)` at once. */
export interface MapState {
  readonly Type: 'Map';
  readonly Comment?: string;
  readonly ItemsPath: Path;
  /** Each iteration's input, built from the item (`$$.Map.Item.Value`) and the state input. */
  readonly ItemSelector?: PayloadTemplate;
  readonly MaxConcurrency?: number;
  readonly MaxConcurrencyPath?: Path;
  readonly ItemProcessor: {
    readonly ProcessorConfig: { readonly Mode: 'INLINE' };
    readonly StartAt: string;
    readonly States: Readonly<Record<string, State>>;
  };
  readonly ResultPath?: ResultPath;
  readonly Retry?: readonly Retrier[];
  readonly Catch?: readonly Catcher[];
  readonly Next: string;
}

export type State = TaskState | ChoiceState | PassState | WaitState | SucceedState | FailState | MapState;

/** Drops undefined fields, so an absent option is absent from the JSON rather than `null`. */
function defined<T extends object>(fields: T): T {
  return Object.fromEntries(Object.entries(fields).filter(([, value]) => value !== undefined)) as T;
}

export function task(fields: Omit<TaskState, 'Type'>): TaskState {
  return defined({
    Type: 'Task',
    Comment: fields.Comment,
    Resource: fields.Resource,
    Parameters: fields.Parameters,
    TimeoutSecondsPath: fields.TimeoutSecondsPath,
    ResultPath: fields.ResultPath,
    Retry: fields.Retry,
    Catch: fields.Catch,
    Next: fields.Next,
  });
}

export function choice(fields: Omit<ChoiceState, 'Type'>): ChoiceState {
  return defined({
    Type: 'Choice',
    Comment: fields.Comment,
    Choices: fields.Choices,
    Default: fields.Default,
  });
}

export function pass(fields: Omit<PassState, 'Type'>): PassState {
  return defined({
    Type: 'Pass',
    Comment: fields.Comment,
    Parameters: fields.Parameters,
    ResultPath: fields.ResultPath,
    Next: fields.Next,
  });
}

export function wait(fields: Omit<WaitState, 'Type'>): WaitState {
  return defined({
    Type: 'Wait',
    Comment: fields.Comment,
    SecondsPath: fields.SecondsPath,
    Next: fields.Next,
  });
}

export function map(fields: Omit<MapState, 'Type'>): MapState {
  return defined({
    Type: 'Map',
    Comment: fields.Comment,
    ItemsPath: fields.ItemsPath,
    ItemSelector: fields.ItemSelector,
    MaxConcurrency: fields.MaxConcurrency,
    MaxConcurrencyPath: fields.MaxConcurrencyPath,
    ItemProcessor: fields.ItemProcessor,
    ResultPath: fields.ResultPath,
    Retry: fields.Retry,
    Catch: fields.Catch,
    Next: fields.Next,
  });
}

export function succeed(fields: Omit<SucceedState, 'Type'> = {}): SucceedState {
  return defined({ Type: 'Succeed', Comment: fields.Comment });
}

export function fail(fields: Omit<FailState, 'Type'>): FailState {
  return defined({ Type: 'Fail', Comment: fields.Comment, Error: fields.Error, Cause: fields.Cause });
}

/** One operator and its value, e.g. `{ StringEquals: 'Complete' }` (distributes over the union). */
export type Operator = Comparison extends infer C
  ? C extends Comparison
    ? Omit<C, 'Variable'>
    : never
  : never;

/** `{ Variable, <operator>: value }`, e.g. `is('$.progress.status', { StringEquals: 'Complete' })`. */
export function is(variable: Path, operator: Operator): Comparison {
  return { Variable: variable, ...operator } as Comparison;
}
