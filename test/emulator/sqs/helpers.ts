/**
 * SQS on the emulator's own endpoint, driven by the real SQSClient, over in-memory storage and an emulated
 * clock running `timeScale` times faster than real time.
 */
import { SQSClient } from '@aws-sdk/client-sqs';
import type { EmulatorClock, Storage } from '../../../emulator/contracts.js';
import { createSqsService, type SqsService } from '../../../emulator/sqs/index.js';
import {
  ACCOUNT_ID,
  CREDENTIALS,
  createFaultInjector,
  createMemoryStorage,
  type FaultConfig,
  REGION,
  scaledClock,
  serveServices,
} from '../kit.js';

export { ACCOUNT_ID, REGION };

export interface SqsHarness {
  clock: EmulatorClock;
  storage: Storage;
  sqs: SqsService;
  client: SQSClient;
  endpoint: string;
  close(): Promise<void>;
}

export async function startSqsHarness(
  options: { timeScale?: number; faults?: FaultConfig; storage?: Storage } = {},
): Promise<SqsHarness> {
  const clock = scaledClock(options.timeScale ?? 1);
  const storage = options.storage ?? createMemoryStorage();
  const sqs = createSqsService({
    storage,
    clock,
    accountId: ACCOUNT_ID,
    region: REGION,
    ...(options.faults ? { faults: createFaultInjector(options.faults) } : {}),
  });
  const server = await serveServices({ sqs: sqs.handler });
  sqs.setEndpoint(server.url);
  const client = new SQSClient({ endpoint: server.endpoint, region: REGION, credentials: CREDENTIALS });
  return {
    clock,
    storage,
    sqs,
    client,
    endpoint: server.endpoint,
    async close() {
      sqs.close();
      client.destroy();
      await server.close();
    },
  };
}

/** Emulated seconds elapsed since `start`. */
export const emulatedSecondsSince = (clock: EmulatorClock, start: Date) =>
  (clock.now().getTime() - start.getTime()) / 1000;
