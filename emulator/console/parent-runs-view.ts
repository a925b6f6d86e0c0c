/**
 * Runs that fan out (a campaign's targets): executions of every state machine with a `states:startExecution`
 * task, each with the child executions its history says it started (TaskSubmitted of resource type
 * `states`, whose output names the child, as on AWS) and, per child, the S3 Batch Operations job it runs
 * with that job's progress. Read through the Step Functions JSON API, as the Executions page is.
 *
 * The job of a child is the last `"jobId"` in its recent history: the emulator knows nothing of the
 * workflow's state shape, but any workflow that names its job under that key (ours does) gets its
 * progress shown. Every read is bounded: a polled page must stay light however large the runs are.
 */
import type { ServiceHandler } from '../contracts.js';
import type { JobRecord } from '../s3control/types.js';
import { type JobRow, jobRow } from './jobs-view.js';
import { sfnTarget, type WireExecution, type WireHistoryEvent } from './sfn-wire.js';
import { callJsonApi } from './wire-client.js';

/** Newest runs shown per fan-out state machine. */
const RUNS_PER_MACHINE = 5;
/** A run's history is read up to this many events to find its children. */
const MAX_RUN_EVENTS = 5_000;
/** Children shown per run (a campaign has at most 100 targets). */
const MAX_CHILDREN = 100;
/** A child's newest events searched for its job. */
const CHILD_EVENTS_SCANNED = 200;
const JOB_ID = /"jobId"\s*:\s*"([A-Za-z0-9-]{5,36})"/g;
const START_EXECUTION = /^arn:aws[a-z-]*:states:::states:startExecution/;

export interface ChildRow {
  executionArn: string;
  name: string;
  stateMachine: string;
  status: string;
  job?: Pick<JobRow, 'jobId' | 'status' | 'percent' | 'succeeded' | 'failed' | 'total' | 'failureRate'>;
}

export interface ParentRunRow {
  executionArn: string;
  name: string;
  stateMachine: string;
  status: string;
  startDate: string;
  children: ChildRow[];
  /** Children whose execution ended. */
  childrenEnded: number;
}

/** Whether a definition starts child executions anywhere (nested states included). */
export function startsChildExecutions(definition: string): boolean {
  let found = false;
  JSON.parse(definition, (key, value) => {
    if (key === 'Resource' && typeof value === 'string' && START_EXECUTION.test(value)) found = true;
    return value;
  });
  return found;
}

const machineName = (arn: string) => arn.slice(arn.lastIndexOf(':') + 1);

export function createParentRunsView(sfn: ServiceHandler, jobs: () => JobRecord[]) {
  const call = <T>(operation: string, body: Record<string, unknown>) =>
    callJsonApi<T>(sfn, sfnTarget(operation), body);
  const fanOut = new Map<string, boolean>();

  const isFanOut = async (stateMachineArn: string): Promise<boolean> => {
    const known = fanOut.get(stateMachineArn);
    if (known !== undefined) return known;
    const { definition } = await call<{ definition: string }>('DescribeStateMachine', { stateMachineArn });
    const answer = startsChildExecutions(definition);
    fanOut.set(stateMachineArn, answer);
    return answer;
  };

  /** Child execution ARNs in the order the run started them. */
  const childrenOf = async (executionArn: string): Promise<string[]> => {
    const children = new Set<string>();
    let nextToken: string | undefined;
    for (let read = 0; read < MAX_RUN_EVENTS && children.size < MAX_CHILDREN; read += 1_000) {
      const page = await call<{ events: WireHistoryEvent[]; nextToken?: string }>('GetExecutionHistory', {
        executionArn,
        maxResults: 1_000,
        includeExecutionData: true,
        ...(nextToken ? { nextToken } : {}),
      });
      for (const event of page.events) {
        const details = event.taskSubmittedEventDetails as
          | { resourceType?: string; output?: string }
          | undefined;
        if (event.type !== 'TaskSubmitted' || details?.resourceType !== 'states' || !details.output) continue;
        const child = (JSON.parse(details.output) as { ExecutionArn?: unknown }).ExecutionArn;
        if (typeof child === 'string') children.add(child);
      }
      nextToken = page.nextToken;
      if (!nextToken) break;
    }
    return [...children].slice(0, MAX_CHILDREN);
  };

  /** The job a child runs: the last job id in its newest events that the S3 Control engine knows. */
  const jobOf = async (
    executionArn: string,
    byId: Map<string, JobRecord>,
  ): Promise<JobRecord | undefined> => {
    const { events } = await call<{ events: WireHistoryEvent[] }>('GetExecutionHistory', {
      executionArn,
      maxResults: CHILD_EVENTS_SCANNED,
      reverseOrder: true,
      includeExecutionData: true,
    });
    for (const event of events) {
      for (const match of JSON.stringify(event).replace(/\\"/g, '"').matchAll(JOB_ID)) {
        const job = byId.get(match[1]!);
        if (job) return job;
      }
    }
    return undefined;
  };

  const childRow = async (executionArn: string, byId: Map<string, JobRecord>): Promise<ChildRow> => {
    const child = await call<WireExecution>('DescribeExecution', { executionArn });
    const job = await jobOf(executionArn, byId);
    const row = job ? jobRow(job) : undefined;
    return {
      executionArn,
      name: child.name,
      stateMachine: machineName(child.stateMachineArn),
      status: child.status,
      ...(row
        ? {
            job: {
              jobId: row.jobId,
              status: row.status,
              percent: row.percent,
              succeeded: row.succeeded,
              failed: row.failed,
              total: row.total,
              failureRate: row.failureRate,
            },
          }
        : {}),
    };
  };

  return {
    /** The newest runs of every fan-out state machine, newest first, with their children. */
    async runs(): Promise<ParentRunRow[]> {
      const { stateMachines } = await call<{ stateMachines: { stateMachineArn: string }[] }>(
        'ListStateMachines',
        { maxResults: 1_000 },
      );
      const byId = new Map(jobs().map((job) => [job.JobId, job]));
      const rows: ParentRunRow[] = [];
      for (const { stateMachineArn } of stateMachines) {
        if (!(await isFanOut(stateMachineArn))) continue;
        const { executions } = await call<{ executions: WireExecution[] }>('ListExecutions', {
          stateMachineArn,
          maxResults: RUNS_PER_MACHINE,
        });
        for (const run of executions) {
          const children = await Promise.all(
            (await childrenOf(run.executionArn)).map((arn) => childRow(arn, byId)),
          );
          rows.push({
            executionArn: run.executionArn,
            name: run.name,
            stateMachine: machineName(stateMachineArn),
            status: run.status,
            startDate: new Date(run.startDate * 1000).toISOString(),
            children,
            childrenEnded: children.filter((child) => child.status !== 'RUNNING').length,
          });
        }
      }
      return rows.sort((a, b) => b.startDate.localeCompare(a.startDate));
    },
  };
}
