/**
 * The job status machine ("Job statuses", S3 User Guide): New → Preparing → (Suspended) → Ready →
 * Active ⇄ Pausing → Paused → Completing → Complete; Cancelling → Cancelled; Failing → Failed.
 * Every change is persisted, stamps the dates DescribeJob shows and emits a JobStatusChanged event.
 */
import type { EmulatorClock, EventSink } from '../contracts.js';
import { emitJobEvent } from './job-events.js';
import type { JobStore } from './job-store.js';
import { type JobFailure, type JobRecord, type JobStatus, TERMINAL_STATUSES } from './types.js';

const TRANSITIONS: Record<JobStatus, readonly JobStatus[]> = {
  New: ['Preparing', 'Cancelling', 'Failing'],
  Preparing: ['Suspended', 'Ready', 'Cancelling', 'Failing'],
  Suspended: ['Ready', 'Cancelling'],
  Ready: ['Active', 'Cancelling'],
  Active: ['Pausing', 'Completing', 'Cancelling', 'Failing'],
  Pausing: ['Paused', 'Completing', 'Cancelling', 'Failing'],
  Paused: ['Active', 'Cancelling'],
  Completing: ['Complete', 'Failing'],
  Cancelling: ['Cancelled', 'Failing'],
  Failing: ['Failed'],
  Complete: [],
  Cancelled: [],
  Failed: [],
};

/** Statuses UpdateJobStatus(Cancelled) accepts: a job that is not finished and not already finishing. */
export const CANCELLABLE: ReadonlySet<JobStatus> = new Set([
  'New',
  'Preparing',
  'Suspended',
  'Ready',
  'Active',
  'Pausing',
  'Paused',
]);

/** The cause S3 reports for a job waiting for UpdateJobStatus(Ready). */
export const SUSPENDED_CAUSE_CONFIRMATION = 'AWAITING_CONFIRMATION';

export const isTerminal = (status: JobStatus) => TERMINAL_STATUSES.has(status);

export interface LifecycleContext {
  store: JobStore;
  events: EventSink;
  clock: EmulatorClock;
}

export interface TransitionDetails {
  statusUpdateReason?: string;
  failure?: JobFailure;
}

/** Emulated seconds the job has spent Active, including the current activation. */
export function elapsedActiveSeconds(record: JobRecord, now: Date): number {
  const { activeSeconds, activeSince } = record.progress;
  const current = activeSince ? Math.max(0, (now.getTime() - Date.parse(activeSince)) / 1000) : 0;
  return Math.floor(activeSeconds + current);
}

export function canTransition(from: JobStatus, to: JobStatus): boolean {
  return TRANSITIONS[from].includes(to);
}

/** Applies one status change; throws on a change the state machine forbids (an engine bug, not a user error). */
export function transition(
  context: LifecycleContext,
  record: JobRecord,
  to: JobStatus,
  details: TransitionDetails = {},
): void {
  if (!canTransition(record.Status, to)) throw new Error(`illegal job transition ${record.Status} → ${to}`);
  const now = context.clock.now();
  if (record.Status === 'Active' && record.progress.activeSince) {
    record.progress.activeSeconds += Math.max(
      0,
      (now.getTime() - Date.parse(record.progress.activeSince)) / 1000,
    );
    delete record.progress.activeSince;
  }
  if (to === 'Active') record.progress.activeSince = now.toISOString();
  if (to === 'Suspended') {
    record.SuspendedDate = now.toISOString();
    record.SuspendedCause = SUSPENDED_CAUSE_CONFIRMATION;
  }
  if (record.Status === 'Suspended') delete record.SuspendedCause;
  if (isTerminal(to)) record.TerminationDate = now.toISOString();
  if (details.statusUpdateReason !== undefined) record.StatusUpdateReason = details.statusUpdateReason;
  if (details.failure) record.FailureReasons.push(details.failure);
  record.Status = to;
  context.store.save(record);
  emitJobEvent(context.events, record, 'JobStatusChanged', now);
}
