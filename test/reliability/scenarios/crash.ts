/**
 * Issue 11, "Crash": a durable `s3bo local` (a child process) is killed with SIGKILL while batch-job
 * workflows run, and started again on the same data directory, `crashes` times. Then every execution must
 * end, and nothing written before a crash may be gone: no object, job, execution or event lost, no second
 * job for one execution. Everything is done through the real AWS SDK and the event log files, as a user
 * would see it. Shared by test/reliability/crash.test.ts and bench/reliability.ts; no vitest here.
 */
import type { ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  CreateBucketCommand,
  GetObjectTaggingCommand,
  HeadObjectCommand,
  PutObjectCommand,
} from '@aws-sdk/client-s3';
import { type JobListDescriptor, ListJobsCommand } from '@aws-sdk/client-s3-control';
import { DescribeExecutionCommand, ListExecutionsCommand, StartExecutionCommand } from '@aws-sdk/client-sfn';
import { createS3Client, createS3ControlClient, createSfnClient } from '../../../src/adapters/aws/index.js';
import { crashLocalProcess, type LocalProcess, startLocalProcess } from './local-process.js';

export interface CrashScenarioOptions {
  /** Batch-job workflows started before the first crash (default 5). */
  jobs?: number;
  /** `kill -9` + restart cycles (default 3). */
  crashes?: number;
  /** Objects each job tags (default 300). */
  objectsPerJob?: number;
  /**
   * `s3bo local --time-scale` (default 2: the engine runs 100 tasks per real second, one job at a time, so
   * five jobs of 300 objects take 15 s of engine time, more than a restart of the child takes even on a
   * loaded machine: the crashes land while jobs run, not after they all ended).
   */
  timeScale?: number;
  /** Real milliseconds the executions get to end after the last restart (default 60,000). */
  finishTimeoutMs?: number;
  /** Every child started goes in here, so a test can kill what an aborted run left behind. */
  children?: Set<ChildProcess>;
  /** Progress lines (default: none). */
  log?: (line: string) => void;
}

export interface CrashFigures {
  /** Restarts on the same data directory after a `kill -9`. */
  crashRestarts: number;
  /** Crashes that hit while at least one job was still unfinished (should equal crashRestarts). */
  crashesMidJob: number;
  /** Jobs ListJobs returns at the end. */
  jobs: number;
  executions: number;
  objects: number;
  /** Objects, jobs, executions and events seen before a crash and missing after it (sum of the four below). */
  lostAfterCrash: number;
  lostObjects: number;
  lostJobs: number;
  lostExecutions: number;
  lostEvents: number;
  /** Jobs beyond the first for one execution. */
  duplicateJobs: number;
  /** Executions not terminal once the finish timeout passed. */
  unfinished: number;
  succeededExecutions: number;
  /** Objects of a Complete job without the tag the job sets. */
  untaggedObjects: number;
  /** Jobs the restarted process's local console lists (it reads the same durable store). */
  consoleJobs: number;
  /** Event log lines that are not a JSON event (a half-written line). */
  corruptEventLines: number;
  /** Events the stage bus holds more than once for one eventId (a restarted execution repeats its steps). */
  repeatedEvents: number;
  /**
   * Lifecycle steps wrongly counted per execution: a Submitted or terminal event missing, or more than one
   * distinct eventId for either, or one eventId used for two different steps.
   */
  lifecycleMismatches: number;
  wallMs: number;
}

const dataBucket = 'crash-data';
const manifestBucket = 'crash-manifests';
const reportBucket = 'crash-reports';
const tag = { Key: 'classification', Value: 'crash-tested' };
const terminalDetailTypes = new Set(['Batch Job Completed', 'Batch Job Failed', 'Batch Job Cancelled']);
const terminalJobStatuses = new Set(['Complete', 'Failed', 'Cancelled']);
const pollMs = 100;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** One running `s3bo local` and SDK clients pointed at it (rebuilt per start: the port changes). */
interface Session {
  local: LocalProcess;
  s3: ReturnType<typeof createS3Client>;
  s3control: ReturnType<typeof createS3ControlClient>;
  sfn: ReturnType<typeof createSfnClient>;
}

/** What was observed just before a crash: all of it must still be there after the restart. */
interface Seen {
  jobIds: Set<string>;
  executionArns: Set<string>;
  /** Envelope ids per event log file. */
  eventIds: Map<string, Set<string>>;
}

export async function runCrashScenario(options: CrashScenarioOptions = {}): Promise<CrashFigures> {
  const started = performance.now();
  const jobCount = options.jobs ?? 5;
  const crashes = options.crashes ?? 3;
  const objectsPerJob = options.objectsPerJob ?? 300;
  const timeScale = options.timeScale ?? 2;
  const log = options.log ?? (() => undefined);
  const dataDir = mkdtempSync(join(tmpdir(), 's3bo-crash-'));
  let session: Session | undefined;
  const start = async (): Promise<Session> => {
    const local = await startLocalProcess({
      dataDir,
      timeScale,
      ...(options.children ? { children: options.children } : {}),
    });
    const clientOptions = {
      region: local.region,
      endpoints: { default: local.url },
      credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
    };
    return {
      local,
      s3: createS3Client(clientOptions),
      s3control: createS3ControlClient(clientOptions),
      sfn: createSfnClient(clientOptions),
    };
  };
  const closeClients = (s: Session) => {
    s.s3.destroy();
    s.s3control.destroy();
    s.sfn.destroy();
  };

  try {
    session = await start();
    const objects = await seedObjects(session, jobCount, objectsPerJob);
    const executionArns = await startExecutions(session, jobCount);
    log(`seeded ${objects.length} objects, started ${executionArns.length} executions`);

    const lost = { objects: 0, jobs: 0, executions: 0, events: 0 };
    let crashesMidJob = 0;
    let restarts = 0;
    for (let crash = 0; crash < crashes; crash++) {
      // Crash k comes once k/(crashes+1) of all tasks are done, so the crashes spread over the jobs' run.
      const target = Math.floor((jobCount * objectsPerJob * (crash + 1)) / (crashes + 1));
      const before = await waitForProgress(session, target, jobCount);
      if (before.unfinishedJobs > 0) crashesMidJob++;
      const seen = await observe(session, dataDir);
      await crashLocalProcess(session.local);
      closeClients(session);
      session = await start();
      restarts++;
      // Right after the restart, before anything new happens: what the crash may have lost.
      const after = await observe(session, dataDir);
      lost.jobs += missing(seen.jobIds, after.jobIds);
      lost.executions += missing(seen.executionArns, after.executionArns);
      for (const [file, ids] of seen.eventIds)
        lost.events += missing(ids, after.eventIds.get(file) ?? new Set());
      lost.objects += (await missingObjects(session, objects)).length;
      log(
        `crash ${crash + 1}: ${before.tasksDone} tasks done, ${before.unfinishedJobs} jobs unfinished; ` +
          `restarted, lost so far ${JSON.stringify(lost)}`,
      );
    }

    const statuses = await waitForExecutions(session, executionArns, options.finishTimeoutMs ?? 60_000);
    const jobs = await listAllJobs(session);
    const consolePage = (await (await fetch(`${session.local.consoleUrl}api/jobs?limit=200`)).json()) as {
      total: number;
    };
    const eventFiles = readEventLogs(dataDir);
    const stageEvents = eventFiles.get(session.local.busName)?.events ?? [];
    const lifecycle = checkLifecycle(stageEvents, executionArns);
    const completeExecutions = new Set(
      executionArns.filter(
        (arn, i) => statuses[i] === 'SUCCEEDED' && jobOf(jobs, arn)?.Status === 'Complete',
      ),
    );
    lost.objects += (await missingObjects(session, objects)).length;
    const untagged = await untaggedObjects(
      session,
      objects.filter((o) => completeExecutions.has(executionArns[o.job]!)),
    );
    const perExecution = executionArns.map((arn) =>
      jobs.filter((job) => job.Description === jobDescription(arn)),
    );
    const figures: CrashFigures = {
      crashRestarts: restarts,
      crashesMidJob,
      jobs: jobs.length,
      executions: executionArns.length,
      objects: objects.length,
      lostAfterCrash: lost.objects + lost.jobs + lost.executions + lost.events,
      lostObjects: lost.objects,
      lostJobs: lost.jobs,
      lostExecutions: lost.executions,
      lostEvents: lost.events,
      duplicateJobs: perExecution.reduce((sum, found) => sum + Math.max(0, found.length - 1), 0),
      unfinished: statuses.filter((status) => status === 'RUNNING' || status === undefined).length,
      succeededExecutions: statuses.filter((status) => status === 'SUCCEEDED').length,
      untaggedObjects: untagged,
      consoleJobs: consolePage.total,
      corruptEventLines: [...eventFiles.values()].reduce((sum, file) => sum + file.corrupt, 0),
      repeatedEvents: lifecycle.repeated,
      lifecycleMismatches: lifecycle.mismatches,
      wallMs: Math.round(performance.now() - started),
    };
    log(JSON.stringify(figures));
    return figures;
  } catch (error) {
    const output = session?.local.output();
    throw output
      ? new Error(`${(error as Error).message}\n--- s3bo local output ---\n${output}`, { cause: error })
      : error;
  } finally {
    if (session) {
      await crashLocalProcess(session.local);
      closeClients(session);
    }
    rmSync(dataDir, { recursive: true, force: true });
  }
}

interface SeededObject {
  job: number;
  key: string;
  etag: string;
}

const objectKey = (job: number, i: number) => `job-${job}/object ${i}.txt`;
const executionName = (job: number) => `crash-${job}`;
/** The Description SubmitJob gives a job whose request has none (src/core/submit-job.ts). */
const jobDescription = (executionArn: string) =>
  `s3-batch-orchestrator ${executionArn.slice(executionArn.lastIndexOf(':') + 1)}`;

async function inBatches<T, R>(items: T[], size: number, each: (item: T) => Promise<R>): Promise<R[]> {
  const results: R[] = [];
  for (let i = 0; i < items.length; i += size)
    results.push(...(await Promise.all(items.slice(i, i + size).map(each))));
  return results;
}

async function seedObjects(s: Session, jobs: number, perJob: number): Promise<SeededObject[]> {
  for (const bucket of [dataBucket, manifestBucket, reportBucket])
    await s.s3.send(new CreateBucketCommand({ Bucket: bucket }));
  const wanted = Array.from({ length: jobs * perJob }, (_, n) => ({
    job: Math.floor(n / perJob),
    key: objectKey(Math.floor(n / perJob), n % perJob),
  }));
  const objects = await inBatches(wanted, 32, async ({ job, key }) => {
    const put = await s.s3.send(
      new PutObjectCommand({ Bucket: dataBucket, Key: key, Body: `body of ${key}` }),
    );
    return { job, key, etag: put.ETag! };
  });
  for (let job = 0; job < jobs; job++) {
    const csv = objects
      .filter((o) => o.job === job)
      .map((o) => `${dataBucket},${encodeURIComponent(o.key).replace(/%2F/g, '/')}\n`)
      .join('');
    await s.s3.send(new PutObjectCommand({ Bucket: manifestBucket, Key: `job-${job}.csv`, Body: csv }));
  }
  return objects;
}

async function startExecutions(s: Session, jobs: number): Promise<string[]> {
  const arns: string[] = [];
  for (let job = 0; job < jobs; job++) {
    const request = {
      operation: { S3PutObjectTagging: { TagSet: [tag] } },
      manifest: { bucket: manifestBucket, key: `job-${job}.csv` },
      report: { bucket: reportBucket, prefix: 'batch', scope: 'AllTasks' },
      priority: 10,
      // Polls every few real seconds at most: the jobs' own events wake the workflow earlier.
      wait: { minSeconds: 2, maxSeconds: 10, timeoutSeconds: 86_400 },
    };
    const started = await s.sfn.send(
      new StartExecutionCommand({
        stateMachineArn: s.local.stateMachineArn,
        name: executionName(job),
        input: JSON.stringify(request),
      }),
    );
    arns.push(started.executionArn!);
  }
  return arns;
}

async function listAllJobs(s: Session): Promise<JobListDescriptor[]> {
  const jobs: JobListDescriptor[] = [];
  let nextToken: string | undefined;
  for (let page = 0; page < 100; page++) {
    const answer = await s.s3control.send(
      new ListJobsCommand({ AccountId: s.local.accountId, MaxResults: 1000, NextToken: nextToken }),
    );
    jobs.push(...(answer.Jobs ?? []));
    nextToken = answer.NextToken;
    if (!nextToken) break;
  }
  return jobs;
}

const jobOf = (jobs: JobListDescriptor[], executionArn: string) =>
  jobs.find((job) => job.Description === jobDescription(executionArn));

/** Waits (at most 20 s) until the jobs have run `tasks` tasks in all, or every job is terminal. */
async function waitForProgress(
  s: Session,
  tasks: number,
  expectedJobs: number,
): Promise<{ tasksDone: number; unfinishedJobs: number }> {
  const read = async () => {
    const jobs = await listAllJobs(s);
    const done = jobs.reduce(
      (sum, job) =>
        sum +
        (job.ProgressSummary?.NumberOfTasksSucceeded ?? 0) +
        (job.ProgressSummary?.NumberOfTasksFailed ?? 0),
      0,
    );
    const unfinished =
      Math.max(expectedJobs - jobs.length, 0) +
      jobs.filter((job) => !terminalJobStatuses.has(job.Status!)).length;
    return { tasksDone: done, unfinishedJobs: unfinished };
  };
  const deadline = Date.now() + 20_000;
  for (;;) {
    const now = await read();
    if (now.tasksDone >= tasks || now.unfinishedJobs === 0 || Date.now() > deadline) return now;
    await sleep(pollMs);
  }
}

async function observe(s: Session, dataDir: string): Promise<Seen> {
  const jobs = await listAllJobs(s);
  const executions = await s.sfn.send(
    new ListExecutionsCommand({ stateMachineArn: s.local.stateMachineArn, maxResults: 1000 }),
  );
  const eventIds = new Map<string, Set<string>>();
  for (const [file, content] of readEventLogs(dataDir))
    eventIds.set(file, new Set(content.events.map((e) => e.id)));
  return {
    jobIds: new Set(jobs.map((job) => job.JobId!)),
    executionArns: new Set((executions.executions ?? []).map((e) => e.executionArn!)),
    eventIds,
  };
}

const missing = (before: Set<string>, after: Set<string>): number =>
  [...before].filter((id) => !after.has(id)).length;

async function missingObjects(s: Session, objects: SeededObject[]): Promise<SeededObject[]> {
  const found = await inBatches(objects, 32, async (o) => {
    try {
      const head = await s.s3.send(new HeadObjectCommand({ Bucket: dataBucket, Key: o.key }));
      return head.ETag === o.etag;
    } catch (error) {
      if ((error as Error).name === 'NotFound') return false;
      throw error;
    }
  });
  return objects.filter((_, i) => !found[i]);
}

async function untaggedObjects(s: Session, objects: SeededObject[]): Promise<number> {
  const tagged = await inBatches(objects, 32, async (o) => {
    const answer = await s.s3.send(new GetObjectTaggingCommand({ Bucket: dataBucket, Key: o.key }));
    return (answer.TagSet ?? []).some((t) => t.Key === tag.Key && t.Value === tag.Value);
  });
  return tagged.filter((ok) => !ok).length;
}

/** Each execution's status once all are terminal, or as they are when `timeoutMs` runs out. */
async function waitForExecutions(
  s: Session,
  arns: string[],
  timeoutMs: number,
): Promise<(string | undefined)[]> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const statuses = await Promise.all(
      arns.map(async (executionArn) => {
        try {
          return (await s.sfn.send(new DescribeExecutionCommand({ executionArn }))).status;
        } catch (error) {
          if ((error as Error).name === 'ExecutionDoesNotExist') return undefined;
          throw error;
        }
      }),
    );
    if (statuses.every((status) => status !== undefined && status !== 'RUNNING') || Date.now() > deadline)
      return statuses;
    await sleep(pollMs * 5);
  }
}

interface LoggedEvent {
  id: string;
  'detail-type': string;
  detail: { eventId?: string; executionArn?: string; jobId?: string };
}

/** Every event log file (`<dataDir>/events/<bus>.jsonl`), keyed by bus, with its unreadable lines counted. */
function readEventLogs(dataDir: string): Map<string, { events: LoggedEvent[]; corrupt: number }> {
  const dir = join(dataDir, 'events');
  const logs = new Map<string, { events: LoggedEvent[]; corrupt: number }>();
  if (!existsSync(dir)) return logs;
  for (const name of readdirSync(dir).filter((n) => n.endsWith('.jsonl'))) {
    const events: LoggedEvent[] = [];
    let corrupt = 0;
    for (const line of readFileSync(join(dir, name), 'utf8').split('\n')) {
      if (line.trim() === '') continue;
      try {
        events.push(JSON.parse(line) as LoggedEvent);
      } catch {
        corrupt++;
      }
    }
    logs.set(name.slice(0, -'.jsonl'.length), { events, corrupt });
  }
  return logs;
}

/**
 * A restarted execution runs again from its start (emulator/PARITY.md), so it repeats events it had emitted;
 * they keep their eventId, which is what consumers dedupe on. What must hold: one Submitted and one terminal
 * step per execution (one eventId each), and an eventId never names two different steps.
 */
function checkLifecycle(
  events: LoggedEvent[],
  executionArns: string[],
): { repeated: number; mismatches: number } {
  const stepOf = new Map<string, string>();
  let repeated = 0;
  let mismatches = 0;
  for (const event of events) {
    const id = event.detail.eventId;
    if (id === undefined) continue;
    const step = `${event['detail-type']} ${event.detail.jobId ?? ''}`;
    const known = stepOf.get(id);
    if (known === undefined) stepOf.set(id, step);
    else if (known === step) repeated++;
    else mismatches++;
  }
  for (const arn of executionArns) {
    const mine = events.filter((event) => event.detail.executionArn === arn);
    const distinct = (keep: (event: LoggedEvent) => boolean) =>
      new Set(mine.filter(keep).map((event) => event.detail.eventId)).size;
    if (distinct((event) => event['detail-type'] === 'Batch Job Submitted') !== 1) mismatches++;
    if (distinct((event) => terminalDetailTypes.has(event['detail-type'])) !== 1) mismatches++;
  }
  return { repeated, mismatches };
}
