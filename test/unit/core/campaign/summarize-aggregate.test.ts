// biome-ignore-all lint/suspicious/noThenProperty: `then` is a restore campaign's second job (schemas/campaign.schema.json), a plain data field, never a function.
import { describe, expect, it } from 'vitest';
import {
  aggregateCampaign,
  type CampaignCompletedFields,
} from '../../../../src/core/campaign/aggregate-campaign.js';
import { summarizeCampaignTarget } from '../../../../src/core/campaign/summarize-target.js';
import type {
  CampaignRun,
  CampaignTargetResult,
  ReportSummary,
  ResolvedTarget,
} from '../../../../src/generated/types.js';
import { aCampaignExecution } from '../../../builders/campaign.js';

const childArn =
  'arn:aws:states:us-east-1:123456789012:execution:s3-batch-orchestrator-dev-batch-job:weekly-tagging-20260301T0200Z-logs';
const jobId = '93735294-df46-44d5-8638-6356f335324e';

function aTarget(kind: 'batch-job' | 'restore-then' = 'batch-job', name = 'logs'): ResolvedTarget {
  return {
    plan: {
      name,
      kind,
      operation: kind === 'batch-job' ? 'S3PutObjectTagging' : 'S3InitiateRestoreObject',
      executionName: `weekly-tagging-20260301T0200Z-${name}`,
      estimatedUsd: 0.25,
    },
    input: {},
  };
}

function aReport(succeeded: number, failed: number, byErrorCode: Record<string, number> = {}): ReportSummary {
  return {
    jobId,
    available: true,
    totalTasks: succeeded + failed,
    succeededTasks: succeeded,
    failedTasks: failed,
    byErrorCode,
    byHttpStatus: {},
    sampleFailures: [],
    resultFiles: [],
  };
}

/** A batch-job machine's final state for a Complete job (docs/workflow-contract.md). */
function finalState(succeeded: number, failed: number, byErrorCode: Record<string, number> = {}, id = jobId) {
  return {
    job: { jobId: id, policy: null },
    progress: {
      status: 'Complete',
      succeededTasks: succeeded,
      failedTasks: failed,
      totalTasks: succeeded + failed,
    },
    report: { ...aReport(succeeded, failed, byErrorCode), jobId: id },
    attempts: [],
  };
}

const succeededChild = (output: unknown) => ({ ExecutionArn: childArn, Status: 'SUCCEEDED', Output: output });

/** States.TaskFailed as startExecution.sync:2 reports a failed child: its DescribeExecution in Cause. */
const failedChild = (error: string, cause: string, status = 'FAILED') => ({
  Error: 'States.TaskFailed',
  Cause: JSON.stringify({ ExecutionArn: childArn, Status: status, Error: error, Cause: cause }),
});

describe('summarizeCampaignTarget', () => {
  it('reads a completed job: Succeeded, its job id, totals from the report', () => {
    expect(
      summarizeCampaignTarget({ iteration: { target: aTarget(), child: succeededChild(finalState(5, 0)) } }),
    ).toEqual({
      name: 'logs',
      estimatedUsd: 0.25,
      outcome: 'Succeeded',
      jobId,
      executionArn: childArn,
      totals: { tasks: 5, succeeded: 5, failed: 0 },
      failuresByCode: {},
    });
  });

  it('reads failed tasks as PartialFailure, with the failures by code', () => {
    // Act
    const row = summarizeCampaignTarget({
      iteration: { target: aTarget(), child: succeededChild(finalState(3, 2, { NoSuchKey: 2 })) },
    });

    // Assess
    expect(row).toMatchObject({
      outcome: 'PartialFailure',
      totals: { tasks: 5, succeeded: 3, failed: 2 },
      failuresByCode: { NoSuchKey: 2 },
    });
  });

  it('counts every attempt when the job redrove its failures', () => {
    // Prepare: 2 of 5 failed with a transient error, the redrive job reran them and 1 succeeded
    const output = {
      ...finalState(1, 1, { InternalError: 1 }, 'redrive-job-1'),
      attempts: [aReport(3, 2, { InternalError: 2 })],
    };

    // Act
    const row = summarizeCampaignTarget({ iteration: { target: aTarget(), child: succeededChild(output) } });

    // Assess
    expect(row).toMatchObject({
      outcome: 'PartialFailure',
      jobId: 'redrive-job-1',
      totals: { tasks: 5, succeeded: 4, failed: 1 },
      failuresByCode: { InternalError: 1 },
    });
  });

  it('reports a job whose workflow continued in a fresh execution as Continued, naming it', () => {
    // Prepare
    const continuation = `${childArn}-c1`;
    const output = { ...finalState(0, 0), report: undefined, continuedAs: { executionArn: continuation } };

    // Act
    const row = summarizeCampaignTarget({ iteration: { target: aTarget(), child: succeededChild(output) } });

    // Assess
    expect(row).toMatchObject({ outcome: 'Continued', continuedAs: continuation, jobId });
  });

  it.each([
    ['BatchJobFailed', 'FAILED', 'Failed'],
    ['BatchJobCancelled', 'FAILED', 'Cancelled'],
    ['BatchJobTimedOut', 'FAILED', 'TimedOut'],
    ['RequestRejected', 'FAILED', 'Rejected'],
    ['OrchestrationFailed', 'FAILED', 'Failed'],
    ['States.Timeout', 'TIMED_OUT', 'TimedOut'],
    ['', 'ABORTED', 'Cancelled'],
  ])("reads a child that ended with %s (%s) as %s, with the child's cause", (error, status, outcome) => {
    // Act
    const row = summarizeCampaignTarget({
      iteration: { target: aTarget(), childError: failedChild(error, 'The job request is invalid', status) },
    });

    // Assess
    expect(row).toMatchObject({
      outcome,
      executionArn: childArn,
      totals: { tasks: 0, succeeded: 0, failed: 0 },
      reason: expect.stringContaining('The job request is invalid'),
    });
  });

  it('reads a child that could not be started as Failed with its error', () => {
    // Act
    const row = summarizeCampaignTarget({
      iteration: {
        target: aTarget(),
        childError: {
          Error: 'StepFunctions.ExecutionAlreadyExistsException',
          Cause: 'Execution Already Exists',
        },
      },
    });

    // Assess
    expect(row).toEqual({
      name: 'logs',
      estimatedUsd: 0.25,
      outcome: 'Failed',
      totals: { tasks: 0, succeeded: 0, failed: 0 },
      failuresByCode: {},
      reason: 'StepFunctions.ExecutionAlreadyExistsException: Execution Already Exists',
    });
  });

  it('reads a restore target by its last job, with both jobs and the restore counts', () => {
    // Prepare
    const output = {
      restore: finalState(4, 0, {}, 'restore-job-1'),
      then: finalState(3, 0, {}, 'copy-job-1'),
      restored: 3,
      notRestored: 1,
    };

    // Act
    const row = summarizeCampaignTarget({
      iteration: { target: aTarget('restore-then'), child: succeededChild(output) },
    });

    // Assess
    expect(row).toMatchObject({
      outcome: 'Succeeded',
      jobId: 'copy-job-1',
      totals: { tasks: 3, succeeded: 3, failed: 0 },
      restore: {
        outcome: 'Succeeded',
        jobId: 'restore-job-1',
        totals: { tasks: 4, succeeded: 4, failed: 0 },
      },
      then: { outcome: 'Succeeded', jobId: 'copy-job-1' },
      restored: 3,
      notRestored: 1,
    });
  });

  it("takes a restore target's outcome and reason from restore-then, not from its last job", () => {
    // Prepare: the copy of the 3 restored objects succeeded, but one object was not restored in time
    const output = {
      outcome: 'PartialFailure',
      reason: '1 of 4 objects were not restored by the deadline',
      restore: finalState(4, 0, {}, 'restore-job-1'),
      then: finalState(3, 0, {}, 'copy-job-1'),
      restored: 3,
      notRestored: 1,
    };

    // Act
    const row = summarizeCampaignTarget({
      iteration: { target: aTarget('restore-then'), child: succeededChild(output) },
    });

    // Assess
    expect(row).toMatchObject({
      outcome: 'PartialFailure',
      reason: '1 of 4 objects were not restored by the deadline',
      jobId: 'copy-job-1',
      totals: { tasks: 3, succeeded: 3, failed: 0 },
      notRestored: 1,
    });
  });
});

const run: CampaignRun = {
  runId: 'weekly-tagging-20260301T0200Z',
  campaign: 'weekly-tagging',
  scheduledTime: '2026-03-01T02:00:00.000Z',
  trigger: 'schedule',
  claimKey: 'campaign-runs/weekly-tagging/weekly-tagging-20260301T0200Z.json',
  duplicate: false,
  claimedBy: aCampaignExecution.arn,
};

const row = (name: string, outcome: CampaignTargetResult['outcome'], succeeded: number, failed: number) =>
  ({
    name,
    outcome,
    totals: { tasks: succeeded + failed, succeeded, failed },
    failuresByCode: failed > 0 ? { NoSuchKey: failed } : {},
    estimatedUsd: 0.25,
    ...(outcome === 'Succeeded' ? {} : { reason: `${name} went wrong` }),
  }) satisfies CampaignTargetResult;

const resolved = (budgetUsd?: number) => ({
  concurrency: 2,
  targets: [aTarget('batch-job', 'logs'), aTarget('batch-job', 'images'), aTarget('batch-job', 'exports')],
  estimate: { totalUsd: 0.75, complete: true, ...(budgetUsd ? { budgetUsd } : {}) },
});

describe('aggregateCampaign', () => {
  it.each([
    ['Succeeded', ['Succeeded', 'Succeeded', 'Succeeded']],
    ['PartialFailure', ['Succeeded', 'Failed', 'Rejected']],
    ['PartialFailure', ['PartialFailure', 'Failed', 'Failed']],
    ['Failed', ['Failed', 'Cancelled', 'TimedOut']],
    ['Failed', ['Continued', 'Failed', 'Rejected']],
  ] as const)('makes the run %s when its targets end %j', (outcome, outcomes) => {
    // Prepare
    const rows = outcomes.map((o, i) => row(`t${i}`, o, 1, 0));

    // Act / Assess
    expect(
      aggregateCampaign({ state: { campaign: {}, run, resolved: resolved(), outcomes: rows } }).outcome,
    ).toBe(outcome);
  });

  it('builds the Completed detail: the table in order, totals over every target, the estimated cost', () => {
    // Prepare
    const rows = [
      row('logs', 'Succeeded', 5, 0),
      row('images', 'PartialFailure', 3, 2),
      row('exports', 'Failed', 0, 0),
    ];

    // Act
    const { outcome, completed } = aggregateCampaign({
      state: { campaign: {}, run, resolved: resolved(5), outcomes: rows },
    });

    // Assess
    expect(outcome).toBe('PartialFailure');
    expect(completed).toEqual({
      campaign: 'weekly-tagging',
      runId: run.runId,
      scheduledTime: run.scheduledTime,
      trigger: 'schedule',
      outcome: 'PartialFailure',
      reason:
        '2 of 3 targets did not succeed: images PartialFailure (images went wrong); exports Failed (exports went wrong)',
      targets: rows,
      totals: {
        targets: 3,
        succeededTargets: 1,
        partialTargets: 1,
        failedTargets: 1,
        tasks: 10,
        succeededTasks: 8,
        failedTasks: 2,
      },
      cost: { estimatedUsd: 0.75, budgetUsd: 5 },
    });
  });

  it('reports a rejected run as Failed with its field and reason, every planned target NotStarted', () => {
    // Act
    const { outcome, completed } = aggregateCampaign({
      state: {
        campaign: {},
        run,
        resolved: {
          ...resolved(0.5),
          rejected: { field: 'budget.maxUsd', reason: 'the run is estimated at $0.75' },
        },
      },
    });

    // Assess
    expect(outcome).toBe('Failed');
    expect(completed).toMatchObject({
      outcome: 'Failed',
      field: 'budget.maxUsd',
      reason: 'budget.maxUsd: the run is estimated at $0.75',
      totals: { targets: 3, failedTargets: 3, tasks: 0 },
    });
    expect((completed as CampaignCompletedFields).targets.map((t) => t.outcome)).toEqual([
      'NotStarted',
      'NotStarted',
      'NotStarted',
    ]);
  });

  it('reports a run that failed before its targets ended as Failed, naming the error', () => {
    // Act
    const { outcome, completed } = aggregateCampaign({
      state: {
        campaign: {},
        run,
        error: {
          Error: 'ServiceThrottledError',
          Cause: JSON.stringify({
            errorType: 'ServiceThrottledError',
            errorMessage: 'S3.ListObjectsV2 throttled',
          }),
        },
      },
    });

    // Assess
    expect(outcome).toBe('Failed');
    expect(completed).toMatchObject({
      targets: [],
      reason: 'the run failed before every target ended: ServiceThrottledError: S3.ListObjectsV2 throttled',
      cost: { estimatedUsd: 0 },
    });
  });

  it('needs the claimed run', () => {
    expect(() => aggregateCampaign({ state: { campaign: {} } })).toThrow('state.run: is required');
  });
});
