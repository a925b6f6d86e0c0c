/**
 * Jobs in memory, persisted in `storage`: one document per job (`s3control/jobs`), the manifest's task rows
 * once per job (`s3control/tasks`), and finished task results appended in segments (`s3control/results`,
 * `<jobId>.<n>`) — never one write per task, so a 100k-task job costs a few dozen writes.
 */
import type { Storage } from '../contracts.js';
import {
  JOBS_NAMESPACE,
  type JobRecord,
  RESULTS_NAMESPACE,
  TASKS_NAMESPACE,
  type TaskResult,
  type TaskRow,
} from './types.js';

interface TasksDoc {
  jobId: string;
  rows: TaskRow[];
}

interface ResultsDoc {
  jobId: string;
  segment: number;
  results: TaskResult[];
}

export class JobStore {
  private readonly jobs = new Map<string, JobRecord>();

  constructor(private readonly storage: Storage) {}

  /** Loads every persisted job (call once at start). */
  load(): JobRecord[] {
    this.jobs.clear();
    for (const record of this.storage.listDocs<JobRecord>(JOBS_NAMESPACE)) {
      if (record && typeof record.JobId === 'string') this.jobs.set(record.JobId, record);
    }
    return [...this.jobs.values()];
  }

  get(jobId: string): JobRecord | undefined {
    return this.jobs.get(jobId);
  }

  all(): JobRecord[] {
    return [...this.jobs.values()];
  }

  save(record: JobRecord): void {
    this.jobs.set(record.JobId, record);
    this.storage.putDoc(JOBS_NAMESPACE, record.JobId, record);
  }

  saveTasks(jobId: string, rows: TaskRow[]): void {
    this.storage.putDoc<TasksDoc>(TASKS_NAMESPACE, jobId, { jobId, rows });
  }

  loadTasks(jobId: string): TaskRow[] | undefined {
    return this.storage.getDoc<TasksDoc>(TASKS_NAMESPACE, jobId)?.rows;
  }

  /** Appends one results segment and records it on the job (segment first, so a crash loses no index). */
  appendResults(record: JobRecord, results: TaskResult[]): void {
    if (results.length === 0) {
      this.save(record);
      return;
    }
    const segment = record.resultSegments;
    this.storage.putDoc<ResultsDoc>(RESULTS_NAMESPACE, `${record.JobId}.${segment}`, {
      jobId: record.JobId,
      segment,
      results,
    });
    record.resultSegments = segment + 1;
    this.save(record);
  }

  loadResults(record: JobRecord): TaskResult[] {
    const results: TaskResult[] = [];
    for (let segment = 0; segment < record.resultSegments; segment++) {
      const doc = this.storage.getDoc<ResultsDoc>(RESULTS_NAMESPACE, `${record.JobId}.${segment}`);
      if (doc) results.push(...doc.results);
    }
    return results;
  }
}
