import { describe, expect, it } from 'vitest';
import { confirmJob } from '../../../src/core/confirm-job.js';
import { memoryBatchJobs } from '../../doubles/memory-ports.js';

async function suspendedJob() {
  const jobs = memoryBatchJobs();
  jobs.jobs.set('j1', { JobId: 'j1', Status: 'Suspended' });
  return jobs;
}

describe('confirmJob', () => {
  it('moves a Suspended job to Ready when the request allows it', async () => {
    const jobs = await suspendedJob();
    const result = await confirmJob(
      jobs,
      { jobId: 'j1', accountId: '1', autoConfirm: true },
      { status: 'Suspended' },
    );
    expect(result).toEqual({ status: 'Ready', confirmed: true });
  });

  it('leaves the job alone when the request does not allow it', async () => {
    const jobs = await suspendedJob();
    const result = await confirmJob(
      jobs,
      { jobId: 'j1', accountId: '1', autoConfirm: false },
      { status: 'Suspended' },
    );
    expect(result.confirmed).toBe(false);
    expect(jobs.jobs.get('j1')!.Status).toBe('Suspended');
  });

  it('treats a retry after the job already left Suspended as done', async () => {
    const jobs = await suspendedJob();
    await confirmJob(jobs, { jobId: 'j1', accountId: '1', autoConfirm: true }, { status: 'Suspended' });
    const retry = await confirmJob(
      jobs,
      { jobId: 'j1', accountId: '1', autoConfirm: true },
      { status: 'Suspended' },
    );
    expect(retry).toEqual({ status: 'Ready', confirmed: false });
  });
});
