import { describe, expect, it } from 'vitest';
import { confirmJob } from '../../../src/core/confirm-job.js';
import { stageJobTagKey } from '../../../src/core/names.js';
import { memoryBatchJobs } from '../../doubles/memory-ports.js';

const stage = 'test';

async function suspendedJob() {
  const jobs = memoryBatchJobs();
  jobs.jobs.set('j1', { JobId: 'j1', Status: 'Suspended' });
  jobs.tags.set('j1', [{ Key: stageJobTagKey, Value: stage }]);
  return { jobs, stage };
}

describe('confirmJob', () => {
  it('moves a Suspended job to Ready when the request allows it', async () => {
    const deps = await suspendedJob();
    const result = await confirmJob(
      deps,
      { jobId: 'j1', accountId: '1', autoConfirm: true },
      { status: 'Suspended' },
    );
    expect(result).toEqual({ status: 'Ready', confirmed: true });
  });

  it('leaves the job alone when the request does not allow it', async () => {
    const deps = await suspendedJob();
    const { jobs } = deps;
    const result = await confirmJob(
      deps,
      { jobId: 'j1', accountId: '1', autoConfirm: false },
      { status: 'Suspended' },
    );
    expect(result.confirmed).toBe(false);
    expect(jobs.jobs.get('j1')!.Status).toBe('Suspended');
  });

  it('treats a retry after the job already left Suspended as done', async () => {
    const deps = await suspendedJob();
    await confirmJob(deps, { jobId: 'j1', accountId: '1', autoConfirm: true }, { status: 'Suspended' });
    const retry = await confirmJob(
      deps,
      { jobId: 'j1', accountId: '1', autoConfirm: true },
      { status: 'Suspended' },
    );
    expect(retry).toEqual({ status: 'Ready', confirmed: false });
  });

  it("refuses to confirm a job that is not one of this stage's", async () => {
    const deps = await suspendedJob();
    deps.jobs.tags.delete('j1');
    await expect(
      confirmJob(deps, { jobId: 'j1', accountId: '1', autoConfirm: true }, { status: 'Suspended' }),
    ).rejects.toMatchObject({ name: 'ForeignJobError' });
    expect(deps.jobs.jobs.get('j1')!.Status).toBe('Suspended');
  });
});
