/**
 * EventBridge Scheduler on the emulator's own endpoint, driven by the real SchedulerClient, firing into the
 * emulator's Step Functions and Lambda, over one in-memory storage and one emulated clock.
 */
import { SchedulerClient } from '@aws-sdk/client-scheduler';
import type { EmulatorClock, Storage } from '../../../emulator/contracts.js';
import { createLambdaService, type LambdaService } from '../../../emulator/lambda/index.js';
import {
  createSchedulerService,
  type SchedulerService,
  type SchedulerTargets,
} from '../../../emulator/scheduler/index.js';
import {
  createStepFunctionsService,
  type StepFunctionsService,
} from '../../../emulator/stepfunctions/index.js';
import { ACCOUNT_ID, CREDENTIALS, createMemoryStorage, REGION, scaledClock, serveServices } from '../kit.js';

export { ACCOUNT_ID, REGION };
export const ROLE_ARN = `arn:aws:iam::${ACCOUNT_ID}:role/SchedulerRole`;
export const DLQ_ARN = `arn:aws:sqs:${REGION}:${ACCOUNT_ID}:scheduler-dlq`;

/** A state machine that ends with its input, to read what the schedule started it with. */
export const ECHO = { StartAt: 'Echo', States: { Echo: { Type: 'Pass', End: true } } };

export interface SchedulerHarness {
  clock: EmulatorClock;
  storage: Storage;
  scheduler: SchedulerService;
  sfn: StepFunctionsService;
  lambda: LambdaService;
  client: SchedulerClient;
  /** The ARN of the ECHO state machine. */
  echoArn: string;
  close(): Promise<void>;
}

export async function startSchedulerHarness(options: {
  timeScale: number;
  start: Date;
  storage?: Storage;
  /** Replaces the Step Functions / Lambda targets (e.g. to fail the first attempts). */
  targets?: (real: SchedulerTargets) => SchedulerTargets;
}): Promise<SchedulerHarness> {
  const storage = options.storage ?? createMemoryStorage();
  const clock = scaledClock(options.timeScale, options.start);
  const lambda = createLambdaService({ region: REGION, accountId: ACCOUNT_ID });
  const sfn = createStepFunctionsService({
    storage,
    clock,
    lambda: lambda.invoker,
    region: REGION,
    accountId: ACCOUNT_ID,
    historyFlushMs: 10,
  });
  const real: SchedulerTargets = {
    startExecution: async (arn, input) => ({ executionArn: sfn.startExecution(arn, input).executionArn }),
    invokeLambda: lambda.invoker,
  };
  const scheduler = createSchedulerService({
    storage,
    clock,
    region: REGION,
    accountId: ACCOUNT_ID,
    targets: options.targets ? options.targets(real) : real,
  });
  const server = await serveServices({ scheduler: scheduler.handler, sfn: sfn.handler });
  const client = new SchedulerClient({
    endpoint: server.url,
    region: REGION,
    credentials: CREDENTIALS,
    maxAttempts: 1,
  });
  const echoArn = sfn.createStateMachine('echo', ECHO);
  return {
    clock,
    storage,
    scheduler,
    sfn,
    lambda,
    client,
    echoArn,
    async close() {
      client.destroy();
      scheduler.close();
      await scheduler.drain();
      await sfn.stop();
      await server.close();
    },
  };
}

/** Polls (real time) until `predicate` holds. */
export async function waitFor<T>(
  read: () => T,
  predicate: (value: T) => boolean,
  timeoutMs = 5000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = read();
    if (predicate(value)) return value;
    if (Date.now() > deadline)
      throw new Error(`condition not met within ${timeoutMs} ms: ${JSON.stringify(value)}`);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}
