/**
 * Micro-batching: what a coalescing trigger saves over one job per arriving object, and what it costs in
 * latency (issue 10).
 *
 * - coalesced: 10,000 uploads to a bucket a trigger watches, on the in-memory local AWS with the project
 *   deployed as `deployProject` deploys it (S3 → EventBridge → SQS → collect-objects → batch-job, plus the
 *   minute's flush-triggers). The uploads go straight to `aws.s3.backend.putObject` in one loop, so they
 *   span as little emulated time as the store allows. Measured until every object is listed in the
 *   manifest of a job whose execution emitted `Batch Job Submitted` (every wait is bounded).
 *   Window: maxObjects 2,500 and maxWaitSeconds 120. 2,500 gives four full jobs for 10,000 objects, so
 *   the per-job fee is spread over many objects while every flush stays far below the mapping's 10,000
 *   BatchSize and the manifest limits; 120 s is twice the schema's 60 s minimum, long enough for the
 *   collector's batching window to fill a job from a burst, short enough to bound the last, partial
 *   window's wait.
 * - baseline: one job per event. NOT run: 10,000 jobs would measure the emulator, not the price. Its cost
 *   is 10,000 × `estimateJobCost` with objectCount 1, the project's own price table, in the same run.
 *
 * Figures: cost is `estimateJobCost` over each submitted job's object count (same operation as the
 * trigger's job). Seconds to submit are EMULATED: from each object's S3 event time (second precision, as
 * AWS's) to the `occurredAt` of the Batch Job Submitted of the job that lists it, matched through the
 * Trigger Flushed events (manifest → execution ARN). Emulated time runs TIME_SCALE× real time, so the
 * pipeline's own wall-clock work shows up multiplied by it in these seconds: a burst of whole windows never
 * waits by design (each window flushes at maxObjects), so here the figure is the emulator's work (collector
 * batches of 10-message receives, manifest writes, Step Functions to CreateJob) run 10× slow, not AWS's own
 * latencies. At ×60 the same run gave p50 ≈ 120-146 s; ×10 keeps that inflation small while a partial
 * window's 120 s wait would still pass in 12 s of wall time.
 *
 * Runs in a child process (this file with `--measure`, under the same tsx loader), as emulator.ts does: the
 * event logs and objects would otherwise stay in the heap of the benchmarks that run after this one.
 */
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { EventEnvelope } from '../emulator/events/index.js';
import { type LocalAws, startLocalAws } from '../emulator/local-aws.js';
import { deployProject, type LocalProject } from '../local/deploy-local.js';
import { estimateJobCost } from '../src/core/cost/estimate.js';
import { type Benchmark, round } from './benchmark.js';

const EVENTS = 10_000;
const WINDOW = { maxObjects: 2_500, maxWaitSeconds: 120 };
const BUCKET = 'bench-uploads';
const PREFIX = 'in/';
const OPERATION = { S3PutObjectTagging: { TagSet: [{ Key: 'thumb', Value: 'pending' }] } };
/** Fast enough that a 120 s window passes in 12 wall seconds; slow enough not to inflate the pipeline's work much (header). */
const TIME_SCALE = 10;
/** The local AWS's region (local-defaults), the one the project's price table covers. */
const REGION = 'us-east-1';
const POLL_MS = 100;
const TIMEOUT_MS = 120_000;

const projectRoot = fileURLToPath(new URL('..', import.meta.url));

export interface MicroBatchingResult extends Record<string, number> {
  events: number;
  jobs: number;
  costUsd: number;
  costVsJobPerEvent: number;
  p50SecondsToSubmit: number;
  p95SecondsToSubmit: number;
}

interface Measurement {
  /** Objects of each submitted job. */
  jobObjectCounts: number[];
  /** Emulated seconds from each object's upload to its job's submission. */
  secondsToSubmit: number[];
  uploadSpanSeconds: number;
  wallMs: number;
}

const objectKey = (i: number): string => `${PREFIX}photo ${String(i).padStart(5, '0')}.jpg`;

/** Nearest-rank percentile of `values` (need not be sorted); `p` in (0, 100]. */
export function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) throw new Error('percentile: no values');
  if (!(p > 0 && p <= 100)) throw new Error(`percentile: p must be in (0, 100], got ${p}`);
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.ceil((p / 100) * sorted.length) - 1]!;
}

/** One entry per eventId: retried steps announce the same event twice, for consumers to drop. */
function detailsOf<T extends { eventId: string }>(log: EventEnvelope[], detailType: string): T[] {
  const byId = new Map<string, T>();
  for (const event of log) {
    if (event['detail-type'] !== detailType) continue;
    const detail = event.detail as T;
    if (!byId.has(detail.eventId)) byId.set(detail.eventId, detail);
  }
  return [...byId.values()];
}

interface FlushedDetail {
  eventId: string;
  objectCount: number;
  manifest: { bucket: string; key: string };
  executionArn: string;
}

interface SubmittedDetail {
  eventId: string;
  executionArn: string;
  occurredAt: string;
}

/** Keys (decoded) of a trigger manifest: `bucket,url-encoded key[,version]` rows. */
function manifestKeys(aws: LocalAws, manifest: FlushedDetail['manifest']): string[] {
  return aws.s3.backend
    .getObjectBody(manifest)
    .toString('utf8')
    .trim()
    .split('\n')
    .map((row) => decodeURIComponent(row.split(',')[1]!));
}

/** Each submitted job's keys, once every flushed job is submitted; undefined while one is not yet. */
function submittedJobs(
  aws: LocalAws,
  project: LocalProject,
): { keys: string[]; submittedAt: number }[] | undefined {
  const log = aws.events.readEventLog(project.busName);
  const submitted = new Map(
    detailsOf<SubmittedDetail>(log, 'Batch Job Submitted').map((d) => [
      d.executionArn,
      Date.parse(d.occurredAt),
    ]),
  );
  const flushed = detailsOf<FlushedDetail>(log, 'Trigger Flushed');
  const listed = flushed.reduce((sum, d) => sum + d.objectCount, 0);
  if (listed < EVENTS || flushed.some((d) => !submitted.has(d.executionArn))) return undefined;
  return flushed.map((d) => ({
    keys: manifestKeys(aws, d.manifest),
    submittedAt: submitted.get(d.executionArn)!,
  }));
}

async function measure(): Promise<Measurement> {
  const aws = await startLocalAws({ inMemory: true, port: 0, timeScale: TIME_SCALE });
  try {
    if (aws.region !== REGION)
      throw new Error(`micro-batching: local AWS in ${aws.region}, priced for ${REGION}`);
    aws.s3.backend.ensureBucket(BUCKET);
    const project = await deployProject(aws, {
      triggers: [
        {
          name: 'bench-thumbs',
          source: { buckets: [BUCKET], prefix: PREFIX },
          job: { operation: OPERATION, report: { enabled: false } },
          window: WINDOW,
        },
      ],
    });
    const started = performance.now();
    for (let i = 0; i < EVENTS; i++) aws.s3.backend.putObject(BUCKET, objectKey(i), Buffer.from(`jpeg ${i}`));

    const uploadedAt = new Map<string, number>();
    for (const event of aws.events.readEventLog()) {
      if (event['detail-type'] !== 'Object Created') continue;
      const detail = event.detail as { bucket: { name: string }; object: { key: string } };
      if (detail.bucket.name === BUCKET) uploadedAt.set(detail.object.key, Date.parse(event.time));
    }
    if (uploadedAt.size !== EVENTS)
      throw new Error(`micro-batching: ${uploadedAt.size} of ${EVENTS} uploads sent an event`);
    const times = [...uploadedAt.values()];
    const uploadSpanSeconds = (Math.max(...times) - Math.min(...times)) / 1000;

    let jobs = submittedJobs(aws, project);
    while (jobs === undefined) {
      if (performance.now() - started > TIMEOUT_MS) {
        throw new Error(`micro-batching: not every object in a submitted job after ${TIMEOUT_MS} ms`);
      }
      await new Promise((resolve) => setTimeout(resolve, POLL_MS));
      jobs = submittedJobs(aws, project);
    }
    const wallMs = performance.now() - started;

    // Every object in exactly one job: a figure over lost or doubled objects would flatter the trigger.
    const secondsToSubmit: number[] = [];
    const listed = new Set<string>();
    for (const job of jobs) {
      for (const key of job.keys) {
        const at = uploadedAt.get(key);
        if (at === undefined) throw new Error(`micro-batching: a job lists ${key}, which was never uploaded`);
        if (listed.has(key)) throw new Error(`micro-batching: ${key} is in more than one job`);
        listed.add(key);
        secondsToSubmit.push((job.submittedAt - at) / 1000);
      }
    }
    if (listed.size !== EVENTS) throw new Error(`micro-batching: ${EVENTS - listed.size} objects in no job`);
    return {
      jobObjectCounts: jobs.map((job) => job.keys.length),
      secondsToSubmit,
      uploadSpanSeconds,
      wallMs,
    };
  } finally {
    await aws.stop();
  }
}

const thisFile = fileURLToPath(import.meta.url);
const childFlag = '--measure';

function measureInChild(): Promise<Measurement> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [...process.execArgv, thisFile, childFlag], {
      cwd: projectRoot,
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let stdout = '';
    child.stdout.on('data', (chunk: Buffer) => {
      stdout += chunk.toString();
    });
    // The child bounds its own wait; this bounds a child that hangs anyway.
    const timer = setTimeout(() => child.kill('SIGTERM'), TIMEOUT_MS + 30_000);
    child.on('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
    child.on('exit', (code, signal) => {
      clearTimeout(timer);
      if (code !== 0) return reject(new Error(`micro-batching: measurement exited ${code ?? signal}`));
      try {
        resolve(JSON.parse(stdout) as Measurement);
      } catch (error) {
        reject(new Error(`micro-batching: measurement printed no JSON: ${stdout}`, { cause: error }));
      }
    });
  });
}

if (process.argv[1] === thisFile && process.argv.includes(childFlag)) {
  measure().then(
    // Exit once written: the stopped local AWS may still hold a timer that would keep this child alive.
    (measurement) => process.stdout.write(`${JSON.stringify(measurement)}\n`, () => process.exit(0)),
    (error: unknown) => {
      process.stderr.write(
        `${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
        () => process.exit(1),
      );
    },
  );
}

const jobCostUsd = (objectCount: number): number =>
  estimateJobCost({ operation: OPERATION, objectCount, region: REGION }).totalUsd;
/** The baseline, priced and not run: one job per event, each listing one object. */
const jobPerEventCostUsd = (): number => EVENTS * jobCostUsd(1);

export const benchmark: Benchmark<MicroBatchingResult> = {
  name: 'micro-batching',

  async run(log) {
    const m = await measureInChild();
    log(
      `${EVENTS.toLocaleString('en')} uploads (span ${m.uploadSpanSeconds} emulated s) → ` +
        `${m.jobObjectCounts.length} jobs of ${m.jobObjectCounts.join(', ')} objects in ` +
        `${(m.wallMs / 1000).toFixed(1)} s wall`,
    );
    const costUsd = m.jobObjectCounts.reduce((sum, n) => sum + jobCostUsd(n), 0);
    return {
      events: EVENTS,
      jobs: m.jobObjectCounts.length,
      costUsd: round(costUsd, 4),
      costVsJobPerEvent: round(costUsd / jobPerEventCostUsd(), 6),
      p50SecondsToSubmit: round(percentile(m.secondsToSubmit, 50), 1),
      p95SecondsToSubmit: round(percentile(m.secondsToSubmit, 95), 1),
    };
  },

  print(r, log) {
    log(
      `coalesced (maxObjects ${WINDOW.maxObjects}, maxWaitSeconds ${WINDOW.maxWaitSeconds})  ` +
        `${r.jobs} jobs for ${r.events.toLocaleString('en')} events, $${r.costUsd}`,
    );
    log(
      `one job per event (priced, not run)   ${r.events.toLocaleString('en')} jobs, $${round(jobPerEventCostUsd(), 2)}`,
    );
    log(
      `  cost ratio            ${(r.costVsJobPerEvent * 100).toFixed(3)} % of one job per event ` +
        `(${round(1 / r.costVsJobPerEvent, 0)}× cheaper)`,
    );
    log(
      `  upload → submitted    p50 ${r.p50SecondsToSubmit} s, p95 ${r.p95SecondsToSubmit} s ` +
        `(emulated, time ×${TIME_SCALE}; aim p50 ≤ ${WINDOW.maxWaitSeconds + 10} s)`,
    );
  },
};
