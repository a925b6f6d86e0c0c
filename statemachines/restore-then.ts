/**
 * The restore-then state machine, in flow order: one target of a restore campaign. `npm run gen` writes it to
 * statemachines/restore-then.asl.json. It runs the restore job as a child batch-job execution, waits until
 * the objects that job restored are readable (S3's Object Restore Completed events, recorded as markers by
 * record-restore, with HeadObject sampling as the fallback) or the deadline passes, then runs `then` as a
 * second child batch-job execution over exactly the restored objects. Contract: docs/workflow-contract.md,
 * "The restore-then workflow". JSONPath only.
 */
import { workflowFailureNames } from '../src/core/errors.js';
import {
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
import { childExecution } from './builder/child-execution.js';
import { type CatchRule, lambdaTask } from './builder/lambda-task.js';
import { type StateMachineDefinition, stateMachine } from './builder/machine.js';
import { childExecutionRetrier } from './builder/retry.js';

const orchestrationFailed = 'OrchestrationFailed';
const emitRestoreFailed = 'EmitRestoreFailed';

/** `${BatchJobStateMachineArn}`, bound through DefinitionSubstitutions (concatenated: a literal reads as a template). */
const batchJobStateMachineArn = `$${'{'}BatchJobStateMachineArn}` as `\${${string}}`;

/** A task's failure after its retries: recorded in `$.error`, then `next`. */
const failInto = (next: string): CatchRule[] => [{ resultPath: '$.error', next }];

/** A phase event, built by emit-phase-event from the whole state, which passes on unchanged. */
function emitPhase(
  name: string,
  options: { phase: 'restore' | 'then'; step: 'Started' | 'Completed'; comment?: string; next: string },
): readonly [string, TaskState] {
  return [
    name,
    lambdaTask(name, 'emit-phase-event', {
      ...(options.comment === undefined ? {} : { comment: options.comment }),
      parameters: { phase: options.phase, step: options.step, 'state.$': '$' },
      resultPath: null,
      next: options.next,
      catch: failInto(orchestrationFailed),
    }),
  ];
}

const wholeState: PayloadTemplate = { 'state.$': '$' };

const states: (readonly [string, State])[] = [
  [
    'Initialize',
    pass({
      Comment:
        'Keeps the input under $.input and records the execution. The input is read from the context, so a null or malformed input reaches PrepareRestoreThen and is rejected there.',
      Parameters: {
        'input.$': '$$.Execution.Input',
        execution: {
          'arn.$': '$$.Execution.Id',
          'name.$': '$$.Execution.Name',
          'startTime.$': '$$.Execution.StartTime',
        },
      },
      Next: 'PrepareRestoreThen',
    }),
  ],
  [
    'PrepareRestoreThen',
    lambdaTask('PrepareRestoreThen', 'prepare-restore-then', {
      comment:
        'Checks the input before anything starts (the restore request, and `then` as the job it will become), names the child executions and fixes how long to wait for the restores.',
      parameters: { 'input.$': '$.input' },
      resultPath: '$.plan',
      next: 'EmitRestoreStarted',
      catch: [
        { on: ['RequestValidationError'], resultPath: '$.error', next: 'InputRejected' },
        { resultPath: '$.error', next: orchestrationFailed },
      ],
    }),
  ],
  emitPhase('EmitRestoreStarted', { phase: 'restore', step: 'Started', next: 'RunRestore' }),
  [
    'RunRestore',
    childExecution({
      comment:
        "The restore job as a child execution of the batch-job machine (startExecution.sync:2: its output is the job's final state, with the report location). A restore job that failed, was rejected, cancelled or timed out ends the run without phase 2.",
      stateMachineArn: batchJobStateMachineArn,
      namePath: '$.plan.restoreExecutionName',
      inputPath: '$.input.request',
      resultPath: '$.restoreRun',
      retry: [childExecutionRetrier],
      catch: [{ ErrorEquals: ['States.ALL'], ResultPath: '$.restoreError', Next: 'EmitRestoreCompleted' }],
      next: 'CheckRestores',
    }),
  ],

  // The wait for the restored copies.
  [
    'CheckRestores',
    lambdaTask('CheckRestores', 'check-restores', {
      comment:
        "Counts the restore job's succeeded tasks that a marker of this run names (S3's Object Restore Completed event, recorded by record-restore), asks HeadObject about a bounded sample of the rest and marks what it finds restored. Progress lives in the state bucket; the state keeps a summary.",
      parameters: wholeState,
      resultPath: '$.waiting',
      next: 'RouteRestores',
      catch: failInto(emitRestoreFailed),
    }),
  ],
  [
    'RouteRestores',
    choice({
      Comment: 'Done when every object is restored or the deadline passed.',
      Choices: [{ ...is('$.waiting.done', { BooleanEquals: false }), Next: 'WaitForRestores' }],
      Default: 'CheckThen',
    }),
  ],
  [
    'WaitForRestores',
    wait({
      Comment: 'From 5 minutes, doubling up to an hour, never past the deadline.',
      SecondsPath: '$.waiting.nextWaitSeconds',
      Next: 'CheckRestores',
    }),
  ],
  [
    'CheckThen',
    choice({
      Comment: 'Phase 2 runs when the input has `then` and some object was restored.',
      Choices: [
        {
          And: [is('$.input.then', { IsPresent: true }), is('$.waiting.restored', { NumericGreaterThan: 0 })],
          Next: 'BuildThenManifest',
        },
      ],
      Default: 'EmitRestoreCompleted',
    }),
  ],
  [
    'BuildThenManifest',
    lambdaTask('BuildThenManifest', 'build-then-manifest', {
      comment:
        "A CSV manifest of exactly the restored objects (the restore job's succeeded report rows that a marker names), beside the restore job's report, and `then` over it.",
      parameters: wholeState,
      resultPath: '$.thenJob',
      next: 'EmitRestoreCompleted',
      catch: failInto(emitRestoreFailed),
    }),
  ],
  emitPhase('EmitRestoreCompleted', {
    phase: 'restore',
    step: 'Completed',
    comment: 'Restored and not restored objects, or how the restore job ended.',
    next: 'RouteToThen',
  }),
  [
    'RouteToThen',
    choice({
      Choices: [
        {
          And: [
            is('$.thenJob.objects', { IsPresent: true }),
            is('$.thenJob.objects', { NumericGreaterThan: 0 }),
          ],
          Next: 'EmitThenStarted',
        },
      ],
      Default: 'Conclude',
    }),
  ],
  emitPhase('EmitThenStarted', { phase: 'then', step: 'Started', next: 'RunThen' }),
  [
    'RunThen',
    childExecution({
      comment:
        'Phase 2 as a child execution of the batch-job machine, over the manifest of the restored objects. Its failure is an outcome, not an orchestration failure.',
      stateMachineArn: batchJobStateMachineArn,
      namePath: '$.plan.thenExecutionName',
      inputPath: '$.thenJob.request',
      resultPath: '$.thenRun',
      retry: [childExecutionRetrier],
      catch: [{ ErrorEquals: ['States.ALL'], ResultPath: '$.thenError', Next: 'EmitThenCompleted' }],
      next: 'EmitThenCompleted',
    }),
  ],
  emitPhase('EmitThenCompleted', { phase: 'then', step: 'Completed', next: 'Conclude' }),
  [
    'Conclude',
    lambdaTask('Conclude', 'conclude-restore-then', {
      comment:
        'The output: { outcome, reason?, restore, then?, restored, notRestored, restoreFailed, phases }. Its result replaces the state (the default ResultPath; aws-local-stepfunctions mishandles an explicit "$").',
      parameters: wholeState,
      next: 'Done',
      catch: failInto(orchestrationFailed),
    }),
  ],
  [
    'Done',
    succeed({ Comment: 'Whatever the outcome: a job that ended badly is an outcome the campaign reports.' }),
  ],

  // Ends without an output.
  [
    emitRestoreFailed,
    lambdaTask(emitRestoreFailed, 'emit-phase-event', {
      comment:
        'The wait or the manifest failed after its retries: the restore phase ends Failed, naming the error.',
      parameters: { phase: 'restore', step: 'Completed', 'state.$': '$' },
      resultPath: null,
      next: orchestrationFailed,
      catch: [{ resultPath: '$.emitError', next: orchestrationFailed }],
    }),
  ],
  [
    'InputRejected',
    fail({
      Error: workflowFailureNames.requestRejected,
      Cause: 'The restore-then input is invalid (PrepareRestoreThen names the field); nothing was started.',
    }),
  ],
  [
    orchestrationFailed,
    fail({
      Error: workflowFailureNames.orchestrationFailed,
      Cause:
        'A task of the restore-then workflow failed after its retries; the caught error is in $.error (and in the Campaign Phase Completed event when the restore phase had started).',
    }),
  ],
];

export const restoreThen: StateMachineDefinition = stateMachine({
  comment:
    "One target of a restore campaign: runs the restore job as a child batch-job execution, waits until the objects it restored are readable (S3's Object Restore Completed events recorded as markers, HeadObject sampling as the fallback) or a deadline from the tier passes, then runs `then` as a second child batch-job execution over exactly the restored objects, emitting Campaign Phase Started/Completed for each phase. State document and task contracts: docs/workflow-contract.md. JSONPath only. TimeoutSeconds (30 days) bounds both jobs (7 days each by default) and the longest wait (deadlineHours ≤ 336).",
  timeoutSeconds: 30 * 24 * 60 * 60,
  states,
});
