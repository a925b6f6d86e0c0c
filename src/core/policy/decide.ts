/**
 * What to do about a running job, decided from one DescribeJob snapshot: auto-cancel on failures, lower the
 * priority of a failing job (and restore it once it recovers), raise it when the deadline is at risk.
 * Pure: the caller passes the clock and the ETA, and carries `reprioritizeState` from one poll to the next.
 */
import type { JobPolicy } from '../../generated/types.js';
import { type JobStatus, serviceName, terminalJobStatuses } from '../names.js';
import type {
  CancelAction,
  JobSnapshot,
  PolicyAction,
  ReprioritizeAction,
  ReprioritizeState,
} from '../workflow-state.js';
import { type ResolvedPolicy, resolvePolicy } from './policy-settings.js';

export type { CancelAction, PolicyAction, ReprioritizeAction, ReprioritizeState };

export const initialReprioritizeState: ReprioritizeState = { lowered: false, raised: false };

export interface PolicyInput {
  /** The request's `policy` section; defaults are applied here. */
  policy: JobPolicy | undefined;
  snapshot: Pick<JobSnapshot, 'status' | 'terminal' | 'tasksRun' | 'failedTasks' | 'failureRate'>;
  /** The job's priority now (DescribeJob Priority, or the last one set). */
  currentPriority: number;
  /** The priority the job was submitted with; a recovered job returns to it. */
  originalPriority: number;
  reprioritizeState: ReprioritizeState;
  now: Date;
  /** Estimated seconds until every task has run (wait-schedule's planWait), when known. */
  etaSeconds?: number | null;
}

export interface PolicyDecision {
  actions: PolicyAction[];
  reprioritizeState: ReprioritizeState;
}

/**
 * States in which the job is already ending (or has ended): cancelling or reprioritizing it then is
 * pointless at best, and UpdateJobStatus answers JobStatusException.
 */
const endingStatuses: ReadonlySet<JobStatus> = new Set([
  ...terminalJobStatuses,
  'Completing',
  'Cancelling',
  'Failing',
]);

/** StatusUpdateReason is limited to 256 characters (S3 Control API reference, UpdateJobStatus). */
const maxReasonLength = 256;

export const formatRate = (rate: number): string => {
  const percent = rate * 100;
  return `${percent >= 1 || percent === 0 ? percent.toFixed(1) : percent.toPrecision(2)}%`;
};

const clip = (text: string): string =>
  text.length <= maxReasonLength ? text : `${text.slice(0, maxReasonLength - 1)}…`;

function cancelDecision(
  autoCancel: NonNullable<ResolvedPolicy['autoCancel']>,
  snapshot: PolicyInput['snapshot'],
): Omit<CancelAction, 'dryRun'> | null {
  const { failureRateThreshold: threshold, minTasksRun, maxFailedTasks } = autoCancel;
  const { failureRate, tasksRun, failedTasks } = snapshot;
  const measured = `failure rate ${formatRate(failureRate)} (${failedTasks} of ${tasksRun} tasks)`;
  const causes: string[] = [];
  if (threshold !== undefined && tasksRun >= minTasksRun && failureRate > threshold) {
    causes.push(`${measured} exceeded ${formatRate(threshold)} after ≥${minTasksRun} tasks`);
  }
  if (maxFailedTasks !== undefined && failedTasks >= maxFailedTasks) {
    causes.push(
      `${failedTasks} tasks failed, reaching the limit of ${maxFailedTasks}${causes.length ? '' : ` (${measured})`}`,
    );
  }
  if (causes.length === 0) return null;
  return {
    kind: 'cancel',
    reason: clip(`Auto-cancelled by ${serviceName}: ${causes.join('; ')}`),
    figures: {
      failureRate,
      tasksRun,
      failedTasks,
      threshold: threshold ?? null,
      ...(maxFailedTasks !== undefined ? { maxFailedTasks } : {}),
    },
  };
}

/**
 * Hysteresis: lowered at or above warnFailureRate (the schema's wording) once minTasksRun tasks ran, and
 * restored only below recoverFailureRate, which validatePolicy keeps under warnFailureRate — a rate
 * hovering between the two changes nothing. Raised once the deadline is passed or the ETA passes it.
 */
function nextState(
  rules: NonNullable<ResolvedPolicy['reprioritize']>,
  input: PolicyInput,
): ReprioritizeState {
  const { snapshot, now, etaSeconds } = input;
  let { lowered, raised } = input.reprioritizeState;
  if (rules.failure) {
    const { warnFailureRate, recoverFailureRate } = rules.failure;
    if (!lowered && snapshot.tasksRun >= rules.minTasksRun && snapshot.failureRate >= warnFailureRate)
      lowered = true;
    else if (lowered && snapshot.failureRate < recoverFailureRate) lowered = false;
  }
  if (rules.deadline && !raised) {
    const deadline = Date.parse(rules.deadline.at);
    const finishing = etaSeconds == null ? now.getTime() : now.getTime() + etaSeconds * 1000;
    raised = finishing > deadline || now.getTime() >= deadline;
  }
  return { lowered, raised };
}

/**
 * The priority a state asks for. A failing job stays lowered even when its deadline is at risk: raising it
 * would spend other jobs' capacity on failing tasks.
 */
function targetPriority(
  rules: NonNullable<ResolvedPolicy['reprioritize']>,
  state: ReprioritizeState,
  originalPriority: number,
): number {
  if (state.lowered && rules.failure) return rules.failure.loweredPriority;
  if (state.raised && rules.deadline) return rules.deadline.raisedPriority;
  return originalPriority;
}

function reprioritizeReason(
  cause: ReprioritizeAction['cause'],
  input: PolicyInput,
  rules: NonNullable<ResolvedPolicy['reprioritize']>,
  from: number,
  to: number,
): string {
  const { snapshot, now, etaSeconds } = input;
  const measured = `failure rate ${formatRate(snapshot.failureRate)} (${snapshot.failedTasks} of ${snapshot.tasksRun} tasks)`;
  const change = `priority ${from} → ${to}`;
  switch (cause) {
    case 'failure-rate':
      return clip(`${measured} reached ${formatRate(rules.failure!.warnFailureRate)}: ${change}`);
    case 'recovered':
      return clip(`${measured} fell below ${formatRate(rules.failure!.recoverFailureRate)}: ${change}`);
    case 'deadline': {
      const eta =
        etaSeconds == null
          ? 'deadline passed'
          : `ETA ${new Date(now.getTime() + etaSeconds * 1000).toISOString()}`;
      return clip(`${eta}, deadline ${rules.deadline!.at}: ${change}`);
    }
  }
}

/** Decides the policy's actions for one snapshot; cancel wins over reprioritize. */
export function decidePolicyActions(input: PolicyInput): PolicyDecision {
  const { snapshot, reprioritizeState } = input;
  const policy = resolvePolicy(input.policy);
  if (snapshot.terminal || endingStatuses.has(snapshot.status)) return { actions: [], reprioritizeState };

  const cancel = policy.autoCancel ? cancelDecision(policy.autoCancel, snapshot) : null;
  if (cancel) return { actions: [{ ...cancel, dryRun: policy.dryRun }], reprioritizeState };

  const rules = policy.reprioritize;
  if (!rules) return { actions: [], reprioritizeState };
  const state = nextState(rules, input);
  const before = targetPriority(rules, reprioritizeState, input.originalPriority);
  const after = targetPriority(rules, state, input.originalPriority);
  // A dry run never changed the priority, so it reports the change from the priority it would have set.
  const from = policy.dryRun ? before : input.currentPriority;
  if (after === before || (!policy.dryRun && from === after))
    return { actions: [], reprioritizeState: state };
  const cause: ReprioritizeAction['cause'] = state.lowered
    ? 'failure-rate'
    : reprioritizeState.lowered
      ? 'recovered'
      : 'deadline';
  const reason = reprioritizeReason(cause, input, rules, from, after);
  return {
    actions: [{ kind: 'reprioritize', from, to: after, cause, reason, dryRun: policy.dryRun }],
    reprioritizeState: state,
  };
}
