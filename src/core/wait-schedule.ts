import type { JobStatus } from './names.js';
import type { WaitSettings } from './workflow-state.js';

export interface WaitInput {
  status: JobStatus;
  statusChanged: boolean;
  terminal: boolean;
  tasksRun: number;
  totalTasks: number;
  observedAt: Date;
  previous?: { tasksRun: number; observedAt: Date; nextWaitSeconds: number } | null;
  wait: WaitSettings;
  deadline: Date;
}

/** States that end on S3's own schedule, usually within seconds to minutes. */
const transitional: ReadonlySet<JobStatus> = new Set([
  'New',
  'Preparing',
  'Ready',
  'Pausing',
  'Completing',
  'Cancelling',
  'Failing',
]);

/**
 * Seconds until the next DescribeJob. Bounded backoff: back to the minimum on any status change; while
 * Active with measurable progress, half the estimated time to completion (so completion is seen promptly
 * without polling a long job every few seconds); otherwise grow by half each poll. Always within
 * [minSeconds, maxSeconds] and never past the deadline.
 */
export function nextWaitSeconds(input: WaitInput): number {
  const { wait } = input;
  if (input.terminal) return 0;
  const previousWait = input.previous?.nextWaitSeconds ?? wait.minSeconds;
  let seconds: number;
  if (input.statusChanged) {
    seconds = wait.minSeconds;
  } else if (input.status === 'Active' && input.previous) {
    const elapsed = (input.observedAt.getTime() - input.previous.observedAt.getTime()) / 1000;
    const rate = elapsed > 0 ? (input.tasksRun - input.previous.tasksRun) / elapsed : 0;
    const remaining = Math.max(0, input.totalTasks - input.tasksRun);
    seconds = rate > 0 ? remaining / rate / 2 : previousWait * 1.5;
  } else if (transitional.has(input.status)) {
    seconds = previousWait * 1.5;
  } else {
    // Suspended and Paused wait on someone else: back off towards the maximum.
    seconds = previousWait * 2;
  }
  const untilDeadline = (input.deadline.getTime() - input.observedAt.getTime()) / 1000;
  const bounded = Math.min(Math.max(seconds, wait.minSeconds), wait.maxSeconds);
  return Math.max(1, Math.ceil(Math.min(bounded, Math.max(untilDeadline, 1))));
}
