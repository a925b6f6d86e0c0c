/**
 * Executions: state machines, their executions (one ListExecutions page at a time) and one execution's
 * detail: its definition as a graph with the states it entered, input/output and a page of its history.
 * Everything is read through the Step Functions JSON API, in-process.
 */
import type { ServiceHandler } from '../contracts.js';
import { buildStateGraph, type StateGraph } from './asl-graph.js';
import { sfnTarget, type WireExecution, type WireHistoryEvent } from './sfn-wire.js';
import { callJsonApi } from './wire-client.js';

/** The visited states come from the whole history, read in pages of 1,000 up to this many events. */
const MAX_HISTORY_SCANNED = 50_000;
/** Input, output and history details longer than this are cut: a page must stay light. */
const MAX_TEXT = 4_000;

const cut = (text: string | undefined) =>
  text === undefined || text.length <= MAX_TEXT ? text : `${text.slice(0, MAX_TEXT)}… (${text.length} chars)`;

export interface ExecutionRow {
  executionArn: string;
  name: string;
  status: string;
  startDate: string;
  stopDate?: string;
  /** Milliseconds, up to now (emulated) while it runs. */
  durationMs: number;
}

function executionRow(execution: WireExecution, nowMs: number): ExecutionRow {
  const started = execution.startDate * 1000;
  const stopped = execution.stopDate === undefined ? undefined : execution.stopDate * 1000;
  return {
    executionArn: execution.executionArn,
    name: execution.name,
    status: execution.status,
    startDate: new Date(started).toISOString(),
    ...(stopped === undefined ? {} : { stopDate: new Date(stopped).toISOString() }),
    durationMs: Math.max(0, (stopped ?? nowMs) - started),
  };
}

export function createExecutionsView(sfn: ServiceHandler, now: () => Date) {
  // A definition is laid out once, however often the page polls it.
  const graphs = new Map<string, StateGraph>();
  const graphOf = (definition: string) => {
    let graph = graphs.get(definition);
    if (!graph) {
      if (graphs.size >= 32) graphs.clear();
      graph = buildStateGraph(definition);
      graphs.set(definition, graph);
    }
    return graph;
  };

  /** Every state entered, how often, the transitions taken and the state entered last. */
  const walkHistory = async (executionArn: string) => {
    const visits: Record<string, number> = {};
    const transitions = new Set<string>();
    let previous: string | undefined;
    let nextToken: string | undefined;
    let scanned = 0;
    do {
      const page = await callJsonApi<{ events: WireHistoryEvent[]; nextToken?: string }>(
        sfn,
        sfnTarget('GetExecutionHistory'),
        { executionArn, maxResults: 1000, includeExecutionData: false, ...(nextToken ? { nextToken } : {}) },
      );
      for (const event of page.events) {
        if (!event.type.endsWith('StateEntered')) continue;
        const name = (event.stateEnteredEventDetails as { name?: string } | undefined)?.name;
        if (!name) continue;
        visits[name] = (visits[name] ?? 0) + 1;
        if (previous !== undefined) transitions.add(`${previous}→${name}`);
        previous = name;
      }
      scanned += page.events.length;
      nextToken = page.nextToken;
    } while (nextToken && scanned < MAX_HISTORY_SCANNED);
    return { visits, transitions: [...transitions], current: previous, truncated: nextToken !== undefined };
  };

  return {
    async stateMachines() {
      const answer = await callJsonApi<{ stateMachines: { stateMachineArn: string; name: string }[] }>(
        sfn,
        sfnTarget('ListStateMachines'),
        { maxResults: 1000 },
      );
      return answer.stateMachines.map(({ stateMachineArn, name }) => ({ stateMachineArn, name }));
    },

    async executions(stateMachineArn: string, limit: number, cursor: string | null, status: string | null) {
      const answer = await callJsonApi<{ executions: WireExecution[]; nextToken?: string }>(
        sfn,
        sfnTarget('ListExecutions'),
        {
          stateMachineArn,
          maxResults: limit,
          ...(cursor ? { nextToken: cursor } : {}),
          ...(status ? { statusFilter: status } : {}),
        },
      );
      const nowMs = now().getTime();
      return {
        items: answer.executions.map((execution) => executionRow(execution, nowMs)),
        ...(answer.nextToken ? { cursor: answer.nextToken } : {}),
      };
    },

    async execution(executionArn: string) {
      const described = await callJsonApi<WireExecution>(sfn, sfnTarget('DescribeExecution'), {
        executionArn,
      });
      const machine = await callJsonApi<{ definition: string; name: string }>(
        sfn,
        sfnTarget('DescribeStateMachineForExecution'),
        { executionArn },
      );
      const path = await walkHistory(executionArn);
      return {
        ...executionRow(described, now().getTime()),
        stateMachineArn: described.stateMachineArn,
        stateMachineName: machine.name,
        input: cut(described.input),
        output: cut(described.output),
        error: described.error,
        cause: cut(described.cause),
        redriveCount: described.redriveCount ?? 0,
        graph: graphOf(machine.definition),
        ...path,
      };
    },

    /** Newest first, as the AWS console shows it. */
    async history(executionArn: string, limit: number, cursor: string | null) {
      const answer = await callJsonApi<{ events: WireHistoryEvent[]; nextToken?: string }>(
        sfn,
        sfnTarget('GetExecutionHistory'),
        { executionArn, maxResults: limit, reverseOrder: true, ...(cursor ? { nextToken: cursor } : {}) },
      );
      return {
        items: answer.events.map(({ id, type, timestamp, previousEventId, ...rest }) => {
          const details = Object.values(rest)[0] as Record<string, unknown> | undefined;
          return {
            id,
            type,
            timestamp: new Date(timestamp * 1000).toISOString(),
            ...(details ? { details: cut(JSON.stringify(details)) } : {}),
          };
        }),
        ...(answer.nextToken ? { cursor: answer.nextToken } : {}),
      };
    },
  };
}

export type ExecutionsView = ReturnType<typeof createExecutionsView>;
