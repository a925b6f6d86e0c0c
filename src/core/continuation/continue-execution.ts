import {
  ConfigurationError,
  ObjectNotFoundError,
  RequestValidationError,
  TaskInputError,
} from '../errors.js';
import type { ObjectStorePort, WorkflowPort } from '../ports.js';
import type { ContinueExecutionInput, ExecutionRef, WorkflowState } from '../workflow-state.js';

/**
 * What a continued execution receives: only the name of the execution it continues. The state itself
 * never travels in the input, so whoever may call StartExecution (or drop a request file) cannot hand the
 * workflow a job id or a policy to act on: a continuation is resumed only from the state this workflow
 * saved in its private state bucket under the new execution's own name (see resumeContinuation).
 *
 * Why the state bucket rather than a signed input: it needs no key to create, store, rotate or keep out of
 * logs, the Lambdas already hold a private bucket for parked waits, and the execution name — unique per
 * state machine for 90 days — binds the saved state to exactly one execution.
 */
export interface ContinuationInput {
  continuedFrom: string;
}

/** The state one execution hands to the next, as saved in the state bucket. */
export interface SavedContinuation {
  /** The execution allowed to resume this state, and its state machine. */
  executionName: string;
  stateMachineArn: string;
  continuedFrom: string;
  state: Pick<WorkflowState, 'request' | 'job' | 'progress' | 'attempts'>;
}

export interface ContinuationDeps {
  workflow: WorkflowPort;
  objects: ObjectStorePort;
  stateBucket: string | undefined;
}

const maxExecutionName = 80;

/** The continue-execution task: save and continue (`state`), or resume (`resume`); the schema allows one. */
export function continueExecution(
  deps: ContinuationDeps,
  input: ContinueExecutionInput,
): Promise<WorkflowState | { executionArn: string; continuation: number }> {
  if (input.resume) return resumeContinuation(deps, input.resume);
  if (input.state) return continueInFreshExecution(deps, input.state);
  throw new TaskInputError('continue-execution', 'input', 'needs state or resume');
}

/** A saved continuation is small (request, job, one snapshot): a larger object is not ours. */
const maxSavedBytes = 1024 * 1024;

/** `continuations/<state machine name>/<execution name>.json` in the stage's state bucket. */
export function continuationStateKey(stateMachineArn: string, executionName: string): string {
  const machine = stateMachineArn.split(':')[6] ?? 'unknown';
  return `continuations/${machine}/${executionName}.json`;
}

/**
 * History safety: Step Functions fails an execution at 25,000 history events. A long job's workflow
 * continues in a fresh execution of the same state machine before it gets near. The state is saved first,
 * then `<original>-c<n>` is started: the name is derived, so a retried call rewrites the same state and
 * finds the execution it already started.
 */
export async function continueInFreshExecution(
  deps: ContinuationDeps,
  state: WorkflowState,
): Promise<{ executionArn: string; continuation: number }> {
  const job = state.job;
  const progress = state.progress;
  if (!job) throw new TaskInputError('continue-execution', 'state.job', 'is required to continue');
  if (!progress) throw new TaskInputError('continue-execution', 'state.progress', 'is required to continue');
  const stateBucket = requireStateBucket(deps.stateBucket);
  const continuation = job.continuations + 1;
  const stateMachineArn = stateMachineArnOf(state.execution.arn);
  const executionName = continuationName(state.execution.name, continuation);
  const saved: SavedContinuation = {
    executionName,
    stateMachineArn,
    continuedFrom: state.execution.arn,
    state: {
      request: state.request,
      job: { ...job, continuations: continuation },
      progress: { ...progress, pollsInExecution: 0 },
      attempts: state.attempts ?? [],
    },
  };
  await deps.objects.putObject(
    stateBucket,
    continuationStateKey(stateMachineArn, executionName),
    JSON.stringify(saved),
    'application/json',
  );
  const input: ContinuationInput = { continuedFrom: state.execution.arn };
  const { executionArn } = await deps.workflow.startExecution(stateMachineArn, executionName, input);
  return { executionArn, continuation };
}

/**
 * The state a continued execution resumes from: the one saved for this very execution (name and state
 * machine), or a RequestValidationError on `continuedFrom` — the workflow then ends Rejected, touching
 * no job.
 */
export async function resumeContinuation(
  deps: Pick<ContinuationDeps, 'objects' | 'stateBucket'>,
  execution: ExecutionRef,
): Promise<WorkflowState> {
  const stateBucket = requireStateBucket(deps.stateBucket);
  const stateMachineArn = stateMachineArnOf(execution.arn);
  const notOurs = (why: string) =>
    new RequestValidationError('continuedFrom', `is not a continuation this workflow started: ${why}`);
  let text: string;
  try {
    text = await readBounded(
      deps.objects,
      stateBucket,
      continuationStateKey(stateMachineArn, execution.name),
    );
  } catch (error) {
    if (error instanceof ObjectNotFoundError) throw notOurs(`no saved state for execution ${execution.name}`);
    throw error;
  }
  let saved: SavedContinuation;
  try {
    saved = JSON.parse(text) as SavedContinuation;
  } catch {
    throw notOurs('its saved state is not valid JSON');
  }
  if (saved.executionName !== execution.name || saved.stateMachineArn !== stateMachineArn) {
    throw notOurs(`the saved state belongs to ${saved.stateMachineArn}:${saved.executionName}`);
  }
  if (!saved.state?.job || !saved.state.progress) throw notOurs('the saved state has no job');
  return {
    request: saved.state.request,
    execution,
    job: saved.state.job,
    progress: saved.state.progress,
    attempts: saved.state.attempts ?? [],
  };
}

function requireStateBucket(stateBucket: string | undefined): string {
  if (!stateBucket) throw new ConfigurationError('S3BO_STATE_BUCKET', 'is needed to continue a long job');
  return stateBucket;
}

async function readBounded(objects: ObjectStorePort, bucket: string, key: string): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of await objects.getObjectStream(bucket, key)) {
    size += chunk.length;
    if (size > maxSavedBytes) throw new Error(`s3://${bucket}/${key} is larger than ${maxSavedBytes} bytes`);
    chunks.push(Buffer.from(chunk));
  }
  return Buffer.concat(chunks).toString('utf8');
}

/** `arn:aws:states:r:a:execution:<machine>:<name>` → `arn:aws:states:r:a:stateMachine:<machine>` */
export function stateMachineArnOf(executionArn: string): string {
  const parts = executionArn.split(':');
  if (parts.length < 8 || parts[5] !== 'execution') throw new Error(`not an execution ARN: ${executionArn}`);
  return [...parts.slice(0, 5), 'stateMachine', parts[6]].join(':');
}

/** `<base>-c<n>`, where base drops an earlier `-c<k>` suffix and is trimmed to fit 80 characters. */
export function continuationName(executionName: string, continuation: number): string {
  const suffix = `-c${continuation}`;
  const base = executionName.replace(/-c\d+$/, '');
  return `${base.slice(0, maxExecutionName - suffix.length)}${suffix}`;
}
