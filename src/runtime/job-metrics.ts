/**
 * The per-job metrics, derived from the lifecycle events the orchestrator puts on its bus: an event is the
 * moment a fact becomes true (a job submitted, completed with an outcome, a policy action taken, a redrive),
 * and its detail already carries the figures (schemas/events/). Deriving them here keeps one definition of
 * each fact and needs no metrics code in core. An event delivered twice (a retried emit) counts twice, as
 * its consumers see it twice; consumers dedupe on `eventId`, metrics cannot.
 *
 * Pure: what to record, not how (./metrics.ts publishes it).
 */
import { type DetailType, detailTypes } from '../core/names.js';
import type { RunContext } from './run-context.js';

/** CloudWatch units used here (a subset of MetricUnit's values). */
export type MetricUnitName = 'Count' | 'Percent' | 'Seconds';

/** Metric names, named once: the dashboard and alarms in serverless.yml use the same strings. */
export const metricNames = {
  jobsSubmitted: 'JobsSubmitted',
  jobsCompleted: 'JobsCompleted',
  tasksSucceeded: 'TasksSucceeded',
  tasksFailed: 'TasksFailed',
  failureRate: 'FailureRate',
  timeToComplete: 'TimeToComplete',
  policyActions: 'PolicyActions',
  policyDryRuns: 'PolicyDryRuns',
  redrives: 'Redrives',
  redrivenTasks: 'RedrivenTasks',
  jobsRejected: 'JobsRejected',
  campaignsCompleted: 'CampaignsCompleted',
  eventsFailedToPut: 'EventsFailedToPut',
} as const;
export type MetricName = (typeof metricNames)[keyof typeof metricNames];

/**
 * One value to record. `dimension` is the one extra, low-cardinality dimension a metric is broken down by
 * (`Outcome`, `Action`); never a job id, which goes to the EMF document as metadata instead.
 */
export interface MetricRecord {
  name: MetricName;
  unit: MetricUnitName;
  value: number;
  dimension?: { name: 'Outcome' | 'Action'; value: string };
}

type Detail = Record<string, unknown>;

const count = (name: MetricName, value = 1): MetricRecord => ({ name, unit: 'Count', value });
const numberOr = (value: unknown, fallback: number): number =>
  typeof value === 'number' && Number.isFinite(value) ? value : fallback;
const fieldsOf = (value: unknown): Detail | undefined =>
  typeof value === 'object' && value !== null ? (value as Detail) : undefined;

/** Seconds from the job's submission (SubmitJob's `submittedAt`) to the event, when both are known. */
function secondsSinceSubmitted(run: RunContext, occurredAt: unknown): number | undefined {
  if (run.submittedAt === undefined || typeof occurredAt !== 'string') return undefined;
  const seconds = (Date.parse(occurredAt) - Date.parse(run.submittedAt)) / 1000;
  return Number.isFinite(seconds) && seconds >= 0 ? seconds : undefined;
}

/** A job reached its end: counted by outcome, with its task figures and how long it took. */
function jobEnded(outcome: string, detail: Detail, run: RunContext): MetricRecord[] {
  const progress = fieldsOf(detail.progress);
  const records: MetricRecord[] = [
    { ...count(metricNames.jobsCompleted), dimension: { name: 'Outcome', value: outcome } },
  ];
  if (progress) {
    records.push(
      count(metricNames.tasksSucceeded, numberOr(progress.succeededTasks, 0)),
      count(metricNames.tasksFailed, numberOr(progress.failedTasks, 0)),
      { name: metricNames.failureRate, unit: 'Percent', value: numberOr(progress.failureRate, 0) * 100 },
    );
  }
  const seconds = secondsSinceSubmitted(run, detail.occurredAt);
  if (seconds !== undefined)
    records.push({ name: metricNames.timeToComplete, unit: 'Seconds', value: seconds });
  return records;
}

function policyAction(action: string, detail: Detail): MetricRecord[] {
  // A dry run only says what the policy would have done: counted apart, so it never reads as an action taken.
  const name = detail.dryRun === true ? metricNames.policyDryRuns : metricNames.policyActions;
  return [{ ...count(name), dimension: { name: 'Action', value: action } }];
}

/** The metrics one delivered event stands for (none for the events that are progress, not facts). */
export function metricsOfEvent(detailType: string, detail: Detail, run: RunContext): MetricRecord[] {
  switch (detailType as DetailType) {
    case detailTypes.submitted:
      return [count(metricNames.jobsSubmitted)];
    case detailTypes.completed:
      return jobEnded(String(detail.outcome), detail, run);
    case detailTypes.failed:
      return jobEnded('Failed', detail, run);
    case detailTypes.cancelled:
      return jobEnded('Cancelled', detail, run);
    case detailTypes.autoCancelled:
      return policyAction('AutoCancel', detail);
    case detailTypes.reprioritized:
      return policyAction('Reprioritize', detail);
    case detailTypes.redriven:
      return [count(metricNames.redrives), count(metricNames.redrivenTasks, numberOr(detail.taskCount, 0))];
    case detailTypes.rejected:
      return [count(metricNames.jobsRejected)];
    case detailTypes.campaignCompleted:
      return [
        {
          ...count(metricNames.campaignsCompleted),
          dimension: { name: 'Outcome', value: String(detail.outcome) },
        },
      ];
    default:
      return [];
  }
}
