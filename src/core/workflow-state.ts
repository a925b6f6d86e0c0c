/**
 * The JSON document the batch-job state machine carries (docs/workflow-contract.md). Each Lambda reads
 * the parts it needs and returns one part; these types are that contract on the TypeScript side.
 */
import type { JobPolicy, JobRequest, ReportSummary } from '../generated/types.js';
import type { JobStatus } from './names.js';
import type { PolicyAction, ReprioritizeState } from './policy/decide.js';
import type { ProgressPoint } from './wait-schedule.js';

export interface ExecutionRef {
  arn: string;
  name: string;
  startTime: string;
}

export interface WaitSettings {
  minSeconds: number;
  maxSeconds: number;
  timeoutSeconds: number;
  /** Park a task token so S3's job events wake the wait early (needs the stage's state bucket). */
  eventDriven: boolean;
  maxPollsPerExecution: number;
  stallThresholdSeconds: number;
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
  /** The request's policy section (null: no policy), judged on every DescribeJob. */
  policy: JobPolicy | null;
  /** 1 for the requested job; 2, 3… for redrives of its failed tasks. */
  attempt: number;
  /** The job this one redrives (attempt > 1). */
  parentJobId?: string;
  /** How many times the workflow continued in a fresh execution (history safety). */
  continuations: number;
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
  /** Polls in this execution: past wait.maxPollsPerExecution the workflow continues in a fresh one. */
  pollsInExecution: number;
  nextWaitSeconds: number;
  timedOut: boolean;
  /** Recent observations, oldest first (bounded): the progress rate and stalls are measured over them. */
  history: ProgressPoint[];
  /** Estimated seconds until every task has run; null when unknown. */
  etaSeconds: number | null;
  stalled: boolean;
  /** The job became stalled at this poll: the workflow flags it once in a Status Changed event. */
  stallFlagged: boolean;
  /** What the policy decided at this poll (each applied unless the policy is a dry run). */
  actions: PolicyAction[];
  policyState: ReprioritizeState;
  /** A (dry-run) auto-cancel was already reported: a dry run reports its decision once, not every poll. */
  cancelReported: boolean;
}

/** Step Functions writes a caught error as `{ Error, Cause }`. */
export interface CaughtError {
  Error: string;
  Cause?: string;
}

/** What RedriveJob returns into `$.redrive`. */
export interface RedriveOutcome {
  redriven: boolean;
  reason: string;
  /** The new job, when one was submitted. */
  job?: SubmittedJob;
  taskCount: number;
  /** Summaries of every attempt so far (the one just finished included), for the final aggregate. */
  attempts: ReportSummary[];
}

export interface WorkflowState {
  request: JobRequest;
  execution: ExecutionRef;
  job?: SubmittedJob;
  progress?: JobSnapshot | null;
  report?: ReportSummary;
  /** Report summaries of earlier attempts (redrives), oldest first. */
  attempts?: ReportSummary[];
  redrive?: RedriveOutcome;
  error?: CaughtError;
}
