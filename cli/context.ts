/**
 * Global options → a typed config (read once, at the edge: STYLE.md rule 2) → the adapters a command uses.
 * Adapters and the account id are resolved lazily, so `validate` and `events` need neither AWS nor an
 * account.
 */

import type { BatchJobsAdapter, WorkflowAdapter } from '../src/adapters/aws/index.js';
import {
  type AwsClients,
  type AwsCredentials,
  createAwsClientFactory,
  createBatchJobsAdapter,
  createObjectStoreAdapter,
  createWorkflowAdapter,
  type EndpointOptions,
  endpointOptionsFromEnv,
  resolveEndpoint,
} from '../src/adapters/aws/index.js';
import { type StateMachineKey, stateMachineName } from '../src/core/names.js';
import type { ObjectStorePort } from '../src/core/ports.js';
import {
  cliEnvVars,
  cliMaxAttempts,
  defaultLocalAccountId,
  defaultLocalEndpoint,
  defaultRegion,
  defaultStage,
  localCredentials,
} from './defaults.js';
import { CliUsageError } from './errors.js';
import type { CliIo } from './io.js';

/** Commander's view of the global options (all optional: defaults are applied here, not in commander). */
export interface GlobalOptions {
  stage?: string;
  region?: string;
  endpoint?: string;
  accountId?: string;
  json?: boolean;
}

export interface CliConfig {
  stage: string;
  region: string;
  /** Endpoint overrides; `{}` means AWS itself. */
  endpoints: EndpointOptions;
  /** The default endpoint, for messages and hints (undefined: AWS). */
  endpoint: string | undefined;
  accountId: string | undefined;
  json: boolean;
  credentials: AwsCredentials | undefined;
  debug: boolean;
}

const stagePattern = /^[a-z][a-z0-9-]{0,31}$/;
const accountIdPattern = /^\d{12}$/;

export function resolveConfig(options: GlobalOptions, env: CliIo['env']): CliConfig {
  const stage = options.stage ?? defaultStage;
  if (!stagePattern.test(stage)) {
    throw new CliUsageError(`--stage: must match ${stagePattern} (got ${JSON.stringify(stage)})`);
  }
  const region = options.region ?? (env.AWS_REGION || env.AWS_DEFAULT_REGION || defaultRegion);
  let endpoints: EndpointOptions;
  if (options.endpoint !== undefined) {
    // An explicit flag wins over every AWS_ENDPOINT_URL* variable.
    endpoints = { default: checkUrl('--endpoint', options.endpoint) };
  } else {
    endpoints = endpointOptionsFromEnv(env);
    if (endpoints.default === undefined && stage === defaultStage) endpoints.default = defaultLocalEndpoint;
  }
  const accountId =
    options.accountId ??
    (env[cliEnvVars.accountId] || (stage === defaultStage ? defaultLocalAccountId : undefined));
  if (accountId !== undefined && !accountIdPattern.test(accountId)) {
    throw new CliUsageError(`--account-id: must be 12 digits (got ${JSON.stringify(accountId)})`);
  }
  const endpoint = resolveEndpoint(endpoints, 'sfn') ?? endpoints.default;
  return {
    stage,
    region,
    endpoints,
    endpoint,
    accountId,
    json: options.json === true,
    credentials: needsLocalCredentials(endpoints, env) ? { ...localCredentials } : undefined,
    debug: env[cliEnvVars.debug] === '1',
  };
}

function checkUrl(flag: string, value: string): string {
  try {
    const url = new URL(value);
    if (url.protocol === 'http:' || url.protocol === 'https:') return value;
  } catch {
    // reported below
  }
  throw new CliUsageError(`${flag}: must be an http(s) URL (got ${JSON.stringify(value)})`);
}

const loopbackHosts = new Set(['127.0.0.1', 'localhost', '[::1]', '::1']);

/** Loopback endpoints and no credentials in the environment: sign with placeholders (see defaults.ts). */
function needsLocalCredentials(endpoints: EndpointOptions, env: CliIo['env']): boolean {
  if (env.AWS_ACCESS_KEY_ID || env.AWS_PROFILE) return false;
  const urls = Object.values(endpoints).filter((v): v is string => typeof v === 'string');
  return urls.length > 0 && urls.every((url) => loopbackHosts.has(new URL(url).hostname));
}

/** The ARN of one of the stage's state machines (serverless.yml names them after the stage). */
export function stateMachineArnOf(
  config: Pick<CliConfig, 'region' | 'stage'>,
  accountId: string,
  machine: StateMachineKey,
): string {
  return `arn:aws:states:${config.region}:${accountId}:stateMachine:${stateMachineName(config.stage, machine)}`;
}

/** The ARN of the stage's batch-job state machine. */
export const batchJobStateMachineArn = (config: Pick<CliConfig, 'region' | 'stage'>, accountId: string) =>
  stateMachineArnOf(config, accountId, 'batch-job');

export interface CliContext {
  config: CliConfig;
  io: CliIo;
  /** The account id, or a usage error saying how to give one. */
  accountId(): string;
  batchJobs(): BatchJobsAdapter;
  workflow(): WorkflowAdapter;
  objectStore(): ObjectStorePort;
}

export function createCliContext(
  config: CliConfig,
  io: CliIo,
  clients: Partial<AwsClients> = {},
): CliContext {
  let factory: ReturnType<typeof createAwsClientFactory> | undefined;
  const aws = () => {
    factory ??= createAwsClientFactory({
      region: config.region,
      endpoints: config.endpoints,
      maxAttempts: cliMaxAttempts,
      clients,
      ...(config.credentials === undefined ? {} : { credentials: config.credentials }),
    });
    return factory;
  };
  return {
    config,
    io,
    accountId() {
      if (config.accountId === undefined) {
        throw new CliUsageError(
          `stage ${config.stage} needs an account id: pass --account-id or set ${cliEnvVars.accountId}`,
        );
      }
      return config.accountId;
    },
    batchJobs: () => createBatchJobsAdapter(aws().s3Control()),
    workflow: () => createWorkflowAdapter(aws().sfn()),
    objectStore: () => createObjectStoreAdapter(aws().s3()),
  };
}
