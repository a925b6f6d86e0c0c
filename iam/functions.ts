/**
 * The one table of what each Lambda may do: function key (src/core/names.ts functionKeys) -> the
 * statements its single task needs. Every role also gets the shared log and trace statements
 * (iam/roles.ts); the S3 Batch Operations role's grants are per operation (iam/batch-operations.cjs).
 * `npm run gen:iam` turns this into iam/roles.generated.yml, which serverless.yml includes.
 */
import { campaignRunsFolder } from '../src/core/campaign/run-id.js';
import { type FunctionKey, stageJobTagKey } from '../src/core/names.js';
import { markerFolder } from '../src/core/restore-phase/restore-markers.js';
import { progressFolder } from '../src/core/restore-phase/restore-progress.js';
import { triggersFolder } from '../src/core/triggers/pending-store.js';
import { allow, type PolicyStatement } from './policy.js';
import { resources, stageVariable } from './references.js';

/** Conditions that confine job actions to the stage's own jobs and operations. */
const stageJobTag = { [`aws:ResourceTag/${stageJobTagKey}`]: stageVariable };
const stageOperations = `\${param:batchOperations}`;
const priorityCeiling = { NumericLessThanEquals: { 's3:RequestJobPriority': `\${param:maxJobPriority}` } };

/**
 * CreateJob has no resource type (Service Authorization Reference, Amazon S3), so the resource must be "*".
 * What a job may touch is bounded by the only role its creator can pass (passBatchRole); these conditions,
 * all CreateJob keys in that reference ("Controlling permissions for Batch Operations using job tags"),
 * bound the rest: the job must carry the stage job tag (names.ts stageJobTagKey) so the job-control grants
 * can tell it from foreign jobs, run one of the stage's operations, and stay within the stage's priority
 * ceiling. No s3:PutJobTagging: the reference lists iam:PassRole as CreateJob's only dependent action, and
 * nothing here retags a job afterwards. AWS shows no example value of s3:RequestJobOperation /
 * s3:ExistingJobOperation; these are the CreateJob Operation member names (S3PutObjectTagging, ...), as IAM
 * simulators model them: confirm with one real CreateJob per stage after the first deploy.
 */
const createStageJobs = allow('CreateStageJobs', ['s3:CreateJob'], '*', {
  StringEquals: {
    [`aws:RequestTag/${stageJobTagKey}`]: stageVariable,
    's3:RequestJobOperation': stageOperations,
  },
  ...priorityCeiling,
});

const passBatchRole = allow('PassBatchRole', ['iam:PassRole'], resources.batchOperationsRole, {
  StringEquals: { 'iam:PassedToService': 's3.amazonaws.com' },
});

/**
 * Job control only on this stage's jobs: the `job` resource type supports aws:ResourceTag/<key> (Service
 * Authorization Reference, Amazon S3), so a job without the stage job tag, e.g. a forged job id, is denied.
 * GetJobTagging is the ownership check before a change (src/core/job-ownership.ts).
 */
const readStageJobs = allow('ReadStageJobs', ['s3:DescribeJob', 's3:GetJobTagging'], resources.jobs, {
  StringEquals: stageJobTag,
});

/**
 * UpdateJobStatus and UpdateJobPriority also support s3:ExistingJobOperation, so a job of an operation the
 * stage does not enable is not changed either; DescribeJob and GetJobTagging do not support that key (a key
 * an action does not support would deny it), hence separate statements.
 */
const cancelOrConfirmStageJobs = allow('CancelOrConfirmStageJobs', ['s3:UpdateJobStatus'], resources.jobs, {
  StringEquals: { ...stageJobTag, 's3:ExistingJobOperation': stageOperations },
});
const reprioritizeStageJobs = allow('ReprioritizeStageJobs', ['s3:UpdateJobPriority'], resources.jobs, {
  StringEquals: { ...stageJobTag, 's3:ExistingJobOperation': stageOperations },
  ...priorityCeiling,
});

const readReports = allow('ReadReports', ['s3:GetObject'], resources.reports);
/**
 * A job that failed early has no report: with ListBucket S3 answers 404 (a "no report" summary) instead of
 * 403 (AccessDenied, an orchestration failure).
 */
const tellMissingReports = allow('TellMissingReports', ['s3:ListBucket'], resources.reportBucket);

/**
 * The on-failure destination of a trigger function's asynchronous invocations: Lambda sends with the
 * execution role ("Asynchronous invocation", destinations).
 */
const sendToTriggerDeadLetterQueue = allow(
  'SendFailedInvocationsToDeadLetterQueue',
  ['sqs:SendMessage'],
  resources.triggerDeadLetterQueue,
);

/** Restore markers (src/core/restore-phase/restore-markers.ts): written by record-restore and the fallback. */
const recordRestoreMarkers = allow(
  'RecordRestoredObjects',
  ['s3:PutObject'],
  resources.stateObjects(markerFolder),
);
/** Listing the markers only: the state bucket also holds parked task tokens and continuations. */
const listRestoreMarkers = allow('ListRestoreMarkers', ['s3:ListBucket'], resources.stateBucket, {
  StringLike: { 's3:prefix': [`${markerFolder}/*`] },
});

/**
 * What both coalescing-trigger functions do (src/core/triggers/): read-modify-write the pending store and
 * write manifests under triggers/ in the state bucket (GetObject also serves HeadObject), list the bucket so
 * a first pending store reads as 404 rather than 403, start the batch-job machine (a retried flush meets
 * ExecutionAlreadyExists, and the adapter compares inputs with DescribeExecution), announce Trigger Flushed.
 */
const flushTriggerWindows: readonly PolicyStatement[] = [
  allow(
    'KeepPendingObjectsAndManifests',
    ['s3:GetObject', 's3:PutObject'],
    resources.stateObjects(triggersFolder),
  ),
  // Unconditioned, as wake-job's: whether S3 answers a missing key with 404 rather than 403 depends on
  // ListBucket on the bucket, not on a listing's prefix.
  allow('TellMissingPendingStores', ['s3:ListBucket'], resources.stateBucket),
  allow('StartBatchJobWorkflow', ['states:StartExecution'], resources.batchJobStateMachine),
  allow('FindDuplicateStarts', ['states:DescribeExecution'], resources.batchJobExecutions),
  allow('PutEventsOnStageBus', ['events:PutEvents'], resources.eventBus),
];

export const functionPermissions: { readonly [key in FunctionKey]: readonly PolicyStatement[] } = {
  'submit-job': [
    createStageJobs,
    // HeadObject for the manifest ETag that CreateJob requires; and the cost estimate's count: a CSV's rows,
    // or an inventory report's manifest.json, manifest.checksum and gzipped data files (inventory
    // destination buckets are among the allowed buckets, as the batch role reads them there too).
    allow('ReadManifests', ['s3:GetObject', 's3:GetObjectVersion'], resources.allowedObjects),
    // A CSV dropped into the request bucket runs with its folder's template: its rows are counted too.
    allow('ReadRequestBucketManifests', ['s3:GetObject'], resources.requestCsvManifests),
    // ListObjectsV2 (s3:ListBucket): the dated folders of an inventory configuration, for its newest
    // report, and the dry count of a generator's source bucket. It also makes S3 answer 404 rather than 403
    // for a missing key, so a missing manifest reads as ObjectNotFound, not AccessDenied.
    allow('ListManifestAndSourceBuckets', ['s3:ListBucket'], resources.allowedBuckets),
    passBatchRole,
  ],
  // The failure-rate policy is judged in the same task (one Lambda per poll): it may cancel the job or
  // change its priority (src/core/monitor-job.ts).
  'describe-job': [readStageJobs, cancelOrConfirmStageJobs, reprioritizeStageJobs],
  // Confirms (UpdateJobStatus Ready) only this stage's jobs; after a JobStatusException it re-reads the job
  // to tell "already confirmed" from a real conflict (src/core/confirm-job.ts).
  'confirm-job': [readStageJobs, cancelOrConfirmStageJobs],
  'park-job': [allow('ParkTaskTokens', ['s3:PutObject'], resources.stateObjects('wake'))],
  'wake-job': [
    allow('ReadParkedTokens', ['s3:GetObject'], resources.stateObjects('wake')),
    // Most job events concern no waiting workflow: 404, not 403, for a missing token.
    allow('TellMissingTokens', ['s3:ListBucket'], resources.stateBucket),
    allow('ResumeWaitingExecutions', ['states:SendTaskSuccess'], resources.batchJobStateMachine),
    sendToTriggerDeadLetterQueue,
  ],
  'continue-execution': [
    allow('ContinueInFreshExecution', ['states:StartExecution'], resources.batchJobStateMachine),
    // A retried StartExecution meets ExecutionAlreadyExists and compares inputs.
    allow('FindContinuationOnRetry', ['states:DescribeExecution'], resources.batchJobExecutions),
    // ContinueAsNew saves the state before it starts <name>-c<n>; ResumeExecution reads it back.
    allow(
      'SaveAndResumeContinuationState',
      ['s3:PutObject', 's3:GetObject'],
      resources.stateObjects('continuations'),
    ),
  ],
  'fetch-report': [readReports, tellMissingReports],
  // A redrive job is created like any other (same conditions as submit-job's).
  'redrive-job': [
    createStageJobs,
    readReports,
    tellMissingReports,
    allow('WriteRedriveManifests', ['s3:PutObject'], resources.redriveManifests),
    passBatchRole,
  ],
  'emit-events': [allow('PutEventsOnStageBus', ['events:PutEvents'], resources.eventBus)],
  'start-from-object': [
    allow('ReadRequests', ['s3:GetObject'], resources.requestFiles),
    allow('TellMissingRequests', ['s3:ListBucket'], resources.requestBucket),
    allow('StartBatchJobWorkflow', ['states:StartExecution'], resources.batchJobStateMachine),
    // A duplicate event meets ExecutionAlreadyExists; the adapter compares inputs.
    allow('FindDuplicateStarts', ['states:DescribeExecution'], resources.batchJobExecutions),
    // A request file that starts nothing gets a Batch Job Rejected event naming it.
    allow('ReportRejectedRequestFiles', ['events:PutEvents'], resources.eventBus),
    sendToTriggerDeadLetterQueue,
  ],
  // The run's claim: a conditional PutObject (If-None-Match: *), and reading a claim that already exists to
  // tell this execution's own (a retried ClaimRun) from another's.
  'claim-campaign-run': [
    allow('ClaimCampaignRuns', ['s3:PutObject', 's3:GetObject'], resources.stateObjects(campaignRunsFolder)),
  ],
  // Counting every target's objects before the run, as submit-job does before one job: CSV manifests and
  // inventory reports in the allowed buckets, and listings (inventory folders, a generator's source bucket).
  'resolve-campaign': [
    allow('ReadManifests', ['s3:GetObject', 's3:GetObjectVersion'], resources.allowedObjects),
    allow('ListManifestAndSourceBuckets', ['s3:ListBucket'], resources.allowedBuckets),
  ],
  // Pure: they read what the workflow hands them.
  'summarize-campaign-target': [],
  'aggregate-campaign': [],
  // The restore-then machine (restore campaigns' phase 2). record-restore: one marker per restored object,
  // and the trigger dead-letter queue for invocations that still fail.
  'record-restore': [recordRestoreMarkers, sendToTriggerDeadLetterQueue],
  // Pure: checks the input and plans the run.
  'prepare-restore-then': [],
  // A poll: the restore job's report, the markers (listing only under restores/), the progress object, and
  // HeadObject (GetObject/GetObjectVersion) on the restored objects as the fallback, which marks what it finds.
  'check-restores': [
    readReports,
    tellMissingReports,
    listRestoreMarkers,
    allow('SaveRestoreProgress', ['s3:GetObject', 's3:PutObject'], resources.stateObjects(progressFolder)),
    recordRestoreMarkers,
    allow('CheckRestoreStatus', ['s3:GetObject', 's3:GetObjectVersion'], resources.allowedObjects),
    // An object deleted since the restore job ran: 404, not 403.
    allow('TellMissingObjects', ['s3:ListBucket'], resources.allowedBuckets),
  ],
  // The manifest of the restored objects goes where redrive manifests go, which the batch role may read.
  'build-then-manifest': [
    readReports,
    tellMissingReports,
    listRestoreMarkers,
    allow('ReadRestoreProgress', ['s3:GetObject'], resources.stateObjects(progressFolder)),
    allow('WriteRestoredObjectManifests', ['s3:PutObject'], resources.redriveManifests),
  ],
  'emit-phase-event': [allow('PutEventsOnStageBus', ['events:PutEvents'], resources.eventBus)],
  // Pure: builds the machine's output from the state.
  'conclude-restore-then': [],
  // The SQS event source mapping polls with the function's role ("Using Lambda with Amazon SQS",
  // execution role permissions): receive, delete what succeeded, read the queue's attributes.
  'collect-objects': [
    allow(
      'ReadTriggerQueues',
      ['sqs:ReceiveMessage', 'sqs:DeleteMessage', 'sqs:GetQueueAttributes'],
      resources.coalescingTriggerQueues,
    ),
    ...flushTriggerWindows,
  ],
  'flush-triggers': [...flushTriggerWindows],
};

/** The functions the restore-then state machine's tasks invoke. */
export const restoreThenTaskFunctions: readonly FunctionKey[] = [
  'prepare-restore-then',
  'check-restores',
  'build-then-manifest',
  'emit-phase-event',
  'conclude-restore-then',
];

/** The functions the campaign state machine's tasks invoke. */
export const campaignTaskFunctions: readonly FunctionKey[] = [
  'claim-campaign-run',
  'resolve-campaign',
  'emit-events',
  'summarize-campaign-target',
  'aggregate-campaign',
];

/** The functions the batch-job state machine's tasks invoke (its placeholders `<Name>FunctionArn`). */
export const batchJobTaskFunctions: readonly FunctionKey[] = [
  'submit-job',
  'describe-job',
  'confirm-job',
  'fetch-report',
  'emit-events',
  'park-job',
  'continue-execution',
  'redrive-job',
];
