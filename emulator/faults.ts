import { readFileSync } from 'node:fs';
import type { FaultInjector } from './contracts.js';
import { seededRandom } from './random.js';

/** Keys are `<service>:<Operation>` or `<service>:*`; the exact operation wins over the wildcard. */
export type PerOperation = Record<string, number>;

export interface TaskFailureRule {
  /** A glob (`*` any characters, `?` one) or a regex written as `/source/flags`, matched against the key. */
  keyPattern: string;
  /** Only keys in this bucket (default: any bucket). */
  bucket?: string;
  code: string;
  httpStatus?: number;
  /** Fail every attempt. */
  permanent?: true;
  /**
   * Fail the first N attempts on each matching object, then succeed. Attempts are counted per object
   * across every job (the engine's own retries and a later redrive job alike), as a transient condition
   * on the object would behave.
   */
  transientAttempts?: number;
}

export interface FaultConfig {
  /** Probability (0..1) that a call is throttled. */
  throttle?: PerOperation;
  /** Probability (0..1) that a call fails with the service's 5xx error. */
  serverError?: PerOperation;
  /** Deterministic: throttle exactly the first N calls. */
  throttleFirst?: PerOperation;
  /** Deterministic: fail exactly the first N calls with a 5xx. */
  serverErrorFirst?: PerOperation;
  /** Added latency in real milliseconds, for every call or per operation. */
  latencyMs?: number | PerOperation;
  putEventsFailureRate?: number;
  taskFailures?: TaskFailureRule[];
  /** PRNG seed; the same seed and call sequence give the same faults. */
  seed?: number;
}

type FaultError = { code: string; httpStatus: number; message: string };

/** Each service's own throttling and internal error, as its SDK expects to see them. */
const SERVICE_ERRORS: Record<string, { throttle: FaultError; server: FaultError }> = {
  s3: {
    throttle: { code: 'SlowDown', httpStatus: 503, message: 'Please reduce your request rate.' },
    server: {
      code: 'InternalError',
      httpStatus: 500,
      message: 'We encountered an internal error. Please try again.',
    },
  },
  s3control: {
    throttle: { code: 'TooManyRequestsException', httpStatus: 400, message: 'Too many requests.' },
    server: { code: 'InternalServiceException', httpStatus: 500, message: 'Internal service error.' },
  },
  events: {
    throttle: { code: 'ThrottlingException', httpStatus: 400, message: 'Rate exceeded' },
    server: { code: 'InternalException', httpStatus: 500, message: 'Internal service error.' },
  },
  sfn: {
    throttle: { code: 'ThrottlingException', httpStatus: 400, message: 'Rate exceeded' },
    server: { code: 'InternalFailure', httpStatus: 500, message: 'Internal service error.' },
  },
  lambda: {
    throttle: { code: 'TooManyRequestsException', httpStatus: 429, message: 'Rate exceeded' },
    server: { code: 'ServiceException', httpStatus: 500, message: 'Internal service error.' },
  },
  scheduler: {
    throttle: { code: 'ThrottlingException', httpStatus: 429, message: 'Rate exceeded' },
    server: { code: 'InternalServerException', httpStatus: 500, message: 'Internal service error.' },
  },
};
const DEFAULT_ERRORS = {
  throttle: { code: 'ThrottlingException', httpStatus: 400, message: 'Rate exceeded' },
  server: { code: 'InternalFailure', httpStatus: 500, message: 'Internal service error.' },
};

const CONFIG_KEYS = [
  'throttle',
  'serverError',
  'throttleFirst',
  'serverErrorFirst',
  'latencyMs',
  'putEventsFailureRate',
  'taskFailures',
  'seed',
];
const RULE_KEYS = ['keyPattern', 'bucket', 'code', 'httpStatus', 'permanent', 'transientAttempts'];
const OPERATION_KEY = /^[a-z0-9-]+:(\*|[A-Za-z0-9]+)$/;

function fail(message: string): never {
  throw new Error(`Invalid fault config: ${message}`);
}

function checkPerOperation(name: string, value: unknown, max: number): void {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) fail(`${name} must be an object`);
  for (const [key, entry] of Object.entries(value)) {
    if (!OPERATION_KEY.test(key))
      fail(`${name} key "${key}" must be "<service>:<Operation>" or "<service>:*"`);
    if (typeof entry !== 'number' || !(entry >= 0 && entry <= max))
      fail(`${name}["${key}"] must be 0..${max}`);
  }
}

/** Validates a fault config; unknown keys fail loudly so a typo never silently disables a fault. */
export function validateFaultConfig(input: unknown): FaultConfig {
  if (typeof input !== 'object' || input === null || Array.isArray(input)) fail('expected a JSON object');
  const config = input as Record<string, unknown>;
  for (const key of Object.keys(config)) if (!CONFIG_KEYS.includes(key)) fail(`unknown key "${key}"`);
  if (config.throttle !== undefined) checkPerOperation('throttle', config.throttle, 1);
  if (config.serverError !== undefined) checkPerOperation('serverError', config.serverError, 1);
  for (const name of ['throttleFirst', 'serverErrorFirst', 'latencyMs'] as const) {
    const value = config[name];
    if (value === undefined) continue;
    if (name === 'latencyMs' && typeof value === 'number') {
      if (!(value >= 0)) fail('latencyMs must be >= 0');
      continue;
    }
    checkPerOperation(name, value, Number.MAX_SAFE_INTEGER);
  }
  const rate = config.putEventsFailureRate;
  if (rate !== undefined && (typeof rate !== 'number' || !(rate >= 0 && rate <= 1))) {
    fail('putEventsFailureRate must be 0..1');
  }
  if (config.seed !== undefined && !Number.isInteger(config.seed)) fail('seed must be an integer');
  if (config.taskFailures !== undefined) {
    if (!Array.isArray(config.taskFailures)) fail('taskFailures must be an array');
    config.taskFailures.forEach((rule: Record<string, unknown>, index) => {
      const at = `taskFailures[${index}]`;
      if (typeof rule !== 'object' || rule === null) fail(`${at} must be an object`);
      for (const key of Object.keys(rule)) if (!RULE_KEYS.includes(key)) fail(`unknown key "${at}.${key}"`);
      if (typeof rule.keyPattern !== 'string' || rule.keyPattern === '') fail(`${at}.keyPattern is required`);
      compilePattern(rule.keyPattern);
      if (typeof rule.code !== 'string' || rule.code === '') fail(`${at}.code is required`);
      if (rule.httpStatus !== undefined && !Number.isInteger(rule.httpStatus)) fail(`${at}.httpStatus`);
      const permanent = rule.permanent === true;
      const transient = rule.transientAttempts !== undefined;
      if (rule.permanent !== undefined && rule.permanent !== true) fail(`${at}.permanent must be true`);
      if (permanent === transient) fail(`${at} needs exactly one of permanent: true or transientAttempts: N`);
      if (
        transient &&
        !(Number.isInteger(rule.transientAttempts) && (rule.transientAttempts as number) >= 1)
      ) {
        fail(`${at}.transientAttempts must be an integer >= 1`);
      }
    });
  }
  return config as FaultConfig;
}

export function loadFaultConfig(file: string): FaultConfig {
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(file, 'utf8'));
  } catch (error) {
    throw new Error(`Cannot read fault config ${file}: ${(error as Error).message}`, { cause: error });
  }
  return validateFaultConfig(parsed);
}

function compilePattern(pattern: string): RegExp {
  const literal = /^\/(.*)\/([a-z]*)$/s.exec(pattern);
  try {
    if (literal) return new RegExp(literal[1]!, literal[2]!.replace(/[gy]/g, '')); // stateless .test()
  } catch (error) {
    fail(`bad keyPattern regex ${pattern}: ${(error as Error).message}`);
  }
  const source = pattern
    .replace(/[.+^${}()|[\]\\]/g, '\\$&')
    .replace(/\*/g, '.*')
    .replace(/\?/g, '.');
  return new RegExp(`^${source}$`, 's');
}

function lookup(
  table: PerOperation | undefined,
  service: string,
  operation: string,
): [string, number] | undefined {
  if (!table) return undefined;
  for (const key of [`${service}:${operation}`, `${service}:*`]) {
    const value = table[key];
    if (value !== undefined) return [key, value];
  }
  return undefined;
}

/** A FaultInjector from a (validated) config; `createFaultInjector()` injects nothing. */
export function createFaultInjector(input: FaultConfig = {}): FaultInjector {
  const config = validateFaultConfig(input);
  const random = seededRandom(config.seed ?? 1);
  const firstCounts = new Map<string, number>();
  /** Attempts seen per object for transient task failures (see TaskFailureRule.transientAttempts). */
  const taskAttempts = new Map<string, number>();
  const rules = (config.taskFailures ?? []).map((rule) => ({
    ...rule,
    regex: compilePattern(rule.keyPattern),
  }));

  const takeFirst = (table: PerOperation | undefined, service: string, operation: string): boolean => {
    const hit = lookup(table, service, operation);
    if (!hit) return false;
    const counterKey = `${table === config.throttleFirst ? 't' : 's'}|${hit[0]}`;
    const used = firstCounts.get(counterKey) ?? 0;
    if (used >= hit[1]) return false;
    firstCounts.set(counterKey, used + 1);
    return true;
  };
  const chance = (table: PerOperation | undefined, service: string, operation: string): boolean => {
    const rate = lookup(table, service, operation)?.[1];
    return rate !== undefined && rate > 0 && random() < rate;
  };

  return {
    putEventsFailureRate: config.putEventsFailureRate ?? 0,
    async before(service, operation) {
      const latency =
        typeof config.latencyMs === 'number'
          ? config.latencyMs
          : lookup(config.latencyMs, service, operation)?.[1];
      if (latency) await new Promise((resolve) => setTimeout(resolve, latency));
      const errors = SERVICE_ERRORS[service] ?? DEFAULT_ERRORS;
      if (takeFirst(config.throttleFirst, service, operation)) return { ...errors.throttle };
      if (takeFirst(config.serverErrorFirst, service, operation)) return { ...errors.server };
      if (chance(config.throttle, service, operation)) return { ...errors.throttle };
      if (chance(config.serverError, service, operation)) return { ...errors.server };
      return undefined;
    },
    taskFailure(bucket, key) {
      for (const rule of rules) {
        if (rule.bucket !== undefined && rule.bucket !== bucket) continue;
        if (!rule.regex.test(key)) continue;
        const permanent = rule.permanent === true;
        if (!permanent) {
          const objectKey = `${bucket}/${key}`;
          const attempt = (taskAttempts.get(objectKey) ?? 0) + 1;
          taskAttempts.set(objectKey, attempt);
          if (attempt > (rule.transientAttempts ?? 0)) return undefined;
        }
        return { code: rule.code, httpStatus: rule.httpStatus ?? (permanent ? 400 : 500), permanent };
      }
      return undefined;
    },
  };
}
