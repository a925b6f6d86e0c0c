/**
 * The campaign state machine, in flow order. `npm run gen` writes it to statemachines/campaign.asl.json.
 * One execution is one run of a campaign: claim the run (once per campaign and scheduled time), resolve and
 * estimate every target, start each target's job as a child execution of the batch-job machine (or of the
 * restore-then machine for restore campaigns), at most `concurrency` at once, and report the outcome per
 * target. Contract: docs/workflow-contract.md, "The campaign workflow".
 */
import { workflowFailureNames } from '../src/core/errors.js';
import { detailTypes } from '../src/core/names.js';
import {
  choice,
  fail,
  is,
  map,
  type PayloadTemplate,
  pass,
  type State,
  succeed,
  type TaskState,
} from './builder/asl.js';
import { childExecution } from './builder/child-execution.js';
import { lambdaTask } from './builder/lambda-task.js';
import { type StateMachineDefinition, stateGraph, stateMachine } from './builder/machine.js';
import { childExecutionRetrier } from './builder/retry.js';

const execution: PayloadTemplate = {
  'arn.$': '$$.Execution.Id',
  'name.$': '$$.Execution.Name',
  'startTime.$': '$$.Execution.StartTime',
};

/** `${Name}`, bound through DefinitionSubstitutions (built by concatenation: a literal reads as a template). */
const placeholder = (name: string) => `$${'{'}${name}}` as `\${${string}}`;

const aggregate = 'Aggregate';
const summarizeTarget = 'SummarizeTarget';

/** A campaign event whose detail a Lambda built (emit-events adds eventId, executionArn, stage, time). */
function emitBuilt(
  name: string,
  options: {
    detailType: (typeof detailTypes)['campaignStarted' | 'campaignCompleted'];
    step: string;
    detailPath: '$.resolved.started' | '$.aggregate.completed';
    next: string;
    onError: { resultPath: '$.error' | '$.emitError'; next: string };
  },
): readonly [string, TaskState] {
  return [
    name,
    lambdaTask(name, 'emit-events', {
      parameters: {
        detailType: options.detailType,
        step: options.step,
        'executionArn.$': '$$.Execution.Id',
        'detail.$': options.detailPath,
      },
      resultPath: null,
      next: options.next,
      catch: [options.onError],
    }),
  ];
}

/** One target: its job's child execution, then its row of the table. A failure never leaves the iteration. */
function runChild(
  name: string,
  stateMachineArn: `\${${string}}`,
  comment: string,
): readonly [string, TaskState] {
  return [
    name,
    childExecution({
      comment,
      stateMachineArn,
      namePath: '$.target.plan.executionName',
      inputPath: '$.target.input',
      resultPath: '$.child',
      retry: [childExecutionRetrier],
      catch: [{ ErrorEquals: ['States.ALL'], ResultPath: '$.childError', Next: summarizeTarget }],
      next: summarizeTarget,
    }),
  ];
}

const targetStates: (readonly [string, State])[] = [
  [
    'RouteTarget',
    choice({
      Comment:
        'A restore campaign runs each target on the restore-then machine (restore, wait, then), others on batch-job.',
      Choices: [{ ...is('$.target.plan.kind', { StringEquals: 'restore-then' }), Next: 'RunRestoreThen' }],
      Default: 'RunBatchJob',
    }),
  ],
  runChild(
    'RunBatchJob',
    placeholder('BatchJobStateMachineArn'),
    "The target's job as a child execution of the batch-job machine (startExecution.sync:2, so the job keeps its own policy, redrive and report). Named <runId>-<target>: a retried or redriven campaign never starts a target twice.",
  ),
  runChild(
    'RunRestoreThen',
    placeholder('RestoreThenStateMachineArn'),
    "The target's restore job, the wait for the restores and the job over the restored objects, as a child execution of the restore-then machine.",
  ),
  [
    summarizeTarget,
    lambdaTask(summarizeTarget, 'summarize-campaign-target', {
      comment:
        "The target's row of the table from the child's output or error: the Map's result stays small whatever the children return.",
      parameters: { 'iteration.$': '$' },
      next: 'TargetDone',
      catch: [{ resultPath: '$.summaryError', next: 'RecordUnsummarized' }],
    }),
  ],
  [
    'RecordUnsummarized',
    pass({
      Comment: 'The row could not be built: the target counts as failed, the error named.',
      Parameters: {
        'name.$': '$.target.plan.name',
        outcome: 'Failed',
        totals: { tasks: 0, succeeded: 0, failed: 0 },
        failuresByCode: {},
        'estimatedUsd.$': '$.target.plan.estimatedUsd',
        'reason.$': "States.Format('{}: the result of this target could not be read', $.summaryError.Error)",
      },
      Next: 'TargetDone',
    }),
  ],
  ['TargetDone', succeed()],
];

const itemProcessor = stateGraph(targetStates);

const states: (readonly [string, State])[] = [
  [
    'ClaimRun',
    lambdaTask('ClaimRun', 'claim-campaign-run', {
      comment:
        "Names the run <campaign>-<YYYYMMDDTHHmmZ> (scheduled time, or this execution's start for a manual run) and claims it with a conditional PutObject (If-None-Match: *) in the state bucket: of every execution for one scheduled time, exactly one runs the campaign. Reads the input from the context, so a null input is rejected, not a States.Runtime.",
      parameters: { 'input.$': '$$.Execution.Input', execution },
      resultPath: '$.run',
      next: 'CheckClaim',
      catch: [
        { on: ['RequestValidationError'], resultPath: '$.error', next: 'CampaignRejected' },
        { resultPath: '$.error', next: 'ClaimFailed' },
      ],
    }),
  ],
  [
    'CheckClaim',
    choice({
      Choices: [{ ...is('$.run.duplicate', { BooleanEquals: true }), Next: 'RecordDuplicate' }],
      Default: 'ResolveTargets',
    }),
  ],
  [
    'RecordDuplicate',
    pass({
      Comment: 'Another execution owns this run: start nothing, emit nothing.',
      Parameters: { duplicate: true, 'runId.$': '$.run.runId', 'claimedBy.$': '$.run.claimedBy' },
      Next: 'Duplicate',
    }),
  ],
  ['Duplicate', succeed()],
  [
    'ResolveTargets',
    lambdaTask('ResolveTargets', 'resolve-campaign', {
      comment:
        "Validates the campaign, builds every target's request, counts and estimates every target (a restore's second job too) and checks budget.maxUsd over the sum, before any job starts. An invalid or over-budget campaign is a result ($.resolved.rejected), not an error.",
      parameters: { 'campaign.$': '$.campaign', 'run.$': '$.run', execution },
      resultPath: '$.resolved',
      next: 'CheckResolved',
      catch: [{ resultPath: '$.error', next: aggregate }],
    }),
  ],
  [
    'CheckResolved',
    choice({
      Choices: [{ ...is('$.resolved.rejected', { IsPresent: true }), Next: aggregate }],
      Default: 'EmitStarted',
    }),
  ],
  emitBuilt('EmitStarted', {
    detailType: detailTypes.campaignStarted,
    step: 'CampaignStarted',
    detailPath: '$.resolved.started',
    next: 'RunTargets',
    onError: { resultPath: '$.error', next: aggregate },
  }),
  [
    'RunTargets',
    map({
      Comment:
        "One iteration per target, at most the campaign's concurrency at once. Every iteration ends with a row, so one target's failure never stops the others.",
      ItemsPath: '$.resolved.targets',
      ItemSelector: { 'target.$': '$$.Map.Item.Value' },
      MaxConcurrencyPath: '$.resolved.concurrency',
      ItemProcessor: { ProcessorConfig: { Mode: 'INLINE' }, ...itemProcessor },
      ResultPath: '$.outcomes',
      Catch: [{ ErrorEquals: ['States.ALL'], ResultPath: '$.error', Next: aggregate }],
      Next: aggregate,
    }),
  ],
  [
    aggregate,
    lambdaTask(aggregate, 'aggregate-campaign', {
      comment:
        'The outcome (Succeeded / PartialFailure / Failed), totals, cost and the per-target table, from however far the run got.',
      parameters: { 'state.$': '$' },
      resultPath: '$.aggregate',
      next: 'EmitCompleted',
      catch: [{ resultPath: '$.error', next: 'AggregateFailed' }],
    }),
  ],
  emitBuilt('EmitCompleted', {
    detailType: detailTypes.campaignCompleted,
    step: 'CampaignCompleted',
    detailPath: '$.aggregate.completed',
    next: 'Finish',
    onError: { resultPath: '$.emitError', next: 'Finish' },
  }),
  [
    'Finish',
    pass({
      Comment: "The execution's output: the run's outcome and the Campaign Completed detail's fields.",
      Parameters: {
        'runId.$': '$.run.runId',
        'outcome.$': '$.aggregate.outcome',
        'completed.$': '$.aggregate.completed',
      },
      Next: 'RouteByOutcome',
    }),
  ],
  [
    'RouteByOutcome',
    choice({
      Choices: [{ ...is('$.outcome', { StringEquals: 'Failed' }), Next: 'CampaignFailed' }],
      Default: 'CampaignDone',
    }),
  ],
  [
    'CampaignDone',
    succeed({ Comment: 'Succeeded or PartialFailure: the table is in the output and the event.' }),
  ],
  [
    'CampaignFailed',
    fail({
      Error: workflowFailureNames.campaignFailed,
      Cause:
        'No target succeeded, or the run started no job (invalid campaign, over budget, or a failure before the jobs): see the Campaign Completed event.',
    }),
  ],
  [
    'CampaignRejected',
    fail({
      Error: workflowFailureNames.campaignRejected,
      Cause:
        'The execution input names no usable campaign run (ClaimRun rejected it, naming the field): nothing was claimed or started.',
    }),
  ],
  [
    'ClaimFailed',
    fail({
      Error: workflowFailureNames.orchestrationFailed,
      Cause: 'The run could not be claimed (ClaimRun failed after its retries): nothing was started.',
    }),
  ],
  [
    'AggregateFailed',
    fail({
      Error: workflowFailureNames.orchestrationFailed,
      Cause:
        'The run could not be summarized (Aggregate failed after its retries); its jobs ran as their own events say.',
    }),
  ],
];

export const campaign: StateMachineDefinition = stateMachine({
  comment:
    "Runs one scheduled (or manual) run of a campaign: claims the run once per campaign and scheduled time, validates and estimates every target against the campaign's budget, emits Campaign Started, runs each target's job as a child execution of the batch-job machine (restore-then for restore campaigns) at most `concurrency` at once, and emits Campaign Completed with the per-target table. Contract: docs/workflow-contract.md. JSONPath only. TimeoutSeconds (30 days) is a hard ceiling; each child keeps its own.",
  timeoutSeconds: 30 * 24 * 60 * 60,
  states,
});
