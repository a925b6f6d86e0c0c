/**
 * Step Functions errors. The code is the identity: the JSON 1.0 layer renders
 * `{ "__type": "com.amazonaws.states#<code>", "message" }` and the SDK keeps what follows `#` as the
 * exception name (ExecutionDoesNotExist, …).
 */
export type SfnErrorCode =
  | 'ExecutionAlreadyExists'
  | 'ExecutionDoesNotExist'
  | 'InvalidArn'
  | 'InvalidDefinition'
  | 'InvalidExecutionInput'
  | 'InvalidName'
  | 'InvalidOutput'
  | 'InvalidToken'
  | 'MissingRequiredParameter'
  | 'StateMachineAlreadyExists'
  | 'StateMachineDoesNotExist'
  | 'TaskDoesNotExist'
  | 'TaskTimedOut'
  | 'ValidationException'
  | 'SerializationException'
  | 'UnknownOperationException'
  | (string & {});

export class SfnServiceError extends Error {
  constructor(
    readonly code: SfnErrorCode,
    message: string,
    readonly httpStatus = 400,
  ) {
    super(message);
    this.name = code;
  }
}

export const executionDoesNotExist = (arn: string) =>
  new SfnServiceError('ExecutionDoesNotExist', `Execution Does Not Exist: '${arn}'`);

export const stateMachineDoesNotExist = (arn: string) =>
  new SfnServiceError('StateMachineDoesNotExist', `State Machine Does Not Exist: '${arn}'`);

export const invalidArn = (arn: string, reason = 'Invalid Arn') =>
  new SfnServiceError('InvalidArn', `Invalid Arn: '${reason}: ${arn}'`);

export const invalidName = (name: string) => new SfnServiceError('InvalidName', `Invalid Name: '${name}'`);

export const validation = (message: string) => new SfnServiceError('ValidationException', message);

export const missingParameter = (name: string) =>
  new SfnServiceError('MissingRequiredParameter', `Missing required parameter: '${name}'`);

/**
 * An error raised inside an execution (a Lambda function error, SendTaskFailure, a heartbeat timeout).
 * The interpreter matches `Retry`/`Catch` on `name` and builds the Catch output's `Cause` from `message`,
 * so `name` is the ASL error name and `message` is AWS's cause text (e.g. Lambda's JSON error document).
 */
export class TaskFailure extends Error {
  constructor(
    readonly error: string | undefined,
    readonly causeText: string | undefined,
  ) {
    super(causeText ?? '');
    this.name = error ?? '';
  }
}

/** An error the interpreter must neither retry nor catch, as States.Runtime in AWS. */
export function runtimeFailure(cause: string): TaskFailure {
  return Object.assign(new TaskFailure('States.Runtime', cause), { isRetryable: false, isCatchable: false });
}
