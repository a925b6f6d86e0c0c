import type { WorkflowPort } from '../ports.js';
import type { WorkflowState } from '../workflow-state.js';

/** What a continued execution receives: the state to resume from, instead of a job request. */
export interface ContinuationInput {
  continuation: Pick<WorkflowState, 'request' | 'job' | 'progress' | 'attempts'>;
}

const maxExecutionName = 80;

/**
 * History safety: Step Functions fails an execution at 25,000 history events. A long job's workflow
 * continues in a fresh execution of the same state machine, carrying its state, before it gets near.
 * The name is derived (`<original>-c<n>`), so a retried call finds the execution it already started.
 */
export async function continueInFreshExecution(
  workflow: WorkflowPort,
  state: WorkflowState,
): Promise<{ executionArn: string; continuation: number }> {
  const job = state.job;
  const progress = state.progress;
  if (!job || !progress) throw new Error('continue-execution needs $.job and $.progress');
  const continuation = job.continuations + 1;
  const input: ContinuationInput = {
    continuation: {
      request: state.request,
      job: { ...job, continuations: continuation },
      progress: { ...progress, pollsInExecution: 0 },
      attempts: state.attempts ?? [],
    },
  };
  const { executionArn } = await workflow.startExecution(
    stateMachineArnOf(state.execution.arn),
    continuationName(state.execution.name, continuation),
    input,
  );
  return { executionArn, continuation };
}

/** `arn:aws:states:r:a:execution:<machine>:<name>` → `arn:aws:states:r:a:stateMachine:<machine>` */
export function stateMachineArnOf(executionArn: string): string {
  const parts = executionArn.split(':');
  if (parts.length < 8 || parts[5] !== 'execution') throw new Error(`not an execution ARN: ${executionArn}`);
  return [...parts.slice(0, 5), 'stateMachine', parts[6]].join(':');
}

/** `<base>-c<n>`, where base drops an earlier `-c<k>` suffix and is trimmed to fit 80 characters. */
export function continuationName(executionName: string, continuation: number): string {
  const suffix = `-c${continuation}`;
  const base = executionName.replace(/-c\d+$/, '');
  return `${base.slice(0, maxExecutionName - suffix.length)}${suffix}`;
}
