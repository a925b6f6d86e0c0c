import { describe, expect, it } from 'vitest';
import { monitorJob } from '../../../src/core/monitor-job.js';
import { stageJobTagKey } from '../../../src/core/names.js';
import type { SubmittedJob } from '../../../src/core/workflow-state.js';
import type { JobPolicy } from '../../../src/generated/types.js';
import { aSubmittedJob, defaultWaitSettings } from '../../builders/submitted-job.js';
import { memoryBatchJobs } from '../../doubles/memory-ports.js';

const t0 = Date.parse('2026-11-26T10:00:00Z');
const stage = 'test';
const clockAt = (seconds: number) => ({ now: () => new Date(t0 + seconds * 1000) });

function aJob(policy: JobPolicy | null): SubmittedJob {
  return aSubmittedJob({
    jobId: 'j1',
    priority: 50,
    submittedAt: new Date(t0).toISOString(),
    deadline: new Date(t0 + 86_400_000).toISOString(),
    report: { enabled: false, scope: 'AllTasks' },
    wait: { ...defaultWaitSettings, timeoutSeconds: 86_400 },
    policy,
  });
}

/** A job Active with `failed` of `run` tasks failed. */
function activeJob(run: number, failed: number) {
  const jobs = memoryBatchJobs();
  jobs.jobs.set('j1', {
    JobId: 'j1',
    Status: 'Active',
    Priority: 50,
    ProgressSummary: {
      TotalNumberOfTasks: 10_000,
      NumberOfTasksSucceeded: run - failed,
      NumberOfTasksFailed: failed,
    },
  });
  jobs.tags.set('j1', [{ Key: stageJobTagKey, Value: stage }]);
  return jobs;
}

describe('monitorJob', () => {
  it('only describes when the request has no policy', async () => {
    const jobs = activeJob(1000, 900);
    const snapshot = await monitorJob({ jobs, stage, clock: clockAt(10) }, aJob(null), null);
    expect(snapshot.actions).toEqual([]);
    expect(jobs.jobs.get('j1')!.Status).toBe('Active');
  });

  it('cancels the job with the measured rate in the reason', async () => {
    const jobs = activeJob(400, 80);
    const job = aJob({ autoCancel: { failureRateThreshold: 0.05, minTasksRun: 200 } });
    const snapshot = await monitorJob({ jobs, stage, clock: clockAt(10) }, job, null);
    expect(snapshot.actions).toHaveLength(1);
    expect(jobs.jobs.get('j1')).toMatchObject({ Status: 'Cancelling' });
    expect(jobs.jobs.get('j1')!.StatusUpdateReason).toMatch(/20\.0%/);
  });

  it('reports a dry-run cancel once and leaves the job running', async () => {
    const jobs = activeJob(400, 80);
    const job = aJob({ dryRun: true, autoCancel: { failureRateThreshold: 0.05, minTasksRun: 200 } });
    const first = await monitorJob({ jobs, stage, clock: clockAt(10) }, job, null);
    const second = await monitorJob({ jobs, stage, clock: clockAt(20) }, job, first);
    expect(first.actions.map((a) => [a.kind, a.dryRun])).toEqual([['cancel', true]]);
    expect(second.actions).toEqual([]);
    expect(jobs.jobs.get('j1')!.Status).toBe('Active');
  });

  it('lowers the priority through UpdateJobPriority', async () => {
    const jobs = activeJob(400, 200);
    const job = aJob({ reprioritize: { warnFailureRate: 0.2, recoverFailureRate: 0.1, loweredPriority: 5 } });
    const snapshot = await monitorJob({ jobs, stage, clock: clockAt(10) }, job, null);
    expect(snapshot.actions).toMatchObject([{ kind: 'reprioritize', from: 50, to: 5 }]);
    expect(jobs.jobs.get('j1')!.Priority).toBe(5);
    expect(snapshot.policyState.lowered).toBe(true);
  });

  it("changes nothing on a job without this stage's tag (not created by the orchestrator)", async () => {
    // Prepare: the same failing job, but tagged by another stage
    const jobs = activeJob(400, 80);
    jobs.tags.set('j1', [{ Key: stageJobTagKey, Value: 'prod' }]);
    const job = aJob({ autoCancel: { failureRateThreshold: 0.05, minTasksRun: 200 } });
    // Act
    const monitoring = monitorJob({ jobs, stage, clock: clockAt(10) }, job, null);
    // Assess
    await expect(monitoring).rejects.toMatchObject({ name: 'ForeignJobError' });
    expect(jobs.jobs.get('j1')!.Status).toBe('Active');
  });
});
