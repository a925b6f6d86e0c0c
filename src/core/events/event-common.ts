import { createHash } from 'node:crypto';
import type { DetailType } from '../names.js';
import type { WorkflowState } from '../workflow-state.js';

export type Detail = Record<string, unknown>;

export interface BuiltEvent {
  detailType: DetailType;
  detail: Detail;
}

/** Stable per execution and step, so consumers can drop the duplicates that at-least-once delivery brings. */
export function eventId(executionArn: string, step: string): string {
  return createHash('sha256').update(executionArn).update('\n').update(step).digest('hex').slice(0, 32);
}

/** Fields every orchestrator event carries; `step` makes the id stable across retries of the same emit. */
export function commonDetail(state: WorkflowState, step: string, stage: string, now: Date): Detail {
  return {
    eventId: eventId(state.execution.arn, step),
    executionArn: state.execution.arn,
    stage,
    occurredAt: now.toISOString(),
    ...(state.job ? { jobId: state.job.jobId } : {}),
  };
}
