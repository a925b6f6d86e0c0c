/** Names of a trigger's AWS resources, defined once (triggers/resources.cjs and the local deploy follow them). */
import { serviceName } from '../names.js';

/** `s3-batch-orchestrator-<stage>-trigger-`: a trigger queue's name is this and the trigger's name. */
export const queueNamePrefix = (stage: string): string => `${serviceName}-${stage}-trigger-`;
export const triggerQueueName = (stage: string, trigger: string): string =>
  `${queueNamePrefix(stage)}${trigger}`;
export const triggerDeadLetterQueueName = (stage: string, trigger: string): string =>
  `${triggerQueueName(stage, trigger)}-dlq`;
