/** Names defined once and imported everywhere else (STYLE.md rule 11). */
import { jobStatuses } from '../generated/constants.js';

export const serviceName = 's3-batch-orchestrator';
export const defaultEventSource = 's3-batch-orchestrator';

/**
 * Every job the orchestrator creates carries this job tag with the stage as its value. The stage's IAM
 * conditions job control (UpdateJobStatus, UpdateJobPriority, DescribeJob) on it, and the Lambdas check it
 * before changing a job, so a job id that did not come from this stage is never acted on.
 */
export const stageJobTagKey = 's3bo:stage';

/** Every job a campaign starts carries this job tag with the campaign's name (schemas/campaign.schema.json). */
export const campaignJobTagKey = 's3bo:campaign';

/** Every job a coalescing trigger starts carries this job tag with the trigger's name (triggers/). */
export const triggerJobTagKey = 's3bo:trigger';

export const eventBusName = (stage: string): string => `${serviceName}-${stage}`;
export const lambdaFunctionName = (stage: string, fn: FunctionKey): string => `${serviceName}-${stage}-${fn}`;
export const stateMachineName = (stage: string, machine: StateMachineKey): string =>
  `${serviceName}-${stage}-${machine}`;
/** The EventBridge Scheduler schedule group of a stage's campaign schedules; each schedule is named after its campaign. */
export const campaignScheduleGroupName = (stage: string): string => `${serviceName}-${stage}`;

/** Keys of `functions:` in serverless.yml; each is also the file name under functions/. */
export const functionKeys = [
  'submit-job',
  'describe-job',
  'confirm-job',
  'park-job',
  'wake-job',
  'continue-execution',
  'fetch-report',
  'redrive-job',
  'emit-events',
  'start-from-object',
  'claim-campaign-run',
  'resolve-campaign',
  'summarize-campaign-target',
  'aggregate-campaign',
  // The restore-then machine (restore campaigns' phase 2); record-restore is the target of the rule on S3's
  // Object Restore Completed events.
  'record-restore',
  'prepare-restore-then',
  'check-restores',
  'build-then-manifest',
  'emit-phase-event',
  'conclude-restore-then',
  // Coalescing triggers (triggers/): collect-objects reads the trigger queues, flush-triggers runs every minute.
  'collect-objects',
  'flush-triggers',
] as const;
export type FunctionKey = (typeof functionKeys)[number];

export const stateMachineKeys = ['batch-job', 'campaign', 'restore-then'] as const;
export type StateMachineKey = (typeof stateMachineKeys)[number];

/** EventBridge detail types of the orchestrator's own events (ARCHITECTURE.md, "Events"). */
export const detailTypes = {
  submitted: 'Batch Job Submitted',
  statusChanged: 'Batch Job Status Changed',
  reprioritized: 'Batch Job Reprioritized',
  autoCancelled: 'Batch Job Auto-Cancelled',
  completed: 'Batch Job Completed',
  failed: 'Batch Job Failed',
  cancelled: 'Batch Job Cancelled',
  rejected: 'Batch Job Rejected',
  redriven: 'Batch Job Redriven',
  campaignStarted: 'Campaign Started',
  campaignCompleted: 'Campaign Completed',
  // The restore-then machine's phases (restore campaigns).
  campaignPhaseStarted: 'Campaign Phase Started',
  campaignPhaseCompleted: 'Campaign Phase Completed',
  // A coalescing trigger started a job over the objects it collected (src/core/triggers/flush.ts).
  triggerFlushed: 'Trigger Flushed',
} as const;
export type DetailType = (typeof detailTypes)[keyof typeof detailTypes];

/**
 * Every S3 Batch Operations job status (S3 Control API reference, JobStatus): defined once, as the JobStatus
 * enum of schemas/common.schema.json, and generated from it.
 */
export { jobStatuses };
export type JobStatus = (typeof jobStatuses)[number];
export const terminalJobStatuses: readonly JobStatus[] = ['Complete', 'Cancelled', 'Failed'];

/**
 * The logical id osls gives a function's AWS::Lambda::Function (lib/plugins/aws/lib/naming.js,
 * getNormalizedFunctionName + 'LambdaFunction'): `submit-job` -> `SubmitDashjobLambdaFunction`.
 */
export function lambdaLogicalId(functionKey: string): string {
  const normalized = functionKey.replace(/-/g, 'Dash').replace(/_/g, 'Underscore');
  return `${normalized[0]!.toUpperCase()}${normalized.slice(1)}LambdaFunction`;
}
