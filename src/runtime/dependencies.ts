import {
  createAwsClientFactory,
  createBatchJobsAdapter,
  createEventBusAdapter,
  createObjectStoreAdapter,
  createWorkflowAdapter,
  credentialsFromEnv,
  endpointOptionsFromEnv,
} from '../adapters/aws/index.js';
import { type AppConfig, loadConfig } from '../core/config.js';
import type { BatchJobsPort, Clock, EventBusPort, ObjectStorePort, WorkflowPort } from '../core/ports.js';
import { type BusMeter, meteredBus } from './metered-bus.js';
import { createTraced, type Traced } from './tracing.js';

/** What a Lambda is given by its host: its own environment and the clock its time is measured in. */
export interface HandlerRuntime {
  env: Readonly<Record<string, string | undefined>>;
  clock: Clock;
}

export interface Dependencies {
  config: AppConfig;
  clock: Clock;
  jobs(): BatchJobsPort;
  objects(): ObjectStorePort;
  bus(): EventBusPort;
  workflow(): WorkflowPort;
}

/** How the handler observes its adapters (./handler.ts): metrics from the bus, X-Ray on the SDK clients. */
export interface ObservedBy {
  busMeter?: BusMeter;
  traced?: Traced;
}

/**
 * Config and AWS adapters for one Lambda, from its runtime alone: the environment map it is given (never
 * `process.env` behind its back) and its clock. Adapters are built on first use.
 */
export function createDependencies(runtime: HandlerRuntime, observedBy: ObservedBy = {}): Dependencies {
  const { env, clock } = runtime;
  const traced = observedBy.traced ?? createTraced(env);
  const meter = observedBy.busMeter;
  const config = loadConfig(env);
  const credentials = credentialsFromEnv(env);
  const clients = createAwsClientFactory({
    region: config.region,
    endpoints: endpointOptionsFromEnv(env),
    ...(credentials ? { credentials } : {}),
  });
  const memo = <T>(build: () => T): (() => T) => {
    let value: T | undefined;
    return () => {
      value ??= build();
      return value;
    };
  };
  return {
    config,
    clock,
    jobs: memo(() => createBatchJobsAdapter(traced(clients.s3Control()))),
    objects: memo(() => createObjectStoreAdapter(traced(clients.s3()))),
    bus: memo(() => {
      const bus = createEventBusAdapter(traced(clients.eventBridge()));
      return meter ? meteredBus(bus, meter) : bus;
    }),
    workflow: memo(() => createWorkflowAdapter(traced(clients.sfn()))),
  };
}
