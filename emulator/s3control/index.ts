/**
 * Emulated S3 Control Batch Operations jobs: the REST-XML handler plus the job engine that runs every
 * task for real on emulated S3 / Lambda. server.ts mounts `handler`; the host starts/stops `engine`.
 */
import type {
  EmulatorClock,
  EventSink,
  FaultInjector,
  LambdaInvoker,
  S3Backend,
  ServiceHandler,
  Storage,
} from '../contracts.js';
import { JobEngine } from './engine.js';
import { createS3ControlHandler } from './handler.js';
import { JobStore } from './job-store.js';
import type { EngineOptions, JobRecord } from './types.js';

export type { EngineOptions, JobRecord, JobStatus } from './types.js';

export interface S3ControlServiceOptions {
  storage: Storage;
  clock: EmulatorClock;
  s3: S3Backend;
  events: EventSink;
  lambda: LambdaInvoker;
  faults?: FaultInjector;
  region: string;
  /** Used when a request names no account (no x-amz-account-id header, no `<account>.` host prefix). */
  accountId?: string;
  engine?: Partial<EngineOptions>;
}

export interface S3ControlService {
  handler: ServiceHandler;
  engine: {
    start(): void;
    stop(): Promise<void>;
    /** Resolves when no job is running: every job is terminal or Suspended (for tests). */
    idle(): Promise<void>;
    jobs(): JobRecord[];
  };
}

/**
 * Defaults in emulated time: 50 tasks/s per job (real S3 runs far faster; scale time to taste),
 * 10 tasks in flight, one Active job per account so priority is observable, short prepare/complete phases.
 */
export const DEFAULT_ENGINE_OPTIONS: EngineOptions = {
  tasksPerSecond: 50,
  concurrency: 10,
  maxActiveJobs: 1,
  preparingSeconds: 5,
  completingSeconds: 5,
  taskMaxAttempts: 3,
};

const SERVICE_KEYS = new Set([
  'storage',
  'clock',
  's3',
  'events',
  'lambda',
  'faults',
  'region',
  'accountId',
  'engine',
]);

function resolveEngineOptions(overrides: Partial<EngineOptions> = {}): EngineOptions {
  const unknown = Object.keys(overrides).filter((key) => !(key in DEFAULT_ENGINE_OPTIONS));
  if (unknown.length > 0) throw new TypeError(`Unknown s3control engine option(s): ${unknown.join(', ')}`);
  const options = { ...DEFAULT_ENGINE_OPTIONS, ...overrides };
  const positive = ['tasksPerSecond', 'concurrency', 'maxActiveJobs', 'taskMaxAttempts'] as const;
  for (const key of positive) {
    if (!(options[key] > 0)) throw new TypeError(`s3control engine option ${key} must be > 0`);
  }
  for (const key of ['preparingSeconds', 'completingSeconds'] as const) {
    if (!(options[key] >= 0)) throw new TypeError(`s3control engine option ${key} must be >= 0`);
  }
  return options;
}

export function createS3ControlService(options: S3ControlServiceOptions): S3ControlService {
  const unknown = Object.keys(options).filter((key) => !SERVICE_KEYS.has(key));
  if (unknown.length > 0) throw new TypeError(`Unknown s3control option(s): ${unknown.join(', ')}`);
  const accountId = options.accountId ?? '000000000000';
  if (!/^\d{12}$/.test(accountId)) throw new TypeError('s3control accountId must be 12 digits');
  const store = new JobStore(options.storage);
  store.load();
  const engine = new JobEngine({
    store,
    s3: options.s3,
    lambda: options.lambda,
    events: options.events,
    clock: options.clock,
    ...(options.faults ? { faults: options.faults } : {}),
    options: resolveEngineOptions(options.engine),
  });
  const handler = createS3ControlHandler({
    store,
    engine,
    clock: options.clock,
    events: options.events,
    ...(options.faults ? { faults: options.faults } : {}),
    region: options.region,
    defaultAccountId: accountId,
  });
  return {
    handler,
    engine: {
      start: () => engine.start(),
      stop: () => engine.stop(),
      idle: () => engine.idle(),
      jobs: () => engine.jobs(),
    },
  };
}
