/**
 * What a Task state's handler may use (task-resources.ts and the integrations it dispatches to): the services
 * it calls, the clock, the execution it runs in, and the attempt it records its history events on.
 */
import type { EmulatorClock, EventSink, LambdaInvoker } from '../contracts.js';
import type { ChildExecutions } from './child-executions.js';
import type { Json } from './definition.js';
import type { TaskTokens } from './task-tokens.js';

/**
 * One run of a Task state. The handler closes it with its last event (`end`); the runner closes it when the
 * interpreter itself times the state out or the execution ends. Once closed, nothing more is recorded for it,
 * so each attempt has exactly one Succeeded / Failed / TimedOut event.
 */
export interface TaskAttempt {
  /** Records a history event in order after the interpreter's own events; dropped once closed. */
  record(type: string, details?: Record<string, unknown>): Promise<void>;
  /** Records the attempt's last event (Succeeded, Failed or TimedOut) and closes it. */
  end(type: string, details?: Record<string, unknown>): Promise<void>;
  closed: boolean;
  /** `Lambda` for `arn:aws:lambda:…` resources, `Task` for service integrations (names the timeout event). */
  eventPrefix: 'Lambda' | 'Task';
  timeoutDetails: Record<string, unknown>;
  onClose?: () => void;
}

export interface TaskEnvironment {
  region: string;
  accountId: string;
  executionArn: string;
  /** Times the emulator restarted this execution (child-executions.ts adopts an earlier run's children). */
  redriveCount: number;
  clock: EmulatorClock;
  lambda: LambdaInvoker;
  events: EventSink | undefined;
  tokens: TaskTokens;
  children: ChildExecutions;
  /** Aborted when the execution ends (closes, or the process shuts down). */
  signal: AbortSignal;
  /**
   * Aborted when a run of `stateName` stops mattering: the execution ends, or a Map or Parallel state around
   * it fails (the interpreter then abandons its other iterations and branches).
   */
  stateSignal(stateName: string): AbortSignal;
  /** True once the process is shutting down: the execution stays RUNNING and restarts later. */
  shuttingDown(): boolean;
  beginAttempt(
    stateName: string,
    eventPrefix: 'Lambda' | 'Task',
    timeoutDetails: Record<string, unknown>,
  ): TaskAttempt;
}

/** A request-response service integration: the call's result is the task's result. */
export type Integration = (params: Record<string, unknown>) => Promise<Json>;

/** A `.sync` (Run a Job) integration once its job has been submitted. */
export interface SyncJob {
  /** The submitting call's response, recorded as TaskSubmitted. */
  submitted: Json;
  /** The task's result once the job ends; rejects with the task's failure. */
  result: Promise<Json>;
  /** The task stopped waiting (timed out): stop the job, as Step Functions stops what it manages. */
  cancel(): void;
}

export type SyncIntegration = (params: Record<string, unknown>, signal: AbortSignal) => Promise<SyncJob>;
