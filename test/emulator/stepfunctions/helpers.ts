import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { SFNClient } from '@aws-sdk/client-sfn';
import type {
  EmulatorClock,
  FaultInjector,
  HttpRequest,
  LambdaInvoker,
  ServiceHandler,
  Storage,
} from '../../../emulator/contracts.js';
import {
  createStepFunctionsService,
  type StepFunctionsService,
} from '../../../emulator/stepfunctions/index.js';

export const REGION = 'us-east-1';
export const ACCOUNT = '123456789012';
export const ROLE_ARN = `arn:aws:iam::${ACCOUNT}:role/StatesExecutionRole`;

export const functionArn = (name: string) => `arn:aws:lambda:${REGION}:${ACCOUNT}:function:${name}`;

/** A tiny Storage double: documents cloned in and out, as a durable store would. */
export function createTestStorage(): Storage {
  const docs = new Map<string, Map<string, unknown>>();
  const blobs = new Map<string, Buffer>();
  const space = (namespace: string) => {
    if (!docs.has(namespace)) docs.set(namespace, new Map());
    return docs.get(namespace)!;
  };
  return {
    dataDir: undefined,
    getDoc: <T>(namespace: string, id: string) =>
      structuredClone(docs.get(namespace)?.get(id)) as T | undefined,
    putDoc: (namespace, id, value) => void space(namespace).set(id, structuredClone(value)),
    deleteDoc: (namespace, id) => void docs.get(namespace)?.delete(id),
    listDocs: <T>(namespace: string) =>
      [...space(namespace).values()].map((value) => structuredClone(value) as T),
    getBlob: (id) => blobs.get(id),
    putBlob: (id, bytes) => void blobs.set(id, bytes),
    deleteBlob: (id) => void blobs.delete(id),
    appendLine: () => undefined,
  };
}

export function createTestClock(timeScale: number): EmulatorClock {
  const realStart = Date.now();
  const emulatedStart = Date.parse('2030-01-01T00:00:00.000Z');
  return {
    timeScale,
    now: () => new Date(emulatedStart + (Date.now() - realStart) * timeScale),
    realMs: (seconds) => Math.max(0, (seconds * 1000) / timeScale),
  };
}

export type FakeFunction = (payload: unknown) => unknown;

/** A Lambda double: functions by name; a thrown `{ errorType, errorMessage }` is a function error. */
export interface FakeLambda extends LambdaInvoker {
  register(name: string, fn: FakeFunction): void;
  calls: { name: string; payload: unknown }[];
}

/** The function error document the Node.js runtime returns. */
export const functionError = (errorType: string, errorMessage: string) => ({
  errorType,
  errorMessage,
  trace: [`${errorType}: ${errorMessage}`, '    at handler (/var/task/index.js:1:1)'],
});

export function createFakeLambda(): FakeLambda {
  const functions = new Map<string, FakeFunction>();
  const calls: FakeLambda['calls'] = [];
  return {
    calls,
    register: (name, fn) => void functions.set(name, fn),
    async invoke(functionNameOrArn, payload) {
      const name = functionNameOrArn.includes(':function:')
        ? functionNameOrArn.split(':function:')[1]!.split(':')[0]!
        : functionNameOrArn;
      const fn = functions.get(name);
      if (!fn) {
        throw Object.assign(new Error(`Function not found: ${functionNameOrArn}`), {
          name: 'ResourceNotFoundException',
        });
      }
      calls.push({ name, payload });
      return fn(structuredClone(payload));
    },
  };
}

/** Serves a ServiceHandler on 127.0.0.1:0 the way the emulator's server hands requests to it. */
export async function serve(
  handler: ServiceHandler,
): Promise<{ endpoint: string; close: () => Promise<void> }> {
  const server = createServer(async (req, res) => {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const url = new URL(req.url ?? '/', 'http://localhost');
    const request: HttpRequest = {
      method: req.method ?? 'GET',
      url: req.url ?? '/',
      path: url.pathname,
      query: url.searchParams,
      headers: Object.fromEntries(Object.entries(req.headers).map(([key, value]) => [key, String(value)])),
      host: req.headers.host ?? '',
      body: Buffer.concat(chunks),
    };
    const response = await handler(request);
    res.writeHead(response.status, response.headers ?? {});
    res.end(response.body ?? '');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    endpoint: `http://127.0.0.1:${port}`,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

export interface Harness {
  service: StepFunctionsService;
  client: SFNClient;
  lambda: FakeLambda;
  storage: Storage;
  close(): Promise<void>;
}

/** A Step Functions service behind a real HTTP port and the real SFNClient. */
export async function startHarness(
  options: { timeScale?: number; storage?: Storage; lambda?: FakeLambda; faults?: FaultInjector } = {},
): Promise<Harness> {
  const storage = options.storage ?? createTestStorage();
  const lambda = options.lambda ?? createFakeLambda();
  const service = createStepFunctionsService({
    storage,
    clock: createTestClock(options.timeScale ?? 1000),
    lambda,
    region: REGION,
    accountId: ACCOUNT,
    historyFlushMs: 10,
    ...(options.faults ? { faults: options.faults } : {}),
  });
  const server = await serve(service.handler);
  const client = new SFNClient({
    endpoint: server.endpoint,
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
