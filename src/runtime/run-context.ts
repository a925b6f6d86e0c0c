/**
 * Which run a Lambda invocation belongs to, read from its input: the keys every log line of the invocation
 * carries (`jobId`, `executionArn`, `operation`) and what its metrics need (`submittedAt`). Task inputs put
 * them in a few known places (schemas/tasks/): `job` (describe-job, confirm-job, fetch-report),
 * `state.job` / `state.execution` (emit-events, redrive-job, continue-execution), `execution` (submit-job),
 * `executionArn` (the tasks given `$$.Execution.Id` for exactly this).
 *
 * Read from the event as received, before validation, so a rejected input is logged with what it named too;
 * hence every value is checked for type and length here: nothing long or odd from a payload reaches a log.
 */
export interface RunContext {
  jobId?: string;
  executionArn?: string;
  /** The S3 Batch Operations operation (`S3PutObjectTagging`): a metrics dimension, so one of a short list. */
  operation?: string;
  submittedAt?: string;
}

/** An execution ARN is at most 2,048 characters (Step Functions API reference); job ids are 5-36. */
const maxLength = { jobId: 36, executionArn: 2048, operation: 40, submittedAt: 40 } as const;
const operationName = /^(LambdaInvoke|S3[A-Za-z]+)$/;

type Fields = Record<string, unknown>;

const fieldsOf = (value: unknown): Fields | undefined =>
  typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Fields) : undefined;

function text(value: unknown, limit: number): string | undefined {
  return typeof value === 'string' && value.length > 0 && value.length <= limit ? value : undefined;
}

/** The one key of a request's `operation` object (`{ S3PutObjectTagging: {…} }`), before SubmitJob names it. */
function requestOperation(request: Fields | undefined): string | undefined {
  const operation = fieldsOf(request?.operation);
  const keys = operation ? Object.keys(operation) : [];
  return keys.length === 1 ? keys[0] : undefined;
}

export function runContextOf(event: unknown): RunContext {
  const input = fieldsOf(event);
  const state = fieldsOf(input?.state);
  const job = fieldsOf(input?.job) ?? fieldsOf(state?.job);
  const execution = fieldsOf(input?.execution) ?? fieldsOf(state?.execution);
  const operation = text(job?.operation ?? requestOperation(fieldsOf(input?.request)), maxLength.operation);
  const context: RunContext = {
    jobId: text(job?.jobId, maxLength.jobId),
    executionArn: text(input?.executionArn ?? execution?.arn, maxLength.executionArn),
    operation: operation !== undefined && operationName.test(operation) ? operation : undefined,
    submittedAt: text(job?.submittedAt, maxLength.submittedAt),
  };
  return Object.fromEntries(Object.entries(context).filter(([, value]) => value !== undefined)) as RunContext;
}
