/**
 * One S3 task of a job: the S3 Control operation's fields turned into the call of the S3 API the operation
 * stands for (S3 Control API reference, S3CopyObjectOperation and friends → CopyObject, PutObjectAcl, …), on
 * the S3 backend. S3's own errors (S3ServiceError) fail the task; bad combinations S3 itself would refuse are
 * refused with S3's code here too.
 */
import {
  type AccessControlPolicy,
  type CopyObjectOptions,
  type ObjectRef,
  type S3Backend,
  S3ServiceError,
} from '../contracts.js';
import { BUCKET_ARN } from './create-job-request.js';
import type { OperationParams } from './types.js';

export const SUCCESS_MESSAGE = 'Successful';

/**
 * S3 Control's S3GlacierJobTier (BULK | STANDARD) → RestoreObject's Tier (Bulk | Standard | Expedited): Batch
 * Operations restores with the named tier (User Guide, "Restore objects with Batch Operations").
 */
export const RESTORE_TIERS: Record<string, string> = { BULK: 'Bulk', STANDARD: 'Standard' };

const GRANTEE_TYPES: Record<string, string> = {
  id: 'CanonicalUser',
  emailAddress: 'AmazonCustomerByEmail',
  uri: 'Group',
};

// biome-ignore lint/suspicious/noExplicitAny: wire data
function toGrants(grants: any[]): AccessControlPolicy['Grants'] {
  return grants.map((grant) => {
    const type = GRANTEE_TYPES[grant.Grantee?.TypeIdentifier] ?? 'CanonicalUser';
    const identifier = grant.Grantee?.Identifier;
    return {
      Grantee: {
        Type: type,
        ...(type === 'CanonicalUser' ? { ID: identifier } : {}),
        ...(type === 'Group' ? { URI: identifier } : {}),
        ...(type === 'AmazonCustomerByEmail' ? { EmailAddress: identifier } : {}),
        ...(grant.Grantee?.DisplayName ? { DisplayName: grant.Grantee.DisplayName } : {}),
      },
      Permission: grant.Permission,
    };
  });
}

/** S3 Control's S3AccessControlPolicy → PutObjectAcl's canned ACL or AccessControlPolicy (owner and grants). */
export function toAcl(params: OperationParams): { canned?: string; policy?: AccessControlPolicy } {
  const policy = params.AccessControlPolicy ?? {};
  if (policy.CannedAccessControlList) return { canned: policy.CannedAccessControlList };
  const list = policy.AccessControlList ?? {};
  return {
    policy: { ...(list.Owner ? { Owner: list.Owner } : {}), Grants: toGrants(list.Grants ?? []) },
  };
}

/**
 * TargetKeyPrefix is a folder: AWS writes `<prefix>/<key>` ("to copy objects into a folder named Folder1 …
 * set TargetKeyPrefix to Folder1", S3CopyObjectOperation; observed in boto/boto3#3420 and aws/aws-sdk#355:
 * prefix `Folder2` and key `folder1/test_object.txt` gave `Folder2/folder1/test_object.txt`). A prefix that
 * already ends in `/` is not given a second one (not documented; see emulator/PARITY.md).
 */
export function targetKey(prefix: string | undefined, key: string): string {
  if (!prefix) return key;
  return prefix.endsWith('/') ? `${prefix}${key}` : `${prefix}/${key}`;
}

const invalidArgument = (message: string) => new S3ServiceError('InvalidArgument', 400, message);

/** S3CopyObjectOperation → CopyObject's headers, one field at a time (header names in CopyObjectOptions). */
export function toCopyOptions(params: OperationParams): CopyObjectOptions {
  const metadata = params.NewObjectMetadata;
  // "If you don't provide [NewObjectMetadata], Amazon S3 copies all the metadata from the original objects"
  // (S3CopyObjectOperation): supplying it without a directive replaces.
  const directive: 'COPY' | 'REPLACE' = params.MetadataDirective ?? (metadata ? 'REPLACE' : 'COPY');
  if ((params.ObjectLockMode === undefined) !== (params.ObjectLockRetainUntilDate === undefined)) {
    throw invalidArgument(
      'x-amz-object-lock-retain-until-date and x-amz-object-lock-mode must both be supplied',
    );
  }
  if (params.CannedAccessControlList && params.AccessControlGrants?.length) {
    throw new S3ServiceError(
      'InvalidRequest',
      400,
      'Specifying both Canned ACLs and Header Grants is not allowed',
    );
  }
  const sseAlgorithm = metadata?.SSEAlgorithm === 'KMS' ? 'aws:kms' : metadata?.SSEAlgorithm;
  if (params.SSEAwsKmsKeyId !== undefined && sseAlgorithm !== 'aws:kms') {
    throw invalidArgument(
      'Server Side Encryption with AWS KMS managed key requires HTTP header x-amz-server-side-encryption : aws:kms',
    );
  }
  const content = metadata && {
    ...(metadata.ContentType !== undefined && { contentType: metadata.ContentType }),
    ...(metadata.ContentEncoding !== undefined && { contentEncoding: metadata.ContentEncoding }),
    ...(metadata.ContentDisposition !== undefined && { contentDisposition: metadata.ContentDisposition }),
    ...(metadata.ContentLanguage !== undefined && { contentLanguage: metadata.ContentLanguage }),
    ...(metadata.CacheControl !== undefined && { cacheControl: metadata.CacheControl }),
    // S3 keeps Expires as the HTTP date it was sent as.
    ...(metadata.HttpExpiresDate !== undefined && {
      expires: new Date(metadata.HttpExpiresDate).toUTCString(),
    }),
  };
  return {
    metadataDirective: directive,
    // x-amz-meta-* header names are case-insensitive; S3 stores and returns them lower-cased.
    ...(metadata?.UserMetadata && {
      metadata: Object.fromEntries(
        Object.entries(metadata.UserMetadata as Record<string, string>).map(([k, v]) => [k.toLowerCase(), v]),
      ),
    }),
    ...(content && { content }),
    ...(params.StorageClass !== undefined && { storageClass: params.StorageClass }),
    ...(params.NewObjectTagging !== undefined
      ? { taggingDirective: 'REPLACE' as const, tags: params.NewObjectTagging }
      : { taggingDirective: 'COPY' as const }),
    ...(params.CannedAccessControlList !== undefined && { cannedAcl: params.CannedAccessControlList }),
    ...(params.AccessControlGrants?.length && { acl: { Grants: toGrants(params.AccessControlGrants) } }),
    ...(params.ModifiedSinceConstraint !== undefined && { ifModifiedSince: params.ModifiedSinceConstraint }),
    ...(params.UnModifiedSinceConstraint !== undefined && {
      ifUnmodifiedSince: params.UnModifiedSinceConstraint,
    }),
    ...(params.ObjectLockMode !== undefined && {
      retention: { mode: params.ObjectLockMode, retainUntil: params.ObjectLockRetainUntilDate },
    }),
    ...(params.ObjectLockLegalHoldStatus !== undefined && { legalHold: params.ObjectLockLegalHoldStatus }),
    ...(params.ChecksumAlgorithm !== undefined && { checksumAlgorithm: params.ChecksumAlgorithm }),
    ...(sseAlgorithm !== undefined && {
      sse: {
        algorithm: sseAlgorithm,
        ...(sseAlgorithm === 'aws:kms' &&
          params.SSEAwsKmsKeyId !== undefined && { kmsKeyId: params.SSEAwsKmsKeyId }),
        ...(sseAlgorithm === 'aws:kms' &&
          params.BucketKeyEnabled !== undefined && { bucketKeyEnabled: params.BucketKeyEnabled }),
      },
    }),
    ...(params.RedirectLocation !== undefined && { websiteRedirectLocation: params.RedirectLocation }),
  };
}

/** Performs the operation once; returns the task's result message (the checksum for S3ComputeObjectChecksum). */
export function performS3(s3: S3Backend, name: string, params: OperationParams, ref: ObjectRef): string {
  switch (name) {
    case 'S3PutObjectTagging':
      s3.putObjectTagging(ref, params.TagSet ?? []);
      return SUCCESS_MESSAGE;
    case 'S3DeleteObjectTagging':
      s3.deleteObjectTagging(ref);
      return SUCCESS_MESSAGE;
    case 'S3PutObjectAcl':
      s3.putObjectAcl(ref, toAcl(params));
      return SUCCESS_MESSAGE;
    case 'S3PutObjectCopy': {
      const bucket = BUCKET_ARN.exec(params.TargetResource)![1]!;
      s3.copyObject(ref, { bucket, key: targetKey(params.TargetKeyPrefix, ref.key) }, toCopyOptions(params));
      return SUCCESS_MESSAGE;
    }
    case 'S3InitiateRestoreObject':
      s3.restoreObject(
        ref,
        params.ExpirationInDays,
        params.GlacierJobTier === undefined ? undefined : RESTORE_TIERS[params.GlacierJobTier],
      );
      return SUCCESS_MESSAGE;
    case 'S3PutObjectLegalHold':
      s3.putObjectLegalHold(ref, params.LegalHold.Status);
      return SUCCESS_MESSAGE;
    case 'S3PutObjectRetention':
      s3.putObjectRetention(
        ref,
        params.Retention.Mode,
        params.Retention.RetainUntilDate,
        params.BypassGovernanceRetention === true,
      );
      return SUCCESS_MESSAGE;
    case 'S3ReplicateObject':
      s3.replicateObject(ref);
      return SUCCESS_MESSAGE;
    case 'S3ComputeObjectChecksum':
      return s3.computeChecksum(ref, params.ChecksumAlgorithm, params.ChecksumType ?? 'FULL_OBJECT');
    default:
      throw new S3ServiceError('NotImplemented', 501, `Operation ${name} is not emulated`);
  }
}
