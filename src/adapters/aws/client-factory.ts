/**
 * One place that builds the AWS SDK clients. The endpoint is the only difference between the cloud and the
 * embedded local AWS (ARCHITECTURE.md, "Seams"), so every adapter gets its client from here, or the caller
 * brings its own.
 */
import { EventBridgeClient } from '@aws-sdk/client-eventbridge';
import { S3Client, type S3ClientConfig } from '@aws-sdk/client-s3';
import { S3ControlClient, type S3ControlClientConfig } from '@aws-sdk/client-s3-control';
import { SFNClient } from '@aws-sdk/client-sfn';
import { ConfigurationError } from '../../core/errors.js';

/**
 * The keys of `endpoints` (besides `default`). There is a client constructor for all but `lambda`: no
 * function calls Lambda's API. The endpoint is still read, for callers that bring their own client.
 *
 * A Lambda bundle holds only the clients whose constructor it references (src/runtime/adapters.ts names one
 * per port), so a Lambda never goes through createAwsClientFactory, which references them all (about
 * 100-170 KB minified each; `npm run bench -- lambda-bundles`).
 */
export const awsServiceKeys = ['s3', 's3control', 'eventbridge', 'sfn', 'lambda'] as const;
export type AwsServiceKey = (typeof awsServiceKeys)[number];

/** Endpoint URL per service; `default` applies to every service without its own entry. */
export type EndpointOptions = { default?: string } & { [K in AwsServiceKey]?: string };

export type AwsCredentials = S3ClientConfig['credentials'];
export type RetryMode = 'standard' | 'adaptive';

export interface AwsClientOptions {
  region: string;
  /** Endpoint overrides (local AWS). Absent: the SDK's regional AWS endpoints. */
  endpoints?: EndpointOptions;
  /** Absent: the SDK's default credential chain. */
  credentials?: AwsCredentials;
  /** Attempts per call, first one included, for the SDK's retry strategy. Default 3 (`defaultMaxAttempts`). */
  maxAttempts?: number;
  /** The SDK's retry mode: `standard` (default) or `adaptive` (adds client-side rate limiting). */
  retryMode?: RetryMode;
}

export interface AwsClients {
  s3: S3Client;
  s3Control: S3ControlClient;
  eventBridge: EventBridgeClient;
  sfn: SFNClient;
}

export interface AwsClientFactoryOptions extends AwsClientOptions {
  /** Bring your own client: an injected client is returned as is, and no other is built for it. */
  clients?: Partial<AwsClients>;
}

/** Lazily built, memoized clients: a Lambda builds only what it uses, once per cold start. */
export interface AwsClientFactory {
  s3(): S3Client;
  s3Control(): S3ControlClient;
  eventBridge(): EventBridgeClient;
  sfn(): SFNClient;
}

/**
 * The SDK is the retry layer of each AWS call (docs/workflow-contract.md, "Retries"): it retries throttling,
 * 5xx and network errors inside one invocation, with exponential backoff, full jitter and a retry quota. Three
 * attempts is the SDK's own default for standard mode (AWS SDKs and Tools Reference Guide, "Retry behavior");
 * Step Functions re-runs a task that still fails once, so CreateJob is called at most 3 × 2 = 6 times under
 * sustained throttling (5 × 7 = 35 before). Standard mode, not adaptive: the guide recommends adaptive only
 * for a client that reaches a single resource, and its client-side rate limit can delay even a first attempt.
 */
export const defaultMaxAttempts = 3;
export const defaultRetryMode: RetryMode = 'standard';

/**
 * The SDK's standard endpoint variables (AWS SDKs and Tools Reference Guide, "Service-specific endpoints"):
 * `AWS_ENDPOINT_URL_<SERVICE>` wins over `AWS_ENDPOINT_URL`.
 */
export const endpointEnvVars = {
  default: 'AWS_ENDPOINT_URL',
  s3: 'AWS_ENDPOINT_URL_S3',
  s3control: 'AWS_ENDPOINT_URL_S3_CONTROL',
  eventbridge: 'AWS_ENDPOINT_URL_EVENTBRIDGE',
  sfn: 'AWS_ENDPOINT_URL_SFN',
  lambda: 'AWS_ENDPOINT_URL_LAMBDA',
} as const satisfies Record<keyof EndpointOptions, string>;

/**
 * Reads the standard endpoint variables into `EndpointOptions`. Empty values count as unset. The factory
 * resolves a service's endpoint as `endpoints[service] ?? endpoints.default`, so a per-service variable wins.
 */
export function endpointOptionsFromEnv(env: Readonly<Record<string, string | undefined>>): EndpointOptions {
  const endpoints: EndpointOptions = {};
  for (const [key, name] of Object.entries(endpointEnvVars) as [keyof EndpointOptions, string][]) {
    const value = env[name]?.trim();
    if (value) endpoints[key] = checkEndpointUrl(name, value);
  }
  return endpoints;
}

export { credentialsFromEnv } from './env-credentials.js';

/** The endpoint a service's client will use, or undefined for AWS's own. */
export function resolveEndpoint(
  endpoints: EndpointOptions | undefined,
  service: AwsServiceKey,
): string | undefined {
  return endpoints?.[service] ?? endpoints?.default;
}

const optionKeys = new Set<string>(['region', 'endpoints', 'credentials', 'maxAttempts', 'retryMode']);
const factoryOptionKeys = new Set<string>([...optionKeys, 'clients']);
const endpointKeys = new Set<string>(['default', ...awsServiceKeys]);
const clientKeys = new Set<string>(['s3', 's3Control', 'eventBridge', 'sfn']);

function rejectUnknownKeys(where: string, value: object, allowed: Set<string>): void {
  for (const key of Object.keys(value)) {
    if (!allowed.has(key)) {
      throw new ConfigurationError(
        `${where}.${key}`,
        `unknown option (expected one of: ${[...allowed].join(', ')})`,
      );
    }
  }
}

function checkEndpointUrl(field: string, value: string): string {
  let url: URL;
  try {
    url = new URL(value);
  } catch (cause) {
    throw Object.assign(new ConfigurationError(field, `not a URL: ${JSON.stringify(value)}`), { cause });
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new ConfigurationError(field, `endpoint must be http(s), got ${JSON.stringify(value)}`);
  }
  return value;
}

function validateOptions(options: AwsClientOptions, allowed: Set<string>, where: string): void {
  if (options === null || typeof options !== 'object') {
    throw new ConfigurationError(where, 'options object required');
  }
  rejectUnknownKeys(where, options, allowed);
  if (typeof options.region !== 'string' || options.region.trim() === '') {
    throw new ConfigurationError(`${where}.region`, 'required, a non-empty string');
  }
  if (options.endpoints !== undefined) {
    rejectUnknownKeys(`${where}.endpoints`, options.endpoints, endpointKeys);
    for (const [key, value] of Object.entries(options.endpoints)) {
      if (value !== undefined) checkEndpointUrl(`${where}.endpoints.${key}`, value);
    }
  }
  if (
    options.maxAttempts !== undefined &&
    !(Number.isInteger(options.maxAttempts) && options.maxAttempts >= 1)
  ) {
    throw new ConfigurationError(
      `${where}.maxAttempts`,
      `must be an integer >= 1, got ${options.maxAttempts}`,
    );
  }
  if (
    options.retryMode !== undefined &&
    options.retryMode !== 'standard' &&
    options.retryMode !== 'adaptive'
  ) {
    throw new ConfigurationError(`${where}.retryMode`, `must be 'standard' or 'adaptive'`);
  }
}

/** Configuration every client shares. */
function commonConfig(options: AwsClientOptions, endpoint: string | undefined) {
  return {
    region: options.region,
    maxAttempts: options.maxAttempts ?? defaultMaxAttempts,
    retryMode: options.retryMode ?? defaultRetryMode,
    ...(options.credentials === undefined ? {} : { credentials: options.credentials }),
    ...(endpoint === undefined ? {} : { endpoint }),
    // Endpoints come only from our options (read from env by endpointOptionsFromEnv at the edge); without
    // this the SDK would also read AWS_ENDPOINT_URL* and the shared config file on its own, e.g. sending
    // S3 Control to a local endpoint without the endpointProvider below.
    ignoreConfiguredEndpointUrls: true,
  };
}

export function createS3Client(options: AwsClientOptions): S3Client {
  validateOptions(options, optionKeys, 'createS3Client');
  const endpoint = resolveEndpoint(options.endpoints, 's3');
  // A local endpoint has no wildcard DNS for `<bucket>.host`: address buckets in the path.
  return new S3Client({
    ...commonConfig(options, endpoint),
    ...(endpoint === undefined ? {} : { forcePathStyle: true }),
  });
}

/**
 * S3 Control's endpoint rules put the account id in the host (`{AccountId}.s3-control.<region>.amazonaws.com`,
 * and `{scheme}://{AccountId}.{authority}` for a custom endpoint), which a local endpoint cannot resolve.
 * This provider returns the configured URL unchanged; the account id still travels in the
 * `x-amz-account-id` header the serializer adds.
 */
export function fixedEndpointProvider(
  endpoint: string,
): NonNullable<S3ControlClientConfig['endpointProvider']> {
  return () => ({ url: new URL(endpoint) });
}

export function createS3ControlClient(options: AwsClientOptions): S3ControlClient {
  validateOptions(options, optionKeys, 'createS3ControlClient');
  const endpoint = resolveEndpoint(options.endpoints, 's3control');
  return new S3ControlClient({
    ...commonConfig(options, endpoint),
    ...(endpoint === undefined ? {} : { endpointProvider: fixedEndpointProvider(endpoint) }),
  });
}

export function createEventBridgeClient(options: AwsClientOptions): EventBridgeClient {
  validateOptions(options, optionKeys, 'createEventBridgeClient');
  return new EventBridgeClient(commonConfig(options, resolveEndpoint(options.endpoints, 'eventbridge')));
}

export function createSfnClient(options: AwsClientOptions): SFNClient {
  validateOptions(options, optionKeys, 'createSfnClient');
  return new SFNClient(commonConfig(options, resolveEndpoint(options.endpoints, 'sfn')));
}

/** Validates options once (unknown keys fail loudly) and builds each client on first use. */
export function createAwsClientFactory(options: AwsClientFactoryOptions): AwsClientFactory {
  validateOptions(options, factoryOptionKeys, 'createAwsClientFactory');
  const { clients: injected = {}, ...clientOptions } = options;
  rejectUnknownKeys('createAwsClientFactory.clients', injected, clientKeys);
  const built: Partial<AwsClients> = { ...injected };
  const memo =
    <K extends keyof AwsClients>(key: K, build: (o: AwsClientOptions) => AwsClients[K]) =>
    () => {
      built[key] ??= build(clientOptions);
      return built[key] as AwsClients[K];
    };
  return {
    s3: memo('s3', createS3Client),
    s3Control: memo('s3Control', createS3ControlClient),
    eventBridge: memo('eventBridge', createEventBridgeClient),
    sfn: memo('sfn', createSfnClient),
  };
}
