/**
 * The one test kit for emulator service tests: the emulator's own in-memory storage, clock, fault injector,
 * S3 backend and HTTP endpoint, so no test re-implements them. Tests of the emulator may import its internals;
 * what a test adds here is only instrumentation (counting writes or calls), never behaviour.
 */
import { createEmulatorClock } from '../../emulator/clock.js';
import type { EmulatorClock, ServiceHandler } from '../../emulator/contracts.js';
import { createFaultInjector, type FaultConfig } from '../../emulator/faults.js';
import { createS3Service, type S3Service } from '../../emulator/s3/index.js';
import { type RunningServer, type ServiceName, startServer } from '../../emulator/server.js';
import { createMemoryStorage, type MemoryStorage } from '../../emulator/storage/index.js';

export type { FaultConfig, MemoryStorage };
export { createEmulatorClock, createFaultInjector, createMemoryStorage };

export const ACCOUNT_ID = '123456789012';
export const REGION = 'us-east-1';
export const CREDENTIALS = { accessKeyId: 'test', secretAccessKey: 'test' };

/** Emulated time `timeScale` times faster than real time, optionally starting at a fixed instant. */
export function scaledClock(timeScale: number, start?: Date): EmulatorClock {
  return createEmulatorClock(timeScale, start ? { start } : {});
}

/**
 * A scaled clock that stands still at `start` until `run()`: a test sets things up (however long that takes on
 * a loaded machine) and then lets emulated time go, so fast time scales cannot skip a slot during setup.
 */
export function heldClock(timeScale: number, start: Date): EmulatorClock & { run(): void } {
  let running: EmulatorClock | undefined;
  return {
    timeScale,
    now: () => running?.now() ?? new Date(start),
    realMs: (emulatedSeconds: number) => Math.max(0, (emulatedSeconds * 1000) / timeScale),
    run() {
      running ??= createEmulatorClock(timeScale, { start });
    },
  };
}

/** The emulator's in-memory storage, counting document writes (a job engine must not write per task). */
export function countingStorage(): MemoryStorage & { readonly writes: number } {
  const storage = createMemoryStorage();
  let writes = 0;
  return {
    ...storage,
    get writes() {
      return writes;
    },
    putDoc<T>(namespace: string, id: string, value: T) {
      writes++;
      storage.putDoc(namespace, id, value);
    },
  };
}

/** The emulator's S3 over its own in-memory storage (S3 is a separate service, so a separate store). */
export function memoryS3(clock: EmulatorClock): S3Service {
  return createS3Service({ storage: createMemoryStorage(), clock, accountId: ACCOUNT_ID, region: REGION });
}

/**
 * Counts calls per method on `target` (the real object still does the work), e.g. how many
 * PutObjectTagging calls a job engine made on the real S3 backend, and the time spent in them, so a test
 * can tell the engine's own cost from its backend's.
 */
export function countCalls<T extends object>(
  target: T,
): { counted: T; calls: Map<string, number>; busyMs(): number } {
  const calls = new Map<string, number>();
  /** Real time spent inside the target's (synchronous) methods. */
  let busyMs = 0;
  // One wrapper per method, made once: a job engine calls these a hundred thousand times in a test.
  const wrappers = new Map<string, (...args: unknown[]) => unknown>();
  const counted = new Proxy(target, {
    get(object, property, receiver) {
      const value = Reflect.get(object, property, receiver);
      if (typeof value !== 'function' || typeof property !== 'string') return value;
      let wrapper = wrappers.get(property);
      if (!wrapper) {
        wrapper = (...args: unknown[]) => {
          calls.set(property, (calls.get(property) ?? 0) + 1);
          const started = performance.now();
          try {
            return value.apply(object, args);
          } finally {
            busyMs += performance.now() - started;
          }
        };
        wrappers.set(property, wrapper);
      }
      return wrapper;
    },
  });
  return { counted, calls, busyMs: () => busyMs };
}

/**
 * Serves the given services on the emulator's own endpoint (emulator/server.ts: its routing, request
 * parsing and error rendering) on 127.0.0.1 and a free port. The endpoint always has S3, as the emulator's
 * does; a test that does not bring its own gets an empty in-memory one.
 */
export async function serveServices(
  services: Partial<Record<ServiceName, ServiceHandler>>,
): Promise<RunningServer & { endpoint: string }> {
  const s3 = services.s3 ? undefined : memoryS3(scaledClock(1));
  const server = await startServer({
    host: '127.0.0.1',
    port: 0,
    services: { s3: services.s3 ?? s3!.handler, ...services },
  });
  return {
    ...server,
    endpoint: server.url,
    async close() {
      await server.close();
      s3?.close();
    },
  };
}
