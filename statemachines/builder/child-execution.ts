/**
 * A Task that runs another state machine of the stack as a child execution and waits for it
 * (`arn:aws:states:::states:startExecution.sync:2`: the result is DescribeExecution's, with `Output` as
 * parsed JSON). The child's name makes the start idempotent: Step Functions returns the running execution for
 * the same name and input, so a retried or re-driven parent never starts a target twice.
 */
import { type Catcher, type Path, type ResultPath, type Retrier, type TaskState, task } from './asl.js';

export const startExecutionSync2 = 'arn:aws:states:::states:startExecution.sync:2';

export function childExecution(options: {
  comment: string;
  /** A `${Placeholder}` bound to the child machine's ARN through DefinitionSubstitutions. */
  stateMachineArn: `\${${string}}`;
  /** Where the execution name is (built by a Lambda or States.Format): at most 80 characters. */
  namePath: Path;
  /** Where the child's input is: an object, passed as the execution input. */
  inputPath: Path;
  resultPath: ResultPath;
  retry?: readonly Retrier[];
  catch?: readonly Catcher[];
  next: string;
}): TaskState {
  return task({
    Comment: options.comment,
    Resource: startExecutionSync2,
    Parameters: {
      StateMachineArn: options.stateMachineArn,
      'Name.$': options.namePath,
      'Input.$': options.inputPath,
    },
    ResultPath: options.resultPath,
    Retry: options.retry,
    Catch: options.catch,
    Next: options.next,
  });
}
