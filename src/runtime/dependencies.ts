import type { AwsClientOptions } from '../adapters/aws/client-factory.js';
import { endpointOptionsFromEnv } from '../adapters/aws/client-factory.js';
import { credentialsFromEnv } from '../adapters/aws/env-credentials.js';
import { type AppConfig, loadConfig } from '../core/config.js';
import type { Clock } from '../core/ports.js';
import type { AdapterBuilders, AdapterSetup, PortName, Ports } from './adapters.js';
import type { BusMeter } from './metered-bus.js';
import type { Traced } from './tracing.js';

/** What a Lambda is given by its host: its own environment and the clock its time is measured in. */
export interface HandlerRuntime {
  env: Readonly<Record<string, string | undefined>>;
  clock: Clock;
}

/** Config, clock and the ports `K` a Lambda uses, each built on first use. */
export type Dependencies<K extends PortName = PortName> = {
  config: AppConfig;
  clock: Clock;
} & { readonly [P in K]: () => Ports[P] };

/** How the handler observes its adapters (./handler.ts): metrics from the bus, X-Ray on the SDK clients. */
export interface ObservedBy {
  busMeter?: BusMeter;
  traced?: Traced;
}

/**
 * Config and AWS adapters for one Lambda, from its runtime alone: the environment map it is given (never
 * `process.env` behind its back) and its clock. Only the ports in `adapters` exist (./adapters.ts says why),
 * each built on first use and kept.
 */
export function createDependencies<K extends PortName>(
  runtime: HandlerRuntime,
  adapters: AdapterBuilders<K>,
  observedBy: ObservedBy = {},
): Dependencies<K> {
  const { env, clock } = runtime;
  const config = loadConfig(env);
  const credentials = credentialsFromEnv(env);
  const clientOptions: AwsClientOptions = {
    region: config.region,
    endpoints: endpointOptionsFromEnv(env),
    ...(credentials ? { credentials } : {}),
  };
  const setup: AdapterSetup = {
    clientOptions,
    env,
    ...(observedBy.traced ? { traced: observedBy.traced } : {}),
    ...(observedBy.busMeter ? { busMeter: observedBy.busMeter } : {}),
  };
  const ports = {} as { [P in K]: () => Ports[P] };
  for (const name of Object.keys(adapters) as K[]) {
    let port: Ports[K] | undefined;
    ports[name] = () => {
      port ??= adapters[name](setup);
      return port;
    };
  }
  return { config, clock, ...ports } as Dependencies<K>;
}
