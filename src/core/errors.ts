/**
 * The closed set of errors the orchestrator raises. Their names are an API: the state machines route on
 * them in `Retry`/`Catch`, and a contract test keeps ASL, this file and serverless.yml in agreement.
 * Rename one only together with the ASL.
 */

export class OrchestratorError extends Error {
  /** Whether Step Functions should retry the task that raised it (declared once per class). */
  static readonly retryable: boolean = false;

  get retryable(): boolean {
    return (this.constructor as typeof OrchestratorError).retryable;
  }

  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
  }
}

/** The job request (or a policy inside it) is invalid; nothing was submitted. */
export class RequestValidationError extends OrchestratorError {
  static override readonly retryable = false;
  constructor(
    readonly field: string,
    readonly reason: string,
    options?: { cause?: unknown },
  ) {
    super(`${field}: ${reason}`, options);
  }
}

/**
 * A Lambda's input does not match its schema (schemas/tasks/, schemas/workflow-state.schema.json). The
 * state machine builds these inputs, so this is a bug or a forged state, never a user's mistake: not retried,
 * and caught by the task's States.ALL. A job request's own faults are RequestValidationError.
 */
export class TaskInputError extends OrchestratorError {
  static override readonly retryable = false;
  constructor(
    readonly task: string,
    readonly field: string,
    readonly reason: string,
  ) {
    super(`${task} input ${field}: ${reason}`);
  }
}

/** The runtime configuration (environment) is missing or invalid. */
export class ConfigurationError extends OrchestratorError {
  static override readonly retryable = false;
  constructor(
    readonly field: string,
    readonly reason: string,
  ) {
    super(`configuration ${field}: ${reason}`);
  }
}

/** S3 Control refused a CreateJob whose ClientRequestToken was already used with other parameters. */
export class JobIdempotencyError extends OrchestratorError {
  static override readonly retryable = false;
}

/** An AWS API throttled us (TooManyRequests, SlowDown, Throttling…); safe to retry with backoff. */
export class ServiceThrottledError extends OrchestratorError {
  static override readonly retryable = true;
}

/** An AWS API failed on its side (5xx, InternalServiceException, network); safe to retry. */
export class ServiceUnavailableError extends OrchestratorError {
  static override readonly retryable = true;
}

/** An AWS API rejected the call as malformed (BadRequestException, InvalidRequest…). */
export class ServiceRequestRejectedError extends OrchestratorError {
  static override readonly retryable = false;
}

/** The caller is not allowed to do this (AccessDenied). */
export class AccessDeniedError extends OrchestratorError {
  static override readonly retryable = false;
}

/** DescribeJob / UpdateJob* on a job that does not exist. */
export class JobNotFoundError extends OrchestratorError {
  static override readonly retryable = false;
}

/** UpdateJobStatus refused the transition (JobStatusException), e.g. cancelling a terminal job. */
export class JobStatusConflictError extends OrchestratorError {
  static override readonly retryable = false;
}

/** A job the orchestrator was asked to change does not carry this stage's job tag: it is not ours. */
export class ForeignJobError extends OrchestratorError {
  static override readonly retryable = false;
}

/** The manifest object (or another S3 object we must read) does not exist. */
export class ObjectNotFoundError extends OrchestratorError {
  static override readonly retryable = false;
}

/** A completion report file does not match the MD5 its manifest lists, or is malformed. */
export class ReportIntegrityError extends OrchestratorError {
  static override readonly retryable = false;
}

/** PutEvents kept failing for some entries after the bounded resend attempts. */
export class EventDeliveryError extends OrchestratorError {
  static override readonly retryable = true;
}

/** Every error class, keyed by name: the ASL contract test reads this. */
export const errorClasses = {
  RequestValidationError,
  TaskInputError,
  ConfigurationError,
  JobIdempotencyError,
  ServiceThrottledError,
  ServiceUnavailableError,
  ServiceRequestRejectedError,
  AccessDeniedError,
  JobNotFoundError,
  JobStatusConflictError,
  ForeignJobError,
  ObjectNotFoundError,
  ReportIntegrityError,
  EventDeliveryError,
} as const;

export type ErrorName = keyof typeof errorClasses;

export const retryableErrorNames: ErrorName[] = (Object.keys(errorClasses) as ErrorName[]).filter(
  (name) => errorClasses[name].retryable,
);

/**
 * Names of the `Fail` states' errors: what a caller of the state machine sees in DescribeExecution.
 * They are not thrown by code, but they are part of the same API.
 */
export const workflowFailureNames = {
  jobFailed: 'BatchJobFailed',
  jobCancelled: 'BatchJobCancelled',
  jobTimedOut: 'BatchJobTimedOut',
  requestRejected: 'RequestRejected',
  orchestrationFailed: 'OrchestrationFailed',
  /** A campaign run in which no target succeeded, or that started no job (Campaign Completed: Failed). */
  campaignFailed: 'CampaignFailed',
  /** A campaign execution whose input names no usable campaign run (no name, a bad scheduledTime): nothing claimed. */
  campaignRejected: 'CampaignRejected',
} as const;

/** The request's manifest object does not exist: the user's error, on `manifest.key`. */
export function manifestMissingError(
  manifest: { bucket: string; key: string },
  cause: unknown,
): RequestValidationError {
  return new RequestValidationError(
    'manifest.key',
    `s3://${manifest.bucket}/${manifest.key} does not exist`,
    {
      cause,
    },
  );
}
