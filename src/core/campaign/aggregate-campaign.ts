/**
 * Aggregate: the run's outcome and the Campaign Completed detail from however far the run got: the
 * per-target rows of RunTargets, or why no job started (an invalid or over-budget campaign, a failure before
 * the jobs), in which case every target that was planned is listed as NotStarted.
 *
 * Outcome: Succeeded when every target succeeded; Failed when none succeeded even in part (or no job
 * started); PartialFailure otherwise.
 */
import type {
  AggregateCampaignInput,
  CampaignAggregate,
  CampaignCompletedDetail,
  CampaignOutcome,
  CampaignTargetResult,
  CampaignTotals,
  CaughtError,
} from '../../generated/types.js';
import { TaskInputError } from '../errors.js';
import { lambdaErrorMessage } from '../events/workflow-details.js';
import { truncate } from './summarize-target.js';

/** The Campaign Completed detail's own fields; emit-events adds eventId, executionArn, stage, occurredAt. */
export type CampaignCompletedFields = Omit<
  CampaignCompletedDetail,
  'eventId' | 'executionArn' | 'stage' | 'occurredAt'
>;

export function aggregateCampaign(input: AggregateCampaignInput): CampaignAggregate {
  const { run, resolved, outcomes, error } = input.state;
  if (!run)
    throw new TaskInputError('aggregate-campaign', 'state.run', 'is required: the run was never claimed');
  const planned = resolved?.targets ?? [];
  const notStarted = (): CampaignTargetResult[] =>
    planned.map(({ plan }) => ({
      name: plan.name,
      outcome: 'NotStarted',
      totals: { tasks: 0, succeeded: 0, failed: 0 },
      failuresByCode: {},
      estimatedUsd: plan.estimatedUsd,
    }));

  let targets: CampaignTargetResult[];
  let outcome: CampaignOutcome;
  let reason: string | undefined;
  let field: string | undefined;
  if (resolved?.rejected) {
    targets = notStarted();
    outcome = 'Failed';
    field = resolved.rejected.field;
    reason = truncate(`${resolved.rejected.field}: ${resolved.rejected.reason}`);
  } else if (error) {
    targets = outcomes && outcomes.length > 0 ? outcomes : notStarted();
    outcome = 'Failed';
    reason = truncate(`the run failed before every target ended: ${errorText(error)}`);
  } else {
    targets = outcomes ?? [];
    outcome = outcomeOfTargets(targets);
    reason = outcome === 'Succeeded' ? undefined : notSucceededReason(targets);
  }

  const totals = totalsOf(targets);
  const completed: CampaignCompletedFields = {
    campaign: run.campaign,
    runId: run.runId,
    scheduledTime: run.scheduledTime,
    trigger: run.trigger,
    outcome,
    ...(reason === undefined ? {} : { reason }),
    ...(field === undefined ? {} : { field }),
    targets,
    totals,
    cost: {
      estimatedUsd: resolved?.estimate.totalUsd ?? 0,
      ...(resolved?.estimate.budgetUsd === undefined ? {} : { budgetUsd: resolved.estimate.budgetUsd }),
    },
  };
  return { outcome, completed: { ...completed } };
}

export function outcomeOfTargets(targets: readonly CampaignTargetResult[]): CampaignOutcome {
  if (targets.length > 0 && targets.every((target) => target.outcome === 'Succeeded')) return 'Succeeded';
  const someSucceeded = targets.some(
    (target) => target.outcome === 'Succeeded' || target.outcome === 'PartialFailure',
  );
  return someSucceeded ? 'PartialFailure' : 'Failed';
}

function totalsOf(targets: readonly CampaignTargetResult[]): CampaignTotals {
  const count = (outcome: CampaignTargetResult['outcome']) =>
    targets.filter((t) => t.outcome === outcome).length;
  const sum = (pick: (t: CampaignTargetResult) => number) => targets.reduce((total, t) => total + pick(t), 0);
  const succeededTargets = count('Succeeded');
  const partialTargets = count('PartialFailure');
  return {
    targets: targets.length,
    succeededTargets,
    partialTargets,
    failedTargets: targets.length - succeededTargets - partialTargets,
    tasks: sum((t) => t.totals.tasks),
    succeededTasks: sum((t) => t.totals.succeeded),
    failedTasks: sum((t) => t.totals.failed),
  };
}

function notSucceededReason(targets: readonly CampaignTargetResult[]): string {
  if (targets.length === 0) return 'the campaign has no target';
  const others = targets.filter((target) => target.outcome !== 'Succeeded');
  const listed = others.map((t) => `${t.name} ${t.outcome}${t.reason ? ` (${t.reason})` : ''}`).join('; ');
  return truncate(`${others.length} of ${targets.length} targets did not succeed: ${listed}`);
}

function errorText(error: CaughtError): string {
  return `${error.Error}: ${lambdaErrorMessage(error.Cause) ?? 'no cause given'}`;
}
