/**
 * The IAM table (iam/functions.ts) and its generated resources (iam/roles.generated.yml), without packaging:
 * the file is fresh, serverless.yml includes it and points every function at its generated role. What the
 * packaged template grants is checked by package.test.ts.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { manifestGeneratorPermissions } from '../../iam/batch-operations.cjs';
import { buildBatchRoleStatements } from '../../iam/batch-role.cjs';
import { batchJobTaskFunctions, campaignTaskFunctions, functionPermissions } from '../../iam/functions.js';
import type { PolicyStatement } from '../../iam/policy.js';
import { resources, stageVariable } from '../../iam/references.js';
import { functionRoleLogicalId, functionStatements } from '../../iam/roles.js';
import {
  lambdaLogicalId,
  loadResourceParts,
  loadServerlessConfig,
  stateMachineBindings,
} from '../../local/serverless-config.js';
import { generatedIamFile, generateIamFile } from '../../scripts/gen-iam.js';
import { functionKeys, lambdaFunctionName } from '../../src/core/names.js';
import { placeholdersIn, readDefinition } from './helpers/asl.js';
import { type CfnResource, type IamStatement, resourcesOf } from './helpers/iam.js';
import { projectRoot } from './helpers/paths.js';

const readCommitted = (): string => readFileSync(join(projectRoot, generatedIamFile), 'utf8');

/** The first line where two texts differ, for a readable staleness failure. */
const firstDifference = (actual: string, expected: string): string => {
  const actualLines = actual.split('\n');
  const line = expected.split('\n').findIndex((text, index) => text !== actualLines[index]);
  return line < 0 ? 'trailing lines differ' : `line ${line + 1}: ${JSON.stringify(actualLines[line])}`;
};

const generatedPart = () => {
  const part = loadResourceParts().find(({ source }) => source === generatedIamFile);
  if (!part) throw new Error(`serverless.yml does not include \${file(./${generatedIamFile})}`);
  return part.value as { Resources: Record<string, CfnResource> };
};

const roleStatements = (role: CfnResource): IamStatement[] =>
  (role.Properties!.Policies as { PolicyDocument: { Statement: IamStatement[] } }[]).flatMap(
    (policy) => policy.PolicyDocument.Statement,
  );

describe(generatedIamFile, () => {
  it('matches the table (run `npm run gen:iam` after editing iam/)', () => {
    // Act
    const expected = generateIamFile();
    const actual = readCommitted();

    // Assess
    expect(actual === expected, `stale ${generatedIamFile} (${firstDifference(actual, expected)})`).toBe(
      true,
    );
  });

  it('is the same when generated twice', () => {
    expect(generateIamFile()).toBe(generateIamFile());
  });

  it('is included by serverless.yml, and defines no resource serverless.yml also writes', () => {
    // Act
    const parts = loadResourceParts();
    const generated = Object.keys(generatedPart().Resources);
    const elsewhere = parts
      .filter(({ source }) => source !== generatedIamFile)
      .flatMap(({ value }) => Object.keys((value.Resources as Record<string, unknown> | undefined) ?? {}));

    // Assess
    expect(parts.filter(({ source }) => source === generatedIamFile)).toHaveLength(1);
    expect(generated.length).toBeGreaterThan(functionKeys.length);
    expect(generated.filter((id) => elsewhere.includes(id))).toEqual([]);
  });

  it('holds every IAM role of the stack: serverless.yml writes none by hand', () => {
    // Act
    const { Resources: merged = {} } = loadServerlessConfig().resources ?? {};
    const roles = Object.keys(merged).filter((id) => merged[id]!.Type === 'AWS::IAM::Role');

    // Assess
    expect(roles.sort()).toEqual(Object.keys(generatedPart().Resources).sort());
  });
});

describe('the IAM table', () => {
  it('has an entry for every function and no other', () => {
    expect(Object.keys(functionPermissions).sort()).toEqual([...functionKeys].sort());
  });

  it('runs each serverless.yml function under its own generated role', () => {
    // Prepare
    const { functions } = loadServerlessConfig();
    const generated = generatedPart().Resources;

    // Assess
    expect(Object.keys(functions).sort()).toEqual([...functionKeys].sort());
    for (const key of functionKeys) {
      const role = functions[key]!.role;
      expect(role, key).toBe(functionRoleLogicalId(key));
      expect(generated[role as string]?.Type, key).toBe('AWS::IAM::Role');
    }
  });

  it("runs the batch-job state machine under the generated role that invokes exactly its tasks' functions", () => {
    // Prepare
    const config = loadServerlessConfig();
    const [binding] = stateMachineBindings(config).filter(({ key }) => key === 'batchJob');
    const placeholders = placeholdersIn(readDefinition(binding!.definitionFile).text);
    const used = functionKeys.filter((key) =>
      placeholders.includes(`${functionRoleLogicalId(key).replace(/Role$/, '')}FunctionArn`),
    );

    // Act
    const roleArn = config.stepFunctions.stateMachines.batchJob!.role as { 'Fn::GetAtt': [string, string] };
    const role = generatedPart().Resources[roleArn['Fn::GetAtt'][0]]!;
    const invoke = roleStatements(role).filter((s) => s.Action?.includes('lambda:InvokeFunction'));

    // Assess
    expect(used.length).toBeGreaterThan(0);
    expect([...batchJobTaskFunctions].sort()).toEqual([...used].sort());
    expect(invoke.flatMap(resourcesOf)).toEqual(
      batchJobTaskFunctions.map((key) => ({ 'Fn::GetAtt': [lambdaLogicalId(key), 'Arn'] })),
    );
  });

  it.each(functionKeys)('lets %s write logs to its own log group only', (key) => {
    // Act
    const logs = functionStatements(key).filter((s) => s.Action.some((action) => action.startsWith('logs:')));

    // Assess
    expect(logs).toEqual([
      {
        Sid: 'WriteOwnLogs',
        Effect: 'Allow',
        Action: ['logs:CreateLogStream', 'logs:PutLogEvents'],
        Resource: {
          'Fn::Sub': `arn:\${AWS::Partition}:logs:\${AWS::Region}:\${AWS::AccountId}:log-group:/aws/lambda/${lambdaFunctionName(stageVariable, key)}:*`,
        },
      },
    ]);
  });

  it.each(functionKeys)('gives each statement of %s a unique Sid', (key) => {
    const sids = functionStatements(key).map((statement) => statement.Sid);
    expect(new Set(sids).size).toBe(sids.length);
  });
});

describe('grants for the sources of objects', () => {
  const settings = {
    stage: 'dev',
    operations: ['S3PutObjectTagging'],
    allowedBuckets: ['data-a', 'data-b'],
    reportBucket: 'reports',
    requestPrefix: 'requests/',
    kmsKeyArns: [],
    lambdaFunctionArns: [],
  };
  const s3Arn = (path: string) => ({ 'Fn::Sub': `arn:\${AWS::Partition}:s3:::${path}` });
  const statementsOf = (sid: string) =>
    (buildBatchRoleStatements(settings) as PolicyStatement[]).filter((statement) => statement.Sid === sid);

  it("lets the batch role list the allowed buckets' objects and versions, for generated manifests", () => {
    expect(statementsOf('ListGeneratorSourceBuckets')).toEqual([
      {
        Sid: 'ListGeneratorSourceBuckets',
        Effect: 'Allow',
        Action: [...manifestGeneratorPermissions.sourceBuckets],
        Resource: [s3Arn('data-a'), s3Arn('data-b')],
      },
    ]);
    expect(manifestGeneratorPermissions.sourceBuckets).toEqual(['s3:ListBucket', 's3:ListBucketVersions']);
  });

  it('lets the batch role write a generated manifest to the report bucket only', () => {
    expect(statementsOf('WriteGeneratedManifests')).toEqual([
      {
        Sid: 'WriteGeneratedManifests',
        Effect: 'Allow',
        Action: ['s3:PutObject'],
        Resource: s3Arn('reports/*'),
      },
    ]);
  });

  it('lets the batch role read inventory reports in the allowed buckets (manifest.json and data files)', () => {
    const reads = statementsOf('ReadManifestsAndObjects')[0]!;
    expect(reads.Action).toEqual(['s3:GetObject', 's3:GetObjectVersion']);
    expect(reads.Resource).toEqual([s3Arn('data-a/*'), s3Arn('data-b/*')]);
  });

  it('grants the batch role no wildcard action', () => {
    const actions = (buildBatchRoleStatements(settings) as PolicyStatement[]).flatMap(
      (statement) => statement.Action,
    );
    expect(actions.filter((action) => action.includes('*'))).toEqual([]);
  });

  it('lets submit-job list and read the allowed buckets (newest inventory report, dry count) and read request-bucket CSVs', () => {
    // Act
    const statements = functionPermissions['submit-job'];
    const grantsOf = (action: string) =>
      statements
        .filter((statement) => statement.Action.includes(action))
        .map((statement) => statement.Resource);

    // Assess
    expect(grantsOf('s3:ListBucket')).toEqual([resources.allowedBuckets]);
    expect(grantsOf('s3:GetObject')).toEqual([resources.allowedObjects, resources.requestCsvManifests]);
    expect(
      statements.flatMap((statement) => statement.Action).filter((action) => action.includes('*')),
    ).toEqual([]);
  });
});

describe('campaign grants', () => {
  const generated = () => generatedPart().Resources;
  const sub = (template: string) => ({ 'Fn::Sub': template });
  const inStack = (service: string, resource: string) =>
    sub(`arn:\${AWS::Partition}:${service}:\${AWS::Region}:\${AWS::AccountId}:${resource}`);
  const machine = (key: string) =>
    inStack('states', `stateMachine:s3-batch-orchestrator-\${sls:stage}-${key}`);
  const executions = (key: string) =>
    inStack('states', `execution:s3-batch-orchestrator-\${sls:stage}-${key}:*`);
  const grants = (role: CfnResource) =>
    roleStatements(role)
      .filter((statement) => !statement.Sid?.startsWith('Deliver') && statement.Sid !== 'WriteTraces')
      .map((statement) => ({ actions: statement.Action, resources: resourcesOf(statement) }));

  it("runs the campaign state machine under a role that invokes exactly its tasks' functions", () => {
    // Prepare
    const config = loadServerlessConfig();
    const [binding] = stateMachineBindings(config).filter(({ key }) => key === 'campaign');
    const placeholders = placeholdersIn(readDefinition(binding!.definitionFile).text);
    const used = functionKeys.filter((key) =>
      placeholders.includes(`${functionRoleLogicalId(key).replace(/Role$/, '')}FunctionArn`),
    );

    // Act
    const roleArn = config.stepFunctions.stateMachines.campaign!.role as { 'Fn::GetAtt': [string, string] };
    const role = generated()[roleArn['Fn::GetAtt'][0]]!;
    const invoke = roleStatements(role).filter((s) => s.Action?.includes('lambda:InvokeFunction'));

    // Assess
    expect([...campaignTaskFunctions].sort()).toEqual([...used].sort());
    expect(invoke.flatMap(resourcesOf)).toEqual(
      campaignTaskFunctions.map((key) => ({ 'Fn::GetAtt': [lambdaLogicalId(key), 'Arn'] })),
    );
  });

  it('lets the campaign machine start, follow and stop only batch-job and restore-then executions, as .sync needs', () => {
    // Act
    const role = generated().CampaignStateMachineRole!;

    // Assess
    expect(grants(role)).toEqual([
      { actions: ['lambda:InvokeFunction'], resources: expect.any(Array) },
      { actions: ['states:StartExecution'], resources: [machine('batch-job'), machine('restore-then')] },
      {
        actions: ['states:DescribeExecution', 'states:StopExecution'],
        resources: [executions('batch-job'), executions('restore-then')],
      },
      {
        actions: ['events:PutTargets', 'events:PutRule', 'events:DescribeRule'],
        resources: [inStack('events', 'rule/StepFunctionsGetEventsForStepFunctionsExecutionRule')],
      },
    ]);
  });

  it("lets EventBridge Scheduler, for this stage's schedule group only, start the campaign machine and dead-letter", () => {
    // Act
    const role = generated().CampaignSchedulerRole!;
    const trust = (role.Properties!.AssumeRolePolicyDocument as { Statement: IamStatement[] }).Statement;

    // Assess
    expect(trust).toEqual([
      {
        Effect: 'Allow',
        Principal: { Service: 'scheduler.amazonaws.com' },
        Action: 'sts:AssumeRole',
        Condition: {
          StringEquals: { 'aws:SourceAccount': { Ref: 'AWS::AccountId' } },
          ArnEquals: {
            'aws:SourceArn': inStack('scheduler', `schedule-group/s3-batch-orchestrator-\${sls:stage}`),
          },
        },
      },
    ]);
    expect(grants(role)).toEqual([
      { actions: ['states:StartExecution'], resources: [machine('campaign')] },
      { actions: ['sqs:SendMessage'], resources: [{ 'Fn::GetAtt': ['TriggerDeadLetterQueue', 'Arn'] }] },
    ]);
  });

  it('lets claim-campaign-run write and read claims only, resolve-campaign only read sources, the others nothing', () => {
    // Act / Assess
    expect(functionPermissions['claim-campaign-run']).toEqual([
      {
        Sid: 'ClaimCampaignRuns',
        Effect: 'Allow',
        Action: ['s3:PutObject', 's3:GetObject'],
        Resource: sub(`\${StateBucket.Arn}/campaign-runs/*`),
      },
    ]);
    expect(functionPermissions['resolve-campaign'].flatMap((s) => s.Action).sort()).toEqual([
      's3:GetObject',
      's3:GetObjectVersion',
      's3:ListBucket',
    ]);
    expect(functionPermissions['summarize-campaign-target']).toEqual([]);
    expect(functionPermissions['aggregate-campaign']).toEqual([]);
  });
});

describe('coalescing trigger grants', () => {
  const sub = (template: string) => ({ 'Fn::Sub': template });
  const actionsOf = (key: 'collect-objects' | 'flush-triggers') =>
    functionPermissions[key].flatMap((statement) => statement.Action).sort();

  it('lets collect-objects poll only the trigger queues, as its event source mapping does with its role', () => {
    const sqs = functionPermissions['collect-objects'].filter((statement) =>
      statement.Action.some((action) => action.startsWith('sqs:')),
    );

    expect(sqs).toEqual([
      {
        Sid: 'ReadTriggerQueues',
        Effect: 'Allow',
        Action: ['sqs:ReceiveMessage', 'sqs:DeleteMessage', 'sqs:GetQueueAttributes'],
        Resource: sub(
          `arn:\${AWS::Partition}:sqs:\${AWS::Region}:\${AWS::AccountId}:s3-batch-orchestrator-${stageVariable}-trigger-*`,
        ),
      },
    ]);
  });

  it('lets both trigger functions keep state under triggers/ only, start batch-job, and announce flushes', () => {
    for (const key of ['collect-objects', 'flush-triggers'] as const) {
      const s3Writes = functionPermissions[key].filter((statement) =>
        statement.Action.includes('s3:PutObject'),
      );
      expect(s3Writes.flatMap((statement) => [statement.Resource].flat())).toEqual([
        sub(`\${StateBucket.Arn}/triggers/*`),
      ]);
      expect(actionsOf(key)).toEqual(
        expect.arrayContaining(['states:StartExecution', 'states:DescribeExecution', 'events:PutEvents']),
      );
      expect(actionsOf(key).every((action) => !action.includes('*'))).toBe(true);
    }
    expect(actionsOf('flush-triggers').some((action) => action.startsWith('sqs:'))).toBe(false);
  });
});
