import { createHash } from 'node:crypto';
import type { ObjectCreatedEvent } from '../../generated/types.js';
import { validateBatchJobRejectedDetail } from '../../generated/validators.js';
import { ConfigurationError, RequestValidationError } from '../errors.js';
import { type EmitDeps, emitEvents } from '../events/emit-events.js';
import { buildFileRejectedEvent, type FileRejection, type ObjectRef } from '../events/file-rejected.js';
import { detailTypes } from '../names.js';
import { validatePolicy } from '../policy/policy-settings.js';
import type { ObjectStorePort, WorkflowPort } from '../ports.js';
import { parseJobRequest } from '../request-validation.js';
import { jsonBytes, maxRequestBytes, readRequestDocument } from './request-document.js';

export { maxRequestBytes } from './request-document.js';

/** The part of S3's EventBridge "Object Created" event this trigger reads (AWS-FACTS, Events). */
export type { ObjectCreatedEvent };

export type StartResult =
  | { started: true; executionArn: string; alreadyStarted: boolean }
  | { started: false; reason: string; rejection?: FileRejection & { eventId: string } };

export interface StartFromObjectDeps {
  objects: ObjectStorePort;
  workflow: WorkflowPort;
  stateMachineArn: string | undefined;
  /** Where a file that starts nothing is reported (`Batch Job Rejected` on the stage bus). */
  events: EmitDeps;
}

/** A manifest (`*.csv`) that lands runs with the request template next to it (its manifest filled in). */
export const templateName = '_template.json';

/**
 * A job request file (`*.json`) landing in the stage's request bucket starts the batch-job workflow with it;
 * a CSV manifest landing starts it with the `_template.json` of its folder, the manifest filled in.
 * The execution name is derived from the object (bucket, key, ETag), so the duplicate deliveries EventBridge
 * allows start nothing twice, while a new upload of the same key (new ETag) starts a new run.
 *
 * A JSON object is started whatever it holds: the workflow validates it and ends an invalid one with a
 * `Batch Job Rejected` event naming the field, as for any other caller. A file StartExecution could never
 * take (not JSON, not an object, over 256 KiB), a CSV without a usable template, or a broken template starts
 * nothing and is reported here instead, with the same event naming the file (`source`): exactly one
 * rejection per file either way. Rejecting is this Lambda's normal outcome, not an error: an error would only
 * be retried by Lambda's asynchronous invocation and then lost.
 */
export async function startFromObject(
  deps: StartFromObjectDeps,
  event: ObjectCreatedEvent,
): Promise<StartResult> {
  const file = objectRefOf(event);
  if (!file) return { started: false, reason: 'not an S3 Object Created event' };
  const kind = fileKind(file.key);
  if (kind === 'other') {
    return {
      started: false,
      reason: `${file.key} is neither a job request (*.json) nor a CSV manifest (*.csv)`,
    };
  }
  if (!deps.stateMachineArn) throw new ConfigurationError('S3BO_STATE_MACHINE_ARN', 'is not set');

  let request: Record<string, unknown> | undefined;
  try {
    if (kind === 'template') {
      // Checked as it lands, so a broken template is reported before the first CSV meets it.
      const template = await readRequestDocument(deps.objects, file.bucket, file.key, 'template');
      if (template !== undefined) refuseOtherSources(template, `s3://${file.bucket}/${file.key}`);
      return { started: false, reason: `${file.key} is a request template: CSVs next to it run with it` };
    }
    request = await startInputFor(deps.objects, file, kind);
    // Only a fresh, valid job request ever starts the workflow from the bucket: anything else (a forged
    // `continuation` or `continuedFrom` among them) is reported here and starts nothing. The request is
    // still started as written; the workflow validates it again and fills in its defaults.
    if (request !== undefined) validateStartableRequest(request);
  } catch (error) {
    if (error instanceof RequestValidationError) return reject(deps.events, file, error);
    throw error;
  }
  // Deleted again before we read it: nothing to start, nobody to tell.
  if (request === undefined) return { started: false, reason: `s3://${file.bucket}/${file.key} is gone` };

  const { executionArn, alreadyExisted } = await deps.workflow.startExecution(
    deps.stateMachineArn,
    executionNameFor(file.bucket, file.key, file.etag ?? file.sequencer ?? ''),
    request,
  );
  return { started: true, executionArn, alreadyStarted: alreadyExisted };
}

/** `s3-<readable part of the key>-<hash>`, within Step Functions' 80 characters and its name alphabet. */
export function executionNameFor(bucket: string, key: string, version: string): string {
  const hash = createHash('sha256').update(`${bucket}\n${key}\n${version}`).digest('hex').slice(0, 16);
  const readable = (key.split('/').pop() ?? key)
    .replace(/\.(json|csv)$/, '')
    .replace(/[^A-Za-z0-9_-]+/g, '-')
    .slice(0, 80 - 'obj--'.length - hash.length);
  return `obj-${readable}-${hash}`;
}

/** The execution input a request file or a manifest stands for; `undefined` when the file is gone. */
async function startInputFor(
  objects: ObjectStorePort,
  file: ObjectRef,
  kind: 'request' | 'manifest',
): Promise<Record<string, unknown> | undefined> {
  const request =
    kind === 'request'
      ? await readRequestDocument(objects, file.bucket, file.key, 'request')
      : await requestForManifest(objects, file);
  // The file was within the limit, but a template with the manifest filled in may not be.
  if (request !== undefined && jsonBytes(request) > maxRequestBytes) {
    throw new RequestValidationError(
      kind === 'request' ? 'request' : 'template',
      `${kind === 'request' ? '' : 'with the manifest filled in '}is larger than ${maxRequestBytes} bytes, Step Functions' limit for an execution's input`,
    );
  }
  return request;
}

function objectRefOf(event: ObjectCreatedEvent): ObjectRef | undefined {
  const bucket = event.detail?.bucket?.name;
  const object = event.detail?.object;
  if (!bucket || !object?.key) return undefined;
  return {
    bucket,
    key: object.key,
    ...(object.etag ? { etag: object.etag } : {}),
    ...(object['version-id'] ? { versionId: object['version-id'] } : {}),
    ...(object.sequencer ? { sequencer: object.sequencer } : {}),
  };
}

/**
 * `request`: a job request file; `manifest`: a CSV manifest; `template`: a folder's `_template.json`;
 * `other`: anything else, e.g. a folder marker or a `_`-prefixed file of the user's, which starts nothing.
 */
function fileKind(key: string): 'request' | 'manifest' | 'template' | 'other' {
  const name = key.split('/').pop() ?? key;
  if (name === templateName) return 'template';
  if (key.endsWith('.csv')) return 'manifest';
  if (key.endsWith('.json') && !name.startsWith('_')) return 'request';
  return 'other';
}

/** The folder's template with this manifest filled in; rejects when there is no usable template. */
async function requestForManifest(
  objects: ObjectStorePort,
  file: ObjectRef,
): Promise<Record<string, unknown>> {
  const name = file.key.split('/').pop() ?? file.key;
  const templateKey = `${file.key.slice(0, file.key.length - name.length)}${templateName}`;
  let template: Record<string, unknown> | undefined;
  try {
    template = await readRequestDocument(objects, file.bucket, templateKey, 'template');
  } catch (error) {
    // The event is about the CSV: say which template failed it.
    if (error instanceof RequestValidationError) {
      throw new RequestValidationError('template', `s3://${file.bucket}/${templateKey} ${error.reason}`);
    }
    throw error;
  }
  if (template === undefined) {
    throw new RequestValidationError(
      'template',
      `no ${templateKey} next to the manifest: a CSV manifest runs with the ${templateName} of its folder`,
    );
  }
  const manifest = template.manifest;
  if (
    manifest !== undefined &&
    (typeof manifest !== 'object' || manifest === null || Array.isArray(manifest))
  ) {
    throw new RequestValidationError(
      'template.manifest',
      `in s3://${file.bucket}/${templateKey} must be an object`,
    );
  }
  refuseOtherSources(template, `s3://${file.bucket}/${templateKey}`);
  return {
    ...template,
    manifest: {
      ...manifest,
      format: 'S3BatchOperations_CSV_20180820',
      bucket: file.bucket,
      key: file.key,
      ...(file.etag ? { etag: file.etag } : {}),
    },
  };
}

/**
 * The CSV that lands is the job's list of objects, so a template naming another source (S3's generator,
 * the newest inventory report) would make the request name two, or silently lose one: it is refused.
 */
function refuseOtherSources(template: Record<string, unknown>, where: string): void {
  const ownSource = (field: string) =>
    new RequestValidationError(
      `template.${field}`,
      `in ${where}: a template runs with the CSV manifests that land next to it, so it names no other source of objects; drop ${field}`,
    );
  if (template.manifestGenerator !== undefined) throw ownSource('manifestGenerator');
  const manifest = template.manifest as { inventory?: unknown } | null | undefined;
  if (typeof manifest === 'object' && manifest !== null && manifest.inventory !== undefined) {
    throw ownSource('manifest.inventory');
  }
}

async function reject(
  events: EmitDeps,
  file: ObjectRef,
  error: RequestValidationError,
): Promise<StartResult> {
  const rejection = { field: error.field, reason: error.reason };
  const built = buildFileRejectedEvent(file, rejection, events.config.stage, events.clock.now());
  const {
    eventIds: [eventId],
  } = await emitEvents(events, { [detailTypes.rejected]: validateBatchJobRejectedDetail }, [built]);
  return {
    started: false,
    reason: `s3://${file.bucket}/${file.key}: ${error.message}`,
    rejection: { ...rejection, eventId: eventId! },
  };
}

/** The checks SubmitJob runs first (schema, cross-field rules, policy), on a copy of the request. */
function validateStartableRequest(request: Record<string, unknown>): void {
  const parsed = parseJobRequest(request);
  validatePolicy(parsed.policy, parsed.priority);
}
