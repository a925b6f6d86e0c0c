import { mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventBusName, functionKeys, lambdaFunctionName, stateMachineName } from '../../src/core/names.js';
import { placeholdersIn, readDefinition } from './helpers/asl.js';
import { actionsOf, type CfnResource, type CfnTemplate, iamStatements, resourcesOf } from './helpers/iam.js';
import { type PackagedService, packageService } from './helpers/sls-package.js';

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

const resourcesOfType = (template: CfnTemplate, type: string): [string, CfnResource][] =>
  Object.entries(template.Resources).filter(([, resource]) => resource.Type === type);

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
    const machines = resourcesOfType(template(), 'AWS::StepFunctions::StateMachine');
    const [, machine] = machines[0]!;
    const properties = machine.Properties!;
    const deployed = JSON.parse(properties.DefinitionString as string);
    const substitutions = properties.DefinitionSubstitutions as Record<string, unknown>;

    // Assess
    expect(machines).toHaveLength(1);
    expect(properties.StateMachineName).toBe(stateMachineName(stage, 'batch-job'));
    expect(withoutDefaultQueryLanguage(deployed)).toEqual(batchJob.definition);
    expect(Object.keys(substitutions).sort()).toEqual(placeholdersIn(batchJob.text));
    for (const key of stateMachineFunctionKeys) {
      const placeholder = `${key.replace(/(^|-)([a-z])/g, (_, __, c: string) => c.toUpperCase())}FunctionArn`;
      const [functionId] = functionResource(template(), stage, key);
      expect(getAttArnTarget(substitutions[placeholder]), placeholder).toBe(functionId);
    }
  });

  it('runs the state machine under its own role, allowed to invoke exactly the functions its tasks name', () => {
    // Prepare
    const [, machine] = resourcesOfType(template(), 'AWS::StepFunctions::StateMachine')[0]!;
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
});
