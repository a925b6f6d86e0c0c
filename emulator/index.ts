/**
 * The embedded local AWS's one public entry. Its clients (the local deploy in local/, the CLI, benches)
 * import from here and nothing deeper; the emulator imports nothing of theirs (test/contract/layering.test.ts).
 */
export type { EmulatorClock, S3Backend, Tag } from './contracts.js';
export { eventLogName } from './events/event-log.js';
export { type FaultConfig, loadFaultConfig, validateFaultConfig } from './faults.js';
export type {
  CreateEventSourceMappingInput,
  EventSourceMappingConfiguration,
  FunctionConfiguration,
  LambdaContext,
  LambdaHandlerFn,
  MappingInvocationRecord,
  RegisterFunctionOptions,
  UpdateEventSourceMappingInput,
} from './lambda/index.js';
export type { SqsEventRecord } from './lambda/sqs-event.js';
export { bindWarning, type LocalAws, type LocalAwsOptions, startLocalAws } from './local-aws.js';
export { defaultLocalPort, localAccountId, localRegion } from './local-defaults.js';
export { INVENTORY_RUN_PATH, type InventoryRunResponse } from './s3/inventory-admin.js';
export type { EngineOptions } from './s3control/index.js';
export type {
  CreateScheduleInput,
  ScheduleDescription,
  ScheduleGroupDescription,
  SchedulerAttempt,
  SchedulerDeadLetter,
  SchedulerFiring,
  SchedulerFiringResult,
  SchedulerService,
  ScheduleSummary,
  ScheduleTargetInput,
  UpdateScheduleInput,
} from './scheduler/index.js';
export type {
  CreateQueueInput,
  ReceivedMessage,
  ReceiveMessageInput,
  SendMessageInput,
  SendMessageOutput,
  SqsService,
} from './sqs/index.js';
