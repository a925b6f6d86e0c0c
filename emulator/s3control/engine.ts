/**
 * The job engine: drives each job through its lifecycle and shares capacity across jobs by priority.
 * One async "driver" per job acts on its status (prepare, run, pause, finish); `reconcile` decides which
 * jobs hold the `maxActiveJobs` slots (highest Priority first, then oldest) and pauses the rest.
 * A job's task rows come from its manifest or, for a ManifestGenerator job, from listing the source bucket.
 * Tasks run in batches sized by a token bucket in emulated time (tasksPerSecond × timeScale), `concurrency`
 * at a time, with no timer and no storage write per task; results are persisted in segments, so a
 * restarted engine resumes an Active job without redoing finished tasks.
 */
import type { EmulatorClock, EventSink, FaultInjector, LambdaInvoker, S3Backend } from '../contracts.js';
import { planCapacity } from './capacity.js';
import type { JobStore } from './job-store.js';
import { CANCELLABLE, isTerminal, type LifecycleContext, transition } from './lifecycle.js';
import { generateManifest } from './manifest-generator.js';
import { FAILURE_CODES, ManifestError, readManifest } from './manifest-reader.js';
import { shouldWriteReport, writeCompletionReport } from './report-writer.js';
import { FAILURE_THRESHOLD, failureThresholdExceeded, TaskProgress } from './task-progress.js';
import { createTaskExecutor, type TaskExecutor } from './task-runner.js';
import type { EngineOptions, JobRecord, JobStatus, TaskRow } from './types.js';

export { FAILURE_THRESHOLD };

export interface EngineDeps {
  store: JobStore;
  s3: S3Backend;
  lambda: LambdaInvoker;
  events: EventSink;
  clock: EmulatorClock;
  faults?: FaultInjector;
  options: EngineOptions;
}

interface RuntimeJob {
  id: string;
  tasks?: TaskProgress;
  driver?: Promise<void>;
  driving: boolean;
  rekick: boolean;
}

/** At most this many tasks per batch, so status changes and HTTP requests are served between batches. */
const MAX_BATCH = 5000;

const yieldToEventLoop = () => new Promise<void>((resolve) => setImmediate(resolve));

export class JobEngine {
  private readonly runtimes = new Map<string, RuntimeJob>();
  private readonly sleepers = new Set<() => void>();
  private idleWaiters: (() => void)[] = [];
  private running = false;
  private readonly lifecycle: LifecycleContext;

  constructor(private readonly deps: EngineDeps) {
    this.lifecycle = { store: deps.store, events: deps.events, clock: deps.clock };
  }

  /** Loads persisted jobs and resumes every unfinished one. */
  start(): void {
    if (this.running) return;
    this.running = true;
    this.runtimes.clear();
    for (const record of this.deps.store.load()) {
      if (!isTerminal(record.Status)) this.kick(this.runtime(record.JobId));
    }
    this.reconcile();
  }

  /** Stops scheduling, lets in-flight tasks finish and persists their results. Status is left as is. */
  async stop(): Promise<void> {
    this.running = false;
    for (const wake of this.sleepers) wake();
    await Promise.all([...this.runtimes.values()].map((job) => job.driver));
    for (const job of this.runtimes.values()) this.flush(job);
    this.notifyIdle();
  }

  /** Resolves when no job is being driven and every job is terminal or Suspended (or the engine stopped). */
  idle(): Promise<void> {
    return new Promise((resolve) => {
      this.idleWaiters.push(resolve);
      this.notifyIdle();
    });
  }

  jobs(): JobRecord[] {
    return this.deps.store.all();
  }

  /** A job CreateJob just stored. */
  submitted(record: JobRecord): void {
    this.kick(this.runtime(record.JobId));
  }

  cancel(record: JobRecord, reason: string | undefined): void {
    transition(
      this.lifecycle,
      record,
      'Cancelling',
      reason === undefined ? {} : { statusUpdateReason: reason },
    );
    this.kick(this.runtime(record.JobId));
  }

  confirm(record: JobRecord, reason: string | undefined): void {
    transition(this.lifecycle, record, 'Ready', reason === undefined ? {} : { statusUpdateReason: reason });
    this.reconcile();
  }

  reprioritize(record: JobRecord, priority: number): void {
    record.Priority = priority;
    this.deps.store.save(record);
    this.reconcile();
  }

  isCancellable(status: JobStatus): boolean {
    return CANCELLABLE.has(status);
  }

  private runtime(id: string): RuntimeJob {
    let job = this.runtimes.get(id);
    if (!job) {
      job = { id, driving: false, rekick: false };
      this.runtimes.set(id, job);
    }
    return job;
  }

  private record(job: RuntimeJob): JobRecord {
    return this.deps.store.get(job.id)!;
  }

  private kick(job: RuntimeJob): void {
    if (!this.running) return;
    if (job.driving) {
      job.rekick = true;
      return;
    }
    job.driving = true;
    job.driver = this.drive(job);
  }

  private async drive(job: RuntimeJob): Promise<void> {
    // Start on a later tick so `kick` has recorded the driver before any synchronous step can re-kick.
    await Promise.resolve();
    try {
      do {
        job.rekick = false;
        await this.step(job);
      } while (job.rekick && this.running);
    } catch (error) {
      this.failUnexpectedly(job, error);
    } finally {
      job.driving = false;
      job.driver = undefined;
      this.reconcile();
      this.notifyIdle();
    }
  }

  private failUnexpectedly(job: RuntimeJob, error: unknown): void {
    const record = this.record(job);
    if (isTerminal(record.Status)) return;
    const failure = {
      FailureCode: 'InternalError',
      FailureReason: `Emulator error: ${(error as Error)?.message}`,
    };
    if (record.Status !== 'Failing') transition(this.lifecycle, record, 'Failing', { failure });
    transition(this.lifecycle, record, 'Failed');
  }

  private async step(job: RuntimeJob): Promise<void> {
    const record = this.record(job);
    switch (record.Status) {
      case 'New':
        transition(this.lifecycle, record, 'Preparing');
        return this.prepare(job, record);
      case 'Preparing':
        return this.prepare(job, record);
      case 'Active':
        return this.runTasks(job, record);
      case 'Pausing':
        this.flush(job);
        transition(this.lifecycle, record, 'Paused');
        return;
      case 'Completing':
      case 'Cancelling':
      case 'Failing':
        return this.finish(job, record);
      default:
        return; // Suspended, Ready, Paused wait for the user or for capacity; terminal jobs rest.
    }
  }

  private async prepare(job: RuntimeJob, record: JobRecord): Promise<void> {
    await this.sleep(this.deps.options.preparingSeconds);
    if (!this.running || record.Status !== 'Preparing') return;
    let rows: TaskRow[];
    try {
      if (record.ManifestGenerator) {
        const generated = generateManifest(this.deps.s3, record, this.deps.clock.now());
        rows = generated.rows;
        if (generated.descriptor) record.GeneratedManifestDescriptor = generated.descriptor;
      } else {
        rows = readManifest(this.deps.s3, record.Manifest!);
      }
    } catch (error) {
      if (!(error instanceof ManifestError)) throw error;
      transition(this.lifecycle, record, 'Failing', { failure: error.failure });
      job.rekick = true;
      return;
    }
    // Generated rows are persisted like a CSV manifest's, so a restarted engine never lists the bucket again.
    this.deps.store.saveTasks(record.JobId, rows);
    record.progress.total = rows.length;
    job.tasks = TaskProgress.fresh(rows);
    transition(this.lifecycle, record, record.ConfirmationRequired ? 'Suspended' : 'Ready');
    this.reconcile();
  }

  private tasksOf(job: RuntimeJob, record: JobRecord): TaskProgress {
    job.tasks ??= TaskProgress.load(this.deps.store, record);
    return job.tasks;
  }

  private async runTasks(job: RuntimeJob, record: JobRecord): Promise<void> {
    const tasks = this.tasksOf(job, record);
    const { options, clock } = this.deps;
    const execute = createTaskExecutor(record, {
      s3: this.deps.s3,
      lambda: this.deps.lambda,
      clock,
      faults: this.deps.faults,
      maxAttempts: options.taskMaxAttempts,
    });
    const msPerTask = clock.realMs(1 / options.tasksPerSecond);
    const burst = Math.min(
      MAX_BATCH,
      Math.max(options.concurrency, Math.ceil(50 / Math.max(msPerTask, 1e-6))),
    );
    let tokens = 0;
    let last = performance.now();
    tasks.rewind();
    while (this.running && record.Status === 'Active') {
      const now = performance.now();
      tokens = Math.min(burst, tokens + (msPerTask > 0 ? (now - last) / msPerTask : burst));
      last = now;
      if (tokens < 1) {
        await this.sleepRealMs(Math.max(1, (1 - tokens) * msPerTask));
        continue;
      }
      const batch = tasks.nextPending(Math.floor(tokens));
      if (batch.length === 0) {
        this.flush(job);
        transition(this.lifecycle, record, 'Completing');
        job.rekick = true;
        return;
      }
      tokens -= batch.length;
      await this.runBatch(tasks, record, batch, execute);
      if (failureThresholdExceeded(record)) {
        const run = record.progress.succeeded + record.progress.failed;
        this.flush(job);
        transition(this.lifecycle, record, 'Failing', {
          failure: {
            FailureCode: FAILURE_CODES.taskFailureThreshold,
            FailureReason: `Task failure rate exceeded 50% after ${run} tasks (${record.progress.failed} failed)`,
          },
        });
        job.rekick = true;
        return;
      }
      tasks.flushIfDue(this.deps.store, record);
      await yieldToEventLoop();
    }
    this.flush(job);
    // Left the loop because status changed (Pausing/Cancelling) — the driver acts on it next.
    if (record.Status !== 'Active') job.rekick = true;
  }

  private async runBatch(
    tasks: TaskProgress,
    record: JobRecord,
    batch: number[],
    execute: TaskExecutor,
  ): Promise<void> {
    let next = 0;
    // Stop taking tasks as soon as the job must stop: S3 applies the failure rule "at any point".
    const mustStop = () => !this.running || record.Status !== 'Active' || failureThresholdExceeded(record);
    const worker = async () => {
      while (next < batch.length && !mustStop()) {
        const index = batch[next++]!;
        tasks.complete(record, index, await execute(tasks.rows[index]!));
      }
    };
    await Promise.all(Array.from({ length: Math.min(this.deps.options.concurrency, batch.length) }, worker));
  }

  private flush(job: RuntimeJob): void {
    const record = this.deps.store.get(job.id);
    if (record && job.tasks) job.tasks.flush(this.deps.store, record);
  }

  private async finish(job: RuntimeJob, record: JobRecord): Promise<void> {
    await this.sleep(this.deps.options.completingSeconds);
    if (!this.running) return;
    const tasks = this.tasksOf(job, record);
    tasks.flush(this.deps.store, record);
    const finishing = record.Status;
    const terminal =
      finishing === 'Completing' ? 'Complete' : finishing === 'Cancelling' ? 'Cancelled' : 'Failed';
    const tasksRun = record.progress.succeeded + record.progress.failed;
    if (shouldWriteReport(record, tasksRun)) {
      try {
        writeCompletionReport(this.deps.s3, record, tasks.rows, tasks.results, this.deps.clock.now());
      } catch (error) {
        const failure = {
          FailureCode: FAILURE_CODES.reportWrite,
          FailureReason: `Writing the completion report failed: ${(error as Error).message}`,
        };
        if (finishing !== 'Failing') transition(this.lifecycle, record, 'Failing', { failure });
        else record.FailureReasons.push(failure);
        transition(this.lifecycle, record, 'Failed');
        this.release(job);
        return;
      }
    }
    transition(this.lifecycle, record, terminal);
    this.release(job);
  }

  /** Drops a finished job's task rows and results from memory. */
  private release(job: RuntimeJob): void {
    job.tasks = undefined;
  }

  /** Hands the Active slots to the highest-priority jobs and pauses the others (see capacity.ts). */
  private reconcile(): void {
    if (!this.running) return;
    const plan = planCapacity(this.deps.store.all(), this.deps.options.maxActiveJobs);
    for (const record of plan.pause) {
      transition(this.lifecycle, record, 'Pausing');
      this.kick(this.runtime(record.JobId));
    }
    for (const record of plan.activate) {
      transition(this.lifecycle, record, 'Active');
      this.kick(this.runtime(record.JobId));
    }
  }

  private notifyIdle(): void {
    const busy = [...this.runtimes.values()].some((job) => job.driving);
    if (busy) return;
    const settled =
      !this.running || this.deps.store.all().every((r) => isTerminal(r.Status) || r.Status === 'Suspended');
    if (!settled) return;
    const waiters = this.idleWaiters;
    this.idleWaiters = [];
    for (const resolve of waiters) resolve();
  }

  private sleep(emulatedSeconds: number): Promise<void> {
    return this.sleepRealMs(this.deps.clock.realMs(emulatedSeconds));
  }

  private sleepRealMs(ms: number): Promise<void> {
    if (!this.running) return Promise.resolve();
    return new Promise((resolve) => {
      const wake = () => {
        clearTimeout(timer);
        this.sleepers.delete(wake);
        resolve();
      };
      const timer = setTimeout(wake, ms);
      this.sleepers.add(wake);
    });
  }
}
