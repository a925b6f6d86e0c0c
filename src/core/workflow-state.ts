/**
 * The JSON document the batch-job state machine carries (docs/workflow-contract.md). Each Lambda reads
 * the parts it needs and returns one part; these types are that contract on the TypeScript side.
 */
import type { JobRequest, ReportSummary } from '../generated/types.js';
import type { JobStatus } from './names.js';

export interface ExecutionRef {
  arn: string;
  name: string;
  startTime: string;
}

export interface WaitSettings {
  minSeconds: number;
  maxSeconds: number;
  timeoutSeconds: number;
}

export interface ReportSettings {
  enabled: boolean;
  bucket?: string;
  prefix?: string;
  scope: 'AllTasks' | 'FailedTasksOnly';
}

/** What SubmitJob returns into `$.job`: everything later states need, with defaults applied. */
export interface SubmittedJob {
  jobId: string;
  accountId: string;
  clientRequestToken: string;
  operation: string;
  priority: number;
  submittedAt: string;
  /** Past this instant the workflow gives up waiting (the request's wait.timeoutSeconds). */
  deadline: string;
  confirmationRequired: boolean;
  autoConfirm: boolean;
  manifest: { bucket: string; key: string; etag: string; versionId?: string };
  report: ReportSettings;
  wait: WaitSettings;
}

/** What DescribeJob returns into `$.progress`. */
export interface JobSnapshot {
  jobId: string;
  status: JobStatus;
  previousStatus: JobStatus | null;
  statusChanged: boolean;
  terminal: boolean;
  totalTasks: number;
  succeededTasks: number;
  failedTasks: number;
  tasksRun: number;
  /** failed / run, 0 when nothing ran yet. */
  failureRate: number;
  elapsedSeconds: number;
  statusUpdateReason?: string;
  failureReasons: { code: string; reason: string }[];
  priority?: number;
  observedAt: string;
  polls: number;
  nextWaitSeconds: number;
  timedOut: boolean;
}

/** Step Functions writes a caught error as `{ Error, Cause }`. */
export interface CaughtError {
  Error: string;
  Cause?: string;
}

export interface WorkflowState {
  request: JobRequest;
  execution: ExecutionRef;
  job?: SubmittedJob;
  progress?: JobSnapshot | null;
  report?: ReportSummary;
  error?: CaughtError;
}
