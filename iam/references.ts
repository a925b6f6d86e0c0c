/**
 * Every resource the stage's roles grant on, written once. Names come from src/core/names.ts (called with
 * the `${sls:stage}` variable as the stage, which osls resolves at package time), logical ids from
 * serverless.yml's resources, bucket params from its `params`.
 */
import {
  campaignScheduleGroupName,
  type FunctionKey,
  lambdaFunctionName,
  serviceName,
  stateMachineName,
} from '../src/core/names.js';
import { redriveFolderName } from '../src/core/redrive/redrive-request.js';
import { getAttArn, type ResourceValue, sub } from './policy.js';

/** The stage as osls resolves it in the template. */
export const stageVariable = `\${sls:stage}`;

/** `arn:<partition>:<service>:<region>:<account>:<resource>` of the stack's own account and region. */
const inStack = (service: string, resource: string) =>
  sub(`arn:\${AWS::Partition}:${service}:\${AWS::Region}:\${AWS::AccountId}:${resource}`);
const s3 = (path: string) => sub(`arn:\${AWS::Partition}:s3:::${path}`);

const batchJobStateMachine = stateMachineName(stageVariable, 'batch-job');
const campaignStateMachine = stateMachineName(stageVariable, 'campaign');
const restoreThenStateMachine = stateMachineName(stageVariable, 'restore-then');

/** Logical ids the roles refer to: serverless.yml's resources and the generated roles. */
export const logicalIds = {
  eventBus: 'EventBus',
  stateBucket: 'StateBucket',
  requestBucket: 'RequestBucket',
  triggerDeadLetterQueue: 'TriggerDeadLetterQueue',
  batchOperationsRole: 'BatchOperationsRole',
  batchJobStateMachineRole: 'BatchJobStateMachineRole',
  campaignStateMachineRole: 'CampaignStateMachineRole',
  campaignSchedulerRole: 'CampaignSchedulerRole',
  restoreThenStateMachineRole: 'RestoreThenStateMachineRole',
} as const;

export const resources = {
  /**
   * Every S3 Batch Operations job of the account and region (the `job` resource type of the Service
   * Authorization Reference); which of them is the stage's is decided by the job tag condition.
   */
  jobs: inStack('s3', 'job/*'),
  /**
   * Built from the name, not GetAtt: the state machine depends on the functions whose roles name it, so a
   * reference would be circular.
   */
  batchJobStateMachine: inStack('states', `stateMachine:${batchJobStateMachine}`),
  batchJobExecutions: inStack('states', `execution:${batchJobStateMachine}:*`),
  campaignStateMachine: inStack('states', `stateMachine:${campaignStateMachine}`),
  restoreThenStateMachine: inStack('states', `stateMachine:${restoreThenStateMachine}`),
  restoreThenExecutions: inStack('states', `execution:${restoreThenStateMachine}:*`),
  /**
   * The rule Step Functions manages in the account for `.sync` integrations with Step Functions ("IAM policies
   * for starting a new AWS Step Functions state machine execution", synchronous): the parent's role creates
   * and reads it, and adds itself as a target.
   */
  stepFunctionsSyncRule: inStack('events', 'rule/StepFunctionsGetEventsForStepFunctionsExecutionRule'),
  /** The stage's EventBridge Scheduler schedule group (campaign schedules, campaigns/schedules.cjs). */
  campaignScheduleGroup: inStack('scheduler', `schedule-group/${campaignScheduleGroupName(stageVariable)}`),
  eventBus: getAttArn(logicalIds.eventBus),
  triggerDeadLetterQueue: getAttArn(logicalIds.triggerDeadLetterQueue),
  /**
   * The coalescing triggers' queues (triggers/resources.cjs names them `<service>-<stage>-trigger-<name>`):
   * a pattern, as the enabled triggers are a stage param. It also matches their dead-letter queues and the
   * start-from-object dead-letter queue, from which no event source mapping reads.
   */
  coalescingTriggerQueues: inStack('sqs', `${serviceName}-${stageVariable}-trigger-*`),
  batchOperationsRole: getAttArn(logicalIds.batchOperationsRole),
  stateBucket: getAttArn(logicalIds.stateBucket),
  /** Objects under one folder of the state bucket (`wake/`, `continuations/`). */
  stateObjects: (folder: string) => sub(`\${${logicalIds.stateBucket}.Arn}/${folder}/*`),
  requestBucket: getAttArn(logicalIds.requestBucket),
  requestFiles: sub(`\${${logicalIds.requestBucket}.Arn}/\${param:requestPrefix}*`),
  /** The CSV manifests of the request bucket, which run with their folder's template. */
  requestCsvManifests: sub(`\${${logicalIds.requestBucket}.Arn}/\${param:requestPrefix}*.csv`),
  reportBucket: s3(`\${param:reportBucket}`),
  reports: s3(`\${param:reportBucket}/*`),
  /** Redrive manifests live beside the reports, under any report prefix. */
  redriveManifests: s3(`\${param:reportBucket}/*${redriveFolderName}/*`),
  /** The objects and buckets of params.allowedBuckets, built by the batch role's table (iam/batch-role.cjs). */
  allowedObjects: `\${file(./iam/batch-role.cjs):allowedObjectArns}`,
  allowedBuckets: `\${file(./iam/batch-role.cjs):allowedBucketArns}`,
  /** A function's log streams: osls creates `/aws/lambda/<function name>`, so the role needs no CreateLogGroup. */
  logStreamsOf: (fn: FunctionKey) =>
    inStack('logs', `log-group:/aws/lambda/${lambdaFunctionName(stageVariable, fn)}:*`),
} satisfies Record<string, ResourceValue | ((arg: never) => ResourceValue)>;
