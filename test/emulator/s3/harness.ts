import { S3Client } from '@aws-sdk/client-s3';
import { createEmulatorClock } from '../../../emulator/clock.js';
import type { EventInput, FaultInjector, Storage } from '../../../emulator/contracts.js';
import { createS3Service, type S3Service } from '../../../emulator/s3/index.js';
import { startServer } from '../../../emulator/server.js';
import { createMemoryStorage } from '../../../emulator/storage/index.js';

export const ACCOUNT_ID = '123456789012';

export interface S3Harness {
  url: string;
  client: S3Client;
  service: S3Service;
  events: EventInput[];
  close(): Promise<void>;
}

/** An S3 emulator on a free port with the real SDK client pointed at it. */
export async function startS3Harness(
  options: { timeScale?: number; faults?: FaultInjector; storage?: Storage; maxAttempts?: number } = {},
): Promise<S3Harness> {
  const events: EventInput[] = [];
  const service = createS3Service({
    storage: options.storage ?? createMemoryStorage(),
    clock: createEmulatorClock(options.timeScale ?? 1),
    ...(options.faults && { faults: options.faults }),
    events: { putEvents: (entries) => events.push(...entries) },
    accountId: ACCOUNT_ID,
    region: 'us-east-1',
  });
  const server = await startServer({ port: 0, services: { s3: service.handler } });
  const client = new S3Client({
    endpoint: server.url,
    forcePathStyle: true,
    region: 'us-east-1',
    credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
    ...(options.maxAttempts !== undefined && { maxAttempts: options.maxAttempts }),
  });
  return {
    url: server.url,
    client,
    service,
    events,
    close: async () => {
      client.destroy();
      service.close();
      await server.close();
    },
  };
}
