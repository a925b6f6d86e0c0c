import {
  createAwsClientFactory,
  createBatchJobsAdapter,
  createEventBusAdapter,
  createObjectStoreAdapter,
  createWorkflowAdapter,
  endpointOptionsFromEnv,
} from '../adapters/aws/index.js';
import { type AppConfig, loadConfig } from '../core/config.js';
import {
  type BatchJobsPort,
  type Clock,
  type EventBusPort,
  type ObjectStorePort,
  systemClock,
  type WorkflowPort,
} from '../core/ports.js';

export interface Dependencies {
  config: AppConfig;
  clock: Clock;
  jobs(): BatchJobsPort;
  objects(): ObjectStorePort;
  bus(): EventBusPort;
  workflow(): WorkflowPort;
}

let cached: Dependencies | undefined;
let runtimeClock: Clock = systemClock;

/**
 * The clock the Lambdas read. On AWS it is the system clock; the embedded local AWS, whose time can run
 * faster than real time, installs its own so deadlines and waits are measured in the time jobs run in.
 */
export function useClock(clock: Clock): void {
  runtimeClock = clock;
}

/**
 * Config and AWS adapters for the Lambdas, built on first use and kept for the life of the runtime
 * (once per cold start). Lazy rather than at import time so an in-process host (the embedded local AWS)
 * can set the environment before the first invocation.
 */
export function dependencies(env: Record<string, string | undefined> = process.env): Dependencies {
  if (cached) return cached;
  const config = loadConfig(env);
  const clients = createAwsClientFactory({ region: config.region, endpoints: endpointOptionsFromEnv(env) });
  const memo = <T>(build: () => T): (() => T) => {
    let value: T | undefined;
    return () => {
      value ??= build();
      return value;
    };
  };
  cached = {
    config,
    get clock() {
      return runtimeClock;
    },
    jobs: memo(() => createBatchJobsAdapter(clients.s3Control())),
    objects: memo(() => createObjectStoreAdapter(clients.s3())),
    bus: memo(() => createEventBusAdapter(clients.eventBridge())),
    workflow: memo(() => createWorkflowAdapter(clients.sfn())),
  };
  return cached;
}

/** Forget the cached dependencies (a host that changes the environment between runs). */
export function resetDependencies(): void {
  cached = undefined;
}
