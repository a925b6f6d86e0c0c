/**
 * The S3 Batch Operations role's policy statements for one stage, built from the stage params and the
 * per-operation table (batch-operations.cjs). The generated roles (iam/roles.generated.yml, from
 * iam/roles.ts) read it through osls' file variable source (`${file(./iam/batch-role.cjs):statements}`):
 * they depend on stage params that only osls knows, YAML cannot loop over a list, and a plain .cjs
 * function needs no plugin and runs offline. CommonJS because osls require()s the file and the package is
 * ESM. Bad params fail the package with an error naming the param.
 */
const { batchOperationPermissions, manifestGeneratorPermissions } = require('./batch-operations.cjs');

const knownOperations = Object.keys(batchOperationPermissions);
const kmsKeyArnPattern = /^arn:aws[a-z-]*:kms:[a-z0-9-]+:\d{12}:key\/[A-Za-z0-9-]+$/;

class BatchRoleConfigError extends Error {
  constructor(stage, param, problem) {
    super(`serverless.yml params (stage ${stage}): ${param} ${problem}`);
    this.name = 'BatchRoleConfigError';
  }
}

const sub = (text) => ({ 'Fn::Sub': text });
const objectArns = (buckets) => buckets.map((bucket) => sub(`arn:\${AWS::Partition}:s3:::${bucket}/*`));
const bucketArns = (buckets) => buckets.map((bucket) => sub(`arn:\${AWS::Partition}:s3:::${bucket}`));

function stringList(stage, param, value, { nonEmpty }) {
  if (!Array.isArray(value)) throw new BatchRoleConfigError(stage, param, 'must be a list');
  if (nonEmpty && value.length === 0) throw new BatchRoleConfigError(stage, param, 'must not be empty');
  value.forEach((item, i) => {
    if (typeof item !== 'string' || item === '') {
      throw new BatchRoleConfigError(stage, `${param}[${i}]`, 'must be a non-empty string');
    }
  });
  const duplicate = value.find((item, i) => value.indexOf(item) !== i);
  if (duplicate !== undefined) throw new BatchRoleConfigError(stage, param, `lists "${duplicate}" twice`);
  return value;
}

/** Checks the params the role depends on; returns them typed. */
function validateSettings(settings) {
  const { stage } = settings;
  const operations = stringList(stage, 'batchOperations', settings.operations, { nonEmpty: true });
  operations.forEach((operation, i) => {
    if (!knownOperations.includes(operation)) {
      throw new BatchRoleConfigError(
        stage,
        `batchOperations[${i}]`,
        `"${operation}" is not an S3 Batch Operations operation of iam/batch-operations.cjs (${knownOperations.join(', ')})`,
      );
    }
  });
  const allowedBuckets = stringList(stage, 'allowedBuckets', settings.allowedBuckets, { nonEmpty: true });
  const kmsKeyArns = stringList(stage, 'kmsKeyArns', settings.kmsKeyArns ?? [], { nonEmpty: false });
  kmsKeyArns.forEach((arn, i) => {
    // Key ARNs only: an alias ARN in a Resource element matches no key ("Using aliases" in the KMS guide).
    if (!kmsKeyArnPattern.test(arn)) {
      throw new BatchRoleConfigError(stage, `kmsKeyArns[${i}]`, `must be a KMS key ARN, got "${arn}"`);
    }
  });
  const lambdaFunctionArns = stringList(stage, 'batchLambdaFunctionArns', settings.lambdaFunctionArns ?? [], {
    nonEmpty: false,
  });
  const invokesLambda = operations.includes('LambdaInvoke');
  if (invokesLambda && lambdaFunctionArns.length === 0) {
    throw new BatchRoleConfigError(
      stage,
      'batchLambdaFunctionArns',
      'must list the functions LambdaInvoke jobs may call, since batchOperations enables LambdaInvoke',
    );
  }
  if (!invokesLambda && lambdaFunctionArns.length > 0) {
    throw new BatchRoleConfigError(
      stage,
      'batchLambdaFunctionArns',
      'lists functions but batchOperations does not enable LambdaInvoke: add it, or empty the list',
    );
  }
  for (const param of ['reportBucket', 'requestPrefix']) {
    if (typeof settings[param] !== 'string' || settings[param] === '') {
      throw new BatchRoleConfigError(stage, param, 'must be a non-empty string');
    }
  }
  return { ...settings, operations, allowedBuckets, kmsKeyArns, lambdaFunctionArns };
}

/** Statements every job needs whatever its operation: read its manifest, locate buckets, write its report. */
function commonStatements({ allowedBuckets, reportBucket, requestPrefix }) {
  return [
    {
      Sid: 'ReadManifestsAndObjects',
      Effect: 'Allow',
      // Version reads because manifests may name object versions. Manifests include S3 Inventory reports:
      // their manifest.json and gzipped data files, in an inventory destination bucket that is allowed.
      Action: ['s3:GetObject', 's3:GetObjectVersion'],
      Resource: objectArns(allowedBuckets),
    },
    {
      Sid: 'ReadRequestBucketManifests',
      Effect: 'Allow',
      // A CSV manifest dropped into the request bucket runs with its folder's template
      // (src/core/triggers/start-from-object.ts): the job reads it from there, and only CSVs.
      Action: ['s3:GetObject', 's3:GetObjectVersion'],
      Resource: sub(`\${RequestBucket.Arn}/${requestPrefix}*.csv`),
    },
    {
      Sid: 'ReadRedriveManifests',
      Effect: 'Allow',
      // A redrive job's manifest lists the failed tasks and lives next to the report.
      Action: ['s3:GetObject', 's3:GetObjectVersion'],
      Resource: sub(`arn:\${AWS::Partition}:s3:::${reportBucket}/*s3bo-redrive/*`),
    },
    {
      Sid: 'ReadTriggerManifests',
      Effect: 'Allow',
      // A coalescing trigger's job reads the manifest its flush wrote into the state bucket
      // (src/core/triggers/trigger-manifest.ts manifestKeyFor): only there, not the pending stores beside it.
      Action: ['s3:GetObject', 's3:GetObjectVersion'],
      Resource: sub(`\${StateBucket.Arn}/triggers/*/manifests/*`),
    },
    {
      Sid: 'InspectAllowedBuckets',
      Effect: 'Allow',
      // ListBucket: a task on a missing key then fails with NoSuchKey (404) rather than AccessDenied.
      Action: ['s3:ListBucket', 's3:GetBucketLocation'],
      Resource: bucketArns(allowedBuckets),
    },
    {
      Sid: 'LocateManifestAndReportBuckets',
      Effect: 'Allow',
      Action: ['s3:GetBucketLocation'],
      Resource: [
        sub(`\${RequestBucket.Arn}`),
        sub(`\${StateBucket.Arn}`),
        sub(`arn:\${AWS::Partition}:s3:::${reportBucket}`),
      ],
    },
    {
      Sid: 'WriteReports',
      Effect: 'Allow',
      Action: ['s3:PutObject'],
      Resource: sub(`arn:\${AWS::Partition}:s3:::${reportBucket}/*`),
    },
  ];
}

/**
 * A job whose object list S3 generates (ManifestGenerator) lists an allowed bucket, and may write the
 * generated list beside the reports (batch-operations.cjs, manifestGeneratorPermissions).
 */
function manifestGeneratorStatements({ allowedBuckets, reportBucket }) {
  const { sourceBuckets, outputObjects } = manifestGeneratorPermissions;
  return [
    {
      Sid: 'ListGeneratorSourceBuckets',
      Effect: 'Allow',
      Action: [...sourceBuckets],
      Resource: bucketArns(allowedBuckets),
    },
    {
      Sid: 'WriteGeneratedManifests',
      Effect: 'Allow',
      Action: [...outputObjects],
      Resource: sub(`arn:\${AWS::Partition}:s3:::${reportBucket}/*`),
    },
  ];
}

/** The grants of each enabled operation, one statement per operation and resource kind. */
function operationStatements({ operations, allowedBuckets, lambdaFunctionArns }) {
  return operations.flatMap((operation) => {
    const { objects = [], buckets = [], functions = [] } = batchOperationPermissions[operation];
    return [
      [objects, 'OnObjects', objectArns(allowedBuckets)],
      [buckets, 'OnBuckets', bucketArns(allowedBuckets)],
      [functions, 'OnFunctions', lambdaFunctionArns],
    ]
      .filter(([actions]) => actions.length > 0)
      .map(([actions, suffix, resource]) => ({
        Sid: `${operation}${suffix}`,
        Effect: 'Allow',
        Action: [...actions],
        Resource: resource,
      }));
  });
}

/**
 * SSE-KMS objects, manifests and reports: S3 decrypts and generates data keys with the role's
 * permissions ("Granting permissions for Batch Operations": kms:Decrypt and kms:GenerateDataKey), only
 * on the keys the stage lists and only through S3 in the stack's region.
 */
function kmsStatements({ kmsKeyArns }) {
  if (kmsKeyArns.length === 0) return [];
  return [
    {
      Sid: 'UseListedKmsKeysThroughS3',
      Effect: 'Allow',
      Action: ['kms:Decrypt', 'kms:GenerateDataKey'],
      Resource: [...kmsKeyArns],
      Condition: { StringEquals: { 'kms:ViaService': sub(`s3.\${AWS::Region}.amazonaws.com`) } },
    },
  ];
}

/** All statements of the batch role for these settings (validated first). */
function buildBatchRoleStatements(settings) {
  const valid = validateSettings(settings);
  return [
    ...commonStatements(valid),
    ...manifestGeneratorStatements(valid),
    ...operationStatements(valid),
    ...kmsStatements(valid),
  ];
}

/** The stage's settings as osls resolves them (`resolveVariable` is osls' file-source helper). */
async function resolveSettings(resolveVariable) {
  const param = (name) => resolveVariable(`param:${name}`);
  return {
    stage: await resolveVariable('sls:stage'),
    operations: await param('batchOperations'),
    allowedBuckets: await param('allowedBuckets'),
    reportBucket: await param('reportBucket'),
    requestPrefix: await param('requestPrefix'),
    kmsKeyArns: await param('kmsKeyArns'),
    lambdaFunctionArns: await param('batchLambdaFunctionArns'),
  };
}

async function allowedBucketsOf(resolveVariable) {
  const stage = await resolveVariable('sls:stage');
  return stringList(stage, 'allowedBuckets', await resolveVariable('param:allowedBuckets'), {
    nonEmpty: true,
  });
}

module.exports = {
  BatchRoleConfigError,
  buildBatchRoleStatements,
  // osls entry points: `${file(./iam/batch-role.cjs):<name>}` calls these with its resolver helpers.
  statements: async ({ resolveVariable }) => buildBatchRoleStatements(await resolveSettings(resolveVariable)),
  allowedObjectArns: async ({ resolveVariable }) => objectArns(await allowedBucketsOf(resolveVariable)),
  allowedBucketArns: async ({ resolveVariable }) => bucketArns(await allowedBucketsOf(resolveVariable)),
};
