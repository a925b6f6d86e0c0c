/**
 * The Retry of every Lambda task, from two registries, never a hand-written list per state:
 *
 * - the Lambda service errors Step Functions reports when invoking the function failed on Lambda's side;
 * - the retryable errors of src/core/errors.ts (`retryableErrorNames`), which a task throws after the SDK
 *   gave up on a throttled or failing AWS call.
 *
 * One retry layer per call (docs/workflow-contract.md, "Retries"): the SDK retries each AWS call inside the
 * invocation (src/adapters/aws/client-factory.ts); Step Functions re-runs a task that still failed with a
 * retryable core error up to three times, after pauses long enough to outlast a short throttling episode, and
 * is the only layer for a failed Lambda invocation.
 */
import { retryableErrorNames } from '../../src/core/errors.js';
import type { Retrier } from './asl.js';

/**
 * Lambda service errors worth retrying (Step Functions developer guide, "Handle Lambda service exceptions"):
 * the guide's four transient 500s, and Lambda.TooManyRequestsException, which it names for a function at its
 * concurrency limit. Lambda.Unknown (timeouts, out of memory) is not retried: it is caught like any failure.
 */
export const lambdaServiceErrors = [
  'Lambda.ClientExecutionTimeoutException',
  'Lambda.ServiceException',
  'Lambda.AWSLambdaException',
  'Lambda.SdkClientException',
  'Lambda.TooManyRequestsException',
] as const;

/** The guide's retrier for those errors (2 s, 6 retries, rate 2), with full jitter against retry storms. */
export const lambdaServiceRetrier: Retrier = {
  ErrorEquals: lambdaServiceErrors,
  IntervalSeconds: 2,
  MaxAttempts: 6,
  BackoffRate: 2,
  JitterStrategy: 'FULL',
};

/**
 * A retryable core error reaches Step Functions only after the SDK's own attempts failed. Three more runs of
 * the task, up to 30, 60 and 120 s later (full jitter), spread those attempts over minutes, so a throttling
 * episode can pass: CreateJob is then called at most 4 × the SDK's maxAttempts times under sustained
 * throttling. One run more (the earlier budget) lost executions to independent faults: with CreateJob
 * throttled 30 % and failing 10 % of calls, 6 attempts all fail for 1 execution in ~400, 12 for 1 in ~150,000
 * (test/reliability/duplicates.test.ts runs 200 executions at those rates).
 */
export const coreErrorRetrier: Retrier = {
  ErrorEquals: [...retryableErrorNames],
  IntervalSeconds: 30,
  MaxAttempts: 3,
  BackoffRate: 2,
  JitterStrategy: 'FULL',
};

/** The Retry of a Lambda task: Lambda's service errors first, then the core's retryable errors. */
export const lambdaTaskRetry: readonly Retrier[] = [lambdaServiceRetrier, coreErrorRetrier];

/**
 * The Retry of a child execution task (startExecution.sync:2). StartExecution fails with
 * ExecutionLimitExceeded when the account has too many open executions, which clears as others end: worth a
 * few patient retries. Nothing else is retried: the child's own failure (States.TaskFailed) is an outcome,
 * and retrying a start that may have happened is left to the execution name, which makes it idempotent.
 */
export const childExecutionRetrier: Retrier = {
  ErrorEquals: ['StepFunctions.ExecutionLimitExceededException'],
  IntervalSeconds: 60,
  MaxAttempts: 3,
  BackoffRate: 2,
  JitterStrategy: 'FULL',
};
