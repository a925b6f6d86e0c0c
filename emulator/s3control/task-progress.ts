/**
 * One job's task progress in memory: which manifest rows are done, their results, and the results not yet
 * persisted. Results are written in segments (every few thousand results or half a second), never per task;
 * on load, finished indices are rebuilt from the segments so a restarted engine does not redo them.
 */
import type { JobStore } from './job-store.js';
import type { JobRecord, TaskOutcome, TaskResult, TaskRow } from './types.js';

/** S3's rule: once 1,000 tasks have run, a failure rate above 50% fails the job. */
export const FAILURE_THRESHOLD = { minTasksRun: 1000, maxFailureRate: 0.5 };
const FLUSH_EVERY_RESULTS = 5000;
const FLUSH_EVERY_MS = 500;

export function failureThresholdExceeded(record: JobRecord): boolean {
  const run = record.progress.succeeded + record.progress.failed;
  return (
    run >= FAILURE_THRESHOLD.minTasksRun && record.progress.failed / run > FAILURE_THRESHOLD.maxFailureRate
  );
}

export class TaskProgress {
  readonly done: Uint8Array;
  readonly results: TaskResult[] = [];
  private unsaved: TaskResult[] = [];
  private lastFlush = performance.now();
  private cursor = 0;

  private constructor(readonly rows: TaskRow[]) {
    this.done = new Uint8Array(rows.length);
  }

  static fresh(rows: TaskRow[]): TaskProgress {
    return new TaskProgress(rows);
  }

  /** Rebuilds progress from storage and corrects the record's counters to match what was persisted. */
  static load(store: JobStore, record: JobRecord): TaskProgress {
    const progress = new TaskProgress(store.loadTasks(record.JobId) ?? []);
    let succeeded = 0;
    let failed = 0;
    for (const result of store.loadResults(record)) {
      if (progress.done[result[0]]) continue;
      progress.done[result[0]] = 1;
      progress.results.push(result);
      if (result[1]) succeeded++;
      else failed++;
    }
    record.progress.succeeded = succeeded;
    record.progress.failed = failed;
    return progress;
  }

  /** Starts the next scan from the first row (rows skipped by an interrupted batch are picked up again). */
  rewind(): void {
    this.cursor = 0;
  }

  /** Up to `limit` indices of rows not yet done, in manifest order. */
  nextPending(limit: number): number[] {
    const picked: number[] = [];
    while (picked.length < limit && this.cursor < this.done.length) {
      if (!this.done[this.cursor]) picked.push(this.cursor);
      this.cursor++;
    }
    return picked;
  }

  complete(record: JobRecord, index: number, outcome: TaskOutcome): void {
    const result: TaskResult = [
      index,
      outcome.succeeded ? 1 : 0,
      outcome.httpStatus,
      outcome.errorCode,
      outcome.message,
    ];
    this.done[index] = 1;
    this.results.push(result);
    this.unsaved.push(result);
    if (outcome.succeeded) record.progress.succeeded++;
    else record.progress.failed++;
  }

  flush(store: JobStore, record: JobRecord): void {
    if (this.unsaved.length === 0) return;
    store.appendResults(record, this.unsaved);
    this.unsaved = [];
    this.lastFlush = performance.now();
  }

  flushIfDue(store: JobStore, record: JobRecord): void {
    if (this.unsaved.length >= FLUSH_EVERY_RESULTS || performance.now() - this.lastFlush >= FLUSH_EVERY_MS) {
      this.flush(store, record);
    }
  }
}
