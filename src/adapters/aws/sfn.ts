/** Step Functions executions and task tokens, for the CLI and the event-driven wake-up. */
import { isDeepStrictEqual } from 'node:util';
import {
  DescribeExecutionCommand,
  type DescribeExecutionCommandOutput,
  GetExecutionHistoryCommand,
  type HistoryEvent,
  ListExecutionsCommand,
  SendTaskFailureCommand,
  SendTaskSuccessCommand,
  type SFNClient,
  StartExecutionCommand,
  type StartExecutionCommandOutput,
  StopExecutionCommand,
} from '@aws-sdk/client-sfn';
import { ServiceRequestRejectedError, ServiceUnavailableError } from '../../core/errors.js';
import { awsErrorInfo, translateAwsError, withAwsErrors } from './errors.js';

export type ExecutionStatus =
  | 'RUNNING'
  | 'SUCCEEDED'
  | 'FAILED'
  | 'TIMED_OUT'
  | 'ABORTED'
  | 'PENDING_REDRIVE';

export interface StartedExecution {
  executionArn: string;
  startDate: string;
  /** True when the name was already used with the same input and we returned that execution. */
  alreadyExisted: boolean;
}

export interface ExecutionDescription {
  executionArn: string;
  stateMachineArn: string;
  name?: string;
  status: ExecutionStatus;
  startDate: string;
  stopDate?: string;
  /** JSON text, as Step Functions returns it. */
  input?: string;
  /** JSON text, as Step Functions returns it. */
  output?: string;
  error?: string;
  cause?: string;
}

export interface WorkflowHistoryEvent {
  id: number;
  previousEventId?: number;
  /** e.g. `TaskStateEntered`, `LambdaFunctionFailed`. */
  type: string;
  timestamp: string;
  /** The event's one `*EventDetails` member (e.g. `stateEnteredEventDetails`), if any. */
  details?: Record<string, unknown>;
}

export interface ExecutionHistoryOptions {
  /** Stop after this many events. Default 1,000; at most 25,000 (Step Functions' history limit). */
  maxEvents?: number;
  reverseOrder?: boolean;
  /** Include inputs/outputs in the details (default true, as in the API). */
  includeExecutionData?: boolean;
}

export interface ExecutionHistory {
  events: WorkflowHistoryEvent[];
  /** True when `maxEvents` cut the history short. */
  truncated: boolean;
}

/** One entry of ListExecutions (no input or output: DescribeExecution has those). */
export interface ExecutionListItem {
  executionArn: string;
  name: string;
  status: ExecutionStatus;
  startDate: string;
  stopDate?: string;
}

export interface WorkflowAdapter {
  startExecution(stateMachineArn: string, name: string, input: object | string): Promise<StartedExecution>;
  describeExecution(executionArn: string): Promise<ExecutionDescription>;
  /** DescribeExecution, or undefined when Step Functions says ExecutionDoesNotExist (not started yet). */
  findExecution(executionArn: string): Promise<ExecutionDescription | undefined>;
  /** ListExecutions, newest first, following nextToken up to `maxResults` executions in all. */
  listExecutions(stateMachineArn: string, options: { maxResults: number }): Promise<ExecutionListItem[]>;
  getExecutionHistory(executionArn: string, options?: ExecutionHistoryOptions): Promise<ExecutionHistory>;
  stopExecution(
    executionArn: string,
    options?: { error?: string; cause?: string },
  ): Promise<{ stopDate: string }>;
  sendTaskSuccess(taskToken: string, output: object | string): Promise<void>;
  sendTaskFailure(taskToken: string, failure?: { error?: string; cause?: string }): Promise<void>;
}

export const defaultHistoryMaxEvents = 1_000;
/** Step Functions' execution history limit (Step Functions quotas). */
export const historyEventLimit = 25_000;
/** GetExecutionHistory's largest page. */
const historyPageSize = 1_000;
/** ListExecutions' largest page. */
const listPageSize = 1_000;

const op = (name: string) => `SFN.${name}`;

/** Step Functions takes JSON text; strings are sent as they are (they must already be JSON). */
const toJsonText = (value: object | string): string =>
  typeof value === 'string' ? value : JSON.stringify(value);

/**
 * The ARN of execution `name` of a standard state machine:
 * `arn:<partition>:states:<region>:<account>:stateMachine:<sm>` → `…:execution:<sm>:<name>`.
 */
export function executionArnFor(stateMachineArn: string, name: string): string {
  const parts = stateMachineArn.split(':');
  if (parts.length < 7 || parts[2] !== 'states' || parts[5] !== 'stateMachine') {
    throw new ServiceRequestRejectedError(`not a state machine ARN: ${stateMachineArn}`);
  }
  return [...parts.slice(0, 5), 'execution', parts[6], name].join(':');
}

function sameJson(a: string | undefined, b: string): boolean {
  if (a === b) return true;
  if (a === undefined) return false;
  try {
    return isDeepStrictEqual(JSON.parse(a), JSON.parse(b));
  } catch {
    return false;
  }
}

const iso = (date: Date | undefined): string | undefined => date?.toISOString();

export function createWorkflowAdapter(client: SFNClient): WorkflowAdapter {
  const describe = (executionArn: string): Promise<DescribeExecutionCommandOutput> =>
    withAwsErrors(op('DescribeExecution'), () => client.send(new DescribeExecutionCommand({ executionArn })));

  return {
    /**
     * Names are unique per state machine for 90 days, which makes them the dedupe key for triggers.
     * Step Functions itself answers a repeated StartExecution (same name, same input) with the running
     * execution, but rejects it with ExecutionAlreadyExists once that execution has closed. Here both count
     * as "already started": on ExecutionAlreadyExists we describe the named execution and, if its input is
     * the same JSON, return it with `alreadyExisted: true`. A different input stays an error
     * (ServiceRequestRejectedError): the name was used for another request.
     */
    async startExecution(stateMachineArn, name, input) {
      const inputText = toJsonText(input);
      let output: StartExecutionCommandOutput;
      try {
        output = await client.send(new StartExecutionCommand({ stateMachineArn, name, input: inputText }));
      } catch (error) {
        if (awsErrorInfo(error)?.code !== 'ExecutionAlreadyExists') {
          throw translateAwsError(op('StartExecution'), error);
        }
        const executionArn = executionArnFor(stateMachineArn, name);
        const existing = await describe(executionArn);
        if (!sameJson(existing.input, inputText)) {
          throw new ServiceRequestRejectedError(
            `${op('StartExecution')} failed with ExecutionAlreadyExists: execution ${name} exists with a different input`,
            { cause: error },
          );
        }
        return {
          executionArn: existing.executionArn ?? executionArn,
          startDate: iso(existing.startDate) ?? '',
          alreadyExisted: true,
        };
      }
      if (!output.executionArn || !output.startDate) {
        throw new ServiceUnavailableError(`${op('StartExecution')} returned no executionArn or startDate`);
      }
      return {
        executionArn: output.executionArn,
        startDate: output.startDate.toISOString(),
        alreadyExisted: false,
      };
    },

    async describeExecution(executionArn) {
      const output = await describe(executionArn);
      return {
        executionArn: output.executionArn ?? executionArn,
        stateMachineArn: output.stateMachineArn ?? '',
        ...(output.name === undefined ? {} : { name: output.name }),
        status: output.status as ExecutionStatus,
        startDate: iso(output.startDate) ?? '',
        ...(output.stopDate === undefined ? {} : { stopDate: output.stopDate.toISOString() }),
        ...(output.input === undefined ? {} : { input: output.input }),
        ...(output.output === undefined ? {} : { output: output.output }),
        ...(output.error === undefined ? {} : { error: output.error }),
        ...(output.cause === undefined ? {} : { cause: output.cause }),
      };
    },

    async findExecution(executionArn) {
      try {
        return await this.describeExecution(executionArn);
      } catch (error) {
        const code = awsErrorInfo((error as { cause?: unknown }).cause ?? error)?.code;
        if (code === 'ExecutionDoesNotExist') return undefined;
        throw error;
      }
    },

    async listExecutions(stateMachineArn, options) {
      const items: ExecutionListItem[] = [];
      let nextToken: string | undefined;
      do {
        const page = await withAwsErrors(op('ListExecutions'), () =>
          client.send(
            new ListExecutionsCommand({
              stateMachineArn,
              maxResults: Math.min(listPageSize, options.maxResults - items.length),
              ...(nextToken === undefined ? {} : { nextToken }),
            }),
          ),
        );
        for (const execution of page.executions ?? []) {
          if (items.length >= options.maxResults) break;
          items.push({
            executionArn: execution.executionArn ?? '',
            name: execution.name ?? '',
            status: execution.status as ExecutionStatus,
            startDate: iso(execution.startDate) ?? '',
            ...(execution.stopDate === undefined ? {} : { stopDate: execution.stopDate.toISOString() }),
          });
        }
        nextToken = page.nextToken;
      } while (nextToken && items.length < options.maxResults);
      return items;
    },

    /** Follows nextToken page by page, stopping at `maxEvents` so a huge history cannot exhaust memory. */
    async getExecutionHistory(executionArn, options = {}) {
      const maxEvents = Math.min(options.maxEvents ?? defaultHistoryMaxEvents, historyEventLimit);
      if (!(Number.isInteger(maxEvents) && maxEvents >= 1)) {
        throw new RangeError(
          `getExecutionHistory: maxEvents must be an integer >= 1, got ${options.maxEvents}`,
        );
      }
      const events: WorkflowHistoryEvent[] = [];
      let nextToken: string | undefined;
      do {
        const page = await withAwsErrors(op('GetExecutionHistory'), () =>
          client.send(
            new GetExecutionHistoryCommand({
              executionArn,
              maxResults: Math.min(historyPageSize, maxEvents - events.length),
              ...(options.reverseOrder === undefined ? {} : { reverseOrder: options.reverseOrder }),
              ...(options.includeExecutionData === undefined
                ? {}
                : { includeExecutionData: options.includeExecutionData }),
              ...(nextToken === undefined ? {} : { nextToken }),
            }),
          ),
        );
        for (const event of page.events ?? []) {
          if (events.length >= maxEvents) break;
          events.push(toHistoryEvent(event));
        }
        nextToken = page.nextToken;
      } while (nextToken && events.length < maxEvents);
      return { events, truncated: Boolean(nextToken) };
    },

    async stopExecution(executionArn, options = {}) {
      const output = await withAwsErrors(op('StopExecution'), () =>
        client.send(
          new StopExecutionCommand({
            executionArn,
            ...(options.error === undefined ? {} : { error: options.error }),
            ...(options.cause === undefined ? {} : { cause: options.cause }),
          }),
        ),
      );
      return { stopDate: iso(output.stopDate) ?? new Date().toISOString() };
    },

    async sendTaskSuccess(taskToken, output) {
      await withAwsErrors(op('SendTaskSuccess'), () =>
        client.send(new SendTaskSuccessCommand({ taskToken, output: toJsonText(output) })),
      );
    },

    async sendTaskFailure(taskToken, failure = {}) {
      await withAwsErrors(op('SendTaskFailure'), () =>
        client.send(
          new SendTaskFailureCommand({
            taskToken,
            ...(failure.error === undefined ? {} : { error: failure.error }),
            ...(failure.cause === undefined ? {} : { cause: failure.cause }),
          }),
        ),
      );
    },
  };
}

function toHistoryEvent(event: HistoryEvent): WorkflowHistoryEvent {
  const detailsKey = Object.keys(event).find((key) => key.endsWith('EventDetails'));
  const details =
    detailsKey === undefined ? undefined : (event as unknown as Record<string, unknown>)[detailsKey];
  return {
    id: event.id ?? 0,
    ...(event.previousEventId === undefined ? {} : { previousEventId: event.previousEventId }),
    type: event.type ?? 'Unknown',
    timestamp: iso(event.timestamp) ?? '',
    ...(details === undefined ? {} : { details: details as Record<string, unknown> }),
  };
}
