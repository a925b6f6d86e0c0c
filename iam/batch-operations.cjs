/**
 * What the S3 Batch Operations role needs per job operation, beyond reading manifests and writing
 * reports (which every job needs, see batch-role.cjs). The only place these grants are written:
 * serverless.yml enables operations per stage (params.batchOperations) and the role is built from here.
 *
 * Sources (S3 User Guide): "Granting permissions for Batch Operations" (per-operation policy examples),
 * "Configuring IAM policies for Batch Replication" (S3ReplicateObject), "Compute checksums".
 * `objects` are granted on the allowed buckets' objects, `buckets` on the allowed buckets themselves,
 * `functions` on params.batchLambdaFunctionArns.
 */
const batchOperationPermissions = Object.freeze({
  // The copy reads the source object's ACL and tags to carry them over; version reads because manifests
  // may name versions. The destination must be one of the allowed buckets.
  S3PutObjectCopy: {
    objects: [
      's3:GetObjectAcl',
      's3:GetObjectVersionAcl',
      's3:GetObjectTagging',
      's3:GetObjectVersionTagging',
      's3:PutObject',
      's3:PutObjectAcl',
      's3:PutObjectTagging',
    ],
  },
  S3PutObjectTagging: { objects: ['s3:PutObjectTagging', 's3:PutObjectVersionTagging'] },
  S3DeleteObjectTagging: { objects: ['s3:DeleteObjectTagging', 's3:DeleteObjectVersionTagging'] },
  S3PutObjectAcl: { objects: ['s3:PutObjectAcl', 's3:PutObjectVersionAcl'] },
  S3InitiateRestoreObject: { objects: ['s3:RestoreObject'] },
  // BypassGovernanceRetention: needed when the operation sets BypassGovernanceRetention to shorten or
  // remove a GOVERNANCE-mode retention. The guide's example grants GetBucketObjectLockConfiguration on
  // object ARNs, but its resource type is the bucket (Service Authorization Reference), so it goes there.
  S3PutObjectRetention: {
    objects: ['s3:PutObjectRetention', 's3:BypassGovernanceRetention'],
    buckets: ['s3:GetBucketObjectLockConfiguration'],
  },
  S3PutObjectLegalHold: {
    objects: ['s3:PutObjectLegalHold'],
    buckets: ['s3:GetBucketObjectLockConfiguration'],
  },
  // PutInventoryConfiguration is for S3-generated manifests ("Policy if using and storing a S3 generated
  // manifest"); a job request here always brings its manifest, but the guide pairs the two bucket actions.
  S3ReplicateObject: {
    objects: ['s3:InitiateReplication'],
    buckets: ['s3:GetReplicationConfiguration', 's3:PutInventoryConfiguration'],
  },
  // The guide lists only reading the manifest and writing the report for this operation; reading the
  // objects themselves is part of every job's grant (batch-role.cjs, ReadManifestsAndObjects).
  S3ComputeObjectChecksum: {},
  LambdaInvoke: { functions: ['lambda:InvokeFunction'] },
});

/**
 * What the role needs when S3 Batch Operations builds a job's object list itself (CreateJob
 * ManifestGenerator), whatever the operation: list the source bucket's objects and their versions, and, when
 * the job asks for it (EnableManifestOutput), write the generated manifest. Source: S3 User Guide,
 * "Configuring IAM policies for Batch Replication", "Policy if using and storing a S3 generated manifest"
 * (s3:PutObject on the manifest bucket; its s3:PutInventoryConfiguration on the source bucket is replication's
 * own, in S3ReplicateObject above). Source buckets are the allowed buckets; the manifest is written to the
 * report bucket (iam/batch-role.cjs).
 */
const manifestGeneratorPermissions = Object.freeze({
  sourceBuckets: ['s3:ListBucket', 's3:ListBucketVersions'],
  outputObjects: ['s3:PutObject'],
});

module.exports = { batchOperationPermissions, manifestGeneratorPermissions };
