import { randomUUID } from 'node:crypto';
import { assertValidName, executionArn, parseExecutionArn } from './arns.js';
import { executionDoesNotExist, SfnServiceError } from './errors.js';
import { renderEvent } from './history.js';
import { epochSeconds, paginate } from './paging.js';
import { runExecution } from './runner.js';
import {
  type Body,
  compact,
  type Operation,
  optionalString,
  requireString,
  type ServiceContext,
} from './service-context.js';
import { findStateMachine } from './state-machine-operations.js';
import type { ExecutionRecord } from './store.js';

/** Execution names are unique per state machine for 90 days (Step Functions quotas). */
const NAME_RETENTION_MS = 90 * 24 * 3600 * 1000;
/** Step Functions' payload limit: 256 KB of UTF-8. */
const MAX_PAYLOAD_BYTES = 262_144;

const normalizeJson = (text: string): string => JSON.stringify(JSON.parse(text));

export function findExecution(ctx: ServiceContext, arn: string): ExecutionRecord {
  const parsed = parseExecutionArn(arn);
  const record = ctx.store.executions.get(arn);
  if (!record || parsed.region !== ctx.region || parsed.accountId !== ctx.accountId)
    throw executionDoesNotExist(arn);
  return record;
}

/** DescribeExecution's output (dates in epoch seconds, as the JSON protocol sends them). */
export function describeExecution(record: ExecutionRecord): Body {
  return compact({
    executionArn: record.executionArn,
    stateMachineArn: record.stateMachineArn,
    name: record.name,
    status: record.status,
    startDate: epochSeconds(record.startDate),
    stopDate: epochSeconds(record.stopDate),
    input: record.input,
    inputDetails: { included: true },
    output: record.output,
    outputDetails: record.output === undefined ? undefined : { included: true },
    error: record.error,
    cause: record.cause,
    redriveCount: record.redriveCount,
    redriveDate: epochSeconds(record.redriveDate),
  });
}

function parseJsonText(text: string, code: string, what: string): void {
  try {
    JSON.parse(text);
  } catch (error) {
    throw new SfnServiceError(code, `Invalid ${what}: '${(error as Error).message}'`);
  }
  if (Buffer.byteLength(text, 'utf8') > MAX_PAYLOAD_BYTES) {
    throw new SfnServiceError(
      'ValidationException',
      `1 validation error detected: Value at '${what.toLowerCase()}' failed to satisfy constraint: Member must have length less than or equal to ${MAX_PAYLOAD_BYTES}`,
    );
  }
}

/** Starts (or, after a process restart, restarts) the run of a stored execution and tracks it. */
export function launch(ctx: ServiceContext, record: ExecutionRecord, mode: 'start' | 'restart'): void {
  const run = runExecution(ctx, record, mode);
  ctx.runs.set(record.executionArn, run);
  run.done
    .catch((error: unknown) => {
      // Only storage can fail here; the execution stays RUNNING in storage and restarts next time.
      console.error(`[stepfunctions] execution ${record.executionArn} could not be finalized:`, error);
    })
    .finally(() => {
      if (ctx.runs.get(record.executionArn) === run) ctx.runs.delete(record.executionArn);
    });
}

export interface StartRequest {
  stateMachineArn: string;
  /** Optional; a UUID when absent, as StartExecution names it. */
  name: string | undefined;
  /** JSON text. */
  input: string;
  /** The parent execution of a child started by a `states:startExecution` task (kept on the record). */
  startedBy?: ExecutionRecord['startedBy'];
}

/**
 * StartExecution. Names dedupe starts as AWS documents for standard workflows: the same name and input
 * while the execution is RUNNING returns it (`existing: true`); a different input, or the same name after it
 * closed (within 90 days), is ExecutionAlreadyExists.
 */
export function startExecution(
  ctx: ServiceContext,
  request: StartRequest,
): { record: ExecutionRecord; existing: boolean } {
  const { store, clock } = ctx;
  const machine = findStateMachine(ctx, request.stateMachineArn);
  const name = request.name ?? randomUUID();
  assertValidName(name);
  const input = request.input;
  parseJsonText(input, 'InvalidExecutionInput', 'Input');
  const arn = executionArn(ctx, machine.name, name);
  const existing = store.executions.get(arn);
  if (existing) {
    const expired =
      existing.stopDate !== undefined && clock.now().getTime() - existing.stopDate > NAME_RETENTION_MS;
    if (existing.status === 'RUNNING' && normalizeJson(existing.input) === normalizeJson(input)) {
      return { record: existing, existing: true };
    }
    if (!expired) throw new SfnServiceError('ExecutionAlreadyExists', `Execution Already Exists: '${arn}'`);
    store.deleteExecution(existing);
  }
  const record: ExecutionRecord = {
    executionArn: arn,
    stateMachineArn: machine.stateMachineArn,
    stateMachineName: machine.name,
    name,
    status: 'RUNNING',
    input,
    startDate: clock.now().getTime(),
    definition: machine.definition,
    roleArn: machine.roleArn,
    revisionId: machine.revisionId,
    stateMachineUpdateDate: machine.updateDate ?? machine.creationDate,
    redriveCount: 0,
    ...(request.startedBy ? { startedBy: request.startedBy } : {}),
  };
  store.putExecution(record);
  launch(ctx, record, 'start');
  return { record, existing: false };
}

export function executionOperations(ctx: ServiceContext): Record<string, Operation> {
  const { store, clock, tokens } = ctx;

  const StartExecution: Operation = (body) => {
    const { record } = startExecution(ctx, {
      stateMachineArn: requireString(body, 'stateMachineArn'),
      name: optionalString(body, 'name'),
      input: optionalString(body, 'input') ?? '{}',
    });
    return { executionArn: record.executionArn, startDate: epochSeconds(record.startDate) };
  };

  const DescribeExecution: Operation = (body) =>
    describeExecution(findExecution(ctx, requireString(body, 'executionArn')));

  /** Newest first, as the API lists them. */
  const ListExecutions: Operation = (body) => {
    const machine = findStateMachine(ctx, requireString(body, 'stateMachineArn'));
    const statusFilter = optionalString(body, 'statusFilter');
    const executions = [...store.executions.values()]
      .filter((record) => record.stateMachineArn === machine.stateMachineArn)
      .filter((record) => statusFilter === undefined || record.status === statusFilter)
      .sort((a, b) => b.startDate - a.startDate || b.name.localeCompare(a.name));
    const scope = `${machine.stateMachineArn}|${statusFilter ?? ''}`;
    const { page, nextToken } = paginate(executions, body.maxResults, body.nextToken, scope);
    return compact({
      executions: page.map((record) =>
        compact({
          executionArn: record.executionArn,
          stateMachineArn: record.stateMachineArn,
          name: record.name,
          status: record.status,
          startDate: epochSeconds(record.startDate),
          stopDate: epochSeconds(record.stopDate),
          redriveCount: record.redriveCount,
        }),
      ),
      nextToken,
    });
  };

  const StopExecution: Operation = async (body) => {
    const record = findExecution(ctx, requireString(body, 'executionArn'));
    const run = ctx.runs.get(record.executionArn);
    if (record.status === 'RUNNING' && run) {
      run.stop(optionalString(body, 'error'), optionalString(body, 'cause'));
      await run.done;
    }
    const stopped = store.executions.get(record.executionArn) ?? record;
    return { stopDate: epochSeconds(stopped.stopDate ?? clock.now().getTime()) };
  };

  const GetExecutionHistory: Operation = (body) => {
    const record = findExecution(ctx, requireString(body, 'executionArn'));
    const reverse = body.reverseOrder === true;
    const includeData = body.includeExecutionData !== false;
    const events = store.history(record.executionArn);
    const ordered = reverse ? [...events].reverse() : events;
    const { page, nextToken } = paginate(
      ordered,
      body.maxResults,
      body.nextToken,
      `${record.executionArn}|${reverse}`,
    );
    return compact({ events: page.map((event) => renderEvent(event, includeData)), nextToken });
  };

  const DescribeStateMachineForExecution: Operation = (body) => {
    const record = findExecution(ctx, requireString(body, 'executionArn'));
    return {
      stateMachineArn: record.stateMachineArn,
      name: record.stateMachineName,
      definition: record.definition,
      roleArn: record.roleArn,
      updateDate: epochSeconds(record.stateMachineUpdateDate ?? record.startDate),
      loggingConfiguration: { level: 'OFF', includeExecutionData: false },
      tracingConfiguration: { enabled: false },
      revisionId: record.revisionId,
    };
  };

  const SendTaskSuccess: Operation = (body) => {
    const token = requireString(body, 'taskToken');
    const output = requireString(body, 'output');
    parseJsonText(output, 'InvalidOutput', 'Output');
    tokens.succeed(token, JSON.parse(output));
    return {};
  };

  const SendTaskFailure: Operation = (body) => {
    tokens.fail(
      requireString(body, 'taskToken'),
      optionalString(body, 'error'),
      optionalString(body, 'cause'),
    );
    return {};
  };

  const SendTaskHeartbeat: Operation = (body) => {
    tokens.heartbeat(requireString(body, 'taskToken'));
    return {};
  };

  return {
    StartExecution,
    DescribeExecution,
    ListExecutions,
    StopExecution,
    GetExecutionHistory,
    DescribeStateMachineForExecution,
    SendTaskSuccess,
    SendTaskFailure,
    SendTaskHeartbeat,
  };
}
