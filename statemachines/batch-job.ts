/**
 * The batch-job state machine, in flow order. `npm run gen` (scripts/gen-asl.ts) writes it to
 * statemachines/batch-job.asl.json, the artifact that runs on AWS and in the emulator; a contract test fails
 * when that file is stale. State names are an API (STYLE.md rule 8): the workflow tests and the history of
 * running executions refer to them.
 */
import { workflowFailureNames } from '../src/core/errors.js';
import { type DetailType, detailTypes, type JobStatus, jobStatuses } from '../src/core/names.js';
import {
  type ChoiceRule,
  choice,
  fail,
  is,
  type PayloadTemplate,
  pass,
  type State,
  succeed,
  type TaskState,
  wait,
} from './builder/asl.js';
import { lambdaTask, lambdaTaskWithToken } from './builder/lambda-task.js';
import { type StateMachineDefinition, stateMachine } from './builder/machine.js';

/** Every failure after the start is reported (Batch Job Failed) before the execution fails. */
const orchestrationFailed = 'EmitOrchestrationFailed';
const catchAll = [{ resultPath: '$.error', next: orchestrationFailed }] as const;

/** The execution, from the context object: events and the ClientRequestToken derive from it. */
const execution: PayloadTemplate = {
  'arn.$': '$$.Execution.Id',
  'name.$': '$$.Execution.Name',
  'startTime.$': '$$.Execution.StartTime',
};

/**
 * A task of emit-events that emits the event of one workflow step from the whole state and passes the state
 * on unchanged. Emitting an end event fails into the end it reports on (`$.emitError`), never into a loop.
 */
function emit(
  name: string,
  options: {
    detailType?: DetailType;
    step: string;
    outcome?: 'Succeeded' | 'PartialFailure';
    policyActions?: true;
    comment?: string;
    next: string;
    onError?: { resultPath: '$.error' | '$.emitError'; next: string };
  },
): readonly [string, TaskState] {
  const parameters: PayloadTemplate = {
    ...(options.policyActions ? { policyActions: true } : {}),
    ...(options.detailType === undefined ? {} : { detailType: options.detailType }),
    step: options.step,
    ...(options.outcome === undefined ? {} : { outcome: options.outcome }),
    'state.$': '$',
  };
  return [
    name,
    lambdaTask(name, 'emit-events', {
      ...(options.comment === undefined ? {} : { comment: options.comment }),
      parameters,
      resultPath: null,
      next: options.next,
      catch: [options.onError ?? catchAll[0]],
    }),
  ];
}

const fetchReport = 'FetchReport';
const waitForProgress = 'WaitForProgress';
const checkConfirmation = 'CheckConfirmation';

/** Where each S3 Batch Operations job status leads: typed by JobStatus, so a new status is a compile error. */
const nextByStatus: Readonly<Record<JobStatus, string>> = {
  New: waitForProgress,
  Preparing: waitForProgress,
  Suspended: checkConfirmation,
  Ready: waitForProgress,
  Active: waitForProgress,
  Pausing: waitForProgress,
  Paused: waitForProgress,
  Completing: waitForProgress,
  Complete: fetchReport,
  Cancelling: waitForProgress,
  Cancelled: fetchReport,
  Failing: waitForProgress,
  Failed: fetchReport,
};

const policyActionsPresent = is('$.progress.actions[0]', { IsPresent: true });

const states: (readonly [string, State])[] = [
  // Start: a fresh request, or a long job's continuation.
  [
    'CheckContinuation',
    choice({
      Comment:
        "A long job's workflow continues in a fresh execution (history safety). Its input then names the execution it continues (continuedFrom); the state itself is read back from the private state bucket by this execution's name, so no caller can hand the workflow a job to act on.",
      Choices: [{ ...is('$.continuedFrom', { IsPresent: true }), Next: 'ResumeExecution' }],
      Default: 'Initialize',
    }),
  ],
  [
    'Initialize',
    pass({
      Comment:
        'Keeps the request unchanged under $.request and records the execution for idempotency and events. The request is read from the context ($$.Execution.Input, the same document here) because a path on the state input fails when that input is null, and a null request must end Rejected, not in States.Runtime.',
      Parameters: { 'request.$': '$$.Execution.Input', execution, progress: null, attempts: [] },
      Next: 'SubmitJob',
    }),
  ],
  [
    'SubmitJob',
    lambdaTask('SubmitJob', 'submit-job', {
      comment:
        'CreateJob with a ClientRequestToken derived from the execution, so a retried task never creates a second job.',
      parameters: { 'request.$': '$.request', 'execution.$': '$.execution' },
      resultPath: '$.job',
      next: 'EmitSubmitted',
      catch: [
        { on: ['RequestValidationError'], resultPath: '$.error', next: 'EmitRejected' },
        { resultPath: '$.error', next: orchestrationFailed },
      ],
    }),
  ],
  emit('EmitSubmitted', {
    detailType: detailTypes.submitted,
    step: 'Submitted',
    next: 'DescribeJob',
  }),
  [
    'ResumeExecution',
    lambdaTask('ResumeExecution', 'continue-execution', {
      comment:
        'Reads the state continue-execution saved for this execution name (state bucket) and restores it; a continuation the workflow did not write is rejected and touches no job. Its result replaces the state (the default ResultPath; aws-local-stepfunctions mishandles an explicit "$").',
      parameters: { resume: execution },
      next: waitForProgress,
      catch: [
        { on: ['RequestValidationError'], resultPath: '$.error', next: 'RecordRejectedInput' },
        { resultPath: '$.error', next: 'RecordResumeFailure' },
      ],
    }),
  ],

  // The polling loop.
  [
    waitForProgress,
    lambdaTaskWithToken(waitForProgress, 'park-job', {
      comment:
        "Waits the adaptive interval. Parks a task token next to the job so S3's JobStatusChanged event (rule -> wake-job) ends the wait early; the timeout is the polling fallback, as those events are best effort.",
      parameters: {
        'taskToken.$': '$$.Task.Token',
        'executionArn.$': '$.execution.arn',
        'job.$': '$.job',
        'waitSeconds.$': '$.progress.nextWaitSeconds',
      },
      timeoutSecondsPath: '$.progress.nextWaitSeconds',
      resultPath: null,
      next: 'DescribeJob',
      catch: [
        { on: ['States.Timeout'], resultPath: null, next: 'DescribeJob' },
        { resultPath: null, next: 'WaitFallback' },
      ],
    }),
  ],
  [
    'WaitFallback',
    wait({
      Comment: 'Parking the token failed: wait the interval the plain way rather than poll at once.',
      SecondsPath: '$.progress.nextWaitSeconds',
      Next: 'DescribeJob',
    }),
  ],
  [
    'DescribeJob',
    lambdaTask('DescribeJob', 'describe-job', {
      parameters: { 'job.$': '$.job', 'previous.$': '$.progress', 'executionArn.$': '$$.Execution.Id' },
      resultPath: '$.progress',
      next: 'CheckProgress',
      catch: catchAll,
    }),
  ],
  [
    'CheckProgress',
    choice({
      Comment:
        "A job that reached a terminal status on the poll that also passed the deadline gets its real outcome, not a timeout. A status change is emitted first, then the policy's actions of the same poll; a long job continues in a fresh execution after wait.maxPollsPerExecution polls.",
      Choices: [
        {
          And: [
            is('$.progress.timedOut', { BooleanEquals: true }),
            is('$.progress.terminal', { BooleanEquals: false }),
          ],
          Next: 'EmitTimedOut',
        },
        {
          Or: [
            is('$.progress.statusChanged', { BooleanEquals: true }),
            is('$.progress.stallFlagged', { BooleanEquals: true }),
          ],
          Next: 'EmitStatusChanged',
        },
        { ...policyActionsPresent, Next: 'EmitPolicyActions' },
        {
          And: [
            is('$.progress.terminal', { BooleanEquals: false }),
            is('$.progress.pollsInExecution', {
              NumericGreaterThanEqualsPath: '$.job.wait.maxPollsPerExecution',
            }),
          ],
          Next: 'ContinueAsNew',
        },
      ],
      Default: 'RouteByStatus',
    }),
  ],
  emit('EmitStatusChanged', {
    detailType: detailTypes.statusChanged,
    step: 'StatusChanged',
    next: 'CheckPolicyActions',
  }),
  [
    'CheckPolicyActions',
    choice({
      Comment: "The policy's actions at this poll follow the status change they were judged on.",
      Choices: [{ ...policyActionsPresent, Next: 'EmitPolicyActions' }],
      Default: 'RouteByStatus',
    }),
  ],
  emit('EmitPolicyActions', {
    comment: 'One Auto-Cancelled or Reprioritized event per action the policy took at this poll.',
    policyActions: true,
    step: 'PolicyActions',
    next: 'RouteByStatus',
  }),
  [
    'RouteByStatus',
    choice({
      Comment:
        'Every S3 Batch Operations job status (S3 Control API reference, JobStatus); an unknown one is an orchestration failure, never an endless loop.',
      Choices: jobStatuses.map(
        (status): ChoiceRule => ({
          ...is('$.progress.status', { StringEquals: status }),
          Next: nextByStatus[status],
        }),
      ),
      Default: 'RecordUnknownStatus',
    }),
  ],
  [
    checkConfirmation,
    choice({
      Comment:
        'Suspended means the job awaits confirmation; without autoConfirm a person confirms it (console/CLI) and we keep polling.',
      Choices: [
        {
          And: [
            is('$.job.autoConfirm', { IsPresent: true }),
            is('$.job.autoConfirm', { BooleanEquals: true }),
          ],
          Next: 'ConfirmJob',
        },
      ],
      Default: waitForProgress,
    }),
  ],
  [
    'ConfirmJob',
    lambdaTask('ConfirmJob', 'confirm-job', {
      comment:
        'UpdateJobStatus Ready. Runs again on every poll that still sees Suspended, so confirm-job must treat an already confirmed job as done.',
      parameters: { 'job.$': '$.job', 'progress.$': '$.progress', 'executionArn.$': '$$.Execution.Id' },
      resultPath: null,
      next: waitForProgress,
      catch: catchAll,
    }),
  ],
  [
    'ContinueAsNew',
    lambdaTask('ContinueAsNew', 'continue-execution', {
      comment:
        'Starts <name>-c<n> with the state; this execution ends before nearing the 25,000-event history limit.',
      parameters: { 'state.$': '$' },
      resultPath: '$.continuedAs',
      next: 'ContinuedAsNew',
      catch: catchAll,
    }),
  ],
  ['ContinuedAsNew', succeed({ Comment: 'The workflow goes on in $.continuedAs.executionArn.' })],

  // A terminal job: its report, an optional redrive, its outcome.
  [
    fetchReport,
    lambdaTask(fetchReport, 'fetch-report', {
      comment:
        'Runs for every terminal status: a Failed or Cancelled job may have a partial report or none (fetch-report then returns a no-report summary).',
      parameters: { 'job.$': '$.job', 'progress.$': '$.progress', 'executionArn.$': '$$.Execution.Id' },
      resultPath: '$.report',
      next: 'CheckRedrive',
      catch: catchAll,
    }),
  ],
  [
    'CheckRedrive',
    choice({
      Comment:
        "Redrive failed tasks as a new job when the request's policy allows it (redrive-job decides which failures qualify).",
      Choices: [
        {
          And: [
            is('$.job.policy.redrive', { IsPresent: true }),
            is('$.progress.status', { StringEquals: 'Complete' }),
            is('$.report.failedTasks', { NumericGreaterThan: 0 }),
          ],
          Next: 'RedriveJob',
        },
      ],
      Default: 'RouteByOutcome',
    }),
  ],
  [
    'RedriveJob',
    lambdaTask('RedriveJob', 'redrive-job', {
      comment:
        'Writes a manifest of the failed tasks that qualify and submits it as a new job chained to this one.',
      parameters: { 'state.$': '$' },
      resultPath: '$.redrive',
      next: 'CheckRedriven',
      catch: catchAll,
    }),
  ],
  [
    'CheckRedriven',
    choice({
      Choices: [{ ...is('$.redrive.redriven', { BooleanEquals: true }), Next: 'EmitRedriven' }],
      Default: 'RouteByOutcome',
    }),
  ],
  emit('EmitRedriven', { detailType: detailTypes.redriven, step: 'Redriven', next: 'AdoptRedrive' }),
  [
    'AdoptRedrive',
    pass({
      Comment: "Follows the new job; earlier attempts' summaries are kept for the final aggregate.",
      Parameters: {
        'request.$': '$.request',
        'execution.$': '$.execution',
        'job.$': '$.redrive.job',
        progress: null,
        'attempts.$': '$.redrive.attempts',
      },
      Next: 'DescribeJob',
    }),
  ],
  [
    'RouteByOutcome',
    choice({
      Comment:
        'Complete does not mean every task succeeded (S3 Batch Operations, tracking job status): any failed task makes it a partial failure, and a first attempt in which every task failed is a failure (Batch Job Failed), not a partial one.',
      Choices: [
        { ...is('$.progress.status', { StringEquals: 'Cancelled' }), Next: 'EmitCancelled' },
        { ...is('$.progress.status', { StringEquals: 'Failed' }), Next: 'EmitFailed' },
        {
          And: [
            is('$.progress.status', { StringEquals: 'Complete' }),
            is('$.progress.succeededTasks', { NumericEquals: 0 }),
            is('$.progress.failedTasks', { NumericGreaterThan: 0 }),
            { Not: is('$.attempts[0]', { IsPresent: true }) },
          ],
          Next: 'EmitAllTasksFailed',
        },
        {
          And: [
            is('$.progress.status', { StringEquals: 'Complete' }),
            {
              Or: [
                {
                  And: [
                    is('$.report.failedTasks', { IsPresent: true }),
                    is('$.report.failedTasks', { IsNumeric: true }),
                    is('$.report.failedTasks', { NumericGreaterThan: 0 }),
                  ],
                },
                is('$.progress.failedTasks', { NumericGreaterThan: 0 }),
              ],
            },
          ],
          Next: 'EmitPartialFailure',
        },
        { ...is('$.progress.status', { StringEquals: 'Complete' }), Next: 'EmitCompleted' },
      ],
      Default: 'RecordUnknownStatus',
    }),
  ],
  emit('EmitCompleted', {
    detailType: detailTypes.completed,
    step: 'Completed',
    outcome: 'Succeeded',
    next: 'Succeeded',
  }),
  emit('EmitPartialFailure', {
    detailType: detailTypes.completed,
    step: 'Completed',
    outcome: 'PartialFailure',
    next: 'Succeeded',
  }),
  ['Succeeded', succeed()],
  emit('EmitAllTasksFailed', {
    detailType: detailTypes.failed,
    step: 'AllTasksFailed',
    next: 'AllTasksFailed',
  }),
  [
    'AllTasksFailed',
    fail({
      Error: workflowFailureNames.jobFailed,
      Cause: 'The S3 Batch Operations job completed, but every one of its tasks failed.',
    }),
  ],
  emit('EmitFailed', { detailType: detailTypes.failed, step: 'Failed', next: 'BatchJobFailed' }),
  [
    'BatchJobFailed',
    fail({
      Error: workflowFailureNames.jobFailed,
      Cause: 'The S3 Batch Operations job ended in status Failed.',
    }),
  ],
  emit('EmitCancelled', { detailType: detailTypes.cancelled, step: 'Cancelled', next: 'BatchJobCancelled' }),
  [
    'BatchJobCancelled',
    fail({
      Error: workflowFailureNames.jobCancelled,
      Cause: 'The S3 Batch Operations job ended in status Cancelled.',
    }),
  ],

  // Ends without an outcome of the job: timed out, rejected, or the orchestration failed.
  emit('EmitTimedOut', { detailType: detailTypes.failed, step: 'TimedOut', next: 'BatchJobTimedOut' }),
  [
    'BatchJobTimedOut',
    fail({
      Error: workflowFailureNames.jobTimedOut,
      Cause:
        "The job did not reach a terminal status within the request's wait.timeoutSeconds; it was left running.",
    }),
  ],
  [
    'RecordRejectedInput',
    pass({
      Comment:
        "Keeps only the execution and the error: nothing of a rejected continuation's content is carried on.",
      Parameters: { execution, progress: null, attempts: [], 'error.$': '$.error' },
      Next: 'EmitRejected',
    }),
  ],
  emit('EmitRejected', {
    detailType: detailTypes.rejected,
    step: 'Rejected',
    next: 'RequestRejected',
    onError: { resultPath: '$.emitError', next: 'RequestRejected' },
  }),
  [
    'RequestRejected',
    fail({
      Error: workflowFailureNames.requestRejected,
      Cause: 'The job request is invalid; nothing was submitted.',
    }),
  ],
  [
    'RecordUnknownStatus',
    pass({
      Parameters: {
        Error: 'UnknownJobStatus',
        'Cause.$':
          "States.Format('DescribeJob returned job status {}, which this workflow does not handle', $.progress.status)",
      },
      ResultPath: '$.error',
      Next: orchestrationFailed,
    }),
  ],
  [
    'RecordResumeFailure',
    pass({
      Comment:
        'Reading the saved state failed after its retries (not a forged input): an orchestration failure.',
      Parameters: { execution, progress: null, attempts: [], 'error.$': '$.error' },
      Next: orchestrationFailed,
    }),
  ],
  emit(orchestrationFailed, {
    detailType: detailTypes.failed,
    step: 'OrchestrationFailed',
    next: 'OrchestrationFailed',
    onError: { resultPath: '$.emitError', next: 'OrchestrationFailed' },
  }),
  [
    'OrchestrationFailed',
    fail({
      Error: workflowFailureNames.orchestrationFailed,
      Cause:
        'The workflow could not go on (a task failed after its retries, or DescribeJob returned an unknown status); the caught error is in $.error and in the Batch Job Failed event.',
    }),
  ],
];

export const batchJob: StateMachineDefinition = stateMachine({
  comment:
    "Submits one S3 Batch Operations job, polls DescribeJob on an adaptive schedule (woken early by S3's job events) while a failure-rate policy may cancel or reprioritize it, until the job is terminal or the request times out; fetches its completion report, optionally redrives transient failures as a new job, and emits an EventBridge event for every lifecycle step. A long job continues in a fresh execution (history safety). State document and task contracts: docs/workflow-contract.md. JSONPath only, so the same file runs in aws-local-stepfunctions. TimeoutSeconds (8 days) is a hard ceiling per execution; the request timeout is enforced by DescribeJob (timedOut).",
  timeoutSeconds: 8 * 24 * 60 * 60,
  states,
});
