/**
 * A consumer of the orchestrator's events, written against the published entry point only (imported by the
 * package's name, as an installed dependency is): narrowing on `event['detail-type']` gives each detail its
 * own type. `npm run typecheck` checks it (tsconfig includes test/), entry-point.test.ts checks it again
 * with the declaration file itself type-checked (skipLibCheck off) and runs it on real events.
 */
import { detailTypes, type OrchestratorEvent, type OrchestratorEventOf } from 's3-batch-orchestrator/events';

/** One line per event, reading fields only the narrowed detail type has. */
export function describeEvent(event: OrchestratorEvent): string {
  switch (event['detail-type']) {
    case detailTypes.submitted:
      return `job ${event.detail.jobId} submitted: ${event.detail.operation}, priority ${event.detail.priority}`;
    case detailTypes.statusChanged:
      return `job ${event.detail.jobId} ${event.detail.previousStatus ?? 'new'} -> ${event.detail.status}`;
    case detailTypes.completed:
      return `job ${event.detail.jobId} completed (${event.detail.outcome}), ${event.detail.summary.failedTasks} failed`;
    case 'Campaign Started':
      return `campaign ${event.detail.campaign} started ${event.detail.targets.length} targets`;
    default:
      return `${event['detail-type']} from ${event.source} in ${event.region}`;
  }
}

/** The job a batch-job event is about; campaign events have none, which the types know. */
export function jobIdOf(event: OrchestratorEvent): string | undefined {
  if (event['detail-type'] === detailTypes.campaignStarted) {
    // @ts-expect-error a Campaign Started detail has no jobId
    return event.detail.jobId;
  }
  return 'jobId' in event.detail ? event.detail.jobId : undefined;
}

/** A handler for one detail type: the event type of that detail alone. */
export const onSubmitted = (event: OrchestratorEventOf<'Batch Job Submitted'>): string =>
  event.detail.clientRequestToken;
