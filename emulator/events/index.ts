/**
 * Emulated Amazon EventBridge: buses, rules with real pattern matching, targets (Step Functions, Lambda,
 * SQS), the append-only event log (`events/<bus>.jsonl`, see event-log.ts) and `rate(...)` / `cron(...)`
 * schedules in emulated time (rule-schedules.ts).
 *
 * Wire protocol: AWS JSON 1.1 — `POST /`, `x-amz-target: AWSEvents.<Operation>`, JSON body; answers are
 * `application/x-amz-json-1.1`, errors `{ "__type": code, "message" }` with HTTP 400 (5xx for injected faults).
 */
import { randomUUID } from 'node:crypto';
import type {
  EmulatorClock,
  EventInput,
  EventSink,
  FaultInjector,
  HttpRequest,
  HttpResponse,
  ServiceHandler,
  Storage,
} from '../contracts.js';
import { Deliverer, type DeliveryOptions, type DeliveryRecord, type EventTargets } from './delivery.js';
import { EventsServiceError } from './errors.js';
import { readEventLog } from './event-log.js';
import type { EventEnvelope } from './input-transformer.js';
import { EventsOperations, type PutEventsResultEntry } from './operations.js';
import { RuleScheduler } from './rule-schedules.js';
import { DEFAULT_BUS, EventsStore } from './store.js';

export type { DeliveryRecord, EventTargets } from './delivery.js';
export { EventsServiceError } from './errors.js';
export type { EventEnvelope } from './input-transformer.js';
export { compileEventPattern, InvalidEventPatternError, matchesEventPattern } from './pattern.js';

export interface EventsServiceOptions {
  storage: Storage;
  clock: EmulatorClock;
  faults?: FaultInjector;
  accountId: string;
  region: string;
  targets: EventTargets;
  /** Random source for the PutEvents failure fault (default Math.random); inject for deterministic tests. */
  random?: () => number;
  /** Step Functions target retries (default 3 attempts, 1 s emulated backoff doubling). */
  delivery?: Partial<DeliveryOptions>;
  /** Fire `rate(...)` and `cron(...)` rules (default true). Timers are unref'd; call close() to stop them. */
  schedules?: boolean;
}

export interface EventsService {
  handler: ServiceHandler;
  /** For other services (S3 Control job events, S3 restore events): publish without HTTP. */
  sink: EventSink;
  /** PutEvents in-process; same validation, faults and result shape as the API. */
  putEvents(
    entries: EventInput[],
    options?: { accountId?: string; region?: string },
  ): { FailedEntryCount: number; Entries: PutEventsResultEntry[] };
  /** The log of a bus, oldest first. */
  readEventLog(bus?: string): EventEnvelope[];
  /** Every delivery attempt so far (successes and swallowed failures). */
  deliveries(): readonly DeliveryRecord[];
  /** Resolves once all deliveries started so far have finished (tests, graceful shutdown). */
  drain(): Promise<void>;
  /** Stop schedule timers. */
  close(): void;
}

const KNOWN_OPTIONS = new Set([
  'storage',
  'clock',
  'faults',
  'accountId',
  'region',
  'targets',
  'random',
  'delivery',
  'schedules',
]);

export function createEventsService(options: EventsServiceOptions): EventsService {
  for (const key of Object.keys(options)) {
    if (!KNOWN_OPTIONS.has(key)) throw new TypeError(`createEventsService: unknown option "${key}"`);
  }
  const { storage, clock, faults, accountId, region, targets } = options;
  const store = new EventsStore(storage, accountId, region);
  const deliverer = new Deliverer(targets, clock, {
    maxAttempts: options.delivery?.maxAttempts ?? 3,
    backoffSeconds: options.delivery?.backoffSeconds ?? 1,
  });
  const scheduler = new RuleScheduler(store, storage, clock, deliverer, accountId, region);
  const operations = new EventsOperations({
    storage,
    store,
    clock,
    ...(faults ? { faults } : {}),
    deliverer,
    accountId,
    region,
    random: options.random ?? Math.random,
    onRulesChanged: () => {
      if (options.schedules !== false) scheduler.sync();
    },
  });
  if (options.schedules !== false) scheduler.sync();

  const handler: ServiceHandler = async (request) => {
    const operation = operationOf(request);
    try {
      if (!operation || !isOperation(operations, operation)) {
        throw new EventsServiceError(
          'UnknownOperationException',
          `Operation ${operation ?? '(none)'} is not supported.`,
        );
      }
      const fault = await faults?.before('events', operation);
      if (fault) throw new EventsServiceError(fault.code, fault.message, fault.httpStatus);
      const body = parseBody(request.body);
      const result = (operations[operation] as (body: Record<string, unknown>) => unknown).call(
        operations,
        body,
      );
      return json(200, result);
    } catch (error) {
      if (error instanceof EventsServiceError) {
        return json(error.httpStatus, { __type: error.code, message: error.message });
      }
      return json(500, { __type: 'InternalException', message: (error as Error).message ?? String(error) });
    }
  };

  const putEvents: EventsService['putEvents'] = (entries, target) =>
    operations.putEntries(
      entries.map((entry) => ({ ...entry })),
      target?.accountId ?? accountId,
      target?.region ?? region,
    );

  return {
    handler,
    sink: {
      putEvents(entries, eventAccountId, eventRegion) {
        // Best effort, like AWS service events: failures are not reported to the emitting service.
        try {
          putEvents(entries, { accountId: eventAccountId, region: eventRegion });
        } catch {
          // e.g. an oversized batch; AWS would drop it too.
        }
      },
    },
    putEvents,
    readEventLog: (bus = DEFAULT_BUS) => readEventLog(storage, bus),
    deliveries: () => deliverer.records,
    drain: () => deliverer.drain(),
    close: () => scheduler.stop(),
  };
}

function operationOf(request: HttpRequest): string | undefined {
  const target = request.headers['x-amz-target'];
  if (!target?.startsWith('AWSEvents.')) return undefined;
  return target.slice('AWSEvents.'.length);
}

const OPERATIONS = new Set([
  'CreateEventBus',
  'DeleteEventBus',
  'DescribeEventBus',
  'ListEventBuses',
  'PutRule',
  'DescribeRule',
  'DeleteRule',
  'ListRules',
  'EnableRule',
  'DisableRule',
  'PutTargets',
  'RemoveTargets',
  'ListTargetsByRule',
  'TestEventPattern',
  'PutEvents',
]);

function isOperation(_operations: EventsOperations, name: string): name is keyof EventsOperations {
  return OPERATIONS.has(name);
}

function parseBody(body: Buffer): Record<string, unknown> {
  const text = body.toString('utf8').trim();
  if (text === '') return {};
  try {
    const parsed = JSON.parse(text);
    if (typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed)) return parsed;
  } catch {
    // reported below
  }
  throw new EventsServiceError(
    'SerializationException',
    'Start of structure or map found where not expected.',
  );
}

function json(status: number, body: unknown): HttpResponse {
  return {
    status,
    headers: { 'content-type': 'application/x-amz-json-1.1', 'x-amzn-requestid': randomUUID() },
    body: JSON.stringify(body),
  };
}
