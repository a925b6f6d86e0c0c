/**
 * The Step Functions service integration with itself ("Start a new AWS Step Functions state machine from a
 * running execution", connect-stepfunctions): `arn:aws:states:::states:startExecution` starts a child and
 * returns StartExecution's response; `.sync` and `.sync:2` wait for the child and return its
 * DescribeExecution, with Input and Output as JSON text (`.sync`) or as JSON values (`.sync:2`).
 *
 * Shapes as AWS produces them (measured on AWS and recorded in Floci's tests, AslExecutorNestedStartExecution /
 * NestedSyncFailure): PascalCase members in alphabetical order, dates in epoch milliseconds. A child that does
 * not succeed fails the task with `States.TaskFailed` whatever the child's own error, the cause being the child's
 * DescribeExecution as JSON text (Input as text in both modes). StartExecution's own errors surface as
 * `StepFunctions.<Code>Exception` (e.g. StepFunctions.ExecutionAlreadyExistsException). A `.sync` task that
 * stops waiting (its parent is stopped, fails or times out, the task times out, or the Map or Parallel around
 * it fails) stops the child with no error and the cause AWS gives.
 */
import { randomUUID } from 'node:crypto';
import type { ChildExecutions } from './child-executions.js';
import type { Json } from './definition.js';
import { runtimeFailure, SfnServiceError, TaskFailure } from './errors.js';
import type { ExecutionRecord } from './store.js';
import type { Integration, SyncIntegration, SyncJob, TaskEnvironment } from './task-environment.js';

export const START_EXECUTION_RESOURCE = 'arn:aws:states:::states:startExecution';

/** `.sync` returns the child's Input and Output as JSON text, `.sync:2` as JSON values. */
export type SyncVariant = '.sync' | '.sync:2';

/** The cause AWS gives the child it stops when the task managing it ends first. */
export const abandonedChildCause = (parentArn: string) =>
  `The Task state in AWS Step Functions execution [${parentArn}] which was managing this resource was aborted`;

interface ChildRequest {
  stateMachineArn: string;
  name: string | undefined;
  input: string;
}

/**
 * The task's Parameters. `Input` may be an object (sent as its JSON text) or a string: JSON text (e.g. from
 * States.JsonToString) is passed as is, any other string becomes a JSON string value.
 */
function childRequest(params: Record<string, unknown>): ChildRequest {
  const { StateMachineArn: stateMachineArn, Name: name, Input: input } = params;
  if (typeof stateMachineArn !== 'string' || stateMachineArn === '') {
    throw runtimeFailure(
      'The field "StateMachineArn" must be the ARN of a state machine (a non-empty string)',
    );
  }
  if (name !== undefined && typeof name !== 'string') {
    throw runtimeFailure(`The field "Name" must be a string, got ${JSON.stringify(name)}`);
  }
  return { stateMachineArn, name, input: inputText(input) };
}

function inputText(input: unknown): string {
  if (input === undefined) return '{}';
  if (typeof input === 'string') {
    try {
      JSON.parse(input);
      return input;
    } catch {
      return JSON.stringify(input);
    }
  }
  return JSON.stringify(input);
}

/** StartExecution's errors as the optimized integration names them. */
function startFailure(error: unknown): unknown {
  if (!(error instanceof SfnServiceError)) return error;
  const code = error.code.endsWith('Exception') ? error.code : `${error.code}Exception`;
  return new TaskFailure(`StepFunctions.${code}`, error.message);
}

function start(env: TaskEnvironment, params: Record<string, unknown>): ExecutionRecord {
  const request = childRequest(params);
  try {
    return env.children.start({
      ...request,
      parent: { executionArn: env.executionArn, redriveCount: env.redriveCount },
    }).record;
  } catch (error) {
    throw startFailure(error);
  }
}

/** StartExecution's response as the request-response integration returns it (with the SDK's metadata). */
function startResponse(record: ExecutionRecord): Json {
  const requestId = randomUUID();
  return {
    ExecutionArn: record.executionArn,
    SdkHttpMetadata: {
      HttpHeaders: { 'Content-Type': 'application/x-amz-json-1.0', 'x-amzn-RequestId': requestId },
      HttpStatusCode: 200,
    },
    SdkResponseMetadata: { RequestId: requestId },
    StartDate: record.startDate,
  };
}

const parse = (text: string): Json => JSON.parse(text) as Json;

/** A succeeded child's DescribeExecution as `.sync` / `.sync:2` return it. */
function succeededChild(record: ExecutionRecord, variant: SyncVariant): Json {
  const asValue = variant === '.sync:2';
  return {
    ExecutionArn: record.executionArn,
    Input: asValue ? parse(record.input) : record.input,
    InputDetails: { Included: true },
    Name: record.name,
    Output: asValue ? parse(record.output ?? 'null') : (record.output ?? 'null'),
    OutputDetails: { Included: true },
    RedriveCount: record.redriveCount,
    RedriveStatus: 'NOT_REDRIVABLE',
    RedriveStatusReason: 'Execution is SUCCEEDED and cannot be redriven',
    StartDate: record.startDate,
    StateMachineArn: record.stateMachineArn,
    Status: record.status,
    StopDate: record.stopDate ?? record.startDate,
  };
}

/** The cause of the task a failed, timed-out or aborted child fails: its DescribeExecution, Input as text. */
export function failedChildCause(record: ExecutionRecord): string {
  return JSON.stringify({
    ...(record.cause === undefined ? {} : { Cause: record.cause }),
    ...(record.error === undefined ? {} : { Error: record.error }),
    ExecutionArn: record.executionArn,
    Input: record.input,
    InputDetails: { Included: true },
    Name: record.name,
    RedriveCount: record.redriveCount,
    RedriveStatus: 'REDRIVABLE',
    StartDate: record.startDate,
    StateMachineArn: record.stateMachineArn,
    Status: record.status,
    StopDate: record.stopDate ?? record.startDate,
  });
}

export function startExecutionTask(env: TaskEnvironment): Integration {
  return async (params) => startResponse(start(env, params));
}

export function startExecutionSyncTask(env: TaskEnvironment, variant: SyncVariant): SyncIntegration {
  return async (params, signal): Promise<SyncJob> => {
    const record = start(env, params);
    const children: ChildExecutions = env.children;
    const abandon = () =>
      children.stop(record.executionArn, undefined, abandonedChildCause(env.executionArn));
    const result = (async (): Promise<Json> => {
      const closed = await children.whenClosed(record.executionArn, signal);
      if (!closed) {
        // The task stopped mattering (execution ended, or its Map / Parallel failed). A shutting-down process
        // leaves the child RUNNING: both restart next time and the parent adopts it again.
        if (!env.shuttingDown()) abandon();
        throw new TaskFailure('States.Runtime', 'The task was abandoned');
      }
      if (closed.status === 'SUCCEEDED') return succeededChild(closed, variant);
      throw new TaskFailure('States.TaskFailed', failedChildCause(closed));
    })();
    // Settled by whoever waits for it; an abandoned wait is not an error anyone must see.
    result.catch(() => undefined);
    return { submitted: startResponse(record), result, cancel: abandon };
  };
}
