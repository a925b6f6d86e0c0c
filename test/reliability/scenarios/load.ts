/**
 * Issue 11, "Load": many batch-job workflows at once on one local AWS, no faults. Every one must end with its
 * own objects tagged by its own job; the figures are the wall time and the peak RSS of this process, which
 * hosts the local AWS (server, job engine, Step Functions, Lambdas) in-process. Shared by the test and
 * bench/reliability.ts.
 */
import { startHarness } from '../../workflow/harness.js';
import {
  dataBucket,
  isTerminal,
  jobsPerWorkflow,
  runWorkflows,
  seedWorkflows,
  workflowTagKey,
} from './common.js';

export interface LoadFigures {
  concurrentWorkflows: number;
  unfinished: number;
  /** Workflows that did not succeed with exactly one job that tagged each of their objects. */
  lost: number;
  wallMs: number;
  /** Highest RSS sampled every 50 ms from before the local AWS started until it stopped. */
  peakRssMb: number;
  /** RSS just before the local AWS started (the test runner's or bench's own share). */
  rssBeforeMb: number;
}

const mb = (bytes: number): number => Math.round(bytes / 2 ** 20);

export async function runLoadScenario(options: {
  workflows: number;
  timeoutMs?: number;
}): Promise<LoadFigures> {
  const rssBefore = process.memoryUsage().rss;
  let peakRss = rssBefore;
  const sampler = setInterval(() => {
    peakRss = Math.max(peakRss, process.memoryUsage().rss);
  }, 50);
  sampler.unref();
  const h = await startHarness({ timeScale: 600 });
  try {
    const workflows = seedWorkflows(h, options.workflows, 3, 'load');
    const startedAt = Date.now();
    const finished = await runWorkflows(h, workflows, options.timeoutMs ?? 120_000);
    const wallMs = Date.now() - startedAt;
    const jobs = jobsPerWorkflow(h, workflows);
    const status = new Map(finished.map((run) => [run.name, run.status]));
    const kept = (name: string, keys: string[]): boolean =>
      status.get(name) === 'SUCCEEDED' &&
      jobs.get(name) === 1 &&
      keys.every((key) =>
        h.aws.s3.backend
          .headObject({ bucket: dataBucket, key })
          .tags.some((tag) => tag.Key === workflowTagKey && tag.Value === name),
      );
    return {
      concurrentWorkflows: finished.length,
      unfinished: finished.filter((run) => !isTerminal(run.status)).length,
      lost: workflows.filter((w) => !kept(w.name, w.keys)).length,
      wallMs,
      peakRssMb: mb(Math.max(peakRss, process.memoryUsage().rss)),
      rssBeforeMb: mb(rssBefore),
    };
  } finally {
    clearInterval(sampler);
    await h.stop();
  }
}
