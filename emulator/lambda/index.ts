/**
 * Emulated AWS Lambda: functions are registered in-process (a handler and its environment) and invoked over the
 * REST-JSON API or through the LambdaInvoker seam (S3 Control LambdaInvoke tasks, EventBridge and Step
 * Functions targets).
 *
 * Routes (API version 2015-03-31):
 *   POST /2015-03-31/functions/{FunctionName}/invocations   Invoke (RequestResponse | Event | DryRun)
 *   GET  /2015-03-31/functions/{FunctionName}               GetFunction
 *   GET  /2015-03-31/functions/                             ListFunctions
 *   POST /2015-03-31/event-source-mappings                  CreateEventSourceMapping (SQS sources)
 *   GET  /2015-03-31/event-source-mappings                  ListEventSourceMappings
 *   GET | PUT | DELETE /2015-03-31/event-source-mappings/{UUID}   Get | Update | DeleteEventSourceMapping
 * FunctionName may be a name, `name:qualifier`, a partial ARN (`account:function:name`) or a full ARN;
 * qualifiers are accepted and ignored (every function is `$LATEST`).
 *
 * Payloads round-trip through JSON both ways, as they would over the wire. A handler running past its timeout
 * (real seconds: handler compute time is not scaled by the emulator clock) fails with `Sandbox.Timedout`.
 */
import { randomUUID } from 'node:crypto';
import { createEmulatorClock } from '../clock.js';
import type {
  EmulatorClock,
  FaultInjector,
  HttpRequest,
  HttpResponse,
  LambdaInvoker,
  ServiceHandler,
  Storage,
} from '../contracts.js';
import { createMemoryStorage } from '../storage/index.js';
import {
  type FunctionErrorPayload,
  functionNotFound,
  LambdaFunctionError,
  LambdaServiceError,
  toFunctionErrorPayload,
} from './errors.js';
import {
  type CreateEventSourceMappingInput,
  type EventSourceMappingConfiguration,
  EventSourceMappings,
  type MappingQueues,
  type UpdateEventSourceMappingInput,
} from './event-source-mappings.js';
import { type MappingInvocationRecord, SqsPollers } from './sqs-poller.js';

export { LambdaFunctionError, LambdaServiceError } from './errors.js';
export type {
  CreateEventSourceMappingInput,
  EventSourceMappingConfiguration,
  UpdateEventSourceMappingInput,
} from './event-source-mappings.js';
export type { MappingInvocationRecord } from './sqs-poller.js';

/** Lambda's default timeout. */
const DEFAULT_TIMEOUT_SECONDS = 3;
/** Invocation payload quotas ("Lambda quotas"): 6 MB synchronous, 256 KB asynchronous. */
const MAX_SYNC_PAYLOAD_BYTES = 6 * 1024 * 1024;
const MAX_ASYNC_PAYLOAD_BYTES = 256 * 1024;

export interface LambdaContext {
  functionName: string;
  functionVersion: string;
  invokedFunctionArn: string;
  memoryLimitInMB: string;
  awsRequestId: string;
  logGroupName: string;
  logStreamName: string;
  callbackWaitsForEmptyEventLoop: boolean;
  getRemainingTimeInMillis(): number;
}

export type LambdaHandlerFn = (event: unknown, context: LambdaContext) => Promise<unknown>;

export interface RegisterFunctionOptions {
  timeoutSeconds?: number;
  memorySize?: number;
  /** Shown as Handler in GetFunction, e.g. `functions/submit-job.handler`. */
  handler?: string;
  /**
   * The function's environment variables, shown as Environment.Variables in GetFunction. An in-process
   * handler shares the host's process.env, so the caller builds `fn` from this same map; the emulator never
   * writes process.env.
   */
  environment?: Record<string, string>;
}

export interface FunctionConfiguration {
  FunctionName: string;
  FunctionArn: string;
  Runtime: string;
  Role: string;
  Handler: string;
  CodeSize: number;
  Timeout: number;
  MemorySize: number;
  LastModified: string;
  Version: string;
  State: 'Active';
  PackageType: 'Zip';
  Architectures: string[];
  /** Present when the function has variables ("FunctionConfiguration": Environment is an EnvironmentResponse). */
  Environment?: { Variables: Record<string, string> };
}

export interface AsyncInvocationRecord {
  functionName: string;
  requestId: string;
  ok: boolean;
  error?: FunctionErrorPayload;
}

export interface LambdaServiceOptions {
  faults?: FaultInjector;
  region: string;
  accountId: string;
  /** Where event source mappings are kept (default: in memory). */
  storage?: Storage;
  /** Emulated time for batching windows (default: real time). */
  clock?: EmulatorClock;
  /** The SQS queues event source mappings poll; without it, creating a mapping fails. */
  sqs?: MappingQueues;
}

export interface LambdaService {
  handler: ServiceHandler;
  invoker: LambdaInvoker;
  registerFunction(
    name: string,
    fn: LambdaHandlerFn,
    options?: RegisterFunctionOptions,
  ): FunctionConfiguration;
  listFunctions(): FunctionConfiguration[];
  /** Outcomes of `Event` (asynchronous) invocations, which have no caller to report to. */
  asyncInvocations(): readonly AsyncInvocationRecord[];
  /** Resolves once all asynchronous invocations started so far have finished. */
  drain(): Promise<void>;
  /** SQS event source mappings, with the Lambda API's input and output shapes. */
  createEventSourceMapping(input: CreateEventSourceMappingInput): EventSourceMappingConfiguration;
  getEventSourceMapping(uuid: string): EventSourceMappingConfiguration;
  listEventSourceMappings(input?: {
    EventSourceArn?: string;
    FunctionName?: string;
  }): EventSourceMappingConfiguration[];
  updateEventSourceMapping(input: UpdateEventSourceMappingInput): EventSourceMappingConfiguration;
  deleteEventSourceMapping(uuid: string): EventSourceMappingConfiguration;
  /** Every batch a mapping has handed a function so far, with its outcome. */
  eventSourceMappingInvocations(): readonly MappingInvocationRecord[];
  /** Stops the mappings' pollers (each finishes its current batch); close SQS too, to end their long polls. */
  closeEventSourceMappings(): Promise<void>;
}

interface RegisteredFunction {
  fn: LambdaHandlerFn;
  configuration: FunctionConfiguration;
}

type Outcome =
  | { ok: true; result: unknown; requestId: string }
  | { ok: false; error: FunctionErrorPayload; requestId: string };

export function createLambdaService(options: LambdaServiceOptions): LambdaService {
  for (const key of Object.keys(options)) {
    if (!['faults', 'region', 'accountId', 'storage', 'clock', 'sqs'].includes(key)) {
      throw new TypeError(`createLambdaService: unknown option "${key}"`);
    }
  }
  const { faults, region, accountId } = options;
  const functions = new Map<string, RegisteredFunction>();
  const asyncRecords: AsyncInvocationRecord[] = [];
  const pending = new Set<Promise<void>>();
  const clock = options.clock ?? createEmulatorClock(1);
  const noSqs = () => {
    throw new LambdaServiceError(
      'InvalidParameterValueException',
      400,
      'SQS is not emulated in this setup: event source mappings need it.',
    );
  };
  const queues: MappingQueues = options.sqs ?? {
    queueArn: noSqs,
    getQueueAttributes: noSqs,
    receiveMessage: async () => noSqs(),
    deleteMessage: noSqs,
  };

  const arnOf = (name: string) => `arn:aws:lambda:${region}:${accountId}:function:${name}`;

  const resolve = (functionNameOrArn: string): RegisteredFunction => {
    const name = functionNameOf(functionNameOrArn);
    const found = functions.get(name);
    if (!found) throw functionNotFound(arnOf(name));
    return found;
  };

  const run = async (target: RegisteredFunction, payloadText: string): Promise<Outcome> => {
    const requestId = randomUUID();
    const { configuration, fn } = target;
    const deadline = Date.now() + configuration.Timeout * 1000;
    const context: LambdaContext = {
      functionName: configuration.FunctionName,
      functionVersion: '$LATEST',
      invokedFunctionArn: configuration.FunctionArn,
      memoryLimitInMB: String(configuration.MemorySize),
      awsRequestId: requestId,
      logGroupName: `/aws/lambda/${configuration.FunctionName}`,
      logStreamName: `${new Date().toISOString().slice(0, 10).replaceAll('-', '/')}/[$LATEST]${requestId.replaceAll('-', '')}`,
      callbackWaitsForEmptyEventLoop: true,
      getRemainingTimeInMillis: () => Math.max(0, deadline - Date.now()),
    };
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => {
        reject(
          Object.assign(
            new Error(
              `RequestId: ${requestId} Error: Task timed out after ${configuration.Timeout.toFixed(2)} seconds`,
            ),
            { name: 'Sandbox.Timedout' },
          ),
        );
      }, configuration.Timeout * 1000);
    });
    try {
      const event = JSON.parse(payloadText);
      const result = await Promise.race([Promise.resolve().then(() => fn(event, context)), timeout]);
      // Like the runtime: undefined becomes null; the result must be JSON-serialisable.
      return {
        ok: true,
        result: result === undefined ? null : JSON.parse(JSON.stringify(result)),
        requestId,
      };
    } catch (error) {
      const payload = toFunctionErrorPayload(error);
      return {
        ok: false,
        error: (error as Error)?.name === 'Sandbox.Timedout' ? { ...payload, trace: [] } : payload,
        requestId,
      };
    } finally {
      clearTimeout(timer);
    }
  };

  const invokeAsync = (target: RegisteredFunction, payloadText: string) => {
    const task = run(target, payloadText)
      .then((outcome) => {
        asyncRecords.push({
          functionName: target.configuration.FunctionName,
          requestId: outcome.requestId,
          ok: outcome.ok,
          ...(outcome.ok ? {} : { error: outcome.error }),
        });
      })
      .finally(() => pending.delete(task));
    pending.add(task);
  };

  const invoker: LambdaInvoker = {
    async invoke(functionNameOrArn, payload) {
      const fault = await faults?.before('lambda', 'Invoke');
      if (fault) throw new LambdaServiceError(fault.code, fault.httpStatus, fault.message);
      const target = resolve(functionNameOrArn);
      const outcome = await run(target, JSON.stringify(payload ?? {}));
      if (!outcome.ok) throw new LambdaFunctionError(outcome.error);
      return outcome.result;
    },
  };

  const mappings = new EventSourceMappings({
    storage: options.storage ?? createMemoryStorage(),
    clock,
    region,
    accountId,
    queues,
    functionConfiguration: (nameOrArn) => resolve(nameOrArn).configuration,
  });
  const pollers = new SqsPollers(mappings, {
    clock,
    region,
    queues,
    invoker,
    hasFunction: (functionArn) => functions.has(functionNameOf(functionArn)),
  });
  // Mappings stored before a restart resume polling (they wait for their function to be registered).
  if (options.sqs) pollers.sync();

  const handler: ServiceHandler = async (request) => {
    try {
      const route = routeOf(request);
      if (!route)
        throw new LambdaServiceError(
          'UnknownOperationException',
          404,
          `Unknown operation ${request.method} ${request.path}`,
        );
      const fault = await faults?.before('lambda', route.operation);
      if (fault) throw new LambdaServiceError(fault.code, fault.httpStatus, fault.message);
      switch (route.operation) {
        case 'ListFunctions':
          return json(200, { Functions: [...functions.values()].map((f) => f.configuration) });
        case 'GetFunction': {
          const target = resolve(route.functionName);
          return json(200, {
            Configuration: target.configuration,
            Code: { RepositoryType: 'S3', Location: '' },
            Tags: {},
          });
        }
        case 'Invoke':
          return await invokeOverHttp(request, resolve(route.functionName));
        case 'CreateEventSourceMapping':
          return json(202, createMapping(parseJsonBody(request) as CreateEventSourceMappingInput));
        case 'ListEventSourceMappings':
          return json(200, listMappingsOverHttp(request));
        case 'GetEventSourceMapping':
          return json(200, mappings.get(route.uuid));
        case 'UpdateEventSourceMapping':
          return json(202, updateMapping({ ...(parseJsonBody(request) as object), UUID: route.uuid }));
        case 'DeleteEventSourceMapping':
          return json(202, mappings.delete(route.uuid));
      }
    } catch (error) {
      if (error instanceof LambdaServiceError) return serviceError(error);
      return serviceError(
        new LambdaServiceError('ServiceException', 500, (error as Error).message ?? String(error)),
      );
    }
  };

  const createMapping = (input: CreateEventSourceMappingInput) => {
    const mapping = mappings.create(input);
    pollers.sync();
    return mapping;
  };
  const updateMapping = (input: UpdateEventSourceMappingInput) => {
    const mapping = mappings.update(input);
    pollers.sync();
    return mapping;
  };

  const listMappingsOverHttp = (request: HttpRequest) => {
    const eventSourceArn = request.query.get('EventSourceArn') ?? undefined;
    const functionName = request.query.get('FunctionName') ?? undefined;
    const all = mappings.list({
      ...(eventSourceArn ? { EventSourceArn: eventSourceArn } : {}),
      ...(functionName ? { FunctionName: functionName } : {}),
    });
    const maxItems = Number(request.query.get('MaxItems') ?? 100);
    if (!Number.isInteger(maxItems) || maxItems < 1 || maxItems > 10_000)
      throw new LambdaServiceError(
        'InvalidParameterValueException',
        400,
        'MaxItems must be from 1 to 10000.',
      );
    const start = Number(request.query.get('Marker') ?? 0);
    if (!Number.isInteger(start) || start < 0)
      throw new LambdaServiceError(
        'InvalidParameterValueException',
        400,
        'Marker is not one this API returned.',
      );
    const page = all.slice(start, start + maxItems);
    return {
      EventSourceMappings: page,
      ...(start + page.length < all.length ? { NextMarker: String(start + page.length) } : {}),
    };
  };

  const invokeOverHttp = async (request: HttpRequest, target: RegisteredFunction): Promise<HttpResponse> => {
    const invocationType = request.headers['x-amz-invocation-type'] ?? 'RequestResponse';
    if (!['RequestResponse', 'Event', 'DryRun'].includes(invocationType)) {
      throw new LambdaServiceError(
        'InvalidParameterValueException',
        400,
        `1 validation error detected: Value '${invocationType}' at 'invocationType' failed to satisfy constraint: Member must satisfy enum value set: [Event, RequestResponse, DryRun]`,
      );
    }
    const limit = invocationType === 'Event' ? MAX_ASYNC_PAYLOAD_BYTES : MAX_SYNC_PAYLOAD_BYTES;
    if (request.body.length > limit) {
      throw new LambdaServiceError(
        'RequestEntityTooLargeException',
        413,
        `Request must be smaller than ${limit} bytes for the InvokeFunction operation`,
      );
    }
    const payloadText = request.body.length === 0 ? '{}' : request.body.toString('utf8');
    try {
      JSON.parse(payloadText);
    } catch (error) {
      throw new LambdaServiceError(
        'InvalidRequestContentException',
        400,
        `Could not parse request body into json: ${(error as Error).message}`,
      );
    }
    const version = { 'x-amz-executed-version': '$LATEST' };
    if (invocationType === 'DryRun')
      return { status: 204, headers: { ...version, 'x-amzn-requestid': randomUUID() } };
    if (invocationType === 'Event') {
      invokeAsync(target, payloadText);
      return { status: 202, headers: { 'x-amzn-requestid': randomUUID() } };
    }
    const outcome = await run(target, payloadText);
    const headers: Record<string, string> = {
      ...version,
      'content-type': 'application/json',
      'x-amzn-requestid': outcome.requestId,
    };
    if (request.headers['x-amz-log-type'] === 'Tail') {
      const log = `START RequestId: ${outcome.requestId} Version: $LATEST\nEND RequestId: ${outcome.requestId}\n`;
      headers['x-amz-log-result'] = Buffer.from(log).toString('base64');
    }
    if (!outcome.ok) {
      headers['x-amz-function-error'] = 'Unhandled';
      return { status: 200, headers, body: JSON.stringify(outcome.error) };
    }
    return { status: 200, headers, body: JSON.stringify(outcome.result) };
  };

  return {
    handler,
    invoker,
    registerFunction(name, fn, registerOptions = {}) {
      if (!/^[a-zA-Z0-9-_]{1,64}$/.test(name)) throw new TypeError(`Invalid Lambda function name: ${name}`);
      const configuration: FunctionConfiguration = {
        FunctionName: name,
        FunctionArn: arnOf(name),
        Runtime: 'nodejs24.x',
        Role: `arn:aws:iam::${accountId}:role/${name}-role`,
        Handler: registerOptions.handler ?? 'index.handler',
        CodeSize: 0,
        Timeout: registerOptions.timeoutSeconds ?? DEFAULT_TIMEOUT_SECONDS,
        MemorySize: registerOptions.memorySize ?? 128,
        LastModified: new Date().toISOString().replace('Z', '+0000'),
        Version: '$LATEST',
        State: 'Active',
        PackageType: 'Zip',
        Architectures: ['x86_64'],
        ...(registerOptions.environment
          ? { Environment: { Variables: { ...registerOptions.environment } } }
          : {}),
      };
      functions.set(name, { fn, configuration });
      return configuration;
    },
    listFunctions: () => [...functions.values()].map((f) => f.configuration),
    asyncInvocations: () => asyncRecords,
    async drain() {
      while (pending.size > 0) await Promise.allSettled([...pending]);
    },
    createEventSourceMapping: createMapping,
    getEventSourceMapping: (uuid) => mappings.get(uuid),
    listEventSourceMappings: (input = {}) => mappings.list(input),
    updateEventSourceMapping: updateMapping,
    deleteEventSourceMapping: (uuid) => mappings.delete(uuid),
    eventSourceMappingInvocations: () => pollers.records,
    closeEventSourceMappings: () => pollers.close(),
  };
}

function parseJsonBody(request: HttpRequest): unknown {
  if (request.body.length === 0) return {};
  try {
    return JSON.parse(request.body.toString('utf8'));
  } catch (error) {
    throw new LambdaServiceError(
      'InvalidRequestContentException',
      400,
      `Could not parse request body into json: ${(error as Error).message}`,
    );
  }
}

/** `name`, `name:qualifier`, `account:function:name[:qualifier]` or the full ARN → `name`. */
export function functionNameOf(functionNameOrArn: string): string {
  const arn = /^(?:arn:aws[\w-]*:lambda:[^:]*:)?\d{12}:function:([^:]+)(?::.+)?$/.exec(functionNameOrArn);
  if (arn) return arn[1]!;
  return functionNameOrArn.split(':')[0]!;
}

type MappingOperation = 'GetEventSourceMapping' | 'UpdateEventSourceMapping' | 'DeleteEventSourceMapping';

function routeOf(
  request: HttpRequest,
):
  | { operation: 'Invoke' | 'GetFunction'; functionName: string }
  | { operation: 'ListFunctions' | 'CreateEventSourceMapping' | 'ListEventSourceMappings' }
  | { operation: MappingOperation; uuid: string }
  | undefined {
  const path = request.path.replace(/\/+$/, '');
  if (path === '/2015-03-31/event-source-mappings') {
    if (request.method === 'POST') return { operation: 'CreateEventSourceMapping' };
    if (request.method === 'GET') return { operation: 'ListEventSourceMappings' };
  }
  const mapping = /^\/2015-03-31\/event-source-mappings\/([^/]+)$/.exec(path);
  const mappingOperations: Record<string, MappingOperation> = {
    GET: 'GetEventSourceMapping',
    PUT: 'UpdateEventSourceMapping',
    DELETE: 'DeleteEventSourceMapping',
  };
  if (mapping && mappingOperations[request.method])
    return { operation: mappingOperations[request.method]!, uuid: decodeURIComponent(mapping[1]!) };
  if (request.method === 'GET' && path === '/2015-03-31/functions') return { operation: 'ListFunctions' };
  const invoke = /^\/2015-03-31\/functions\/([^/]+)\/invocations$/.exec(path);
  if (invoke && request.method === 'POST')
    return { operation: 'Invoke', functionName: decodeURIComponent(invoke[1]!) };
  const get = /^\/2015-03-31\/functions\/([^/]+)$/.exec(path);
  if (get && request.method === 'GET')
    return { operation: 'GetFunction', functionName: decodeURIComponent(get[1]!) };
  return undefined;
}

function json(status: number, body: unknown): HttpResponse {
  return {
    status,
    headers: { 'content-type': 'application/json', 'x-amzn-requestid': randomUUID() },
    body: JSON.stringify(body),
  };
}

/** Lambda's REST-JSON error: code in `x-amzn-ErrorType`, body `{ Type, message }`. */
function serviceError(error: LambdaServiceError): HttpResponse {
  return {
    status: error.httpStatus,
    headers: {
      'content-type': 'application/json',
      'x-amzn-errortype': error.code,
      'x-amzn-requestid': randomUUID(),
    },
    body: JSON.stringify({ Type: error.type, message: error.message }),
  };
}
