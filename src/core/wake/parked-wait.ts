import type { JobStatusEvent } from '../../generated/types.js';
import { ObjectNotFoundError, ServiceRequestRejectedError } from '../errors.js';
import type { Clock, ObjectStorePort, WorkflowPort } from '../ports.js';
import type { SubmittedJob } from '../workflow-state.js';

/**
 * Event-driven wake. While the workflow waits between polls it parks its task token next to the job
 * (`wake/<account>/<jobId>.json` in the stage's state bucket); S3's CloudTrail `JobStatusChanged` event for
 * that job makes the wake Lambda hand the token back, ending the wait early. Events are best effort, so the
 * wait's own timeout (the adaptive poll interval) remains the fallback: a lost event costs one interval.
 * An S3 object rather than a job tag: task tokens are longer than S3 Control's 256-character tag values.
 */
export const parkedWaitKey = (accountId: string, jobId: string): string => `wake/${accountId}/${jobId}.json`;

export interface ParkedWait {
  taskToken: string;
  executionArn: string;
  jobId: string;
  parkedAt: string;
  /** When the wait ends by itself; a token found after this is stale. */
  until: string;
}

export interface ParkInput {
  taskToken: string;
  executionArn: string;
  job: Pick<SubmittedJob, 'jobId' | 'accountId' | 'wait'>;
  waitSeconds: number;
}

/** Returns whether the wait can be woken early (event-driven on, and a state bucket configured). */
export async function parkWait(
  deps: { objects: ObjectStorePort; stateBucket: string | undefined; clock: Clock },
  input: ParkInput,
): Promise<{ parked: boolean }> {
  if (!deps.stateBucket || !input.job.wait.eventDriven) return { parked: false };
  const now = deps.clock.now();
  const record: ParkedWait = {
    taskToken: input.taskToken,
    executionArn: input.executionArn,
    jobId: input.job.jobId,
    parkedAt: now.toISOString(),
    until: new Date(now.getTime() + input.waitSeconds * 1000).toISOString(),
  };
  await deps.objects.putObject(
    deps.stateBucket,
    parkedWaitKey(input.job.accountId, input.job.jobId),
    JSON.stringify(record),
    'application/json',
  );
  return { parked: true };
}

/** The part of S3's CloudTrail job event the wake reads (AWS-FACTS, Events): schemas/tasks/job-status-event. */
export type { JobStatusEvent };

export type WakeResult = { woken: true; executionArn: string } | { woken: false; reason: string };

export async function wakeParkedWait(
  deps: { objects: ObjectStorePort; workflow: WorkflowPort; stateBucket: string | undefined; clock: Clock },
  event: JobStatusEvent,
): Promise<WakeResult> {
  const jobId = event.detail?.serviceEventDetails?.jobId;
  const status = event.detail?.serviceEventDetails?.status;
  if (!deps.stateBucket) return { woken: false, reason: 'no state bucket configured' };
  if (!jobId || !event.account) return { woken: false, reason: 'not an S3 Batch Operations job event' };

  const parked = await readParkedWait(deps.objects, deps.stateBucket, parkedWaitKey(event.account, jobId));
  if (!parked) return { woken: false, reason: `no workflow is waiting on job ${jobId}` };
  if (Date.parse(parked.until) < deps.clock.now().getTime()) {
    return { woken: false, reason: 'the wait already ended' };
  }
  try {
    await deps.workflow.sendTaskSuccess(parked.taskToken, { wokenBy: 'JobStatusChanged', jobId, status });
  } catch (error) {
    // TaskTimedOut / InvalidToken: the wait ended (timeout or an earlier event); polling took over.
    if (error instanceof ServiceRequestRejectedError)
      return { woken: false, reason: 'the wait already ended' };
    throw error;
  }
  return { woken: true, executionArn: parked.executionArn };
}

async function readParkedWait(
  objects: ObjectStorePort,
  bucket: string,
  key: string,
): Promise<ParkedWait | undefined> {
  let stream: AsyncIterable<Uint8Array>;
  try {
    stream = await objects.getObjectStream(bucket, key);
  } catch (error) {
    if (error instanceof ObjectNotFoundError) return undefined;
    throw error;
  }
  const chunks: Uint8Array[] = [];
  for await (const chunk of stream) chunks.push(chunk);
  return JSON.parse(Buffer.concat(chunks).toString('utf8')) as ParkedWait;
}
