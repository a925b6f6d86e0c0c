import { createHash } from 'node:crypto';
import { ConfigurationError, ObjectNotFoundError, RequestValidationError } from '../errors.js';
import type { ObjectStorePort, WorkflowPort } from '../ports.js';

/** The part of S3's EventBridge "Object Created" event this trigger reads (AWS-FACTS, Events). */
export interface ObjectCreatedEvent {
  'detail-type'?: string;
  detail?: {
    bucket?: { name?: string };
    object?: { key?: string; etag?: string; 'version-id'?: string; sequencer?: string };
  };
}

export type StartResult =
  | { started: true; executionArn: string; alreadyStarted: boolean }
  | { started: false; reason: string };

/** Step Functions' StartExecution input limit. */
export const maxRequestBytes = 256 * 1024;

/** A manifest (`*.csv`) that lands runs with the request template next to it (its manifest filled in). */
export const templateName = '_template.json';

/**
 * A job request file (`*.json`) landing in the stage's request bucket starts the batch-job workflow with it;
 * a CSV manifest landing starts it with the `_template.json` of its folder, the manifest filled in.
 * The execution name is derived from the object (bucket, key, ETag), so the duplicate deliveries EventBridge
 * allows start nothing twice, while a new upload of the same key (new ETag) starts a new run. The request is
 * validated by the workflow itself, which ends an invalid one with a `Batch Job Rejected` event naming the
 * field, as for any other caller.
 */
export async function startFromObject(
  deps: { objects: ObjectStorePort; workflow: WorkflowPort; stateMachineArn: string | undefined },
  event: ObjectCreatedEvent,
): Promise<StartResult> {
  const bucket = event.detail?.bucket?.name;
  const key = event.detail?.object?.key;
  if (!bucket || !key) return { started: false, reason: 'not an S3 Object Created event' };
  const name = key.split('/').pop() ?? key;
  const isRequest = key.endsWith('.json') && !name.startsWith('_');
  const isManifest = key.endsWith('.csv');
  if (!isRequest && !isManifest) {
    return { started: false, reason: `${key} is neither a job request (*.json) nor a CSV manifest (*.csv)` };
  }
  if (!deps.stateMachineArn) throw new ConfigurationError('S3BO_STATE_MACHINE_ARN', 'is not set');

  let request: unknown;
  if (isRequest) {
    const text = await readIfPresent(deps.objects, bucket, key);
    // Deleted again before we read it: nothing to start.
    if (text === undefined) return { started: false, reason: `s3://${bucket}/${key} is gone` };
    request = parseJson(text, `s3://${bucket}/${key}`);
  } else {
    const templateKey = `${key.slice(0, key.length - name.length)}${templateName}`;
    const text = await readIfPresent(deps.objects, bucket, templateKey);
    if (text === undefined) return { started: false, reason: `no ${templateName} next to ${key}` };
    const template = parseJson(text, `s3://${bucket}/${templateKey}`) as Record<string, unknown>;
    const etag = event.detail?.object?.etag;
    request = {
      ...template,
      manifest: {
        ...(template.manifest as object | undefined),
        format: 'S3BatchOperations_CSV_20180820',
        bucket,
        key,
        ...(etag ? { etag } : {}),
      },
    };
  }
  const { executionArn, alreadyExisted } = await deps.workflow.startExecution(
    deps.stateMachineArn,
    executionNameFor(bucket, key, event.detail?.object?.etag ?? event.detail?.object?.sequencer ?? ''),
    request as object,
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

function parseJson(text: string, source: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    throw new RequestValidationError(source, 'is not valid JSON');
  }
}

async function readIfPresent(
  objects: ObjectStorePort,
  bucket: string,
  key: string,
): Promise<string | undefined> {
  try {
    return await readBounded(objects, bucket, key);
  } catch (error) {
    if (error instanceof ObjectNotFoundError) return undefined;
    throw error;
  }
}

async function readBounded(objects: ObjectStorePort, bucket: string, key: string): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of await objects.getObjectStream(bucket, key)) {
    size += chunk.length;
    if (size > maxRequestBytes) {
      throw new RequestValidationError(`s3://${bucket}/${key}`, `is larger than ${maxRequestBytes} bytes`);
    }
    chunks.push(Buffer.from(chunk));
  }
  return Buffer.concat(chunks).toString('utf8');
}
