/**
 * The embedded local AWS: every emulated service behind one HTTP port, wired to each other the way AWS
 * wires them (S3 Control runs tasks on S3 and emits job events on EventBridge; EventBridge starts Step
 * Functions executions, invokes Lambdas and sends to SQS queues; Lambda event source mappings poll SQS queues;
 * Step Functions calls Lambda). Dev and test only: product code
 * never imports this.
 */
import { join } from 'node:path';
import { createEmulatorClock } from './clock.js';
import { createConsoleHandler } from './console/index.js';
import type { EmulatorClock, EventSink, FaultInjector, Storage } from './contracts.js';
import { createEventsService, type EventsService } from './events/index.js';
import { createFaultInjector, type FaultConfig, loadFaultConfig } from './faults.js';
import { createLambdaService, type LambdaService } from './lambda/index.js';
import { defaultLocalPort, localAccountId, localRegion } from './local-defaults.js';
import { createS3Service, type S3Service } from './s3/index.js';
import { createAdminHandler } from './s3/inventory-admin.js';
import { createS3ControlService, type EngineOptions } from './s3control/index.js';
import { createSchedulerService, type SchedulerService } from './scheduler/index.js';
import { bindWarning, type RunningServer, startServer } from './server.js';
import { createSqsService, type SqsService } from './sqs/index.js';
import { createStepFunctionsService, type StepFunctionsService } from './stepfunctions/index.js';
import { createDirectoryStorage, createMemoryStorage } from './storage/index.js';

export { bindWarning, defaultLocalPort, localAccountId, localRegion };

export interface LocalAwsOptions {
  /** Default 127.0.0.1: the emulator accepts any credentials, so it must not listen beyond loopback. */
  host?: string;
  /** Default 4599; 0 picks a free port. */
  port?: number;
  /** Durable data directory (default `.s3bo`); ignored with `inMemory`. */
  dataDir?: string;
  inMemory?: boolean;
  /** Fault configuration, or the path of a JSON file holding one. */
  faults?: FaultConfig | string;
  /** Emulated time runs this many times faster than real time (waits, restores, job throughput). */
  timeScale?: number;
  /**
   * Emulated time at start (default: now), e.g. just before a schedule's next slot, so a demo or a test sees
   * it fire without waiting for the real date.
   */
  clockStart?: Date;
  accountId?: string;
  region?: string;
  /** S3 Batch Operations job engine tuning (tasks per emulated second, concurrency, capacity…). */
  engine?: Partial<EngineOptions>;
  /** One line per request, and the warning when `host` is beyond loopback. */
  log?: (line: string) => void;
}

export interface LocalAws {
  url: string;
  port: number;
  region: string;
  accountId: string;
  dataDir: string | undefined;
  storage: Storage;
  clock: EmulatorClock;
  faults: FaultInjector;
  s3: S3Service;
  s3control: ReturnType<typeof createS3ControlService>;
  events: EventsService;
  lambda: LambdaService;
  sfn: StepFunctionsService;
  /** EventBridge Scheduler: schedules firing in emulated time; `createSchedule(...)`, `firings()`, … */
  scheduler: SchedulerService;
  /** SQS: the API's operations in-process, e.g. `sqs.sendMessage({ QueueUrl, MessageBody })`. */
  sqs: SqsService;
  stop(): Promise<void>;
}

const knownOptions = new Set([
  'host',
  'port',
  'dataDir',
  'inMemory',
  'faults',
  'timeScale',
  'clockStart',
  'accountId',
  'region',
  'engine',
  'log',
]);

export async function startLocalAws(options: LocalAwsOptions = {}): Promise<LocalAws> {
  for (const key of Object.keys(options)) {
    if (!knownOptions.has(key)) throw new TypeError(`startLocalAws: unknown option "${key}"`);
  }
  const accountId = options.accountId ?? localAccountId;
  const region = options.region ?? localRegion;
  const dataDir = options.inMemory ? undefined : (options.dataDir ?? join(process.cwd(), '.s3bo'));
  const storage = dataDir ? createDirectoryStorage(dataDir) : createMemoryStorage();
  const clock = createEmulatorClock(
    options.timeScale ?? 1,
    options.clockStart ? { start: options.clockStart } : {},
  );
  const faults = createFaultInjector(
    typeof options.faults === 'string' ? loadFaultConfig(options.faults) : (options.faults ?? {}),
  );

  const sqs = createSqsService({ storage, clock, faults, accountId, region });
  const lambda = createLambdaService({ faults, region, accountId, storage, clock, sqs });
  // EventBridge and Step Functions need each other (targets / events:putEvents tasks): bind late.
  let events: EventsService | undefined;
  const sink: EventSink = {
    putEvents: (entries, account, reg) => events?.sink.putEvents(entries, account, reg),
  };
  // Interrupted executions wait for deployProject (resumeInterrupted): their Lambdas must exist first.
  const sfn = createStepFunctionsService({
    storage,
    clock,
    lambda: lambda.invoker,
    faults,
    region,
    accountId,
    events: sink,
    resume: 'manual',
  });
  events = createEventsService({
    storage,
    clock,
    faults,
    accountId,
    region,
    targets: {
      startExecution: async (stateMachineArn, input) => {
        sfn.startExecution(stateMachineArn, input);
      },
      invokeLambda: lambda.invoker,
      sendSqsMessage: async (queueArn, body) => {
        sqs.sendMessage({ QueueUrl: queueArn, MessageBody: body });
      },
    },
  });
  const scheduler = createSchedulerService({
    storage,
    clock,
    faults,
    accountId,
    region,
    targets: {
      startExecution: async (stateMachineArn, input) => ({
        executionArn: sfn.startExecution(stateMachineArn, input).executionArn,
      }),
      invokeLambda: lambda.invoker,
    },
  });
  const s3 = createS3Service({ storage, clock, faults, events: sink, accountId, region });
  const s3control = createS3ControlService({
    storage,
    clock,
    s3: s3.backend,
    events: sink,
    lambda: lambda.invoker,
    faults,
    region,
    accountId,
    ...(options.engine ? { engine: options.engine } : {}),
  });
  s3control.engine.start();

  let server: RunningServer;
  try {
    server = await startServer({
      host: options.host ?? '127.0.0.1',
      port: options.port ?? defaultLocalPort,
      services: {
        s3: s3.handler,
        s3control: s3control.handler,
        events: events.handler,
        lambda: lambda.handler,
        sfn: sfn.handler,
        scheduler: scheduler.handler,
        sqs: sqs.handler,
        // POST /_s3bo/inventory/run?bucket=B&id=C: an S3 Inventory report now (`s3bo inventory run`).
        admin: createAdminHandler(s3.inventory),
        // GET /_console/: the local web console (jobs, executions, campaigns, events, objects).
        console: createConsoleHandler({
          clock,
          storage,
          s3: s3.backend,
          s3control,
          sfn,
          events,
          scheduler,
          sqs,
        }),
      },
      ...(options.log ? { log: options.log } : {}),
    });
  } catch (error) {
    await s3control.engine.stop();
    scheduler.close();
    await sfn.stop();
    events.close();
    const polling = lambda.closeEventSourceMappings();
    sqs.close();
    await polling;
    s3.close();
    throw error;
  }
  sqs.setEndpoint(server.url);
  const exposed = bindWarning(options.host ?? '127.0.0.1');
  if (exposed) options.log?.(exposed);

  const eventsService = events;
  return {
    url: server.url,
    port: server.port,
    region,
    accountId,
    dataDir,
    storage,
    clock,
    faults,
    s3,
    s3control,
    events: eventsService,
    lambda,
    sfn,
    scheduler,
    sqs,
    async stop() {
      // No new schedule firings; the ones under way finish (or stop retrying) first.
      scheduler.close();
      await scheduler.drain();
      // Event source mappings finish their current batch (its function may still call the other services);
      // closing SQS ends their long polls.
      const polling = lambda.closeEventSourceMappings();
      sqs.close();
      await polling;
      // Executions and jobs stop first, while the server still answers: a task that met a closed port
      // would fail its execution for good instead of resuming after a restart.
      await sfn.stop();
      await s3control.engine.stop();
      await eventsService.drain();
      eventsService.close();
      await lambda.drain();
      await server.close();
      s3.close();
    },
  };
}
