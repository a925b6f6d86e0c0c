import type { BatchJobRejectedDetail } from '../../generated/types.js';
import { detailTypes } from '../names.js';
import { type BuiltEvent, eventId } from './event-common.js';

/** The object an S3 "Object Created" event announced, as far as the event names it (AWS-FACTS, Events). */
export interface ObjectRef {
  bucket: string;
  key: string;
  etag?: string;
  versionId?: string;
  /** Orders the events of one key; stands in for the ETag when an event has none. */
  sequencer?: string;
}

/** Why a file started nothing: the document (`request`, `template`, or a field of it) and what is wrong. */
export interface FileRejection {
  field: string;
  reason: string;
}

/**
 * Stable per S3 object version, so the duplicate deliveries EventBridge allows carry the same id and
 * consumers can drop them. The same bytes uploaded again to an unversioned bucket have the same ETag and
 * therefore the same id, as they would also start no second execution (executionNameFor).
 */
export function fileRejectedEventId(file: ObjectRef): string {
  const version = `${file.versionId ?? ''}:${file.etag ?? file.sequencer ?? ''}`;
  return eventId(`s3://${file.bucket}/${file.key}`, `Rejected:${version}`);
}

/** `Batch Job Rejected` for a file that started nothing: no execution, the file named in `source`. */
export function buildFileRejectedEvent(
  file: ObjectRef,
  rejection: FileRejection,
  stage: string,
  now: Date,
): BuiltEvent {
  const detail: BatchJobRejectedDetail = {
    eventId: fileRejectedEventId(file),
    stage,
    occurredAt: now.toISOString(),
    field: rejection.field,
    reason: rejection.reason,
    source: {
      bucket: file.bucket,
      key: file.key,
      ...(file.etag ? { etag: file.etag } : {}),
      ...(file.versionId ? { versionId: file.versionId } : {}),
    },
  };
  return { detailType: detailTypes.rejected, detail: { ...detail } };
}
