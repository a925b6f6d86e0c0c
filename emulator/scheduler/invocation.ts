/**
 * Invoking a schedule's templated target ("Managing targets in EventBridge Scheduler", "Adding context
 * attributes", "Configuring a dead-letter queue"): a Step Functions state machine ARN is StartExecution with the
 * target's Input, a Lambda function ARN an invocation with it as the payload. The context attributes in Input
 * are replaced per attempt.
 *
 * Retries follow the target's RetryPolicy: a retryable failure (throttling, 5xx) is tried again with
 * exponential backoff in emulated time (1 s, doubling, at most 5 min — AWS documents no figures) until
 * MaximumRetryAttempts retries are spent or MaximumEventAgeInSeconds has passed since the slot; any other
 * failure (no such state machine or function, invalid input, an unsupported target) is not retried. What cannot
 * be delivered goes to the DeadLetterConfig queue — recorded in `deadLetters()`, since the emulator has no SQS —
 * or is dropped without one. Lambda is invoked and its outcome awaited; a function error is the function's
 * business (Scheduler invokes asynchronously) and counts as delivered.
 */
import { randomBytes } from 'node:crypto';
import type { EmulatorClock, LambdaInvoker } from '../contracts.js';
import { type EmulatedTimer, timerAt } from '../emulated-timer.js';
import type { ScheduleRecord } from './model.js';

export interface SchedulerTargets {
  /** StartExecution; rejects with the service's error (its `code` or `name` is the error code). */
  startExecution(stateMachineArn: string, input: string): Promise<{ executionArn: string }>;
  invokeLambda: LambdaInvoker;
}

export interface SchedulerError {
  code: string;
  message: string;
}

export interface SchedulerAttempt {
  attempt: number;
  /** Emulated time of the attempt (ISO 8601). */
  at: string;
  ok: boolean;
  error?: SchedulerError;
}

export type SchedulerFiringResult =
  | {
      ok: true;
      /** Step Functions targets: the execution started. */
      executionArn?: string;
      /** Lambda targets: what the function returned, or the error it raised. */
      functionResult?: unknown;
      functionError?: { errorType: string; errorMessage: string };
    }
  | { ok: false; error: SchedulerError; deadLettered: boolean };

/** One invocation of a schedule's target for one slot (all its attempts). */
export interface SchedulerFiring {
  scheduleArn: string;
  groupName: string;
  name: string;
  /** The slot, as `<aws.scheduler.scheduled-time>` renders it: `2026-12-06T03:00:00Z`. */
  scheduledTime: string;
  /** `<aws.scheduler.execution-id>`: one per invocation, the same on every attempt. */
  executionId: string;
  targetArn: string;
  /** The Input of the last attempt, context attributes substituted. */
  input: string;
  attempts: SchedulerAttempt[];
  result: SchedulerFiringResult;
}

/** What SQS would have received on the DeadLetterConfig queue. */
export interface SchedulerDeadLetter {
  deadLetterArn: string;
  scheduleArn: string;
  scheduledTime: string;
  executionId: string;
  targetArn: string;
  input: string;
  attempts: number;
  error: SchedulerError;
}

const RETRYABLE = new Set([
  'ThrottlingException',
  'TooManyRequestsException',
  'Throttling',
  'InternalFailure',
  'InternalServerException',
  'InternalError',
  'ServiceException',
  'ServiceUnavailable',
  'SlowDown',
]);
const MAX_BACKOFF_SECONDS = 300;

/** `2026-12-06T03:00:00Z`: ISO 8601 UTC to the second, as the scheduled-time attribute reads. */
export const scheduledTimeText = (slotMs: number) => `${new Date(slotMs).toISOString().slice(0, 19)}Z`;

/** The example in the guide reads `d32c5kddcf5bb8c3`: 16 lowercase letters and digits. */
const newExecutionId = () =>
  randomBytes(12).toString('base64url').toLowerCase().replace(/[-_]/g, '0').slice(0, 16);

export function renderInput(
  template: string,
  attributes: { scheduleArn: string; scheduledTime: string; executionId: string; attempt: number },
): string {
  return template
    .replaceAll('<aws.scheduler.schedule-arn>', attributes.scheduleArn)
    .replaceAll('<aws.scheduler.scheduled-time>', attributes.scheduledTime)
    .replaceAll('<aws.scheduler.execution-id>', attributes.executionId)
    .replaceAll('<aws.scheduler.attempt-number>', String(attributes.attempt));
}

function errorOf(error: unknown): SchedulerError & { retryable: boolean } {
  const err = error as { code?: unknown; name?: unknown; message?: unknown; httpStatus?: unknown };
  const code =
    typeof err?.code === 'string' ? err.code : typeof err?.name === 'string' ? err.name : 'InternalError';
  const status = typeof err?.httpStatus === 'number' ? err.httpStatus : undefined;
  return {
    code,
    message: typeof err?.message === 'string' ? err.message : String(error),
    retryable: RETRYABLE.has(code) || (status !== undefined && (status >= 500 || status === 429)),
  };
}

const isFunctionError = (error: unknown): error is { errorType: string; errorMessage: string } =>
  typeof error === 'object' &&
  error !== null &&
  typeof (error as { errorType?: unknown }).errorType === 'string';

function targetKind(arn: string): 'states' | 'lambda' | 'other' {
  if (/^arn:aws[\w-]*:states:[^:]*:[^:]*:stateMachine:[^:]+$/.test(arn)) return 'states';
  if (/^arn:aws[\w-]*:lambda:[^:]*:[^:]*:function:/.test(arn)) return 'lambda';
  return 'other';
}

export class TargetInvoker {
  readonly firings: SchedulerFiring[] = [];
  readonly deadLetters: SchedulerDeadLetter[] = [];
  private readonly pending = new Set<Promise<unknown>>();
  private readonly sleeps = new Set<{ timer: EmulatedTimer; wake: () => void }>();
  private closed = false;

  constructor(
    private readonly targets: SchedulerTargets,
    private readonly clock: EmulatorClock,
  ) {}

  /** Invokes the schedule's target for `slotMs` with retries; the returned promise is also tracked for drain(). */
  invoke(schedule: ScheduleRecord, slotMs: number): Promise<SchedulerFiring> {
    const run = this.run(schedule, slotMs).finally(() => this.pending.delete(run));
    this.pending.add(run);
    return run;
  }

  /** Resolves once every invocation started so far, with its retries, has finished. */
  async drain(): Promise<void> {
    while (this.pending.size > 0) await Promise.allSettled([...this.pending]);
  }

  /** Ends pending retry waits: their invocations stop retrying and record their last failure. */
  close(): void {
    this.closed = true;
    for (const sleep of this.sleeps) {
      sleep.timer.cancel();
      sleep.wake();
    }
    this.sleeps.clear();
  }

  private async run(schedule: ScheduleRecord, slotMs: number): Promise<SchedulerFiring> {
    const { Target: target } = schedule;
    const scheduledTime = scheduledTimeText(slotMs);
    const executionId = newExecutionId();
    const attempts: SchedulerAttempt[] = [];
    const maxAttempts = target.RetryPolicy.MaximumRetryAttempts + 1;
    const deadlineMs = slotMs + target.RetryPolicy.MaximumEventAgeInSeconds * 1000;
    let input = '';
    let result: SchedulerFiringResult | undefined;
    for (let attempt = 1; attempt <= maxAttempts && !result; attempt++) {
      input = renderInput(target.Input ?? '{}', {
        scheduleArn: schedule.Arn,
        scheduledTime,
        executionId,
        attempt,
      });
      const at = this.clock.now().toISOString();
      try {
        result = await this.call(target.Arn, input);
        attempts.push({ attempt, at, ok: true });
      } catch (thrown) {
        const { retryable, ...error } = errorOf(thrown);
        attempts.push({ attempt, at, ok: false, error });
        const backoff = Math.min(2 ** (attempt - 1), MAX_BACKOFF_SECONDS);
        const retryAt = this.clock.now().getTime() + backoff * 1000;
        const failed = { scheduledTime, executionId, input, attempts: attempt, error };
        if (!retryable || attempt === maxAttempts || retryAt > deadlineMs || this.closed) {
          result = this.undeliverable(schedule, failed);
        } else {
          await this.sleepUntil(retryAt);
          // Closed while waiting: the retry will not happen.
          if (this.closed) result = this.undeliverable(schedule, failed);
        }
      }
    }
    const firing: SchedulerFiring = {
      scheduleArn: schedule.Arn,
      groupName: schedule.GroupName,
      name: schedule.Name,
      scheduledTime,
      executionId,
      targetArn: target.Arn,
      input,
      attempts,
      result: result!,
    };
    this.firings.push(firing);
    return firing;
  }

  private async call(arn: string, input: string): Promise<SchedulerFiringResult> {
    const kind = targetKind(arn);
    if (kind === 'states') {
      const { executionArn } = await this.targets.startExecution(arn, input);
      return { ok: true, executionArn };
    }
    if (kind === 'lambda') {
      let payload: unknown = input;
      try {
        payload = JSON.parse(input);
      } catch {
        // a plain-text Input reaches the function as a string
      }
      try {
        return { ok: true, functionResult: await this.targets.invokeLambda.invoke(arn, payload) };
      } catch (error) {
        if (!isFunctionError(error)) throw error;
        return { ok: true, functionError: { errorType: error.errorType, errorMessage: error.errorMessage } };
      }
    }
    throw Object.assign(new Error(`The target ${arn} is not a templated target the emulator invokes`), {
      code: 'UnsupportedTarget',
    });
  }

  private undeliverable(
    schedule: ScheduleRecord,
    failed: {
      scheduledTime: string;
      executionId: string;
      input: string;
      attempts: number;
      error: SchedulerError;
    },
  ): SchedulerFiringResult {
    const deadLetterArn = schedule.Target.DeadLetterConfig?.Arn;
    if (deadLetterArn) {
      this.deadLetters.push({
        deadLetterArn,
        scheduleArn: schedule.Arn,
        targetArn: schedule.Target.Arn,
        ...failed,
      });
    }
    return { ok: false, error: failed.error, deadLettered: deadLetterArn !== undefined };
  }

  private sleepUntil(atMs: number): Promise<void> {
    return new Promise((resolve) => {
      const entry = {
        timer: timerAt(this.clock, new Date(atMs), () => {
          this.sleeps.delete(entry);
          resolve();
        }),
        wake: resolve,
      };
      this.sleeps.add(entry);
    });
  }
}
