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

/**
 * Config and AWS adapters for one Lambda, from its runtime alone: the environment map it is given (never
 * `process.env` behind its back) and its clock. Adapters are built on first use.
 */
export function createDependencies(runtime: HandlerRuntime): Dependencies {
  const { env, clock } = runtime;
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
    jobs: memo(() => createBatchJobsAdapter(clients.s3Control())),
    objects: memo(() => createObjectStoreAdapter(clients.s3())),
    bus: memo(() => createEventBusAdapter(clients.eventBridge())),
    workflow: memo(() => createWorkflowAdapter(clients.sfn())),
  };
}
