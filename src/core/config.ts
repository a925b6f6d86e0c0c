import { validateConfig } from '../generated/validators.js';
import { ConfigurationError } from './errors.js';
import { defaultEventSource } from './names.js';

/** The Lambdas' runtime configuration, read from the environment once per cold start. */
export interface AppConfig {
  stage: string;
  eventBusName: string;
  eventSource: string;
  region: string;
  /** Default AccountId for CreateJob when the request has none. */
  accountId?: string;
  /** Default RoleArn for CreateJob when the request has none (the stage's batch role). */
  batchRoleArn?: string;
  maxSampleFailures: number;
  /** Where waiting executions park their task tokens for event-driven wake; absent: polling only. */
  stateBucket?: string;
  /** The stage's batch-job state machine, for triggers that start it. */
  stateMachineArn?: string;
  /** Highest priority the stage's IAM allows CreateJob and UpdateJobPriority to ask for; absent: no ceiling. */
  maxJobPriority?: number;
}

export function loadConfig(env: Record<string, string | undefined>): AppConfig {
  const values: Record<string, unknown> = { ...env };
  if (!validateConfig(values)) {
    const [first] = validateConfig.errors ?? [];
    const field = first?.params.missingProperty ?? first?.instancePath.replace(/^\//, '') ?? 'environment';
    throw new ConfigurationError(String(field), first?.message ?? 'is invalid');
  }
  const text = (name: string): string | undefined => {
    const v = values[name];
    return typeof v === 'string' && v !== '' ? v : undefined;
  };
  return {
    stage: text('S3BO_STAGE')!,
    eventBusName: text('S3BO_EVENT_BUS_NAME')!,
    eventSource: text('S3BO_EVENT_SOURCE') ?? defaultEventSource,
    region: text('AWS_REGION') ?? 'us-east-1',
    accountId: text('S3BO_ACCOUNT_ID'),
    batchRoleArn: text('S3BO_BATCH_ROLE_ARN'),
    maxSampleFailures: Number(values.S3BO_REPORT_MAX_SAMPLE_FAILURES ?? 20),
    stateBucket: text('S3BO_STATE_BUCKET'),
    stateMachineArn: text('S3BO_STATE_MACHINE_ARN'),
    maxJobPriority:
      text('S3BO_MAX_JOB_PRIORITY') === undefined ? undefined : Number(text('S3BO_MAX_JOB_PRIORITY')),
  };
}
