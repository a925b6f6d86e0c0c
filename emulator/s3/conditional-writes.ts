/**
 * Conditional writes ("How to prevent object overwrites with conditional writes", PutObject and
 * CompleteMultipartUpload `If-None-Match` / `If-Match`), as AWS answers them (measured against AWS by
 * OpenStack Swift's s3api conditional-write tests):
 * - `If-None-Match: *`: 412 PreconditionFailed (Condition If-None-Match) when the key has a current version that
 *   is not a delete marker. Only `*` is accepted: another value is 501 NotImplemented.
 * - `If-Match: <etag>` (quotes optional): 404 NoSuchKey when there is no current version or it is a delete
 *   marker; 412 PreconditionFailed (Condition If-Match) when the ETag differs.
 * - 409 ConditionalRequestConflict when the condition holds now but the key changed while the write was under
 *   way — for CompleteMultipartUpload, since CreateMultipartUpload. A PutObject is applied in one step here (the
 *   emulator serializes requests), so it never conflicts.
 */
import { noSuchKey, S3Error } from './errors.js';
import type { ObjectDoc, ObjectVersion } from './model.js';

export interface WriteConditions {
  ifNoneMatch?: string;
  ifMatch?: string;
  /** The key's state (keyState) when the write began; a change since then is a conflict. */
  stateAtStart?: string;
}

const preconditionFailed = (condition: 'If-None-Match' | 'If-Match') =>
  new S3Error('PreconditionFailed', 412, 'At least one of the pre-conditions you specified did not hold', {
    Condition: condition,
  });

const conflict = (condition: 'If-None-Match' | 'If-Match') =>
  new S3Error(
    'ConditionalRequestConflict',
    409,
    'The conditional request cannot succeed due to a conflicting operation against this resource.',
    { Condition: condition },
  );

/** An identity of the key's current version: any write or delete changes it. */
export function keyState(doc: ObjectDoc | undefined): string {
  const current: ObjectVersion | undefined = doc?.versions[0];
  if (!current) return 'absent';
  return [
    current.versionId,
    current.blobId ?? 'marker',
    current.lastModified,
    current.deleteMarker === true,
  ].join('|');
}

const bareEtag = (etag: string) => etag.trim().replace(/^W\//, '').replace(/^"|"$/g, '');

/** The If-None-Match / If-Match request headers, when present. */
export function conditionsFromHeaders(headers: Record<string, string>): WriteConditions | undefined {
  const ifNoneMatch = headers['if-none-match'];
  const ifMatch = headers['if-match'];
  if (ifNoneMatch === undefined && ifMatch === undefined) return undefined;
  return {
    ...(ifNoneMatch === undefined ? {} : { ifNoneMatch }),
    ...(ifMatch === undefined ? {} : { ifMatch }),
  };
}

/** Throws the error S3 answers when a conditional write to `key` (current state `doc`) may not happen. */
export function checkWriteConditions(
  key: string,
  doc: ObjectDoc | undefined,
  conditions: WriteConditions,
): void {
  const current = doc?.versions[0];
  const live = current !== undefined && current.deleteMarker !== true;
  const changed = conditions.stateAtStart !== undefined && conditions.stateAtStart !== keyState(doc);
  if (conditions.ifNoneMatch !== undefined) {
    if (conditions.ifNoneMatch.trim() !== '*') {
      throw new S3Error(
        'NotImplemented',
        501,
        'A header you provided implies functionality that is not implemented',
        {
          Header: 'If-None-Match',
        },
      );
    }
    if (live) throw preconditionFailed('If-None-Match');
    if (changed) throw conflict('If-None-Match');
  }
  if (conditions.ifMatch !== undefined) {
    if (!current || current.deleteMarker === true) throw noSuchKey(key);
    if (bareEtag(conditions.ifMatch) !== bareEtag(current.etag)) throw preconditionFailed('If-Match');
    if (changed) throw conflict('If-Match');
  }
}
