/**
 * The JSON document the batch-job state machine carries (docs/workflow-contract.md), and each task's input.
 * Each Lambda reads the parts it needs and returns one part. The shapes are defined once, in
 * schemas/workflow-state.schema.json and schemas/tasks/; these are their generated types, re-exported under
 * the names core code uses. This file depends on nothing but the schema: core modules import it, never the
 * other way round.
 */
export type {
  CancelAction,
  CaughtError,
  ConfirmJobInput,
  ContinueExecutionInput,
  DescribeJobInput,
  EmitRequest,
  ExecutionRef,
  FetchReportInput,
  JobSnapshot,
  ManifestSource,
  ParkJobInput,
  PolicyAction,
  ProgressPoint,
  RedriveJobInput,
  RedriveOutcome,
  ReportSettings,
  ReprioritizeAction,
  ReprioritizeState,
  SubmitJobInput,
  SubmittedJob,
  WaitSettings,
  WorkflowState,
} from '../generated/types.js';
