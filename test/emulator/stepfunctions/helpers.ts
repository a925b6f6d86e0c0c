/**
 * The Step Functions service on the emulator's own endpoint, driven by the real SFNClient, over the
 * emulator's in-memory storage, clock and Lambda (test/emulator/kit.ts).
 */
import { SFNClient } from '@aws-sdk/client-sfn';
import type { EmulatorClock, FaultInjector, Storage } from '../../../emulator/contracts.js';
import { createLambdaService, type LambdaService } from '../../../emulator/lambda/index.js';
import {
  createStepFunctionsService,
  type StepFunctionsService,
} from '../../../emulator/stepfunctions/index.js';
import { ACCOUNT_ID, createMemoryStorage, REGION, scaledClock, serveServices } from '../kit.js';

export { REGION };
export const ACCOUNT = ACCOUNT_ID;
export const ROLE_ARN = `arn:aws:iam::${ACCOUNT}:role/StatesExecutionRole`;

export const functionArn = (name: string) => `arn:aws:lambda:${REGION}:${ACCOUNT}:function:${name}`;

/** Emulated time `timeScale` times faster than real time, from a fixed instant so dates are predictable. */
export function createTestClock(timeScale: number): EmulatorClock {
  return scaledClock(timeScale, new Date('2030-01-01T00:00:00.000Z'));
}

export type TestFunction = (payload: unknown) => unknown;

/** The emulator's Lambda, with the calls its functions received recorded for the test to read. */
export interface TestLambda {
  service: LambdaService;
  register(name: string, fn: TestFunction): void;
  calls: { name: string; payload: unknown }[];
}

/**
 * A function error as the Node.js runtime reports one: throw it from a function and the emulator's Lambda
 * turns it into `{ errorType, errorMessage, trace }`, errorType being the error's name.
 */
export const functionError = (errorType: string, errorMessage: string): Error =>
  Object.assign(new Error(errorMessage), { name: errorType });

export function createTestLambda(): TestLambda {
  const service = createLambdaService({ region: REGION, accountId: ACCOUNT });
  const calls: TestLambda['calls'] = [];
  return {
    service,
    calls,
    register(name, fn) {
      service.registerFunction(name, async (payload) => {
        calls.push({ name, payload });
        return fn(payload);
      });
    },
  };
}

export interface Harness {
  service: StepFunctionsService;
  client: SFNClient;
  lambda: TestLambda;
  storage: Storage;
  close(): Promise<void>;
}

/** A Step Functions service behind a real HTTP port and the real SFNClient. */
export async function startHarness(
  options: { timeScale?: number; storage?: Storage; lambda?: TestLambda; faults?: FaultInjector } = {},
): Promise<Harness> {
  const storage = options.storage ?? createMemoryStorage();
  const lambda = options.lambda ?? createTestLambda();
  const service = createStepFunctionsService({
    storage,
    clock: createTestClock(options.timeScale ?? 1000),
    lambda: lambda.service.invoker,
    region: REGION,
    accountId: ACCOUNT,
    historyFlushMs: 10,
    ...(options.faults ? { faults: options.faults } : {}),
  });
  const server = await serveServices({ sfn: service.handler });
  const client = new SFNClient({
    endpoint: server.url,
    region: REGION,
    credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
    maxAttempts: 1,
  });
  return {
    service,
    client,
    lambda,
    storage,
    async close() {
      client.destroy();
      await service.stop();
      await server.close();
    },
  };
}

/** Polls until `predicate` holds (real time), for states reached asynchronously. */
export async function eventually<T>(
  read: () => Promise<T> | T,
  predicate: (value: T) => boolean,
  timeoutMs = 5000,
) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await read();
    if (predicate(value)) return value;
    if (Date.now() > deadline)
      throw new Error(`condition not met within ${timeoutMs} ms: ${JSON.stringify(value)}`);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}
