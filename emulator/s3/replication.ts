import type { ObjectRef } from '../contracts.js';
import { invalidRequest, S3Error } from './errors.js';
import type { S3Operations } from './operations.js';
import { child, childrenNamed, childText, parseXml } from './xml.js';

/**
 * S3ReplicateObject: writes the object to the destination of the first enabled rule whose prefix matches.
 * Only the rule's Filter/Prefix (or legacy Prefix), Destination/Bucket and Destination/StorageClass are read.
 */
export function replicate(ops: S3Operations, ref: ObjectRef): void {
  const bucket = ops.store.requireBucket(ref.bucket);
  if (!bucket.replication) {
    throw new S3Error(
      'ReplicationConfigurationNotFoundError',
      404,
      'The replication configuration was not found',
      {
        BucketName: ref.bucket,
      },
    );
  }
  const rule = childrenNamed(parseXml(bucket.replication), 'Rule').find((candidate) => {
    const prefix = childText(child(candidate, 'Filter'), 'Prefix') ?? childText(candidate, 'Prefix') ?? '';
    return childText(candidate, 'Status') === 'Enabled' && ref.key.startsWith(prefix);
  });
  const destination = child(rule, 'Destination');
  const target = childText(destination, 'Bucket')?.replace(/^arn:aws:s3:::/, '');
  if (!target) throw invalidRequest('No enabled replication rule applies to this object');
  const { version } = ops.resolve(ref);
  ops.assertReadable(version);
  ops.writeObject(
    target,
    ref.key,
    ops.store.getBody(version.blobId),
    {
      ...(version.contentType && { contentType: version.contentType }),
      metadata: version.metadata,
      storageClass: childText(destination, 'StorageClass') ?? version.storageClass,
      tags: version.tags,
    },
    'PutObject',
    version.etag,
  );
}
