/**
 * Issue 11, "Duplicates": many batch-job workflows at once while CreateJob is throttled and fails, DescribeJob
 * is throttled and a tenth of all Lambda invocations fail. Each workflow must create exactly one job (its
 * ClientRequestToken is derived from the execution, so no retry of SubmitJob may create a second) and every
 * execution must end. Shared by test/reliability/duplicates.test.ts and bench/reliability.ts.
 */
import type { FaultConfig } from '../../../emulator/faults.js';
import { startHarness } from '../../workflow/harness.js';
import {
  countValues,
  endsOtherThanSuccess,
  isTerminal,
  jobsPerWorkflow,
  runWorkflows,
  seedWorkflows,
} from './common.js';

/** The rates; DescribeJob's throttling rate is not given there, so it gets CreateJob's. */
export function duplicatesFaults(seed: number): FaultConfig {
  return {
    throttle: { 's3control:CreateJob': 0.3, 's3control:DescribeJob': 0.3 },
    serverError: { 's3control:CreateJob': 0.1, 'lambda:Invoke': 0.1 },
    seed,
  };
}

export interface DuplicatesOptions {
  executions: number;
  seed: number;
  /** Objects in each workflow's manifest (default 2). */
  objectsPerWorkflow?: number;
  /** One deadline for every execution (default 120 s). */
  timeoutMs?: number;
}

export interface DuplicatesFigures {
  executions: number;
  succeeded: number;
  /** Jobs beyond the first, summed over every execution. */
  duplicateJobs: number;
  /** Executions that created no job. */
  missingJobs: number;
  /** Executions still RUNNING at the deadline. */
  unfinished: number;
  /** `<status> <error>` of every execution that did not succeed, counted. */
  otherEnds: Record<string, number>;
  /** Why those that failed say they failed (their Batch Job Failed event's reason), counted. */
  failureReasons: Record<string, number>;
  /**
   * The task attempts Step Functions saw fail, by error name: the faults that got past the SDK's retries
   * (ServiceThrottledError, ServiceUnavailableError) or hit the invocation itself (Lambda.ServiceException).
   * Evidence the faults were live.
   */
  taskFailures: Record<string, number>;
  wallMs: number;
}

export async function runDuplicatesScenario(options: DuplicatesOptions): Promise<DuplicatesFigures> {
  const h = await startHarness({ faults: duplicatesFaults(options.seed), timeScale: 600 });
  try {
    const workflows = seedWorkflows(h, options.executions, options.objectsPerWorkflow ?? 2, 'dup');
    const startedAt = Date.now();
    const finished = await runWorkflows(h, workflows, options.timeoutMs ?? 120_000);
    const wallMs = Date.now() - startedAt;
    const jobs = [...jobsPerWorkflow(h, workflows).values()];
    const failedArns = new Set(
      finished.filter((run) => run.status === 'FAILED').map((run) => run.executionArn),
    );
    return {
      executions: finished.length,
      succeeded: finished.filter((run) => run.status === 'SUCCEEDED').length,
      duplicateJobs: jobs.reduce((sum, n) => sum + Math.max(0, n - 1), 0),
      missingJobs: jobs.filter((n) => n === 0).length,
      unfinished: finished.filter((run) => !isTerminal(run.status)).length,
      otherEnds: endsOtherThanSuccess(finished),
      failureReasons: countValues(
        h
          .events('Batch Job Failed')
          .filter((event) => failedArns.has(event.detail.executionArn))
          .map((event) => String(event.detail.reason)),
      ),
      taskFailures: countValues(finished.flatMap((run) => run.taskFailures)),
      wallMs,
    };
  } finally {
    await h.stop();
  }
}
