/**
 * Validates a coalescing trigger (schemas/trigger.schema.json and the rules a schema cannot express) and
 * builds the job request a flush starts. Pure: the same check runs over triggers/ in the unit tests, at
 * package time (triggers/resources.cjs reads the files) and in the Lambdas that load a trigger.
 */
import type { TriggerWithDefaults } from '../../generated/types.js';
import { validateTrigger } from '../../generated/validators.js';
import { RequestValidationError } from '../errors.js';
import { campaignJobTagKey, stageJobTagKey, triggerJobTagKey } from '../names.js';
import { parseJobRequest } from '../request-validation.js';
import { explainSchemaError, mostSpecific, type SchemaError } from '../schema-errors.js';

export type Trigger = TriggerWithDefaults;

/** Where a flush's manifest is and what its columns are (src/core/triggers/manifest.ts writes it). */
export interface TriggerManifest {
  bucket: string;
  key: string;
  etag: string;
  fields: ('Bucket' | 'Key' | 'VersionId')[];
}

/** Tags the orchestrator sets itself: a trigger's template may not carry them. */
const reservedTagKeys = [stageJobTagKey, triggerJobTagKey, campaignJobTagKey];

/** A trigger's deepest path is a request's (8 levels) under `job`; the bound keeps Ajv far from its stack limit. */
const maxTriggerDepth = 40;

export function parseTrigger(input: unknown): Trigger {
  if (typeof input !== 'object' || input === null || Array.isArray(input)) {
    throw new RequestValidationError('trigger', 'must be a JSON object');
  }
  checkDepth(input);
  const candidate: unknown = structuredClone(input);
  if (!validateTrigger(candidate)) {
    const { field, reason } = explainSchemaError(
      mostSpecific((validateTrigger.errors ?? []) as SchemaError[]),
      'trigger',
    );
    throw new RequestValidationError(field, reason);
  }
  const trigger = candidate;
  const { window, source } = trigger;
  // The trigger's dead-letter queue is its queue's name + `-dlq`, and `…-trigger-dlq` is the stage's
  // dead-letter queue of start-from-object: a name ending so would be ambiguous.
  if (trigger.name === 'dlq' || trigger.name.endsWith('-dlq')) {
    throw new RequestValidationError('name', 'must not be dlq or end with -dlq (dead-letter queue names)');
  }
  if (window.minObjects > window.maxObjects) {
    throw new RequestValidationError(
      'window.minObjects',
      `is ${window.minObjects}, more than window.maxObjects (${window.maxObjects}): the window would never fill`,
    );
  }
  if (
    source.minSizeBytes !== undefined &&
    source.maxSizeBytes !== undefined &&
    source.minSizeBytes > source.maxSizeBytes
  ) {
    throw new RequestValidationError(
      'source.minSizeBytes',
      `is ${source.minSizeBytes}, more than source.maxSizeBytes (${source.maxSizeBytes}): no object could match`,
    );
  }
  for (const key of Object.keys(trigger.job.tags ?? {})) {
    if (reservedTagKeys.includes(key)) {
      throw new RequestValidationError(`job.tags.${key}`, 'is reserved: the orchestrator sets it itself');
    }
  }
  // The template must make a valid request once a manifest is filled in: checked now, with a stand-in
  // manifest, so a broken template fails when the trigger is read rather than at its first flush.
  try {
    buildTriggerRequest(trigger, {
      bucket: 'stand-in-bucket',
      key: 'stand-in.csv',
      etag: 'd41d8cd98f00b204e9800998ecf8427e',
      fields: ['Bucket', 'Key'],
    });
  } catch (error) {
    if (error instanceof RequestValidationError) {
      throw new RequestValidationError(`job.${error.field}`, error.reason, { cause: error });
    }
    throw error;
  }
  return trigger;
}

/**
 * The job request a flush starts the batch-job workflow with: the template, the flush's manifest and the
 * `s3bo:trigger` tag (Batch Job Submitted reports it). Validated with parseJobRequest, so what is started
 * is a request the workflow accepts; the request as written (without filled defaults) is returned.
 */
export function buildTriggerRequest(trigger: Trigger, manifest: TriggerManifest): Record<string, unknown> {
  const request: Record<string, unknown> = {
    ...structuredClone(trigger.job),
    manifest: {
      bucket: manifest.bucket,
      key: manifest.key,
      format: 'S3BatchOperations_CSV_20180820',
      fields: manifest.fields,
      etag: manifest.etag,
    },
    tags: { ...(trigger.job.tags ?? {}), [triggerJobTagKey]: trigger.name },
  };
  parseJobRequest(request);
  return request;
}

function checkDepth(input: object): void {
  const stack: { value: unknown; depth: number }[] = [{ value: input, depth: 1 }];
  for (let visit = stack.pop(); visit !== undefined; visit = stack.pop()) {
    if (visit.depth > maxTriggerDepth) {
      throw new RequestValidationError('trigger', `is nested deeper than ${maxTriggerDepth} levels`);
    }
    if (typeof visit.value === 'object' && visit.value !== null) {
      for (const child of Object.values(visit.value)) stack.push({ value: child, depth: visit.depth + 1 });
    }
  }
}
