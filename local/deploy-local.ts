/**
 * Deploys this project into the embedded local AWS as a stage (default `local`), from the same files
 * `sls deploy` uses: the functions of serverless.yml under their Serverless names, the state machines of
 * statemachines/ with their ${Placeholders} bound to those functions' local ARNs, and the stage's bus.
 *
 * A client of the emulator's public API (emulator/index.ts) and of the product alike; neither imports this.
 * Each Lambda is built from its file's handler factory with its own environment map and the emulator's
 * clock: nothing here writes process.env or any global.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import {
  CreateEventBusCommand,
  EventBridgeClient,
  PutRuleCommand,
  PutTargetsCommand,
  ResourceAlreadyExistsException,
} from '@aws-sdk/client-eventbridge';
import { scheduleOf } from '../campaigns/schedules.cjs';
import type { LambdaHandlerFn, LocalAws } from '../emulator/index.js';
import { parseCampaign } from '../src/core/campaign/parse-campaign.js';
import {
  campaignScheduleGroupName,
  defaultEventSource,
  eventBusName,
  serviceName,
} from '../src/core/names.js';
import type { HandlerFactory } from '../src/runtime/handler.js';
import { deployTriggers, prepareTriggerFiles } from './deploy-triggers.js';
import {
  lambdaLogicalId,
  loadServerlessConfig,
  projectRoot,
  type ServerlessConfig,
  stateMachineBindings,
} from './serverless-config.js';

export interface LocalProject {
  stage: string;
  busName: string;
  /** Where parked task tokens live (event-driven wake). */
  stateBucket: string;
  /** Job request files put here (under the request prefix) start the workflow. */
  requestBucket: string;
  batchRoleArn: string;
  /** serverless.yml function key → deployed function name. */
  functionNames: Record<string, string>;
  /** serverless.yml state machine key (e.g. `batchJob`) → ARN. */
  stateMachineArns: Record<string, string>;
  /** The stage's EventBridge Scheduler schedule group, and each scheduled campaign's schedule ARN by name. */
  scheduleGroup: string;
  campaignSchedules: Record<string, string>;
  /** Each deployed coalescing trigger's queue and dead-letter queue (URLs), by trigger name. */
  triggerQueues: Record<string, { queueUrl: string; deadLetterQueueUrl: string }>;
}

export interface DeployOptions {
  stage?: string;
  /**
   * Variables set on every Lambda, over the local defaults (e.g. `POWERTOOLS_LOG_LEVEL: 'DEBUG'`). Those that
   * point the Lambdas at this emulator and stage always win. Default: the host's own values of
   * `hostTunableVariables`, so `POWERTOOLS_LOG_LEVEL=DEBUG s3bo local` shows the Lambdas' logs.
   */
  environment?: Record<string, string>;
  /**
   * The campaigns to schedule on the local EventBridge Scheduler: names of files in campaigns/, or campaign
   * objects (a test's or a demo's, over local buckets). Default: the stage's `params.<stage>.campaigns`, which
   * for `local` is serverless.yml's default, none: the example campaigns name dev's and prod's buckets.
   */
  campaigns?: (string | object)[];
  /**
   * The coalescing triggers to deploy (local/deploy-triggers.ts): names of files in triggers/, or trigger
   * objects (a test's, over local buckets). Default: the stage's `params.<stage>.triggers`, which for `local`
   * is serverless.yml's default, none: the example trigger names dev's buckets.
   */
  triggers?: (string | object)[];
}

/** Settings a developer may give the local Lambdas from the shell (serverless.yml sets them from params on AWS). */
export const hostTunableVariables = [
  'POWERTOOLS_LOG_LEVEL',
  'S3BO_EVENT_SOURCE',
  'S3BO_REPORT_MAX_SAMPLE_FAILURES',
] as const;

const deployOptionKeys = new Set(['stage', 'environment', 'campaigns', 'triggers']);

export async function deployProject(aws: LocalAws, options: DeployOptions = {}): Promise<LocalProject> {
  for (const key of Object.keys(options)) {
    if (!deployOptionKeys.has(key)) throw new TypeError(`deployProject: unknown option "${key}"`);
  }
  const stage = options.stage ?? 'local';
  const config = loadServerlessConfig();
  const busName = eventBusName(stage);
  const batchRoleArn = `arn:aws:iam::${aws.accountId}:role/${serviceName}-${stage}-batch-operations`;
  const stateBucket = `${serviceName}-${stage}-state`;
  aws.s3.backend.ensureBucket(stateBucket);

  const resolve = variableResolver(config, stage);
  const machineNames = Object.fromEntries(
    Object.entries(config.stepFunctions.stateMachines).map(([key, machine]) => [
      key,
      resolve(String(machine.name ?? `${serviceName}-${stage}-${key}`)),
    ]),
  );
  // Built from the name, as serverless.yml's !Sub does: the functions exist before the state machine.
  const batchJobArn = machineNames.batchJob
    ? `arn:aws:states:${aws.region}:${aws.accountId}:stateMachine:${machineNames.batchJob}`
    : undefined;
  const triggerFiles = prepareTriggerFiles(options.triggers ?? stageTriggerNames(config, stage));
  const environment = lambdaEnvironment(aws, options.environment ?? hostTunables(), {
    S3BO_STATE_BUCKET: stateBucket,
    S3BO_STAGE: stage,
    S3BO_EVENT_BUS_NAME: busName,
    S3BO_ACCOUNT_ID: aws.accountId,
    S3BO_BATCH_ROLE_ARN: batchRoleArn,
    // On AWS only the triggers get it (serverless.yml); here every function does, harmlessly.
    ...(batchJobArn ? { S3BO_STATE_MACHINE_ARN: batchJobArn } : {}),
  });

  const functionNames: Record<string, string> = {};
  const functionArnsByLogicalId: Record<string, string> = {};
  for (const [key, fn] of Object.entries(config.functions)) {
    const name = `${serviceName}-${stage}-${key}`;
    // As serverless.yml sets them: only the trigger functions know the triggers.
    const functionEnvironment = {
      ...environment,
      ...(triggerFunctionKeys.includes(key) ? triggerFiles.environment : {}),
    };
    const createHandler = await handlerFactory(fn.handler);
    const registered = aws.lambda.registerFunction(
      name,
      // The emulator's context carries the fields the handlers read (aws-lambda's Context less its callbacks).
      createHandler({ env: functionEnvironment, clock: aws.clock }) as LambdaHandlerFn,
      {
        timeoutSeconds: Number(fn.timeout ?? (config.provider.timeout as number | undefined) ?? 6),
        handler: fn.handler,
        environment: functionEnvironment,
      },
    );
    functionNames[key] = name;
    functionArnsByLogicalId[lambdaLogicalId(key)] = registered.FunctionArn;
  }

  const requestBucket = resolve('${param:requestBucket}');
  aws.s3.backend.ensureBucket(requestBucket);

  const stateMachineArns: Record<string, string> = {};
  for (const binding of stateMachineBindings(config)) {
    const definition = bindPlaceholders(
      readFileSync(join(projectRoot, binding.definitionFile), 'utf8'),
      binding.substitutions,
      {
        functionArns: functionArnsByLogicalId,
        sub: (template) => substitute(resolve(template), aws),
      },
      binding.definitionFile,
    );
    stateMachineArns[binding.key] = aws.sfn.createStateMachine(machineNames[binding.key]!, definition);
  }
  if (batchJobArn && stateMachineArns.batchJob !== batchJobArn) {
    throw new Error(
      `local deploy: batchJob is ${stateMachineArns.batchJob}, its Lambdas expect ${batchJobArn}`,
    );
  }

  const events = eventBridgeClient(aws);
  let triggerQueues: LocalProject['triggerQueues'] = {};
  try {
    await createBus(events, busName);
    await createFunctionRules(events, config, functionNames, functionArnsByLogicalId, resolve);
    triggerQueues = await deployTriggers(aws, events, {
      stage,
      triggers: triggerFiles.triggers,
      collectFunctionName: functionNames['collect-objects']!,
      flushFunctionArn: functionArnsByLogicalId[lambdaLogicalId('flush-triggers')]!,
    });
  } finally {
    events.destroy();
  }
  const scheduleGroup = campaignScheduleGroupName(stage);
  const campaignSchedules = scheduleCampaigns(aws, {
    stage,
    group: scheduleGroup,
    campaigns: options.campaigns ?? stageCampaignNames(config, stage),
    campaignMachineArn: stateMachineArns.campaign,
  });
  // Executions a previous run of this data directory left RUNNING can go on now that their Lambdas exist.
  aws.sfn.resumeInterrupted();
  return {
    stage,
    busName,
    stateBucket,
    requestBucket,
    batchRoleArn,
    functionNames,
    stateMachineArns,
    scheduleGroup,
    campaignSchedules,
    triggerQueues,
  };
}

/** The functions that read trigger files (S3BO_TRIGGERS, S3BO_TRIGGERS_DIR). */
const triggerFunctionKeys = ['collect-objects', 'flush-triggers'];

/** `params.<stage>.triggers` over `params.default.triggers`: names of files in triggers/. */
function stageTriggerNames(config: ServerlessConfig, stage: string): string[] {
  const listed = config.params?.[stage]?.triggers ?? config.params?.default?.triggers ?? [];
  if (!Array.isArray(listed) || !listed.every((name) => typeof name === 'string')) {
    throw new Error(`serverless.yml: params.${stage}.triggers must be a list of trigger names`);
  }
  return listed;
}

/** `params.<stage>.campaigns` over `params.default.campaigns`: names of files in campaigns/. */
function stageCampaignNames(config: ServerlessConfig, stage: string): string[] {
  const listed = config.params?.[stage]?.campaigns ?? config.params?.default?.campaigns ?? [];
  if (!Array.isArray(listed) || !listed.every((name) => typeof name === 'string')) {
    throw new Error(`serverless.yml: params.${stage}.campaigns must be a list of campaign names`);
  }
  return listed;
}

function readCampaignFile(name: string): Record<string, unknown> {
  const path = join(projectRoot, 'campaigns', `${name}.json`);
  try {
    return JSON.parse(readFileSync(path, 'utf8')) as Record<string, unknown>;
  } catch (error) {
    throw new Error(
      `local deploy: campaign "${name}": cannot read campaigns/${name}.json (${(error as Error).message})`,
    );
  }
}

/**
 * Schedules more campaigns on a deployed project (a demo's, created once it knows the emulated time), the same
 * way deployProject schedules the stage's.
 */
export function scheduleProjectCampaigns(
  aws: LocalAws,
  project: LocalProject,
  campaigns: (string | object)[],
): Record<string, string> {
  return scheduleCampaigns(aws, {
    stage: project.stage,
    group: project.scheduleGroup,
    campaigns,
    campaignMachineArn: project.stateMachineArns.campaign,
  });
}

/**
 * Creates (or, in a data directory deployed before, updates) one schedule per campaign in the stage's schedule
 * group, exactly as campaigns/schedules.cjs builds it for CloudFormation, with the logical ids it refers to
 * replaced by the local ARNs. Each campaign is validated first: an invalid one fails the deploy, naming it.
 */
function scheduleCampaigns(
  aws: LocalAws,
  options: {
    stage: string;
    group: string;
    campaigns: (string | object)[];
    campaignMachineArn: string | undefined;
  },
): Record<string, string> {
  if (options.campaigns.length === 0) return {};
  if (!options.campaignMachineArn)
    throw new Error('local deploy: serverless.yml declares no campaign state machine');
  const existingGroups = aws.scheduler.listScheduleGroups({ NamePrefix: options.group }).ScheduleGroups;
  if (!existingGroups.some((group) => group.Name === options.group)) {
    aws.scheduler.createScheduleGroup({ Name: options.group });
  }
  const arn = (service: string, resource: string) =>
    `arn:aws:${service}:${aws.region}:${aws.accountId}:${resource}`;
  const schedules: Record<string, string> = {};
  for (const entry of options.campaigns) {
    const campaign = typeof entry === 'string' ? readCampaignFile(entry) : (entry as Record<string, unknown>);
    try {
      parseCampaign(campaign);
    } catch (error) {
      throw new Error(
        `local deploy: campaign ${String(campaign.name)} is invalid: ${(error as Error).message}`,
      );
    }
    const { Properties } = scheduleOf(campaign);
    const input = {
      ...Properties,
      GroupName: options.group,
      Target: {
        ...Properties.Target,
        Arn: options.campaignMachineArn,
        RoleArn: `arn:aws:iam::${aws.accountId}:role/${serviceName}-${options.stage}-campaign-scheduler`,
        DeadLetterConfig: { Arn: arn('sqs', `${serviceName}-${options.stage}-trigger-dlq`) },
      },
    };
    const exists = aws.scheduler
      .listSchedules({ GroupName: options.group, NamePrefix: input.Name })
      .Schedules.some((schedule) => schedule.Name === input.Name);
    schedules[input.Name] = (
      exists ? aws.scheduler.updateSchedule(input) : aws.scheduler.createSchedule(input)
    ).ScheduleArn;
  }
  return schedules;
}

/**
 * One Lambda's environment: local defaults, then the caller's variables, then what must point at this
 * emulator and stage. Credentials are placeholders: the emulator accepts any, the SDK only needs some.
 */
function lambdaEnvironment(
  aws: LocalAws,
  caller: Record<string, string>,
  stageValues: Record<string, string>,
): Record<string, string> {
  return {
    S3BO_EVENT_SOURCE: defaultEventSource,
    POWERTOOLS_LOG_LEVEL: 'SILENT',
    ...caller,
    ...stageValues,
    AWS_REGION: aws.region,
    AWS_ENDPOINT_URL: aws.url,
    AWS_ACCESS_KEY_ID: 'local',
    AWS_SECRET_ACCESS_KEY: 'local',
  };
}

function hostTunables(): Record<string, string> {
  const values: Record<string, string> = {};
  for (const name of hostTunableVariables) {
    const value = process.env[name];
    if (value) values[name] = value;
  }
  return values;
}

/**
 * serverless.yml's `functions/<file>.<export>` names the AWS handler; its factory is `create<Export>` in the
 * same file (`handler` → `createHandler`), which builds the same handler from an explicit runtime.
 */
async function handlerFactory(handlerPath: string): Promise<HandlerFactory> {
  const dot = handlerPath.lastIndexOf('.');
  const [file, exportName] = [handlerPath.slice(0, dot), handlerPath.slice(dot + 1)];
  const factoryName = `create${exportName[0]!.toUpperCase()}${exportName.slice(1)}`;
  const module = (await import(pathToFileURL(join(projectRoot, `${file}.ts`)).href)) as Record<
    string,
    unknown
  >;
  const factory = module[factoryName];
  if (typeof factory !== 'function') {
    throw new Error(`${handlerPath}: ${file}.ts exports no handler factory "${factoryName}"`);
  }
  return factory as HandlerFactory;
}

/**
 * Binds each `${Name}` as CloudFormation's DefinitionSubstitutions would: `!GetAtt <Fn>LambdaFunction.Arn`
 * to the local function's ARN, `!Sub` (an ARN built from names, e.g. a child state machine's) through `sub`.
 */
function bindPlaceholders(
  definition: string,
  substitutions: Record<string, unknown>,
  bindings: { functionArns: Record<string, string>; sub: (template: string) => string },
  file: string,
): string {
  return definition.replace(/\$\{([A-Za-z0-9_]+)\}/g, (_match, name: string) => {
    const value = substitutions[name] as
      | { 'Fn::GetAtt'?: [string, string]; 'Fn::Sub'?: unknown }
      | string
      | undefined;
    if (typeof value === 'string') return value;
    if (typeof value?.['Fn::Sub'] === 'string') return bindings.sub(value['Fn::Sub']);
    const [logicalId, attribute] = value?.['Fn::GetAtt'] ?? [];
    const arn = logicalId && attribute === 'Arn' ? bindings.functionArns[logicalId] : undefined;
    if (!arn) throw new Error(`${file}: placeholder \${${name}} has no local binding`);
    return arn;
  });
}

/** CloudFormation's pseudo parameters in a `!Sub` template, as the local AWS answers them. */
function substitute(template: string, aws: LocalAws): string {
  const pseudo: Record<string, string> = {
    'AWS::Partition': 'aws',
    'AWS::Region': aws.region,
    'AWS::AccountId': aws.accountId,
  };
  return template.replace(/\$\{([A-Za-z:]+)\}/g, (_match, name: string) => {
    const value = pseudo[name];
    if (value === undefined) throw new Error(`!Sub ${template}: \${${name}} has no local value`);
    return value;
  });
}

/**
 * Resolves the Serverless variables this project uses in what the local deploy reads: `${sls:stage}`,
 * `${self:service}` and `${param:name}` (the stage's params over `default`). A string that is exactly one
 * list param (`${param:allowedBuckets}` in an event pattern) becomes that list, as Serverless does.
 */
interface VariableResolver {
  (text: string): string;
  /** A list param when `text` is exactly `${param:<list>}`, else undefined. */
  list(text: string): string[] | undefined;
}

function variableResolver(config: ServerlessConfig, stage: string): VariableResolver {
  const params = { ...config.params?.default, ...config.params?.[stage] } as Record<string, unknown>;
  const resolve = (text: string, depth = 0): string => {
    if (depth > 5) throw new Error(`serverless.yml: variables nest too deep in "${text}"`);
    return text.replace(
      /\$\{(sls:stage|self:service|param:([A-Za-z0-9]+))\}/g,
      (_match, variable: string, param?: string) => {
        if (variable === 'sls:stage') return stage;
        if (variable === 'self:service') return config.service;
        const value = params[param!];
        if (typeof value !== 'string')
          throw new Error(`serverless.yml: param ${param} is not a string for stage ${stage}`);
        return resolve(value, depth + 1);
      },
    );
  };
  const list = (text: string): string[] | undefined => {
    const whole = /^\$\{param:([A-Za-z0-9]+)\}$/.exec(text);
    const value = whole ? params[whole[1]!] : undefined;
    return Array.isArray(value) ? value.map((item) => resolve(String(item))) : undefined;
  };
  return Object.assign((text: string) => resolve(text), { list });
}

/** Resolves variables in every string of a JSON value (event patterns). */
function resolveDeep(value: unknown, resolve: VariableResolver): unknown {
  if (typeof value === 'string') return resolve.list(value) ?? resolve(value);
  if (Array.isArray(value))
    return value.flatMap((item) => {
      const resolved = resolveDeep(item, resolve);
      // `- ${param:list}` inside a list splices the list in, as a list param in a YAML list does.
      return typeof item === 'string' && resolve.list(item) ? (resolved as unknown[]) : [resolved];
    });
  if (value && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, resolveDeep(v, resolve)]));
  }
  return value;
}

function eventBridgeClient(aws: LocalAws): EventBridgeClient {
  return new EventBridgeClient({
    region: aws.region,
    endpoint: aws.url,
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
  });
}

async function createBus(client: EventBridgeClient, name: string): Promise<void> {
  try {
    await client.send(new CreateEventBusCommand({ Name: name }));
  } catch (error) {
    if (!(error instanceof ResourceAlreadyExistsException)) throw error;
  }
}

interface EventBridgeEvent {
  eventBridge?: { pattern?: unknown; eventBus?: string };
}

/** A function's `events: - eventBridge: { pattern }` becomes a rule (default bus unless named) targeting it. */
async function createFunctionRules(
  client: EventBridgeClient,
  config: ServerlessConfig,
  functionNames: Record<string, string>,
  functionArnsByLogicalId: Record<string, string>,
  resolve: VariableResolver,
): Promise<void> {
  for (const [key, fn] of Object.entries(config.functions)) {
    const events = (fn.events ?? []) as EventBridgeEvent[];
    for (const [index, event] of events.entries()) {
      if (!event.eventBridge?.pattern) continue;
      const ruleName = `${functionNames[key]}-rule-${index + 1}`;
      const bus = event.eventBridge.eventBus ?? 'default';
      await client.send(
        new PutRuleCommand({
          Name: ruleName,
          EventBusName: bus,
          EventPattern: JSON.stringify(resolveDeep(event.eventBridge.pattern, resolve)),
        }),
      );
      await client.send(
        new PutTargetsCommand({
          Rule: ruleName,
          EventBusName: bus,
          Targets: [{ Id: 'function', Arn: functionArnsByLogicalId[lambdaLogicalId(key)]! }],
        }),
      );
    }
  }
}
