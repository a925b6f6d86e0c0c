import { randomUUID } from 'node:crypto';
import { SfnServiceError, TaskFailure } from './errors.js';

interface PendingTask {
  executionArn: string;
  resolve(output: unknown): void;
  reject(error: Error): void;
  heartbeat(): void;
  cancel(): void;
}

export interface OpenTask {
  token: string;
  /** Settles with SendTaskSuccess's output or rejects with a TaskFailure (SendTaskFailure, heartbeat timeout). */
  result: Promise<unknown>;
  /** Forget the token (task finished another way, execution stopped); later SendTask* get TaskTimedOut. */
  cancel(): void;
}

export interface TaskTokens {
  /** Registers a token before its target is called, so a target may answer before the call returns. */
  open(executionArn: string, stateName: string, heartbeatMs: number | undefined): OpenTask;
  succeed(token: string, output: unknown): void;
  fail(token: string, error: string | undefined, cause: string | undefined): void;
  heartbeat(token: string): void;
  cancelExecution(executionArn: string): void;
}

const encodeToken = (executionArn: string, stateName: string) =>
  Buffer.from(JSON.stringify({ e: executionArn, s: stateName, n: randomUUID() })).toString('base64url');

function decodeToken(token: string): { e: string } | undefined {
  try {
    const decoded = JSON.parse(Buffer.from(token, 'base64url').toString('utf8')) as { e?: unknown };
    return typeof decoded.e === 'string' ? { e: decoded.e } : undefined;
  } catch {
    return undefined;
  }
}

/** `executionExists` tells a token of a finished task (TaskTimedOut, as AWS answers) from a made-up one. */
export function createTaskTokens(executionExists: (executionArn: string) => boolean): TaskTokens {
  const pending = new Map<string, PendingTask>();

  const take = (token: string): PendingTask => {
    const task = pending.get(token);
    if (task) return task;
    const decoded = decodeToken(token);
    if (!decoded) throw new SfnServiceError('InvalidToken', `Invalid Token: '${token.slice(0, 64)}'`);
    if (!executionExists(decoded.e)) throw new SfnServiceError('TaskDoesNotExist', 'Task Does Not Exist');
    throw new SfnServiceError('TaskTimedOut', 'Task Timed Out: Provided task does not exist anymore');
  };

  return {
    open(executionArn, stateName, heartbeatMs) {
      const token = encodeToken(executionArn, stateName);
      const { promise, resolve, reject } = Promise.withResolvers<unknown>();
      let timer: NodeJS.Timeout | undefined;
      const arm = () => {
        if (heartbeatMs === undefined) return;
        if (timer) clearTimeout(timer);
        timer = setTimeout(() => {
          pending.delete(token);
          reject(new TaskFailure('States.HeartbeatTimeout', undefined));
        }, heartbeatMs);
      };
      const settle = () => {
        if (timer) clearTimeout(timer);
        pending.delete(token);
      };
      const task: PendingTask = {
        executionArn,
        resolve: (output) => {
          settle();
          resolve(output);
        },
        reject: (error) => {
          settle();
          reject(error);
        },
        heartbeat: arm,
        cancel: settle,
      };
      pending.set(token, task);
      arm();
      // A cancelled task's promise is never awaited again; keep it from surfacing as unhandled.
      promise.catch(() => undefined);
      return { token, result: promise, cancel: settle };
    },
    succeed(token, output) {
      take(token).resolve(output);
    },
    fail(token, error, cause) {
      take(token).reject(new TaskFailure(error, cause));
    },
    heartbeat(token) {
      take(token).heartbeat();
    },
    cancelExecution(executionArn) {
      for (const task of [...pending.values()]) if (task.executionArn === executionArn) task.cancel();
    },
  };
}
