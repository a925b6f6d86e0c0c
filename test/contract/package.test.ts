import { readFileSync } from 'node:fs';
import { mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { batchOperationPermissions } from '../../iam/batch-operations.cjs';
import { BatchRoleConfigError, buildBatchRoleStatements } from '../../iam/batch-role.cjs';
import { buildRoles, functionRoleLogicalId, functionStatements } from '../../iam/roles.js';
import { bundleEventSchema, maxContentLength, toDraft4 } from '../../packaging/event-schemas.cjs';
import {
  campaignScheduleGroupName,
  detailTypes,
  eventBusName,
  functionKeys,
  lambdaFunctionName,
  stageJobTagKey,
  stateMachineName,
} from '../../src/core/names.js';
import { placeholdersIn, readDefinition } from './helpers/asl.js';
import {
  actionsOf,
  type CfnResource,
  type CfnTemplate,
  type IamStatement,
  iamStatements,
  policyStatementsOf,
  resourcesOf,
  trustStatementsOf,
} from './helpers/iam.js';
import { projectRoot } from './helpers/paths.js';
import { type PackagedService, packageService } from './helpers/sls-package.js';
import { stageParams } from './helpers/stage-params.js';

/**
 * The names in a zip archive, from its central directory (APPNOTE.TXT 4.3.12 and 4.3.16): no dependency,
 * and no entry is inflated.
 */
function zipEntryNames(zip: Buffer): string[] {
  const endOfDirectory = zip.lastIndexOf(Buffer.from([0x50, 0x4b, 0x05, 0x06]));
  if (endOfDirectory < 0) throw new Error('not a zip archive: no end of central directory record');
  const count = zip.readUInt16LE(endOfDirectory + 10);
  let offset = zip.readUInt32LE(endOfDirectory + 16);
  const names: string[] = [];
  for (let i = 0; i < count; i++) {
    if (zip.readUInt32LE(offset) !== 0x02014b50) throw new Error(`no central directory header at ${offset}`);
    const nameLength = zip.readUInt16LE(offset + 28);
    const extraLength = zip.readUInt16LE(offset + 30);
    const commentLength = zip.readUInt16LE(offset + 32);
    names.push(zip.toString('utf8', offset + 46, offset + 46 + nameLength));
    offset += 46 + nameLength + extraLength + commentLength;
  }
  return names;
}

const stages = ['dev', 'prod'] as const;
type Stage = (typeof stages)[number];

/**
 * Actions that support no resource-level permissions, so `Resource: "*"` is the only way to grant them
 * (Service Authorization Reference). Anything else granted on "*" is a least-privilege regression.
 */
const actionsWithoutResourceTypes = new Set([
  's3:CreateJob',
  'xray:PutTraceSegments',
  'xray:PutTelemetryRecords',
  'xray:GetSamplingRules',
  'xray:GetSamplingTargets',
  'logs:CreateLogDelivery',
  'logs:GetLogDelivery',
  'logs:UpdateLogDelivery',
  'logs:DeleteLogDelivery',
  'logs:ListLogDeliveries',
  'logs:PutResourcePolicy',
  'logs:DescribeResourcePolicies',
  'logs:DescribeLogGroups',
]);

const batchJob = readDefinition('statemachines/batch-job.asl.json');
const campaignMachine = readDefinition('statemachines/campaign.asl.json');

const resourcesOfType = (template: CfnTemplate, type: string): [string, CfnResource][] =>
  Object.entries(template.Resources).filter(([, resource]) => resource.Type === type);

const stateMachineResource = (
  template: CfnTemplate,
  stage: string,
  key: 'batch-job' | 'campaign',
): [string, CfnResource] => {
  const found = resourcesOfType(template, 'AWS::StepFunctions::StateMachine').find(
    ([, resource]) => resource.Properties?.StateMachineName === stateMachineName(stage, key),
  );
  if (!found) throw new Error(`no AWS::StepFunctions::StateMachine named ${stateMachineName(stage, key)}`);
  return found;
};

const functionResource = (template: CfnTemplate, stage: string, key: string): [string, CfnResource] => {
  const found = resourcesOfType(template, 'AWS::Lambda::Function').find(
    ([, resource]) => resource.Properties?.FunctionName === lambdaFunctionName(stage, key as never),
  );
  if (!found) throw new Error(`no AWS::Lambda::Function named ${lambdaFunctionName(stage, key as never)}`);
  return found;
};

/** `{ 'Fn::GetAtt': [X, 'Arn'] }` -> X */
const getAttArnTarget = (value: unknown): string | undefined => {
  const getAtt = (value as { 'Fn::GetAtt'?: [string, string] } | undefined)?.['Fn::GetAtt'];
  return getAtt?.[1] === 'Arn' ? getAtt[0] : undefined;
};

const getAttArn = (id: string) => ({ 'Fn::GetAtt': [id, 'Arn'] });
const sub = (text: string) => ({ 'Fn::Sub': text });
const stageJobArns = sub(`arn:\${AWS::Partition}:s3:\${AWS::Region}:\${AWS::AccountId}:job/*`);

/** Actions on S3 Batch Operations jobs (the `job` resource type), CreateJob aside. */
const jobControlActions = [
  's3:DescribeJob',
  's3:UpdateJobStatus',
  's3:UpdateJobPriority',
  's3:GetJobTagging',
  's3:PutJobTagging',
  's3:DeleteJobTagging',
];

/** Resources these statements allow `action` on. */
const grantedOn = (statements: IamStatement[], action: string): unknown[] =>
  statements
    .filter((statement) => statement.Effect === 'Allow' && actionsOf(statement).includes(action))
    .flatMap(resourcesOf);

/** The functions the trigger rules invoke; their rules and invocations dead-letter. */
const triggerFunctionKeys = ['start-from-object', 'wake-job', 'record-restore'] as const;

/** Strips the `QueryLanguage: "JSONPath"` that serverless-step-functions' asl-validator run writes into states. */
const withoutDefaultQueryLanguage = (definition: unknown): unknown =>
  JSON.parse(JSON.stringify(definition), (key, value) =>
    key === 'QueryLanguage' && value === 'JSONPath' ? undefined : value,
  );

let outDir: string;
const packaged = {} as Record<Stage, PackagedService>;

beforeAll(async () => {
  outDir = await mkdtemp(join(tmpdir(), 's3bo-package-'));
  const results = await Promise.all(stages.map((stage) => packageService(stage, outDir)));
  for (const result of results) packaged[result.stage as Stage] = result;
}, 180_000);

afterAll(async () => {
  if (outDir) await rm(outDir, { recursive: true, force: true });
});

describe.each(stages)('sls package --stage %s', (stage) => {
  const template = (): CfnTemplate => packaged[stage].template;

  it("creates the stage's own event bus and points emit-events at it", () => {
    // Act
    const buses = resourcesOfType(template(), 'AWS::Events::EventBus');
    const [, emitEvents] = functionResource(template(), stage, 'emit-events');
    const env = emitEvents.Properties?.Environment as { Variables: Record<string, unknown> };

    // Assess
    expect(buses).toHaveLength(1);
    const [busId, bus] = buses[0]!;
    expect(bus.Properties?.Name).toBe(eventBusName(stage));
    expect(env.Variables.S3BO_EVENT_BUS_NAME).toEqual({ Ref: busId });
  });

  /** Functions the state machine invokes: those whose <Name>FunctionArn placeholder the ASL uses. */
  const stateMachineFunctionKeys = functionKeys.filter((key) =>
    placeholdersIn(batchJob.text).includes(
      `${key.replace(/(^|-)([a-z])/g, (_, __, c: string) => c.toUpperCase())}FunctionArn`,
    ),
  );

  it('deploys the batch-job definition as written, every placeholder bound to the function it names', () => {
    // Act
    const [, machine] = stateMachineResource(template(), stage, 'batch-job');
    const properties = machine.Properties!;
    const deployed = JSON.parse(properties.DefinitionString as string);
    const substitutions = properties.DefinitionSubstitutions as Record<string, unknown>;

    // Assess
    expect(properties.StateMachineName).toBe(stateMachineName(stage, 'batch-job'));
    expect(withoutDefaultQueryLanguage(deployed)).toEqual(batchJob.definition);
    expect(Object.keys(substitutions).sort()).toEqual(placeholdersIn(batchJob.text));
    for (const key of stateMachineFunctionKeys) {
      const placeholder = `${key.replace(/(^|-)([a-z])/g, (_, __, c: string) => c.toUpperCase())}FunctionArn`;
      const [functionId] = functionResource(template(), stage, key);
      expect(getAttArnTarget(substitutions[placeholder]), placeholder).toBe(functionId);
    }
  });

  it('runs the batch-job state machine under its own role, allowed to invoke exactly the functions its tasks name', () => {
    // Prepare
    const [, machine] = stateMachineResource(template(), stage, 'batch-job');
    const roleId = getAttArnTarget(machine.Properties?.RoleArn)!;
    const functionIds = stateMachineFunctionKeys
      .map((key) => functionResource(template(), stage, key)[0])
      .sort();

    // Act
    const invoke = iamStatements(template()).filter(
      ({ where, statement }) =>
        where.startsWith(`${roleId} `) && actionsOf(statement).includes('lambda:InvokeFunction'),
    );
    const targets = invoke.flatMap(({ statement }) => resourcesOf(statement).map(getAttArnTarget)).sort();

    // Assess
    expect(template().Resources[roleId]?.Type).toBe('AWS::IAM::Role');
    expect(targets).toEqual(functionIds);
  });

  it('grants no IAM action that is or contains "*", and uses no NotAction', () => {
    // Act
    const statements = iamStatements(template());
    const wildcard = statements.filter(({ statement }) =>
      actionsOf(statement).some((action) => action.includes('*')),
    );
    const notAction = statements.filter(({ statement }) => statement.NotAction !== undefined);

    // Assess
    expect(statements.length).toBeGreaterThan(0);
    expect(wildcard).toEqual([]);
    expect(notAction).toEqual([]);
  });

  it('grants resource "*" only for actions that have no resource-level permissions', () => {
    // Act
    const offenders = iamStatements(template())
      .filter(({ statement }) => statement.Effect === 'Allow' && resourcesOf(statement).includes('*'))
      .flatMap(({ where, statement }) =>
        actionsOf(statement)
          .filter((action) => !actionsWithoutResourceTypes.has(action))
          .map((action) => `${where}: ${action}`),
      );

    // Assess
    expect(offenders).toEqual([]);
  });

  it("creates exactly the roles of iam/roles.generated.yml, with the table's statements, every variable resolved", () => {
    // Act
    const roleIds = resourcesOfType(template(), 'AWS::IAM::Role').map(([id]) => id);
    const roles = JSON.stringify(roleIds.map((id) => template().Resources[id]));

    // Assess
    expect(roleIds.sort()).toEqual(Object.keys(buildRoles()).sort());
    expect(roles).not.toMatch(/\$\{(sls|param|file|self|opt):/);
    for (const key of functionKeys) {
      const sids = policyStatementsOf(template(), functionRoleLogicalId(key)).map(({ Sid }) => Sid);
      expect(sids, key).toEqual(functionStatements(key).map(({ Sid }) => Sid));
    }
  });

  it('attaches no managed policies, whose actions this test could not inspect', () => {
    // Act
    const withManaged = resourcesOfType(template(), 'AWS::IAM::Role').filter(
      ([, role]) => role.Properties?.ManagedPolicyArns !== undefined,
    );

    // Assess
    expect(withManaged.map(([id]) => id)).toEqual([]);
  });

  it('lets only the job-creating functions pass the batch role, only that role, and only to S3', () => {
    // Prepare: submit-job and redrive-job call CreateJob
    const creatorRoleIds = (['submit-job', 'redrive-job'] as const).map(
      (key) => getAttArnTarget(functionResource(template(), stage, key)[1].Properties?.Role)!,
    );

    // Act
    const passRole = iamStatements(template()).filter(({ statement }) =>
      actionsOf(statement).includes('iam:PassRole'),
    );

    // Assess
    expect(passRole.map(({ where }) => where.split(' ')[0]).sort()).toEqual([...creatorRoleIds].sort());
    const [{ statement }] = passRole as [(typeof passRole)[number]];
    for (const { statement: other } of passRole) expect(other).toEqual(statement);
    expect(actionsOf(statement)).toEqual(['iam:PassRole']);
    const batchRoleId = getAttArnTarget(statement.Resource)!;
    expect(statement.Condition).toEqual({ StringEquals: { 'iam:PassedToService': 's3.amazonaws.com' } });
    const trust = iamStatements(template()).filter(
      ({ where: w }) => w === `${batchRoleId} AssumeRolePolicyDocument`,
    );
    expect(trust.map(({ statement: s }) => s.Principal)).toEqual([
      { Service: 'batchoperations.s3.amazonaws.com' },
    ]);
    const [, submitJob] = functionResource(template(), stage, 'submit-job');
    const env = submitJob.Properties?.Environment as { Variables: Record<string, unknown> };
    expect(getAttArnTarget(env.Variables.S3BO_BATCH_ROLE_ARN)).toBe(batchRoleId);
  });

  it('gives each function a role of its own, and creates no framework default role', () => {
    // Act
    const roles = functionKeys.map((key) =>
      getAttArnTarget(functionResource(template(), stage, key)[1].Properties?.Role),
    );

    // Assess
    expect(
      roles.every((role) => role !== undefined && template().Resources[role]?.Type === 'AWS::IAM::Role'),
    ).toBe(true);
    expect(new Set(roles).size).toBe(functionKeys.length);
    expect(template().Resources.IamRoleLambdaExecution).toBeUndefined();
  });

  it('runs every function on nodejs24.x, arm64, with the stage in its environment', () => {
    for (const key of functionKeys) {
      // Act
      const [, fn] = functionResource(template(), stage, key);
      const properties = fn.Properties!;
      const env = (properties.Environment as { Variables: Record<string, unknown> }).Variables;

      // Assess
      expect(properties.Runtime, key).toBe('nodejs24.x');
      expect(properties.Architectures, key).toEqual(['arm64']);
      expect(properties.Handler, key).toBe(`functions/${key}.handler`);
      expect(env.S3BO_STAGE, key).toBe(stage);
      expect(env).toHaveProperty('S3BO_EVENT_SOURCE');
      expect(env).toHaveProperty('S3BO_ACCOUNT_ID');
    }
  });

  it('bundles each handler into an artifact of its own', async () => {
    for (const key of functionKeys) {
      // Act
      const zip = join(packaged[stage].dir, `${key}.zip`);
      const size = (await stat(zip)).size;
      const bytes = await readFile(zip);

      // Assess: zip entry names are stored uncompressed, so the bundle's path is visible in the archive.
      expect(size, key).toBeGreaterThan(0);
      expect(bytes.includes(`functions/${key}.js`), `${key}.zip holds functions/${key}.js`).toBe(true);
    }
  });

  it("puts nothing in a function's artifact but its own bundle, its map and the files it reads", async () => {
    // The trigger functions read the trigger files at run time (serverless.yml: their package patterns).
    const readsTriggers = new Set(['collect-objects', 'flush-triggers']);
    for (const key of functionKeys) {
      // Act
      const entries = zipEntryNames(await readFile(join(packaged[stage].dir, `${key}.zip`)));

      // Assess
      const own = [`functions/${key}.js`, `functions/${key}.js.map`];
      const others = entries.filter((name) => !own.includes(name));
      expect(entries, key).toEqual(expect.arrayContaining(own));
      if (readsTriggers.has(key)) {
        for (const name of others) expect(name, key).toMatch(/^triggers\/[^/]+\.json$/);
      } else expect(others, key).toEqual([]);
    }
  });

  describe('the batch role', () => {
    const params = stageParams(stage);
    const operations = params.batchOperations as string[];
    const allowedBuckets = params.allowedBuckets as string[];
    const objectArns = allowedBuckets.map((bucket) => sub(`arn:\${AWS::Partition}:s3:::${bucket}/*`));
    const bucketArns = allowedBuckets.map((bucket) => sub(`arn:\${AWS::Partition}:s3:::${bucket}`));
    const batchStatements = () => policyStatementsOf(template(), 'BatchOperationsRole');
    const grantsOf = (operation: string) => {
      const { objects = [], buckets = [] } = batchOperationPermissions[
        operation as keyof typeof batchOperationPermissions
      ] as { objects?: string[]; buckets?: string[] };
      return [
        ...objects.map((action) => [action, objectArns] as const),
        ...buckets.map((action) => [action, bucketArns] as const),
      ];
    };

    it("grants each operation the stage enables its actions on the stage's allowed buckets", () => {
      // Act
      const statements = batchStatements();

      // Assess
      expect(operations.length).toBeGreaterThan(0);
      for (const operation of operations) {
        for (const [action, resources] of grantsOf(operation)) {
          expect(grantedOn(statements, action), `${operation}: ${action}`).toEqual(
            expect.arrayContaining(resources),
          );
        }
      }
    });

    it('grants nothing that only an operation the stage does not enable needs', () => {
      // Prepare: what the enabled operations need anyway
      const needed = new Set(
        operations.flatMap((op) =>
          grantsOf(op).flatMap(([action, arns]) => arns.map((arn) => `${action} ${JSON.stringify(arn)}`)),
        ),
      );
      const disabled = Object.keys(batchOperationPermissions).filter((op) => !operations.includes(op));

      // Act
      const statements = batchStatements();

      // Assess
      expect(disabled.length).toBeGreaterThan(0);
      for (const operation of disabled) {
        for (const [action, resources] of grantsOf(operation)) {
          const granted = grantedOn(statements, action).filter(
            (arn) =>
              resources.some((r) => JSON.stringify(r) === JSON.stringify(arn)) &&
              !needed.has(`${action} ${JSON.stringify(arn)}`),
          );
          expect(granted, `${operation} is disabled: ${action}`).toEqual([]);
        }
      }
    });

    it('lets jobs read the CSV manifests dropped into the request bucket, and nothing else there', () => {
      // Act
      const reads = batchStatements().filter((statement) =>
        resourcesOf(statement).some((arn) => JSON.stringify(arn).includes('RequestBucket.Arn}/')),
      );

      // Assess
      expect(template().Resources.RequestBucket?.Type).toBe('AWS::S3::Bucket');
      expect(reads).toHaveLength(1);
      expect(actionsOf(reads[0]!)).toEqual(['s3:GetObject', 's3:GetObjectVersion']);
      expect(resourcesOf(reads[0]!)).toEqual([sub(`\${RequestBucket.Arn}/${params.requestPrefix}*.csv`)]);
    });

    it('uses KMS only on the keys the stage lists', () => {
      // Act
      const kms = iamStatements(template()).filter(({ statement }) =>
        actionsOf(statement).some((action) => action.startsWith('kms:')),
      );

      // Assess: no key listed in this stage, so no KMS grant anywhere
      expect(params.kmsKeyArns).toEqual([]);
      expect(kms).toEqual([]);
    });

    it("can be assumed only by S3 Batch Operations jobs of the stack's account and region", () => {
      // Act
      const trust = trustStatementsOf(template(), 'BatchOperationsRole');

      // Assess
      expect(trust).toEqual([
        {
          Effect: 'Allow',
          Principal: { Service: 'batchoperations.s3.amazonaws.com' },
          Action: 'sts:AssumeRole',
          Condition: {
            StringEquals: { 'aws:SourceAccount': { Ref: 'AWS::AccountId' } },
            ArnLike: { 'aws:SourceArn': stageJobArns },
          },
        },
      ]);
    });
  });

  describe('campaigns', () => {
    const params = stageParams(stage);
    const campaignFile = (name: string) =>
      JSON.parse(readFileSync(join(projectRoot, 'campaigns', `${name}.json`), 'utf8')) as unknown;
    const machineArn = (key: string) =>
      sub(
        `arn:\${AWS::Partition}:states:\${AWS::Region}:\${AWS::AccountId}:stateMachine:${stateMachineName(stage, key as never)}`,
      );

    it('deploys the campaign definition as written, its tasks bound to their functions and its children by name', () => {
      // Act
      const [, machine] = stateMachineResource(template(), stage, 'campaign');
      const properties = machine.Properties!;
      const substitutions = properties.DefinitionSubstitutions as Record<string, unknown>;

      // Assess
      expect(withoutDefaultQueryLanguage(JSON.parse(properties.DefinitionString as string))).toEqual(
        campaignMachine.definition,
      );
      expect(Object.keys(substitutions).sort()).toEqual(placeholdersIn(campaignMachine.text));
      for (const name of placeholdersIn(campaignMachine.text).filter((p) => p.endsWith('FunctionArn'))) {
        const key = name
          .slice(0, -'FunctionArn'.length)
          .replace(/(?<!^)([A-Z])/g, '-$1')
          .toLowerCase();
        expect(getAttArnTarget(substitutions[name]), name).toBe(functionResource(template(), stage, key)[0]);
      }
      expect(substitutions.BatchJobStateMachineArn).toEqual(machineArn('batch-job'));
      expect(substitutions.RestoreThenStateMachineArn).toEqual(machineArn('restore-then'));
      expect(getAttArnTarget(properties.RoleArn)).toBe('CampaignStateMachineRole');
    });

    it('schedules exactly the campaigns the stage enables, each starting the campaign machine with its file', () => {
      // Act
      const schedules = resourcesOfType(template(), 'AWS::Scheduler::Schedule');
      const [groupId, group] = resourcesOfType(template(), 'AWS::Scheduler::ScheduleGroup')[0]!;
      const [campaignMachineId] = stateMachineResource(template(), stage, 'campaign');

      // Assess
      expect(params.campaigns).toEqual(stage === 'dev' ? ['weekly-tagging'] : ['archive-restore']);
      expect(schedules.map(([, schedule]) => schedule.Properties?.Name).sort()).toEqual(
        [...(params.campaigns as string[])].sort(),
      );
      expect(group.Properties?.Name).toBe(campaignScheduleGroupName(stage));
      for (const [id, schedule] of schedules) {
        const properties = schedule.Properties!;
        const target = properties.Target as Record<string, unknown>;
        expect(properties, id).toMatchObject({
          GroupName: { Ref: groupId },
          State: 'ENABLED',
          ScheduleExpression: expect.stringMatching(/^cron\(/),
          ScheduleExpressionTimezone: expect.any(String),
        });
        expect(target, id).toMatchObject({
          Arn: { Ref: campaignMachineId },
          RoleArn: getAttArn('CampaignSchedulerRole'),
          RetryPolicy: {
            MaximumEventAgeInSeconds: expect.any(Number),
            MaximumRetryAttempts: expect.any(Number),
          },
          DeadLetterConfig: { Arn: getAttArn('TriggerDeadLetterQueue') },
        });
        expect(JSON.parse(target.Input as string), id).toEqual({
          campaign: campaignFile(properties.Name as string),
          scheduledTime: '<aws.scheduler.scheduled-time>',
          trigger: 'schedule',
        });
      }
    });

    it("lets the scheduler role only start the campaign machine and dead-letter, trusted by the stage's group", () => {
      // Act
      const statements = policyStatementsOf(template(), 'CampaignSchedulerRole');
      const trust = trustStatementsOf(template(), 'CampaignSchedulerRole');

      // Assess
      expect(statements.map((s) => [actionsOf(s), resourcesOf(s)])).toEqual([
        [['states:StartExecution'], [machineArn('campaign')]],
        [['sqs:SendMessage'], [getAttArn('TriggerDeadLetterQueue')]],
      ]);
      expect(trust).toEqual([
        {
          Effect: 'Allow',
          Principal: { Service: 'scheduler.amazonaws.com' },
          Action: 'sts:AssumeRole',
          Condition: {
            StringEquals: { 'aws:SourceAccount': { Ref: 'AWS::AccountId' } },
            ArnEquals: {
              'aws:SourceArn': sub(
                `arn:\${AWS::Partition}:scheduler:\${AWS::Region}:\${AWS::AccountId}:schedule-group/${campaignScheduleGroupName(stage)}`,
              ),
            },
          },
        },
      ]);
    });

    it('lets the campaign machine start and follow only the batch-job and restore-then machines of the stage', () => {
      // Act
      const statements = policyStatementsOf(template(), 'CampaignStateMachineRole');
      const grantsOf = (action: string) => grantedOn(statements, action);

      // Assess
      expect(grantsOf('states:StartExecution')).toEqual([
        machineArn('batch-job'),
        machineArn('restore-then'),
      ]);
      for (const action of ['states:DescribeExecution', 'states:StopExecution']) {
        expect(grantsOf(action), action).toEqual([
          sub(
            `arn:\${AWS::Partition}:states:\${AWS::Region}:\${AWS::AccountId}:execution:${stateMachineName(stage, 'batch-job')}:*`,
          ),
          sub(
            `arn:\${AWS::Partition}:states:\${AWS::Region}:\${AWS::AccountId}:execution:${stateMachineName(stage, 'restore-then')}:*`,
          ),
        ]);
      }
      for (const action of ['events:PutTargets', 'events:PutRule', 'events:DescribeRule']) {
        expect(grantsOf(action), action).toEqual([
          sub(
            `arn:\${AWS::Partition}:events:\${AWS::Region}:\${AWS::AccountId}:rule/StepFunctionsGetEventsForStepFunctionsExecutionRule`,
          ),
        ]);
      }
    });
  });

  describe('restore-then', () => {
    const params = stageParams(stage);
    const restoreThen = readDefinition('statemachines/restore-then.asl.json');
    const machine = (): [string, CfnResource] => {
      const found = resourcesOfType(template(), 'AWS::StepFunctions::StateMachine').find(
        ([, resource]) => resource.Properties?.StateMachineName === stateMachineName(stage, 'restore-then'),
      );
      if (!found) throw new Error(`no state machine ${stateMachineName(stage, 'restore-then')}`);
      return found;
    };
    const roleOf = (key: string) =>
      getAttArnTarget(functionResource(template(), stage, key)[1].Properties?.Role)!;
    const grants = (roleId: string) =>
      policyStatementsOf(template(), roleId)
        .filter(
          (statement) => !actionsOf(statement).some((a) => a.startsWith('logs:') || a.startsWith('xray:')),
        )
        .map((statement) => [actionsOf(statement), resourcesOf(statement), statement.Condition ?? null]);
    const stateObjects = (folder: string) => sub(`\${StateBucket.Arn}/${folder}/*`);
    const batchJobExecutions = sub(
      `arn:\${AWS::Partition}:states:\${AWS::Region}:\${AWS::AccountId}:execution:${stateMachineName(stage, 'batch-job')}:*`,
    );

    it('deploys the restore-then definition as written, its tasks bound to their functions and batch-job by name', () => {
      // Act
      const [, resource] = machine();
      const properties = resource.Properties!;
      const substitutions = properties.DefinitionSubstitutions as Record<string, unknown>;

      // Assess
      expect(withoutDefaultQueryLanguage(JSON.parse(properties.DefinitionString as string))).toEqual(
        restoreThen.definition,
      );
      expect(Object.keys(substitutions).sort()).toEqual(placeholdersIn(restoreThen.text));
      for (const name of placeholdersIn(restoreThen.text).filter((p) => p.endsWith('FunctionArn'))) {
        const key = name
          .slice(0, -'FunctionArn'.length)
          .replace(/(?<!^)([A-Z])/g, '-$1')
          .toLowerCase();
        expect(getAttArnTarget(substitutions[name]), name).toBe(functionResource(template(), stage, key)[0]);
      }
      expect(substitutions.BatchJobStateMachineArn).toEqual(
        sub(
          `arn:\${AWS::Partition}:states:\${AWS::Region}:\${AWS::AccountId}:stateMachine:${stateMachineName(stage, 'batch-job')}`,
        ),
      );
      expect(getAttArnTarget(properties.RoleArn)).toBe('RestoreThenStateMachineRole');
    });

    it('lets the restore-then machine invoke its tasks and start and follow only batch-job executions', () => {
      // Prepare
      const functionIds = placeholdersIn(restoreThen.text)
        .filter((p) => p.endsWith('FunctionArn'))
        .map((name) =>
          name
            .slice(0, -'FunctionArn'.length)
            .replace(/(?<!^)([A-Z])/g, '-$1')
            .toLowerCase(),
        )
        .map((key) => getAttArn(functionResource(template(), stage, key)[0]));

      // Act
      const statements = grants('RestoreThenStateMachineRole');

      // Assess
      expect(statements).toEqual([
        [['lambda:InvokeFunction'], expect.arrayContaining(functionIds), null],
        [
          ['states:StartExecution'],
          [
            sub(
              `arn:\${AWS::Partition}:states:\${AWS::Region}:\${AWS::AccountId}:stateMachine:${stateMachineName(stage, 'batch-job')}`,
            ),
          ],
          null,
        ],
        [['states:DescribeExecution', 'states:StopExecution'], [batchJobExecutions], null],
        [
          ['events:PutTargets', 'events:PutRule', 'events:DescribeRule'],
          [
            sub(
              `arn:\${AWS::Partition}:events:\${AWS::Region}:\${AWS::AccountId}:rule/StepFunctionsGetEventsForStepFunctionsExecutionRule`,
            ),
          ],
          null,
        ],
      ]);
      expect(statements[0]![1]).toHaveLength(functionIds.length);
    });

    it("records S3's Object Restore Completed events of the stage's allowed buckets with record-restore", () => {
      // Act
      const [, rule] = resourcesOfType(template(), 'AWS::Events::Rule').find(([, candidate]) =>
        (candidate.Properties!.Targets as { Arn: unknown }[]).some(
          (target) =>
            getAttArnTarget(target.Arn) === functionResource(template(), stage, 'record-restore')[0],
        ),
      )!;

      // Assess
      expect(rule.Properties?.EventBusName ?? 'default').toBe('default');
      expect(rule.Properties?.EventPattern).toEqual({
        source: ['aws.s3'],
        'detail-type': ['Object Restore Completed'],
        ...(JSON.stringify(rule.Properties?.EventPattern).includes('bucket')
          ? { detail: { bucket: { name: params.allowedBuckets } } }
          : {}),
      });
    });

    it('gives its functions only what they do: markers, progress, reports, HeadObject, the manifest, events', () => {
      // Assess
      const markers = stateObjects('restores');
      const listMarkers = [
        ['s3:ListBucket'],
        [getAttArn('StateBucket')],
        { StringLike: { 's3:prefix': ['restores/*'] } },
      ];
      const reportObjects = sub(`arn:\${AWS::Partition}:s3:::${params.reportBucket}/*`);
      const reportBucket = sub(`arn:\${AWS::Partition}:s3:::${params.reportBucket}`);
      const allowedObjects = (params.allowedBuckets as string[]).map((b) =>
        sub(`arn:\${AWS::Partition}:s3:::${b}/*`),
      );
      const allowedBuckets = (params.allowedBuckets as string[]).map((b) =>
        sub(`arn:\${AWS::Partition}:s3:::${b}`),
      );
      expect(grants(roleOf('record-restore'))).toEqual([
        [['s3:PutObject'], [markers], null],
        [['sqs:SendMessage'], [getAttArn('TriggerDeadLetterQueue')], null],
      ]);
      expect(grants(roleOf('check-restores'))).toEqual([
        [['s3:GetObject'], [reportObjects], null],
        [['s3:ListBucket'], [reportBucket], null],
        listMarkers,
        [['s3:GetObject', 's3:PutObject'], [stateObjects('restore-runs')], null],
        [['s3:PutObject'], [markers], null],
        [['s3:GetObject', 's3:GetObjectVersion'], allowedObjects, null],
        [['s3:ListBucket'], allowedBuckets, null],
      ]);
      expect(grants(roleOf('build-then-manifest'))).toEqual([
        [['s3:GetObject'], [reportObjects], null],
        [['s3:ListBucket'], [reportBucket], null],
        listMarkers,
        [['s3:GetObject'], [stateObjects('restore-runs')], null],
        [['s3:PutObject'], [sub(`arn:\${AWS::Partition}:s3:::${params.reportBucket}/*s3bo-redrive/*`)], null],
      ]);
      expect(grants(roleOf('emit-phase-event'))).toEqual([
        [['events:PutEvents'], [getAttArn('EventBus')], null],
      ]);
      expect(grants(roleOf('prepare-restore-then'))).toEqual([]);
      expect(grants(roleOf('conclude-restore-then'))).toEqual([]);
    });

    it('lets the batch role read the manifest of restored objects where build-then-manifest writes it', () => {
      expect(grantedOn(policyStatementsOf(template(), 'BatchOperationsRole'), 's3:GetObject')).toContainEqual(
        sub(`arn:\${AWS::Partition}:s3:::${params.reportBucket}/*s3bo-redrive/*`),
      );
    });

    it('expires restore markers and progress in the state bucket', () => {
      const rules = (
        template().Resources.StateBucket!.Properties!.LifecycleConfiguration as {
          Rules: { Prefix: string; ExpirationInDays: number; Status: string }[];
        }
      ).Rules;
      for (const prefix of ['restores/', 'restore-runs/']) {
        expect(
          rules.find((rule) => rule.Prefix === prefix),
          prefix,
        ).toMatchObject({
          Status: 'Enabled',
          ExpirationInDays: 30,
        });
      }
    });
  });

  describe('job control', () => {
    const params = stageParams(stage);
    const roleOf = (key: string) =>
      getAttArnTarget(functionResource(template(), stage, key)[1].Properties?.Role)!;

    it('grants job actions only to the functions that call them', () => {
      // Prepare
      const expected: Record<string, string[]> = {
        'submit-job': ['s3:CreateJob'],
        'redrive-job': ['s3:CreateJob'],
        'describe-job': ['s3:DescribeJob', 's3:GetJobTagging', 's3:UpdateJobPriority', 's3:UpdateJobStatus'],
        'confirm-job': ['s3:DescribeJob', 's3:GetJobTagging', 's3:UpdateJobStatus'],
      };

      // Act
      const granted = Object.fromEntries(
        functionKeys.map((key) => [
          key,
          [
            ...new Set(
              policyStatementsOf(template(), roleOf(key))
                .flatMap(actionsOf)
                .filter((action) => action === 's3:CreateJob' || jobControlActions.includes(action)),
            ),
          ].sort(),
        ]),
      );

      // Assess
      for (const key of functionKeys) expect(granted[key], key).toEqual(expected[key] ?? []);
    });

    it('acts only on jobs that carry the stage job tag', () => {
      // Act
      const control = iamStatements(template()).filter(({ statement }) =>
        actionsOf(statement).some((action) => jobControlActions.includes(action)),
      );

      // Assess
      expect(control.length).toBeGreaterThan(0);
      for (const { where, statement } of control) {
        expect(statement.Condition?.StringEquals?.[`aws:ResourceTag/${stageJobTagKey}`], where).toBe(stage);
        expect(resourcesOf(statement), where).toEqual([stageJobArns]);
      }
    });

    it("changes only jobs of the stage's operations, and raises priorities only up to its ceiling", () => {
      // Act
      const control = iamStatements(template()).filter(({ statement }) =>
        actionsOf(statement).some((action) => jobControlActions.includes(action)),
      );

      // Assess: UpdateJobStatus/UpdateJobPriority support s3:ExistingJobOperation, the reads do not, so no
      // statement may mix them (a key an action does not support would deny it).
      for (const { where, statement } of control) {
        const updates = actionsOf(statement).filter((a) => a.startsWith('s3:UpdateJob'));
        expect(updates.length === 0 || updates.length === actionsOf(statement).length, where).toBe(true);
        const operation = statement.Condition?.StringEquals?.['s3:ExistingJobOperation'];
        expect(operation, where).toEqual(updates.length > 0 ? params.batchOperations : undefined);
        const ceiling = statement.Condition?.NumericLessThanEquals?.['s3:RequestJobPriority'];
        expect(ceiling, where).toEqual(
          updates.includes('s3:UpdateJobPriority') ? params.maxJobPriority : undefined,
        );
      }
    });

    it("creates jobs only tagged for the stage, running the stage's operations, within its priority ceiling", () => {
      // Act
      const create = iamStatements(template()).filter(({ statement }) =>
        actionsOf(statement).includes('s3:CreateJob'),
      );

      // Assess
      expect(create.map(({ where }) => where.split(' ')[0]).sort()).toEqual(
        [roleOf('redrive-job'), roleOf('submit-job')].sort(),
      );
      for (const { where, statement } of create) {
        expect(actionsOf(statement), where).toEqual(['s3:CreateJob']);
        expect(statement.Condition, where).toEqual({
          StringEquals: {
            [`aws:RequestTag/${stageJobTagKey}`]: stage,
            's3:RequestJobOperation': params.batchOperations,
          },
          NumericLessThanEquals: { 's3:RequestJobPriority': params.maxJobPriority },
        });
      }
      expect(typeof params.maxJobPriority).toBe('number');
    });
  });

  describe('state bucket and bus', () => {
    const roleOf = (key: string) =>
      getAttArnTarget(functionResource(template(), stage, key)[1].Properties?.Role)!;
    const stateObjects = (prefix: string) => ({ 'Fn::Sub': `\${StateBucket.Arn}/${prefix}/*` });

    it('lets only continue-execution save and read continuation state, and only under continuations/', () => {
      // Act
      const writers = functionKeys.filter((key) =>
        grantedOn(policyStatementsOf(template(), roleOf(key)), 's3:PutObject').some((resource) =>
          JSON.stringify(resource).includes('continuations/'),
        ),
      );
      const statements = policyStatementsOf(template(), roleOf('continue-execution'));

      // Assess
      expect(writers).toEqual(['continue-execution']);
      expect(grantedOn(statements, 's3:PutObject')).toEqual([stateObjects('continuations')]);
      expect(grantedOn(statements, 's3:GetObject')).toEqual([stateObjects('continuations')]);
    });

    it('lets start-from-object put its Rejected events on the stage bus only', () => {
      const statements = policyStatementsOf(template(), roleOf('start-from-object'));
      expect(grantedOn(statements, 'events:PutEvents')).toEqual([{ 'Fn::GetAtt': ['EventBus', 'Arn'] }]);
    });
  });

  describe('triggers', () => {
    const ruleTargeting = (functionId: string): [string, CfnResource, Record<string, unknown>] => {
      const found = resourcesOfType(template(), 'AWS::Events::Rule').flatMap(([id, rule]) =>
        (rule.Properties!.Targets as Record<string, unknown>[])
          .filter((target) => getAttArnTarget(target.Arn) === functionId)
          .map((target) => [id, rule, target] as [string, CfnResource, Record<string, unknown>]),
      );
      expect(found, `rules targeting ${functionId}`).toHaveLength(1);
      return found[0]!;
    };

    it.each(triggerFunctionKeys)(
      "retries %s's rule target and dead-letters what EventBridge cannot deliver into an encrypted queue",
      (key) => {
        // Act
        const [, , target] = ruleTargeting(functionResource(template(), stage, key)[0]);
        const queueId = getAttArnTarget((target.DeadLetterConfig as { Arn: unknown }).Arn)!;

        // Assess
        expect(target.RetryPolicy).toEqual({
          MaximumRetryAttempts: expect.any(Number),
          MaximumEventAgeInSeconds: expect.any(Number),
        });
        expect(template().Resources[queueId]?.Type).toBe('AWS::SQS::Queue');
        expect(template().Resources[queueId]?.Properties?.SqsManagedSseEnabled).toBe(true);
      },
    );

    it.each(triggerFunctionKeys)(
      'bounds the asynchronous retries of %s and sends failed invocations to the same queue, which its role alone may write',
      (key) => {
        // Prepare
        const [functionId, fn] = functionResource(template(), stage, key);
        const [, , target] = ruleTargeting(functionId);
        const queue = (target.DeadLetterConfig as { Arn: unknown }).Arn;

        // Act
        const configs = resourcesOfType(template(), 'AWS::Lambda::EventInvokeConfig').filter(
          ([, config]) => (config.Properties!.FunctionName as { Ref?: string }).Ref === functionId,
        );
        const roleId = getAttArnTarget(fn.Properties?.Role)!;

        // Assess
        expect(configs).toHaveLength(1);
        const properties = configs[0]![1].Properties!;
        expect(properties.MaximumRetryAttempts).toEqual(expect.any(Number));
        expect(properties.MaximumEventAgeInSeconds).toEqual(expect.any(Number));
        expect(properties.DestinationConfig).toEqual({ OnFailure: { Destination: queue } });
        expect(grantedOn(policyStatementsOf(template(), roleId), 'sqs:SendMessage')).toEqual([queue]);
      },
    );

    it('lets only the trigger rules, the trigger functions and the campaign scheduler send to the dead-letter queue', () => {
      // Prepare
      const rules = triggerFunctionKeys.map((key) =>
        ruleTargeting(functionResource(template(), stage, key)[0]),
      );
      const queueIds = [
        ...new Set(rules.map(([, , t]) => getAttArnTarget((t.DeadLetterConfig as { Arn: unknown }).Arn)!)),
      ];
      const triggerRoles = triggerFunctionKeys
        .map((key) => getAttArnTarget(functionResource(template(), stage, key)[1].Properties?.Role)!)
        .sort();

      // Act (the coalescing triggers' queues have policies of their own: the describe below)
      const policies = resourcesOfType(template(), 'AWS::SQS::QueuePolicy').filter(([, policy]) =>
        (policy.Properties!.Queues as unknown[]).some((queue) =>
          queueIds.includes((queue as { Ref: string }).Ref),
        ),
      );
      const sqsGrants = iamStatements(template()).filter(({ statement }) =>
        actionsOf(statement).includes('sqs:SendMessage'),
      );

      // Assess
      expect(queueIds).toHaveLength(1);
      expect(policies).toHaveLength(1);
      const [, policy] = policies[0]!;
      expect(policy.Properties?.Queues).toEqual([{ Ref: queueIds[0] }]);
      const ruleArns = rules.map(([, rule]) =>
        sub(`arn:\${AWS::Partition}:events:\${AWS::Region}:\${AWS::AccountId}:rule/${rule.Properties?.Name}`),
      );
      const { Statement: statements } = policy.Properties!.PolicyDocument as { Statement: IamStatement[] };
      expect(statements).toEqual([
        {
          Sid: expect.any(String),
          Effect: 'Allow',
          Principal: { Service: 'events.amazonaws.com' },
          Action: 'sqs:SendMessage',
          Resource: getAttArn(queueIds[0]!),
          Condition: { ArnEquals: { 'aws:SourceArn': expect.arrayContaining(ruleArns) } },
        },
      ]);
      expect(statements[0]!.Condition!.ArnEquals!['aws:SourceArn']).toHaveLength(ruleArns.length);
      expect(sqsGrants.map(({ where }) => where.split(' ')[0]).sort()).toEqual(
        [...triggerRoles, 'CampaignSchedulerRole'].sort(),
      );
      for (const { statement } of sqsGrants) expect(actionsOf(statement)).toEqual(['sqs:SendMessage']);
    });
  });
});

describe.each(stages)('sls package --stage %s: coalescing triggers', (stage) => {
  const template = (): CfnTemplate => packaged[stage].template;
  const enabled = stageParams(stage).triggers as string[];
  const triggerFile = (name: string) =>
    JSON.parse(readFileSync(join(projectRoot, 'triggers', `${name}.json`), 'utf8')) as {
      source: { buckets: string[] };
      window: { maxObjects: number; maxWaitSeconds: number };
    };
  const queueNamed = (name: string): [string, CfnResource] => {
    const found = resourcesOfType(template(), 'AWS::SQS::Queue').find(
      ([, queue]) => queue.Properties?.QueueName === name,
    );
    expect(found, `queue ${name}`).toBeDefined();
    return found!;
  };

  it('enables the example trigger on dev only', () => {
    expect(enabled).toEqual(stage === 'dev' ? ['thumbnails'] : []);
  });

  it('gives each enabled trigger an encrypted queue that moves a message to its encrypted DLQ after 5 receives', () => {
    for (const name of enabled) {
      const [, queue] = queueNamed(`s3-batch-orchestrator-${stage}-trigger-${name}`);
      const [dlqId, dlq] = queueNamed(`s3-batch-orchestrator-${stage}-trigger-${name}-dlq`);

      expect(queue.Properties?.SqsManagedSseEnabled).toBe(true);
      expect(dlq.Properties?.SqsManagedSseEnabled).toBe(true);
      expect(queue.Properties?.RedrivePolicy).toEqual({
        deadLetterTargetArn: getAttArn(dlqId),
        maxReceiveCount: 5,
      });
      // Lambda's guidance: at least six times the function timeout plus the batching window.
      expect(queue.Properties?.VisibilityTimeout as number).toBeGreaterThanOrEqual(6 * 120);
    }
  });

  it("lets only the trigger's own rule send to its queues, and the rule matches the trigger's source", () => {
    for (const name of enabled) {
      const [queueId] = queueNamed(`s3-batch-orchestrator-${stage}-trigger-${name}`);
      const ruleName = `s3-batch-orchestrator-${stage}-trigger-${name}`;
      const rules = resourcesOfType(template(), 'AWS::Events::Rule').filter(
        ([, rule]) => rule.Properties?.Name === ruleName,
      );
      const policies = resourcesOfType(template(), 'AWS::SQS::QueuePolicy').filter(([, policy]) =>
        (policy.Properties!.Queues as { Ref: string }[]).some((queue) => queue.Ref === queueId),
      );

      expect(rules).toHaveLength(1);
      const [, rule] = rules[0]!;
      expect(rule.Properties?.EventPattern).toMatchObject({
        source: ['aws.s3'],
        'detail-type': ['Object Created'],
        detail: { bucket: { name: triggerFile(name).source.buckets } },
      });
      expect((rule.Properties!.Targets as { Arn: unknown }[]).map((target) => target.Arn)).toEqual([
        getAttArn(queueId),
      ]);
      expect(policies).toHaveLength(1);
      const { Statement } = policies[0]![1].Properties!.PolicyDocument as { Statement: IamStatement[] };
      expect(Statement).toEqual([
        expect.objectContaining({
          Effect: 'Allow',
          Principal: { Service: 'events.amazonaws.com' },
          Action: 'sqs:SendMessage',
          Condition: {
            ArnEquals: {
              'aws:SourceArn': sub(
                `arn:\${AWS::Partition}:events:\${AWS::Region}:\${AWS::AccountId}:rule/${ruleName}`,
              ),
            },
          },
        }),
      ]);
    }
  });

  it('maps each trigger queue to collect-objects in batches sized by its window, reporting item failures', () => {
    const [collectorId] = functionResource(template(), stage, 'collect-objects');
    const mappings = resourcesOfType(template(), 'AWS::Lambda::EventSourceMapping');

    expect(mappings).toHaveLength(enabled.length);
    for (const name of enabled) {
      const [queueId] = queueNamed(`s3-batch-orchestrator-${stage}-trigger-${name}`);
      const { window } = triggerFile(name);
      const mapping = mappings.find(([, m]) => getAttArnTarget(m.Properties?.EventSourceArn) === queueId);

      expect(mapping?.[1].Properties).toMatchObject({
        FunctionName: getAttArn(collectorId),
        BatchSize: Math.min(window.maxObjects, 10000),
        MaximumBatchingWindowInSeconds: Math.min(window.maxWaitSeconds, 300),
        FunctionResponseTypes: ['ReportBatchItemFailures'],
      });
    }
  });

  it('tells both trigger functions the enabled triggers, ships the trigger files, and flushes every minute', () => {
    const flushRules = resourcesOfType(template(), 'AWS::Events::Rule').filter(([, rule]) =>
      (rule.Properties?.Targets as { Arn: unknown }[] | undefined)?.some(
        (target) => getAttArnTarget(target.Arn) === functionResource(template(), stage, 'flush-triggers')[0],
      ),
    );

    for (const key of ['collect-objects', 'flush-triggers']) {
      const [, fn] = functionResource(template(), stage, key);
      const env = (fn.Properties!.Environment as { Variables: Record<string, unknown> }).Variables;
      expect(env.S3BO_TRIGGERS).toBe(enabled.join(','));
    }
    expect(flushRules).toHaveLength(1);
    expect(flushRules[0]![1].Properties?.ScheduleExpression).toBe('rate(1 minute)');
  });

  it('lets the batch role read the manifests trigger flushes write, and nothing else of the state bucket', () => {
    const reads = grantedOn(policyStatementsOf(template(), 'BatchOperationsRole'), 's3:GetObject');

    expect(reads).toContainEqual(sub(`\${StateBucket.Arn}/triggers/*/manifests/*`));
    expect(reads.filter((arn) => JSON.stringify(arn).includes('StateBucket'))).toHaveLength(1);
  });

  it('lets only collect-objects read the trigger queues, and the trigger functions keep state only under triggers/', () => {
    const readers = iamStatements(template()).filter(({ statement }) =>
      actionsOf(statement).includes('sqs:ReceiveMessage'),
    );

    expect(readers.map(({ where }) => where.split(' ')[0])).toEqual(['CollectObjectsRole']);
    expect(actionsOf(readers[0]!.statement).sort()).toEqual([
      'sqs:DeleteMessage',
      'sqs:GetQueueAttributes',
      'sqs:ReceiveMessage',
    ]);
    expect(resourcesOf(readers[0]!.statement)).toEqual([
      sub(
        `arn:\${AWS::Partition}:sqs:\${AWS::Region}:\${AWS::AccountId}:s3-batch-orchestrator-${stage}-trigger-*`,
      ),
    ]);
    for (const role of ['CollectObjectsRole', 'FlushTriggersRole']) {
      const statements = iamStatements(template()).filter(({ where }) => where.startsWith(`${role} `));
      expect(
        grantedOn(
          statements.map(({ statement }) => statement),
          's3:PutObject',
        ),
      ).toEqual([sub(`\${StateBucket.Arn}/triggers/*`)]);
    }
  });
});

describe('stage-specific batch roles', () => {
  const batchGrants = (stage: Stage, action: string) =>
    grantedOn(policyStatementsOf(packaged[stage].template, 'BatchOperationsRole'), action);

  it('dev enables tagging only: no retention, legal hold, replication, restore or copy grants', () => {
    // Assess
    expect(stageParams('dev').batchOperations).toEqual(['S3PutObjectTagging']);
    for (const action of [
      's3:PutObjectRetention',
      's3:BypassGovernanceRetention',
      's3:PutObjectLegalHold',
      's3:GetBucketObjectLockConfiguration',
      's3:InitiateReplication',
      's3:GetReplicationConfiguration',
      's3:PutInventoryConfiguration',
      's3:RestoreObject',
      's3:PutObjectAcl',
      's3:DeleteObjectTagging',
    ]) {
      expect(batchGrants('dev', action), action).toEqual([]);
    }
    expect(batchGrants('dev', 's3:PutObjectTagging').length).toBeGreaterThan(0);
  });

  it('prod enables replication and retention: InitiateReplication on objects, the replication bucket actions, governance bypass', () => {
    // Prepare
    const buckets = stageParams('prod').allowedBuckets as string[];

    // Assess
    expect(batchGrants('prod', 's3:InitiateReplication')).toEqual(
      buckets.map((bucket) => sub(`arn:\${AWS::Partition}:s3:::${bucket}/*`)),
    );
    for (const action of ['s3:GetReplicationConfiguration', 's3:PutInventoryConfiguration']) {
      expect(batchGrants('prod', action), action).toEqual(
        buckets.map((bucket) => sub(`arn:\${AWS::Partition}:s3:::${bucket}`)),
      );
    }
    expect(batchGrants('prod', 's3:BypassGovernanceRetention').length).toBeGreaterThan(0);
    expect(batchGrants('prod', 's3:PutObjectLegalHold')).toEqual([]);
  });
});

describe('iam/batch-role.cjs', () => {
  const settings = {
    stage: 'test',
    operations: ['S3PutObjectTagging'],
    allowedBuckets: ['data'],
    reportBucket: 'reports',
    requestPrefix: 'requests/',
    kmsKeyArns: [] as string[],
    lambdaFunctionArns: [] as string[],
  };
  const lambdaArn = 'arn:aws:lambda:us-east-1:111122223333:function:task';
  const keyArn = 'arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab';

  it.each(Object.keys(batchOperationPermissions))(
    'grants %s exactly what its table entry lists',
    (operation) => {
      // Prepare
      const entry = batchOperationPermissions[operation as keyof typeof batchOperationPermissions] as {
        objects?: string[];
        buckets?: string[];
        functions?: string[];
      };

      // Act
      const statements = buildBatchRoleStatements({
        ...settings,
        operations: [operation],
        lambdaFunctionArns: operation === 'LambdaInvoke' ? [lambdaArn] : [],
      }) as IamStatement[];
      const own = statements.filter((statement) => statement.Sid?.startsWith(operation));

      // Assess
      expect(own.flatMap(actionsOf).sort()).toEqual(
        [...(entry.objects ?? []), ...(entry.buckets ?? []), ...(entry.functions ?? [])].sort(),
      );
      if (entry.functions) expect(grantedOn(own, 'lambda:InvokeFunction')).toEqual([lambdaArn]);
    },
  );

  it('grants kms:Decrypt and kms:GenerateDataKey on the listed keys only, through S3 only', () => {
    // Act
    const statements = buildBatchRoleStatements({ ...settings, kmsKeyArns: [keyArn] }) as IamStatement[];
    const kms = statements.filter((statement) => actionsOf(statement).some((a) => a.startsWith('kms:')));

    // Assess
    expect(kms).toEqual([
      {
        Sid: expect.any(String),
        Effect: 'Allow',
        Action: ['kms:Decrypt', 'kms:GenerateDataKey'],
        Resource: [keyArn],
        Condition: { StringEquals: { 'kms:ViaService': sub(`s3.\${AWS::Region}.amazonaws.com`) } },
      },
    ]);
  });

  it.each([
    [{ operations: ['S3Nope'] }, 'batchOperations[0] "S3Nope" is not'],
    [{ operations: [] }, 'batchOperations must not be empty'],
    [
      { operations: ['S3PutObjectTagging', 'S3PutObjectTagging'] },
      'batchOperations lists "S3PutObjectTagging" twice',
    ],
    [{ operations: ['LambdaInvoke'] }, 'batchLambdaFunctionArns must list the functions'],
    [{ lambdaFunctionArns: [lambdaArn] }, 'batchLambdaFunctionArns lists functions but'],
    [
      { kmsKeyArns: ['arn:aws:kms:us-east-1:111122223333:alias/data'] },
      'kmsKeyArns[0] must be a KMS key ARN',
    ],
    [{ allowedBuckets: 'data' }, 'allowedBuckets must be a list'],
  ])('rejects bad params with an error naming the param (%j)', (override, message) => {
    // Act
    const build = () => buildBatchRoleStatements({ ...settings, ...override });

    // Assess
    expect(build).toThrow(BatchRoleConfigError);
    expect(build).toThrow(`serverless.yml params (stage test): ${message}`);
  });
});

describe('stack security', () => {
  /** Buckets whose loss of an object loses workflow state (claims, pending windows, continuations). */
  const versionedBuckets = ['StateBucket'];

  const bucketPoliciesOf = (template: CfnTemplate, bucketId: string): IamStatement[] =>
    resourcesOfType(template, 'AWS::S3::BucketPolicy')
      .filter(([, policy]) => JSON.stringify(policy.Properties?.Bucket) === JSON.stringify({ Ref: bucketId }))
      .flatMap(
        ([, policy]) => (policy.Properties!.PolicyDocument as { Statement: IamStatement[] }).Statement,
      );

  /** `Fn::GetAtt X.Arn`, `Fn::Sub ${X.Arn}/*`, or the framework's `Fn::Join` of the same: X's ARN, or its objects. */
  const arnsOfBucket = (resource: unknown, bucketId: string): 'bucket' | 'objects' | undefined => {
    const text = JSON.stringify(resource);
    if (getAttArnTarget(resource) === bucketId) return 'bucket';
    if (text === JSON.stringify(sub(`\${${bucketId}.Arn}/*`))) return 'objects';
    const join = (resource as { 'Fn::Join'?: [string, unknown[]] })['Fn::Join'];
    if (join && text.includes(JSON.stringify({ Ref: bucketId })))
      return join[1].at(-1) === '/*' ? 'objects' : 'bucket';
    return undefined;
  };

  describe.each(stages)('--stage %s', (stage) => {
    const template = (): CfnTemplate => packaged[stage].template;
    const buckets = () => resourcesOfType(template(), 'AWS::S3::Bucket');

    it('creates the buckets it is expected to, so the checks below see them all', () => {
      expect(
        buckets()
          .map(([id]) => id)
          .sort(),
      ).toEqual(['RequestBucket', 'ServerlessDeploymentBucket', 'StateBucket'].sort());
    });

    it('blocks all public access and encrypts every bucket by default', () => {
      for (const [id, bucket] of buckets()) {
        expect({ id, block: bucket.Properties?.PublicAccessBlockConfiguration }).toEqual({
          id,
          block: {
            BlockPublicAcls: true,
            BlockPublicPolicy: true,
            IgnorePublicAcls: true,
            RestrictPublicBuckets: true,
          },
        });
        const encryption = bucket.Properties?.BucketEncryption as {
          ServerSideEncryptionConfiguration: { ServerSideEncryptionByDefault: { SSEAlgorithm: string } }[];
        };
        expect({
          id,
          algorithms: encryption?.ServerSideEncryptionConfiguration.map(
            (rule) => rule.ServerSideEncryptionByDefault.SSEAlgorithm,
          ),
        }).toEqual({
          id,
          algorithms: [expect.stringMatching(/^(AES256|aws:kms|aws:kms:dsse)$/)],
        });
      }
    });

    it('denies every request to every bucket and its objects that is not made over TLS', () => {
      for (const [id] of buckets()) {
        const denials = bucketPoliciesOf(template(), id).filter(
          (statement) =>
            statement.Effect === 'Deny' &&
            statement.Principal === '*' &&
            actionsOf(statement).includes('s3:*') &&
            String(statement.Condition?.Bool?.['aws:SecureTransport']) === 'false',
        );
        const covered = new Set(denials.flatMap(resourcesOf).map((resource) => arnsOfBucket(resource, id)));
        expect({ id, covered: [...covered].sort() }).toEqual({ id, covered: ['bucket', 'objects'] });
      }
    });

    // The "no IAM action that is or contains *" test above reads only IAM roles and policies (iamStatements), so
    // it never sees these Deny statements; this one keeps bucket policies from granting anything at all.
    it('allows nothing in any bucket policy: the only "*" action there is the TLS Deny', () => {
      const statements = resourcesOfType(template(), 'AWS::S3::BucketPolicy').flatMap(
        ([, policy]) => (policy.Properties!.PolicyDocument as { Statement: IamStatement[] }).Statement,
      );
      expect(statements.length).toBeGreaterThan(0);
      expect(statements.filter((statement) => statement.Effect !== 'Deny')).toEqual([]);
    });

    it('versions the state bucket and expires what versioning keeps', () => {
      for (const id of versionedBuckets) {
        const properties = template().Resources[id]!.Properties!;
        const rules = (properties.LifecycleConfiguration as { Rules: Record<string, unknown>[] }).Rules;
        expect(properties.VersioningConfiguration).toEqual({ Status: 'Enabled' });
        expect(rules).toContainEqual(
          expect.objectContaining({ Status: 'Enabled', NoncurrentVersionExpiration: expect.anything() }),
        );
      }
    });

    it('encrypts every queue at rest', () => {
      const queues = resourcesOfType(template(), 'AWS::SQS::Queue');
      expect(queues.length).toBeGreaterThan(0);
      const unencrypted = queues
        .filter(
          ([, queue]) => queue.Properties?.SqsManagedSseEnabled !== true && !queue.Properties?.KmsMasterKeyId,
        )
        .map(([id]) => id);
      expect(unencrypted).toEqual([]);
    });
  });
});

describe('observability', () => {
  const alarmsOf = (template: CfnTemplate) => resourcesOfType(template, 'AWS::CloudWatch::Alarm');
  const dimensionsOf = (alarm: CfnResource) =>
    Object.fromEntries(
      (alarm.Properties!.Dimensions as { Name: string; Value: unknown }[]).map((d) => [d.Name, d.Value]),
    );
  /** Alarms on `metricName` of `namespace`, as `Value`s of the dimension `dimension`, each notifying the topic. */
  const watched = (template: CfnTemplate, namespace: string, metricName: string, dimension: string) =>
    alarmsOf(template)
      .filter(([, a]) => a.Properties?.Namespace === namespace && a.Properties?.MetricName === metricName)
      .map(([, a]) => {
        expect(a.Properties?.AlarmActions).toEqual([{ Ref: 'AlarmTopic' }]);
        return JSON.stringify(dimensionsOf(a)[dimension]);
      })
      .sort();

  describe.each(stages)('--stage %s', (stage) => {
    const template = (): CfnTemplate => packaged[stage].template;

    it('alarms on every failed or timed-out execution of every state machine', () => {
      const machines = resourcesOfType(template(), 'AWS::StepFunctions::StateMachine')
        .map(([id]) => JSON.stringify({ Ref: id }))
        .sort();
      expect(machines).toHaveLength(3);
      for (const metric of ['ExecutionsFailed', 'ExecutionsTimedOut']) {
        expect(watched(template(), 'AWS/States', metric, 'StateMachineArn'), metric).toEqual(machines);
      }
    });

    it('alarms on the errors and throttles of every function', () => {
      const functions = resourcesOfType(template(), 'AWS::Lambda::Function')
        .map(([id]) => JSON.stringify({ Ref: id }))
        .sort();
      expect(functions.length).toBe(functionKeys.length);
      for (const metric of ['Errors', 'Throttles']) {
        expect(watched(template(), 'AWS/Lambda', metric, 'FunctionName'), metric).toEqual(functions);
      }
    });

    it('alarms on lifecycle events PutEvents refused, in the namespace and dimensions the functions publish', () => {
      const namespace = stageParams(stage).metricsNamespace;
      const environment = resourcesOfType(template(), 'AWS::Lambda::Function').map(
        ([, fn]) => (fn.Properties!.Environment as { Variables: Record<string, unknown> }).Variables,
      );
      expect(new Set(environment.map((vars) => vars.POWERTOOLS_METRICS_NAMESPACE))).toEqual(
        new Set([namespace]),
      );
      const alarm = alarmsOf(template()).find(
        ([, a]) => a.Properties?.MetricName === 'EventsFailedToPut',
      )?.[1];
      expect(alarm?.Properties).toMatchObject({
        Namespace: namespace,
        AlarmActions: [{ Ref: 'AlarmTopic' }],
      });
      expect(dimensionsOf(alarm!)).toEqual({ service: 's3-batch-orchestrator', stage });
    });

    it('alarms when any dead-letter queue holds a message', () => {
      const resources = template().Resources;
      // Every queue some other queue, rule, schedule or function dead-letters to.
      const text = JSON.stringify(resources);
      const deadLetterQueues = resourcesOfType(template(), 'AWS::SQS::Queue')
        .map(([id]) => id)
        .filter((id) => /DeadLetter/.test(id) && text.includes(JSON.stringify(getAttArn(id))))
        .map((id) => JSON.stringify({ 'Fn::GetAtt': [id, 'QueueName'] }))
        .sort();
      expect(deadLetterQueues.length).toBeGreaterThan(0);
      expect(watched(template(), 'AWS/SQS', 'ApproximateNumberOfMessagesVisible', 'QueueName')).toEqual(
        deadLetterQueues,
      );
    });

    it('notifies the topic params name, encrypted with a key only the account and its alarms may use', () => {
      const resources = template().Resources;
      expect(resources.AlarmTopic?.Properties).toEqual({
        TopicName: stageParams(stage).alarmTopicName,
        KmsMasterKeyId: { Ref: 'AlarmTopicKey' },
      });
      expect(stageParams(stage).alarmTopicName).toBe(`s3-batch-orchestrator-${stage}-alarms`);
      const key = resources.AlarmTopicKey!.Properties!;
      expect(key.EnableKeyRotation).toBe(true);
      const statements = (key.KeyPolicy as { Statement: IamStatement[] }).Statement;
      expect(statements.flatMap(actionsOf).filter((action) => action.includes('*'))).toEqual([]);
      const services = statements.filter((s) => (s.Principal as { Service?: string }).Service);
      expect(services).toHaveLength(1);
      expect(services[0]).toMatchObject({
        Principal: { Service: 'cloudwatch.amazonaws.com' },
        Action: ['kms:Decrypt', 'kms:GenerateDataKey'],
        Condition: { StringEquals: { 'aws:SourceAccount': { Ref: 'AWS::AccountId' } } },
      });
      const topicPolicy = resourcesOfType(template(), 'AWS::SNS::TopicPolicy')[0]![1].Properties!;
      const allows = (topicPolicy.PolicyDocument as { Statement: IamStatement[] }).Statement.filter(
        (s) => s.Effect === 'Allow',
      );
      expect(allows).toEqual([
        expect.objectContaining({
          Principal: { Service: 'cloudwatch.amazonaws.com' },
          Action: 'sns:Publish',
        }),
      ]);
    });

    it('logs every state machine to a log group of its own', () => {
      const machines = resourcesOfType(template(), 'AWS::StepFunctions::StateMachine');
      const groups = machines.map(([id, machine]) => {
        const logging = machine.Properties?.LoggingConfiguration as {
          Level: string;
          Destinations: { CloudWatchLogsLogGroup: { LogGroupArn: unknown } }[];
        };
        expect(logging?.Level, id).toBe(stageParams(stage).stateMachineLogLevel);
        const group = getAttArnTarget(logging.Destinations[0]!.CloudWatchLogsLogGroup.LogGroupArn);
        expect(template().Resources[group!]?.Type, id).toBe('AWS::Logs::LogGroup');
        return group;
      });
      expect(new Set(groups).size).toBe(machines.length);
    });

    it('draws a dashboard of jobs, campaigns, executions, functions and every alarm', () => {
      const dashboard = resourcesOfType(template(), 'AWS::CloudWatch::Dashboard');
      expect(dashboard).toHaveLength(1);
      const { DashboardName, DashboardBody } = dashboard[0]![1].Properties as {
        DashboardName: string;
        DashboardBody: { 'Fn::Sub': string };
      };
      expect(DashboardName).toBe(`s3-batch-orchestrator-${stage}`);
      // Every ${…} in the body is one Fn::Sub resolves: a pseudo parameter or a state machine of the stack.
      const substitutions = [...DashboardBody['Fn::Sub'].matchAll(/\$\{([^}]+)\}/g)].map((m) => m[1]!);
      for (const name of substitutions) {
        expect(
          name.startsWith('AWS::') || template().Resources[name]?.Type === 'AWS::StepFunctions::StateMachine',
          name,
        ).toBe(true);
      }
      const body = JSON.parse(DashboardBody['Fn::Sub']) as {
        widgets: { properties: Record<string, unknown> }[];
      };
      const text = JSON.stringify(body);
      for (const metric of [
        'JobsSubmitted',
        'JobsCompleted',
        'TasksFailed',
        'FailureRate',
        'TimeToComplete',
        'CampaignsCompleted',
        'ExecutionsFailed',
        'Errors',
      ]) {
        expect(text, metric).toContain(metric);
      }
      const alarmNames = alarmsOf(template()).map(([, a]) => `:alarm:${a.Properties!.AlarmName}`);
      const shown = body.widgets.flatMap((w) => (w.properties.alarms as string[] | undefined) ?? []);
      expect(shown.map((arn) => arn.slice(arn.indexOf(':alarm:'))).sort()).toEqual(alarmNames.sort());
    });
  });
});

describe('event schemas for consumers', () => {
  describe.each(stages)('--stage %s', (stage) => {
    const template = (): CfnTemplate => packaged[stage].template;

    it("publishes the event schemas in the stage's registry, one per detail type", () => {
      const params = stageParams(stage);
      const registries = resourcesOfType(template(), 'AWS::EventSchemas::Registry');
      expect(registries.map(([id, r]) => [id, r.Properties?.RegistryName])).toEqual([
        ['EventSchemaRegistry', `s3-batch-orchestrator-${stage}`],
      ]);
      const schemas = resourcesOfType(template(), 'AWS::EventSchemas::Schema');
      expect(schemas.map(([, s]) => s.Properties?.SchemaName).sort()).toEqual(
        Object.values(detailTypes)
          .map((dt) => `${params.eventSource}@${dt.replace(/[^A-Za-z0-9]/g, '')}`)
          .sort(),
      );
      for (const [, schema] of schemas) {
        const p = schema.Properties as { Type: string; RegistryName: unknown; Content: string };
        expect(p.Type).toBe('JSONSchemaDraft4');
        expect(p.RegistryName).toEqual({ 'Fn::GetAtt': ['EventSchemaRegistry', 'RegistryName'] });
        expect(p.Content.length).toBeLessThanOrEqual(maxContentLength);
        const content = JSON.parse(p.Content);
        const detailType = content.properties['detail-type'].enum[0];
        expect(content).toEqual(
          toDraft4(bundleEventSchema(detailType, { source: params.eventSource as string })),
        );
      }
    });

    it('stays under the 1 MB CloudFormation template limit (uploaded to S3 by osls)', () => {
      expect(JSON.stringify(template()).length).toBeLessThan(1_000_000);
    });
  });
});
