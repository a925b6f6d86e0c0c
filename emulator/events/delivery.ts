/**
 * Delivery of accepted events to the targets of matching, enabled rules. Asynchronous and at least once, as on
 * AWS: PutEvents answers before any target runs; a failed Step Functions target is retried with backoff (in
 * emulated time) up to `maxAttempts`, and so is an SQS target (its message body is the target's input);
 * every attempt's outcome is recorded, never thrown at the publisher.
 * Lambda targets are invoked once (AWS invokes them asynchronously, so a function error is Lambda's to retry,
 * which the emulator does not do).
 */
import type { EmulatorClock, LambdaInvoker } from '../contracts.js';
import { type EventEnvelope, renderTargetInput } from './input-transformer.js';
import type { RuleRecord, TargetRecord } from './store.js';

export interface EventTargets {
  startExecution(stateMachineArn: string, input: string): Promise<void>;
  invokeLambda: LambdaInvoker;
  /** SQS targets: send `body` to the queue. Absent when SQS is not emulated (the target then fails). */
  sendSqsMessage?(queueArn: string, body: string): Promise<void>;
}

export interface DeliveryRecord {
  eventId: string;
  ruleArn: string;
  targetId: string;
  targetArn: string;
  attempt: number;
  ok: boolean;
  input: string;
  error?: { name: string; message: string };
  at: string;
}

export interface DeliveryOptions {
  maxAttempts: number;
  /** Emulated seconds before the first retry; doubles each time. */
  backoffSeconds: number;
}

export class Deliverer {
  readonly records: DeliveryRecord[] = [];
  private readonly pending = new Set<Promise<void>>();

  constructor(
    private readonly targets: EventTargets,
    private readonly clock: EmulatorClock,
    private readonly options: DeliveryOptions,
  ) {}

  deliver(event: EventEnvelope, rule: RuleRecord, ingestionTime: string): void {
    for (const target of rule.Targets) {
      const input = renderTargetInput(target, event, {
        ruleArn: rule.Arn,
        ruleName: rule.Name,
        ingestionTime,
      });
      const run = this.run(event, rule, target, input).finally(() => this.pending.delete(run));
      this.pending.add(run);
    }
  }

  /** Resolves once every delivery started so far (including retries) has finished. */
  async drain(): Promise<void> {
    while (this.pending.size > 0) await Promise.allSettled([...this.pending]);
  }

  private async run(
    event: EventEnvelope,
    rule: RuleRecord,
    target: TargetRecord,
    input: string,
  ): Promise<void> {
    // Let PutEvents answer first, as AWS does.
    await new Promise((resolve) => setImmediate(resolve));
    const kind = targetKind(target.Arn);
    const retried = kind === 'states' || kind === 'sqs';
    const maxAttempts = retried ? this.options.maxAttempts : 1;
    for (let attempt = 1; attempt <= maxAttempts; attempt++) {
      try {
        if (kind === 'states') await this.targets.startExecution(target.Arn, input);
        else if (kind === 'lambda') await this.targets.invokeLambda.invoke(target.Arn, parsePayload(input));
        else if (kind === 'sqs' && this.targets.sendSqsMessage)
          await this.targets.sendSqsMessage(target.Arn, input);
        else
          throw Object.assign(new Error(`Target type of ${target.Arn} is not emulated`), {
            name: 'UnsupportedTarget',
          });
        this.record(event, rule, target, attempt, input);
        return;
      } catch (error) {
        this.record(event, rule, target, attempt, input, error);
        if (!retried || attempt === maxAttempts) return;
        const delay = this.clock.realMs(this.options.backoffSeconds * 2 ** (attempt - 1));
        await new Promise((resolve) => setTimeout(resolve, delay));
      }
    }
  }

  private record(
    event: EventEnvelope,
    rule: RuleRecord,
    target: TargetRecord,
    attempt: number,
    input: string,
    error?: unknown,
  ): void {
    this.records.push({
      eventId: event.id,
      ruleArn: rule.Arn,
      targetId: target.Id,
      targetArn: target.Arn,
      attempt,
      ok: error === undefined,
      input,
      ...(error === undefined
        ? {}
        : {
            error: {
              name: error instanceof Error ? error.name : 'Error',
              message: error instanceof Error ? error.message : String(error),
            },
          }),
      at: this.clock.now().toISOString(),
    });
  }
}

function targetKind(arn: string): 'states' | 'lambda' | 'sqs' | 'other' {
  if (/^arn:aws[\w-]*:states:[^:]*:[^:]*:stateMachine:/.test(arn)) return 'states';
  if (/^arn:aws[\w-]*:lambda:[^:]*:[^:]*:function:/.test(arn)) return 'lambda';
  if (/^arn:aws[\w-]*:sqs:[^:]*:\d{12}:[^:]+$/.test(arn)) return 'sqs';
  return 'other';
}

/** Lambda receives JSON; a plain-text rendering (non-JSON template) arrives as a string. */
function parsePayload(input: string): unknown {
  try {
    return JSON.parse(input);
  } catch {
    return input;
  }
}
