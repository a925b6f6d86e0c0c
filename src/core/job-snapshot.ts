import { type JobStatus, terminalJobStatuses } from './names.js';
import { initialReprioritizeState } from './policy/decide.js';
import type { JobDescription } from './ports.js';
import { historyLimit, planWait } from './wait-schedule.js';
import type { JobSnapshot, SubmittedJob, WaitSettings } from './workflow-state.js';

/** Failed tasks over tasks run; 0 before any task ran. */
export function failureRate(succeeded: number, failed: number): number {
  const run = succeeded + failed;
  return run === 0 ? 0 : failed / run;
}

export const isTerminal = (status: JobStatus): boolean => terminalJobStatuses.includes(status);

/**
 * Turns a DescribeJob answer into the workflow's snapshot, comparing it with the previous one: status
 * change, progress rate over the recent observations, stall, and the next wait. Policy fields start empty
 * (monitorJob fills them).
 */
export function snapshotJob(
  description: JobDescription,
  job: Pick<SubmittedJob, 'jobId' | 'deadline'> & {
    wait: Pick<WaitSettings, 'minSeconds' | 'maxSeconds'> &
      Partial<Pick<WaitSettings, 'stallThresholdSeconds' | 'eventDriven'>>;
  },
  previous: JobSnapshot | null | undefined,
  now: Date,
): JobSnapshot {
  const summary = description.ProgressSummary ?? {};
  const totalTasks = summary.TotalNumberOfTasks ?? 0;
  const succeededTasks = summary.NumberOfTasksSucceeded ?? 0;
  const failedTasks = summary.NumberOfTasksFailed ?? 0;
  const tasksRun = succeededTasks + failedTasks;
  const status = description.Status;
  const terminal = isTerminal(status);
  const previousStatus = previous?.status ?? null;
  const statusChanged = previousStatus !== status;
  const deadline = new Date(job.deadline);
  // Earlier observations, the previous one last, as the wait schedule reads them.
  const earlier = previous
    ? [
        ...(previous.history ?? []),
        { tasksRun: previous.tasksRun, observedAt: previous.observedAt, status: previous.status },
      ].slice(-historyLimit)
    : [];
  const plan = planWait({
    status,
    statusChanged,
    terminal,
    tasksRun,
    totalTasks,
    observedAt: now,
    previous: previous
      ? {
          tasksRun: previous.tasksRun,
          observedAt: new Date(previous.observedAt),
          nextWaitSeconds: previous.nextWaitSeconds,
        }
      : null,
    wait: job.wait,
    deadline,
    history: earlier,
    ...(job.wait.stallThresholdSeconds ? { stallThresholdSeconds: job.wait.stallThresholdSeconds } : {}),
    ...(job.wait.eventDriven ? { eventDriven: true } : {}),
  });
  return {
    jobId: job.jobId,
    status,
    previousStatus,
    statusChanged,
    terminal,
    totalTasks,
    succeededTasks,
    failedTasks,
    tasksRun,
    failureRate: failureRate(succeededTasks, failedTasks),
    elapsedSeconds: summary.Timers?.ElapsedTimeInActiveSeconds ?? 0,
    ...(description.StatusUpdateReason ? { statusUpdateReason: description.StatusUpdateReason } : {}),
    failureReasons: (description.FailureReasons ?? []).map((r) => ({
      code: r.FailureCode ?? 'Unknown',
      reason: r.FailureReason ?? '',
    })),
    ...(description.Priority !== undefined ? { priority: description.Priority } : {}),
    observedAt: now.toISOString(),
    polls: (previous?.polls ?? 0) + 1,
    pollsInExecution: (previous?.pollsInExecution ?? 0) + 1,
    nextWaitSeconds: plan.seconds,
    timedOut: !terminal && now.getTime() >= deadline.getTime(),
    history: earlier,
    etaSeconds: plan.etaSeconds === null ? null : Math.round(plan.etaSeconds),
    stalled: plan.stalled,
    stallFlagged: plan.stalled && !(previous?.stalled ?? false),
    actions: [],
    policyState: previous?.policyState ?? initialReprioritizeState,
    cancelReported: previous?.cancelReported ?? false,
  };
}
