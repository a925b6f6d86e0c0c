/**
 * The PrepareRestoreThen task: checks the restore-then input before anything starts (a restore takes hours;
 * a phase 2 that cannot run should be refused first, not after), names the child executions and fixes the
 * wait's deadline. Pure: no AWS call.
 */
import type { RestorePlan, RestoreThenInput } from '../../generated/types.js';
import { validateRestoreThenInput } from '../../generated/validators.js';
import { RequestValidationError } from '../errors.js';
import { parseJobRequest } from '../request-validation.js';
import { explainSchemaError, mostSpecific } from '../schema-errors.js';
import { childExecutionName } from './child-names.js';
import { archiveClassesOf, restoreDeadline } from './restore-times.js';

/**
 * What phase 2's manifest will look like, so `then` is validated as the job it becomes (its manifest is
 * written by BuildThenManifest once the objects are restored).
 */
const placeholderManifest = {
  bucket: 'restored-objects-manifest',
  key: 'restored-objects.csv',
  etag: 'to-be-written',
  format: 'S3BatchOperations_CSV_20180820',
  fields: ['Bucket', 'Key'],
};

export function prepareRestoreThen(input: unknown): RestorePlan {
  const valid = parseRestoreThenInput(input);
  const request = within('request', () => parseJobRequest(valid.request));
  const restoreOperation = request.operation.S3InitiateRestoreObject;
  if (restoreOperation === undefined) {
    throw new RequestValidationError(
      'request.operation',
      'must be S3InitiateRestoreObject in a restore-then run',
    );
  }
  if (
    restoreOperation.GlacierJobTier !== undefined &&
    restoreOperation.GlacierJobTier !== valid.restore.tier
  ) {
    throw new RequestValidationError(
      'request.operation.S3InitiateRestoreObject.GlacierJobTier',
      `is ${restoreOperation.GlacierJobTier} but restore.tier is ${valid.restore.tier}`,
    );
  }
  if (request.report.enabled === false) {
    throw new RequestValidationError(
      'request.report.enabled',
      "must be true: the restore job's succeeded report rows are the objects to wait for",
    );
  }
  if (valid.then !== undefined) checkThen(valid.then, request.report.scope);

  const deadline = restoreDeadline({
    tier: valid.restore.tier,
    storageClasses: archiveClassesOf(valid.request),
    deadlineHours: valid.restore.deadlineHours,
  });
  return {
    restoreExecutionName: childExecutionName(valid.runId, valid.target, 'restore'),
    thenExecutionName: childExecutionName(valid.runId, valid.target, 'then'),
    deadlineHours: deadline.hours,
    deadlineSource: deadline.source,
    storageClasses: deadline.storageClasses,
  };
}

/** The input against schemas/tasks/restore-then-input.schema.json, errors naming the field. */
export function parseRestoreThenInput(input: unknown): RestoreThenInput {
  if (validateRestoreThenInput(input)) return input;
  const { field, reason } = explainSchemaError(mostSpecific(validateRestoreThenInput.errors ?? []), 'input');
  throw new RequestValidationError(field, reason);
}

/**
 * Phase 2 runs over exactly the restored objects: it brings no objects of its own, is not a second restore,
 * and needs the restore job to report its succeeded tasks (scope AllTasks: a FailedTasksOnly report lists
 * none of the objects to copy, so such a request is refused rather than changed behind the user's back).
 */
function checkThen(then: unknown, restoreReportScope: string): void {
  if (typeof then !== 'object' || then === null || Array.isArray(then)) {
    throw new RequestValidationError('then', 'must be a job request without a manifest');
  }
  for (const source of ['manifest', 'manifestGenerator'] as const) {
    if (source in then) {
      throw new RequestValidationError(
        `then.${source}`,
        'must be absent: phase 2 runs over the restored objects',
      );
    }
  }
  if (restoreReportScope === 'FailedTasksOnly') {
    throw new RequestValidationError(
      'request.report.scope',
      'must be AllTasks with `then`: the restored objects are read from the succeeded report rows',
    );
  }
  const thenRequest = within('then', () => parseJobRequest({ ...then, manifest: placeholderManifest }));
  if (thenRequest.operation.S3InitiateRestoreObject !== undefined) {
    throw new RequestValidationError(
      'then.operation',
      'must not be S3InitiateRestoreObject: phase 1 restores',
    );
  }
}

/** Runs a request check, naming its fields under `prefix`. */
function within<T>(prefix: string, check: () => T): T {
  try {
    return check();
  } catch (error) {
    if (!(error instanceof RequestValidationError)) throw error;
    const field = error.field === 'request' ? prefix : `${prefix}.${error.field}`;
    throw new RequestValidationError(field, error.reason, { cause: error });
  }
}
