/**
 * Lambda tasks with the standard Retry (./retry.ts) and a Catch that ends in the given states. The function is
 * named by its key in src/core/names.ts and reached through its `${<Function>FunctionArn}` placeholder, which
 * serverless.yml binds in DefinitionSubstitutions (STYLE.md rules 8 and 11).
 */
import type { FunctionKey } from '../../src/core/names.js';
import {
  type Catcher,
  type Path,
  type PayloadTemplate,
  type ResultPath,
  type TaskState,
  task,
} from './asl.js';
import { lambdaTaskRetry } from './retry.js';

/** `submit-job` -> `${SubmitJobFunctionArn}` */
export function functionArnPlaceholder(fn: FunctionKey): string {
  const pascal = fn
    .split('-')
    .map((word) => word[0]!.toUpperCase() + word.slice(1))
    .join('');
  return '$' + `{${pascal}FunctionArn}`;
}

/** Where an error goes: `on` lists error names (default every error, `States.ALL`). */
export interface CatchRule {
  readonly on?: readonly string[];
  readonly resultPath: ResultPath;
  readonly next: string;
}

export interface LambdaTaskOptions {
  readonly comment?: string;
  readonly parameters?: PayloadTemplate;
  /** Absent: the result replaces the state (ASL's default `$`). */
  readonly resultPath?: ResultPath;
  readonly timeoutSecondsPath?: Path;
  readonly next: string;
  /** Tried in order; the last one must catch every error, so a task never fails the execution unhandled. */
  readonly catch: readonly CatchRule[];
}

function catchers(name: string, rules: readonly CatchRule[]): Catcher[] {
  const last = rules.at(-1);
  if (last === undefined || last.on !== undefined) {
    throw new Error(`${name}: the last catch rule must catch every error (leave "on" out)`);
  }
  return rules.map((rule) => ({
    ErrorEquals: rule.on ?? ['States.ALL'],
    ResultPath: rule.resultPath,
    Next: rule.next,
  }));
}

/** A task that invokes the function directly (`Resource` is its ARN). */
export function lambdaTask(name: string, fn: FunctionKey, options: LambdaTaskOptions): TaskState {
  return task({
    Comment: options.comment,
    Resource: functionArnPlaceholder(fn),
    Parameters: options.parameters,
    TimeoutSecondsPath: options.timeoutSecondsPath,
    ResultPath: options.resultPath,
    Retry: lambdaTaskRetry,
    Catch: catchers(name, options.catch),
    Next: options.next,
  });
}

/**
 * A task that invokes the function through the optimized integration and waits for its task token
 * (`lambda:invoke.waitForTaskToken`): the parameters become the function's `Payload`.
 */
export function lambdaTaskWithToken(name: string, fn: FunctionKey, options: LambdaTaskOptions): TaskState {
  return task({
    Comment: options.comment,
    Resource: 'arn:aws:states:::lambda:invoke.waitForTaskToken',
    Parameters: {
      FunctionName: functionArnPlaceholder(fn),
      ...(options.parameters === undefined ? {} : { Payload: options.parameters }),
    },
    TimeoutSecondsPath: options.timeoutSecondsPath,
    ResultPath: options.resultPath,
    Retry: lambdaTaskRetry,
    Catch: catchers(name, options.catch),
    Next: options.next,
  });
}
