/**
 * Executions started by other executions (`arn:aws:states:::states:startExecution[.sync|.sync:2]` tasks):
 * StartExecution with the parent recorded on the child, a wait for a child to close, and StopExecution for a
 * parent that stops managing its child. The task handler (start-execution-task.ts) sees only this interface.
 */
import { executionArn } from './arns.js';
import { SfnServiceError } from './errors.js';
import { findExecution, startExecution } from './execution-operations.js';
import type { ServiceContext } from './service-context.js';
import { findStateMachine } from './state-machine-operations.js';
import type { ExecutionRecord } from './store.js';

export interface ChildStart {
  stateMachineArn: string;
  /** Undefined: a UUID, as StartExecution names it. */
  name: string | undefined;
  /** JSON text. */
  input: string;
  parent: { executionArn: string; redriveCount: number };
}

export interface ChildExecutions {
  /**
   * StartExecution for a task (throws SfnServiceError as the API would). One emulator-only rule: a parent the
   * emulator restarted from the beginning (runner.ts) adopts the child its earlier run started under the same
   * name and input, even closed, instead of failing with ExecutionAlreadyExists — on AWS the parent would
   * never have left its wait.
   */
  start(request: ChildStart): { record: ExecutionRecord; adopted: boolean };
  /** Resolves with the child once it has closed, or with undefined as soon as `signal` aborts. */
  whenClosed(executionArn: string, signal: AbortSignal): Promise<ExecutionRecord | undefined>;
  /** StopExecution without waiting for the run to end; nothing when the child has already closed. */
  stop(executionArn: string, error: string | undefined, cause: string | undefined): void;
}

/** Who waits for which execution to close; the runner reports every close (runner.ts `onClosed`). */
export type CloseWatchers = Map<string, Set<(record: ExecutionRecord) => void>>;

const sameJson = (a: string, b: string) => JSON.stringify(JSON.parse(a)) === JSON.stringify(JSON.parse(b));

export function createChildExecutions(ctx: ServiceContext, watchers: CloseWatchers): ChildExecutions {
  const adopt = (request: ChildStart): ExecutionRecord | undefined => {
    if (request.name === undefined) return undefined;
    const machine = findStateMachine(ctx, request.stateMachineArn);
    const existing = ctx.store.executions.get(executionArn(ctx, machine.name, request.name));
    const startedBy = existing?.startedBy;
    if (
      !existing ||
      startedBy?.executionArn !== request.parent.executionArn ||
      startedBy.redriveCount >= request.parent.redriveCount ||
      !sameJson(existing.input, request.input)
    ) {
      return undefined;
    }
    // Adopted once per parent run: a second task of the same run naming it gets ExecutionAlreadyExists.
    const adopted = { ...existing, startedBy: { ...request.parent } };
    ctx.store.putExecution(adopted);
    return adopted;
  };

  return {
    start(request) {
      try {
        const { record } = startExecution(ctx, {
          stateMachineArn: request.stateMachineArn,
          name: request.name,
          input: request.input,
          startedBy: { ...request.parent },
        });
        return { record, adopted: false };
      } catch (error) {
        if (!(error instanceof SfnServiceError) || error.code !== 'ExecutionAlreadyExists') throw error;
        const adopted = adopt(request);
        if (!adopted) throw error;
        return { record: adopted, adopted: true };
      }
    },

    whenClosed(arn, signal) {
      const current = findExecution(ctx, arn);
      if (current.status !== 'RUNNING') return Promise.resolve(current);
      if (signal.aborted) return Promise.resolve(undefined);
      return new Promise((resolve) => {
        const onClose = (record: ExecutionRecord) => {
          forget();
          resolve(record);
        };
        const onAbort = () => {
          forget();
          resolve(undefined);
        };
        const forget = () => {
          signal.removeEventListener('abort', onAbort);
          const set = watchers.get(arn);
          set?.delete(onClose);
          if (set?.size === 0) watchers.delete(arn);
        };
        let set = watchers.get(arn);
        if (!set) {
          set = new Set();
          watchers.set(arn, set);
        }
        set.add(onClose);
        signal.addEventListener('abort', onAbort, { once: true });
      });
    },

    stop(arn, error, cause) {
      const record = ctx.store.executions.get(arn);
      if (record?.status !== 'RUNNING') return;
      ctx.runs.get(arn)?.stop(error, cause);
    },
  };
}
