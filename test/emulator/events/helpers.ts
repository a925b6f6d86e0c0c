/**
 * Test doubles for the emulator seams until emulator/storage and emulator/server.ts land: an in-memory Storage,
 * a real-time clock, and a minimal node:http wrapper around a ServiceHandler (127.0.0.1, port 0).
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type {
  EmulatorClock,
  FaultInjector,
  HttpRequest,
  ServiceHandler,
  Storage,
} from '../../../emulator/contracts.js';

export const ACCOUNT_ID = '123456789012';
export const REGION = 'us-east-1';
export const CREDENTIALS = { accessKeyId: 'test', secretAccessKey: 'test' };

export function createMemoryStorage(): Storage & { lines: Map<string, string[]> } {
  const docs = new Map<string, Map<string, unknown>>();
  const blobs = new Map<string, Buffer>();
  const lines = new Map<string, string[]>();
  const namespace = (name: string) => {
    const found = docs.get(name) ?? new Map<string, unknown>();
    docs.set(name, found);
    return found;
  };
  const clone = <T>(value: T): T => (value === undefined ? value : structuredClone(value));
  return {
    lines,
    dataDir: undefined,
    getDoc: <T>(ns: string, id: string) => clone(namespace(ns).get(id) as T | undefined),
    putDoc: (ns, id, value) => void namespace(ns).set(id, clone(value)),
    deleteDoc: (ns, id) => void namespace(ns).delete(id),
    listDocs: <T>(ns: string) => [...namespace(ns).values()].map((value) => clone(value as T)),
    getBlob: (id) => blobs.get(id),
    putBlob: (id, bytes) => void blobs.set(id, bytes),
    deleteBlob: (id) => void blobs.delete(id),
    appendLine: (logName, line) => {
      const log = lines.get(logName) ?? [];
      log.push(line);
      lines.set(logName, log);
    },
    readLines: (logName) => [...(lines.get(logName) ?? [])],
  };
}

export function realClock(timeScale = 1): EmulatorClock {
  return { now: () => new Date(), timeScale, realMs: (seconds) => (seconds * 1000) / timeScale };
}

export function noFaults(overrides: Partial<FaultInjector> = {}): FaultInjector {
  return {
    before: async () => undefined,
    taskFailure: () => undefined,
    putEventsFailureRate: 0,
    ...overrides,
  };
}

export interface TestServer {
  url: string;
  close(): Promise<void>;
}

/** Serve one handler, or several chosen by `route`, the way server.ts will hand requests over. */
export async function serveHandler(
  handler: ServiceHandler | ((request: HttpRequest) => ServiceHandler),
): Promise<TestServer> {
  const server: Server = createServer((incoming, outgoing) => {
    const chunks: Buffer[] = [];
    incoming.on('data', (chunk: Buffer) => chunks.push(chunk));
    incoming.on('end', async () => {
      const url = new URL(incoming.url ?? '/', 'http://localhost');
      const headers: Record<string, string> = {};
      for (const [name, value] of Object.entries(incoming.headers)) {
        if (value !== undefined) headers[name.toLowerCase()] = Array.isArray(value) ? value.join(',') : value;
      }
      const request: HttpRequest = {
        method: incoming.method ?? 'GET',
        url: url.pathname + url.search,
        path: url.pathname,
        query: url.searchParams,
        headers,
        host: headers.host ?? '',
        body: Buffer.concat(chunks),
      };
      try {
        const chosen = isRouter(handler) ? handler(request) : (handler as ServiceHandler);
        const response = await chosen(request);
        outgoing.writeHead(response.status, response.headers ?? {});
        outgoing.end(response.body ?? '');
      } catch (error) {
        outgoing.writeHead(500, { 'content-type': 'text/plain' });
        outgoing.end(String(error));
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise((resolve, reject) => server.close((error) => (error ? reject(error) : resolve()))),
  };
}

const routers = new WeakSet<object>();
/** Mark a function as a router (request → handler) rather than a handler. */
export function router(choose: (request: HttpRequest) => ServiceHandler) {
  routers.add(choose);
  return choose;
}
function isRouter(fn: object): fn is (request: HttpRequest) => ServiceHandler {
  return routers.has(fn);
}

/** Poll until `check` passes (deliveries are asynchronous). */
export async function eventually(check: () => void, timeoutMs = 2000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      check();
      return;
    } catch (error) {
      if (Date.now() > deadline) throw error;
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
  }
}

/** A JSON fixture from test/fixtures. */
export async function fixture(name: string): Promise<unknown> {
  const { readFile } = await import('node:fs/promises');
  const { fileURLToPath } = await import('node:url');
  return JSON.parse(
    await readFile(fileURLToPath(new URL(`../../fixtures/${name}`, import.meta.url)), 'utf8'),
  );
}
