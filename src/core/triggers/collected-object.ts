/**
 * The objects a trigger collects: read from the S3 "Object Created" events its queue delivers (the SQS
 * message body is the EventBridge event, AWS-FACTS "Events"), and identified for dedupe.
 */
import { createHash } from 'node:crypto';
import type { Trigger } from './parse-trigger.js';

/** One collected object version, as the pending store keeps it (short field names: up to 10,000 per store). */
export interface CollectedObject {
  /** Bucket. */
  b: string;
  /** Key, raw (as the event names it, like start-from-object reads it); URL-encoded only in the manifest. */
  k: string;
  /** Version id, in a versioned bucket. */
  v?: string;
  /** When the collector stored it (ISO): the window's age counts from the oldest. */
  t: string;
}

/** Why a message holds no object the trigger collects; `malformed` ones are reported as batch item failures. */
export type ReadResult =
  | { object: Omit<CollectedObject, 't'> }
  | { skipped: 'malformed'; reason: string }
  | { skipped: 'filtered'; reason: string };

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** The object an SQS message body (an EventBridge S3 Object Created event) announces, if the trigger wants it. */
export function readObjectCreated(body: string, trigger: Trigger): ReadResult {
  let event: unknown;
  try {
    event = JSON.parse(body);
  } catch {
    return { skipped: 'malformed', reason: 'the message body is not JSON' };
  }
  if (!isRecord(event) || event.source !== 'aws.s3' || event['detail-type'] !== 'Object Created') {
    return { skipped: 'malformed', reason: 'the message is not an S3 Object Created event' };
  }
  const detail = isRecord(event.detail) ? event.detail : {};
  const bucket = isRecord(detail.bucket) ? detail.bucket.name : undefined;
  const object = isRecord(detail.object) ? detail.object : {};
  const key = object.key;
  if (typeof bucket !== 'string' || bucket === '' || typeof key !== 'string' || key === '') {
    return { skipped: 'malformed', reason: 'the event names no detail.bucket.name and detail.object.key' };
  }
  const size = typeof object.size === 'number' ? object.size : undefined;
  const filtered = filterReason(trigger, bucket, key, size);
  if (filtered) return { skipped: 'filtered', reason: filtered };
  const versionId = object['version-id'];
  return {
    object: {
      b: bucket,
      k: key,
      ...(typeof versionId === 'string' && versionId !== '' ? { v: versionId } : {}),
    },
  };
}

/**
 * The rule's pattern already filters (triggers/resources.cjs); checked again so a rule edited by hand, or a
 * message sent to the queue by someone else, never puts a foreign object into a job.
 */
function filterReason(
  trigger: Trigger,
  bucket: string,
  key: string,
  size: number | undefined,
): string | undefined {
  const { buckets, prefix, suffix, minSizeBytes, maxSizeBytes } = trigger.source;
  if (!buckets.includes(bucket)) return `bucket ${bucket} is not one of source.buckets`;
  if (prefix !== undefined && !key.startsWith(prefix)) return `the key does not start with ${prefix}`;
  if (suffix !== undefined && !key.endsWith(suffix)) return `the key does not end with ${suffix}`;
  if (minSizeBytes !== undefined && (size ?? 0) < minSizeBytes) return `smaller than ${minSizeBytes} bytes`;
  if (maxSizeBytes !== undefined && size !== undefined && size > maxSizeBytes) {
    return `larger than ${maxSizeBytes} bytes`;
  }
  return undefined;
}

/**
 * An object version's identity: bucket, key and version id. Duplicate deliveries of one event (EventBridge
 * and SQS are at least once) share it; so do two uploads of one key in an unversioned bucket, which a
 * manifest could only name once anyway (the job acts on the current object).
 */
export function objectIdentity(object: Pick<CollectedObject, 'b' | 'k' | 'v'>): string {
  return createHash('sha256')
    .update(`${object.b}\n${object.k}\n${object.v ?? ''}`)
    .digest('hex')
    .slice(0, 24);
}
