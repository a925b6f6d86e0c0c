import type { ReportSummary } from '../../generated/types.js';
import { TaskInputError } from '../errors.js';
import { manifestSourceOfJob } from '../manifest-source/job-manifest-source.js';
import { type DetailType, detailTypes, triggerJobTagKey } from '../names.js';
import { resolvePolicy } from '../policy/policy-settings.js';
import { aggregateAttempts } from '../redrive/aggregate.js';
import { redriveErrorCodes } from '../redrive/eligibility.js';
import type { CaughtError, EmitRequest, JobSnapshot, WorkflowState } from '../workflow-state.js';
import { type BuiltEvent, commonDetail, type Detail } from './event-common.js';
import { buildPolicyEvents } from './policy-details.js';

export { type BuiltEvent, commonDetail, type Detail, eventId } from './event-common.js';
export type { EmitRequest };

const knownDetailTypes: ReadonlySet<string> = new Set(Object.values(detailTypes));

/** Every event one emit task sends: the requested one, or one per policy action. */
export function buildWorkflowEvents(request: EmitRequest, stage: string, now: Date): BuiltEvent[] {
  if (request.policyActions) return buildPolicyEvents(request, stage, now);
  const { detailType } = request;
  if (!detailType) throw new TaskInputError('emit-events', 'detailType', 'is required without policyActions');
  // The schema leaves the list to src/core/names.ts, where detail types are named once.
  if (!knownDetailTypes.has(detailType)) {
    throw new TaskInputError('emit-events', 'detailType', `is not an orchestrator event: ${detailType}`);
  }
  return [{ detailType: detailType as DetailType, detail: buildWorkflowDetail(request, stage, now) }];
}

/** Builds the `detail` of one orchestrator event from the workflow state (schemas/events/*). */
export function buildWorkflowDetail(request: EmitRequest, stage: string, now: Date): Detail {
  const { state } = request;
  const job = state.job;
  const progress = state.progress ?? undefined;
  const common = commonDetail(state, stepKey(request), stage, now);
  const summary = finalSummary(state);
  switch (request.detailType) {
    case detailTypes.submitted:
      return {
        ...common,
        accountId: job!.accountId,
        operation: job!.operation,
        priority: job!.priority,
        clientRequestToken: job!.clientRequestToken,
        ...(job!.manifest ? { manifest: { bucket: job!.manifest.bucket, key: job!.manifest.key } } : {}),
        manifestSource: manifestSourceOfJob(job!),
        ...(job!.estimate ? { estimate: job!.estimate } : {}),
        ...submittedCounts(state),
      };
    case detailTypes.statusChanged:
      return {
        ...common,
        status: progress!.status,
        previousStatus: progress!.previousStatus,
        progress: progressCounts(progress!),
        stalled: progress!.stalled,
        ...(progress!.statusUpdateReason ? { statusUpdateReason: progress!.statusUpdateReason } : {}),
      };
    case detailTypes.completed:
      return {
        ...common,
        outcome: request.outcome ?? outcomeOf(progress, state.report),
        progress: progressCounts(progress!),
        summary: summary!,
      };
    case detailTypes.failed:
      return {
        ...common,
        reason: failureReason(progress, state.error),
        failureReasons: progress?.failureReasons ?? [],
        ...(state.error ? { errorName: state.error.Error } : {}),
        ...(summary ? { summary } : {}),
      };
    case detailTypes.cancelled:
      return {
        ...common,
        reason: progress?.statusUpdateReason ?? 'The job was cancelled',
        ...(summary ? { summary } : {}),
      };
    case detailTypes.redriven: {
      const redrive = state.redrive;
      // A redrive job always runs on the CSV of the failed tasks (src/core/redrive/redrive-request.ts).
      if (!redrive?.job?.manifest) {
        throw new Error('emit-events: "Batch Job Redriven" needs $.redrive.job with its manifest');
      }
      return {
        ...common,
        jobId: redrive.job.jobId,
        parentJobId: redrive.job.parentJobId!,
        attempt: redrive.job.attempt,
        taskCount: redrive.taskCount,
        manifest: { bucket: redrive.job.manifest.bucket, key: redrive.job.manifest.key },
      };
    }
    case detailTypes.rejected: {
      const { field, reason } = rejection(state.error);
      return { ...common, field, reason };
    }
    default:
      throw new Error(`emit-events cannot build "${request.detailType}" from the batch-job workflow state`);
  }
}

/**
 * Status Changed repeats within one execution (its step adds status and poll number); every event of a
 * later attempt (redrive) is about another job (its step adds the job id).
 */
function stepKey(request: EmitRequest): string {
  const { progress, job } = request.state;
  const perJob = job && job.attempt > 1 ? `${request.step}:${job.jobId}` : request.step;
  return request.detailType === detailTypes.statusChanged && progress
    ? `${perJob}:${progress.status}:${progress.polls}`
    : perJob;
}

/** The summary events report: across every attempt when the workflow redrove failed tasks. */
function finalSummary(state: WorkflowState): ReportSummary | undefined {
  if (!state.report) return undefined;
  if (!state.attempts || state.attempts.length === 0) return state.report;
  // Which earlier failures were never redriven depends on the policy's codes.
  const errorCodes = redriveErrorCodes(resolvePolicy(state.job?.policy ?? undefined).redrive);
  return aggregateAttempts([...state.attempts, state.report], { errorCodes });
}

export function progressCounts(progress: JobSnapshot) {
  return {
    totalTasks: progress.totalTasks,
    succeededTasks: progress.succeededTasks,
    failedTasks: progress.failedTasks,
    failureRate: progress.failureRate,
  };
}

/** `Complete` is not success: any failed task makes it a partial failure (AWS-FACTS, lifecycle). */
export function outcomeOf(
  progress: JobSnapshot | undefined,
  report: ReportSummary | undefined,
): 'Succeeded' | 'PartialFailure' {
  return (progress?.failedTasks ?? 0) > 0 || (report?.failedTasks ?? 0) > 0 ? 'PartialFailure' : 'Succeeded';
}

function failureReason(progress: JobSnapshot | undefined, error: CaughtError | undefined): string {
  if (error) return `${error.Error}: ${lambdaErrorMessage(error.Cause) ?? 'no cause given'}`;
  if (progress?.timedOut) return `Timed out waiting for the job (last status ${progress.status})`;
  if (progress?.status === 'Complete' && progress.succeededTasks === 0 && progress.failedTasks > 0) {
    return `Every task failed (${progress.failedTasks} of ${progress.totalTasks}); the job itself completed`;
  }
  const reasons = progress?.failureReasons.map((r) => `${r.code}: ${r.reason}`).join('; ');
  return reasons || progress?.statusUpdateReason || 'The job failed';
}

/** Step Functions puts a Lambda error's JSON (`{errorType, errorMessage, trace}`) in `Cause`. */
export function lambdaErrorMessage(cause: string | undefined): string | undefined {
  if (!cause) return undefined;
  try {
    const parsed = JSON.parse(cause) as { errorMessage?: unknown };
    return typeof parsed.errorMessage === 'string' ? parsed.errorMessage : cause;
  } catch {
    return cause;
  }
}

/** RequestValidationError's message is `<field>: <reason>` (src/core/errors.ts). */
function rejection(error: CaughtError | undefined): { field: string; reason: string } {
  const message = lambdaErrorMessage(error?.Cause) ?? 'request: is invalid';
  const separator = message.indexOf(': ');
  return separator > 0
    ? { field: message.slice(0, separator), reason: message.slice(separator + 2) }
    : { field: 'request', reason: message };
}

/**
 * Batch Job Submitted's `trigger` (the request's s3bo:trigger tag: a coalescing trigger started the job) and
 * `objectCount` (the manifest's rows as SubmitJob's estimate counted them; a generator's listing is only an
 * upper bound, so it is left out).
 */
function submittedCounts(state: WorkflowState): { trigger?: string; objectCount?: number } {
  const request = state.request as { tags?: Record<string, unknown> } | null | undefined;
  const trigger = request?.tags?.[triggerJobTagKey];
  const estimate = state.job?.estimate;
  const counted = estimate && (estimate.objectCountSource ?? 'csvRows') !== 'generatorListing';
  return {
    ...(typeof trigger === 'string' ? { trigger } : {}),
    ...(counted ? { objectCount: estimate.objectCount } : {}),
  };
}
