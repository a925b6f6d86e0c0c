import type { Storage } from '../contracts.js';

export const STATE_MACHINES_NS = 'sfn/state-machines';
export const EXECUTIONS_NS = 'sfn/executions';
/** Histories live apart from execution metadata so listing executions never reads them. */
export const HISTORY_NS = 'sfn/execution-history';
/** Where each RUNNING execution was, so a restarted process resumes it there (runner.ts). */
export const CHECKPOINTS_NS = 'sfn/execution-checkpoints';

export type ExecutionStatus = 'RUNNING' | 'SUCCEEDED' | 'FAILED' | 'TIMED_OUT' | 'ABORTED';

export interface StateMachineRecord {
  stateMachineArn: string;
  name: string;
  /** The definition text exactly as given (DescribeStateMachine returns it unchanged). */
  definition: string;
  roleArn: string;
  type: 'STANDARD' | 'EXPRESS';
  /** Epoch milliseconds (emulated time). */
  creationDate: number;
  updateDate?: number;
  revisionId: string;
  tags: { key: string; value: string }[];
  loggingConfiguration?: unknown;
  tracingConfiguration?: unknown;
}

export interface ExecutionRecord {
  executionArn: string;
  stateMachineArn: string;
  stateMachineName: string;
  name: string;
  status: ExecutionStatus;
  /** JSON text, as StartExecution took it. */
  input: string;
  output?: string;
  error?: string;
  cause?: string;
  /** Epoch milliseconds (emulated time). */
  startDate: number;
  stopDate?: number;
  /** The state machine as it was when the execution started (DescribeStateMachineForExecution). */
  definition: string;
  roleArn: string;
  revisionId: string;
  stateMachineUpdateDate?: number;
  /** Times the emulator restarted this execution from the beginning after a process restart. */
  redriveCount: number;
  redriveDate?: number;
  /**
   * The execution whose `states:startExecution` task started this one, and that parent's redriveCount at the
   * time: a parent the emulator restarts from the beginning adopts the children its earlier run started
   * (child-executions.ts) instead of failing on their names.
   */
  startedBy?: { executionArn: string; redriveCount: number };
}

/**
 * The top-level state a RUNNING execution last entered and that state's input (JSON text). Written on every
 * top-level state entry, apart from the (large) execution record and the (lazily flushed) history, so a
 * `kill -9` loses at most the state the execution was in, which then runs again.
 */
export interface ExecutionCheckpoint {
  executionArn: string;
  state: string;
  input: string;
}

/** One history event as the API returns it, except `timestamp` is kept in epoch milliseconds. */
export interface HistoryEvent {
  id: number;
  previousEventId: number;
  timestamp: number;
  type: string;
  [detailsKey: string]: unknown;
}

const executionDocId = (record: Pick<ExecutionRecord, 'stateMachineName' | 'name'>): string =>
  // `~` cannot occur in either name (see arns.ts), so the id is unambiguous.
  `${record.stateMachineName}~${record.name}`;

export interface SfnStore {
  machines: Map<string, StateMachineRecord>;
  executions: Map<string, ExecutionRecord>;
  putMachine(record: StateMachineRecord): void;
  deleteMachine(name: string): void;
  putExecution(record: ExecutionRecord): void;
  /** Forgets an execution and its history (a closed one whose name may be reused after 90 days). */
  deleteExecution(record: ExecutionRecord): void;
  history(executionArn: string): HistoryEvent[];
  appendEvent(executionArn: string, event: HistoryEvent): void;
  checkpoint(record: ExecutionRecord): ExecutionCheckpoint | undefined;
  putCheckpoint(record: ExecutionRecord, checkpoint: ExecutionCheckpoint): void;
  /** Writes every history changed since the last flush. */
  flush(): void;
  close(): void;
}

/**
 * Write-through cache over Storage: everything is read once at start, then served from memory.
 * Histories are written at most every `historyFlushMs` (real time) and on every status change, because
 * a polling workflow appends thousands of events and rewriting the document per event is quadratic.
 */
export function createSfnStore(storage: Storage, historyFlushMs = 250): SfnStore {
  const machines = new Map<string, StateMachineRecord>();
  const executions = new Map<string, ExecutionRecord>();
  const histories = new Map<string, HistoryEvent[]>();
  const dirty = new Set<string>();
  let timer: NodeJS.Timeout | undefined;

  for (const record of storage.listDocs<StateMachineRecord>(STATE_MACHINES_NS))
    machines.set(record.name, record);
  for (const record of storage.listDocs<ExecutionRecord>(EXECUTIONS_NS))
    executions.set(record.executionArn, record);

  const flush = (): void => {
    if (timer) clearTimeout(timer);
    timer = undefined;
    for (const arn of dirty) {
      const record = executions.get(arn);
      const events = histories.get(arn);
      if (record && events) storage.putDoc(HISTORY_NS, executionDocId(record), { executionArn: arn, events });
    }
    dirty.clear();
  };

  const history = (executionArn: string): HistoryEvent[] => {
    let events = histories.get(executionArn);
    if (!events) {
      const record = executions.get(executionArn);
      const stored = record
        ? storage.getDoc<{ events: HistoryEvent[] }>(HISTORY_NS, executionDocId(record))
        : undefined;
      events = stored?.events ?? [];
      histories.set(executionArn, events);
    }
    return events;
  };

  return {
    machines,
    executions,
    putMachine(record) {
      machines.set(record.name, record);
      storage.putDoc(STATE_MACHINES_NS, record.name, record);
    },
    deleteMachine(name) {
      machines.delete(name);
      storage.deleteDoc(STATE_MACHINES_NS, name);
    },
    putExecution(record) {
      executions.set(record.executionArn, record);
      storage.putDoc(EXECUTIONS_NS, executionDocId(record), record);
      // A closed execution resumes nowhere; its checkpoint would only be read by mistake.
      if (record.status !== 'RUNNING') storage.deleteDoc(CHECKPOINTS_NS, executionDocId(record));
      if (dirty.has(record.executionArn)) flush();
    },
    deleteExecution(record) {
      executions.delete(record.executionArn);
      histories.delete(record.executionArn);
      dirty.delete(record.executionArn);
      storage.deleteDoc(EXECUTIONS_NS, executionDocId(record));
      storage.deleteDoc(HISTORY_NS, executionDocId(record));
      storage.deleteDoc(CHECKPOINTS_NS, executionDocId(record));
    },
    checkpoint: (record) => storage.getDoc<ExecutionCheckpoint>(CHECKPOINTS_NS, executionDocId(record)),
    putCheckpoint(record, checkpoint) {
      storage.putDoc(CHECKPOINTS_NS, executionDocId(record), checkpoint);
    },
    history,
    appendEvent(executionArn, event) {
      history(executionArn).push(event);
      dirty.add(executionArn);
      if (!timer) {
        timer = setTimeout(flush, historyFlushMs);
        timer.unref();
      }
    },
    flush,
    close: flush,
  };
}
