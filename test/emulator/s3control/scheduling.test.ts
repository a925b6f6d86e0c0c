import { CreateJobCommand, type CreateJobCommandInput } from '@aws-sdk/client-s3-control';
import { afterEach, describe, expect, it } from 'vitest';
import {
  aCreateJobInput,
  createTestEnv,
  eventStatuses,
  seedObjects,
  type TestEnv,
  waitFor,
} from './helpers.js';

function taggingJob(manifest: { etag: string; objectArn: string }, priority: number): CreateJobCommandInput {
  return aCreateJobInput(manifest, {
    Operation: { S3PutObjectTagging: { TagSet: [{ Key: 'p', Value: String(priority) }] } },
    Priority: priority,
  });
}

const keys = (n: number, prefix = 'obj') => Array.from({ length: n }, (_, i) => `${prefix}-${i}`);

describe('job engine scheduling', () => {
  let env: TestEnv;
  afterEach(async () => env?.close());

  it('pauses a lower-priority job for a higher-priority one when capacity is 1, then finishes both', async () => {
    env = await createTestEnv({ timeScale: 100, engine: { maxActiveJobs: 1, tasksPerSecond: 20 } });
    env.s3.ensureBucket('reports');
    const low = await env.client.send(
      new CreateJobCommand(taggingJob(seedObjects(env.s3, 'low-bucket', keys(300), 'low.csv'), 1)),
    );
    await waitFor(
      env,
      low.JobId!,
      (j) => j.Status === 'Active' && (j.ProgressSummary?.NumberOfTasksSucceeded ?? 0) > 0,
    );
    const high = await env.client.send(
      new CreateJobCommand(taggingJob(seedObjects(env.s3, 'high-bucket', keys(50), 'high.csv'), 100)),
    );
    const paused = await waitFor(env, low.JobId!, (j) => j.Status === 'Paused');
    expect(paused.job.ProgressSummary!.NumberOfTasksSucceeded!).toBeLessThan(300);

    const highDone = await waitFor(env, high.JobId!, (j) => j.Status === 'Complete');
    const lowDone = await waitFor(env, low.JobId!, (j) => j.Status === 'Complete');
    expect(lowDone.job.TerminationDate!.getTime()).toBeGreaterThan(highDone.job.TerminationDate!.getTime());
    expect(lowDone.job.ProgressSummary).toMatchObject({
      TotalNumberOfTasks: 300,
      NumberOfTasksSucceeded: 300,
    });
    expect(eventStatuses(env, low.JobId!)).toEqual([
      'New',
      'Preparing',
      'Ready',
      'Active',
      'Pausing',
      'Paused',
      'Active',
      'Completing',
      'Complete',
    ]);
  });

  it('resumes an Active job after a restart without redoing finished tasks', async () => {
    env = await createTestEnv({ timeScale: 100, engine: { tasksPerSecond: 20 } });
    env.s3.ensureBucket('reports');
    const { JobId } = await env.client.send(
      new CreateJobCommand(taggingJob(seedObjects(env.s3, 'src-bucket', keys(400)), 5)),
    );
    await waitFor(env, JobId!, (j) => (j.ProgressSummary?.NumberOfTasksSucceeded ?? 0) >= 100);

    await env.restart();
    const before = env.s3Calls.get('putObjectTagging')!;
    const resumed = env.service.engine.jobs().find((job) => job.JobId === JobId)!;
    expect(resumed.Status).toBe('Active');
    expect(resumed.progress.succeeded).toBe(before);

    const { job } = await waitFor(env, JobId!, (j) => j.Status === 'Complete');
    expect(job.ProgressSummary).toMatchObject({ TotalNumberOfTasks: 400, NumberOfTasksSucceeded: 400 });
    expect(env.s3Calls.get('putObjectTagging')).toBe(400);
  });

  it('runs a 10k-task tagging job with a bounded number of storage writes, not one per task', async () => {
    // Its speed is measured by `npm run bench` (bench/emulator.ts, a 100k-task job against a direct tagging
    // loop in the same run), not asserted here: a timed assertion fails on a busy machine, not on a slow engine.
    env = await createTestEnv({ timeScale: 1_000_000, engine: { concurrency: 100 } });
    env.s3.ensureBucket('reports');
    const manifest = seedObjects(env.s3, 'big-bucket', keys(10_000));
    const writesBefore = env.storage.writes;
    const { JobId } = await env.client.send(new CreateJobCommand(taggingJob(manifest, 1)));
    await waitFor(env, JobId!, (j) => j.Status === 'Complete', 60_000);
    expect(env.s3Calls.get('putObjectTagging')).toBe(10_000);
    expect(env.storage.writes - writesBefore).toBeLessThan(200);
  });
});
