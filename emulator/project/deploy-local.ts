/**
 * Deploys this project into the embedded local AWS as a stage (default `local`), from the same files
 * `sls deploy` uses: the functions of serverless.yml under their Serverless names, the state machines of
 * statemachines/ with their ${Placeholders} bound to those functions' local ARNs, and the stage's bus.
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
import { defaultEventSource, eventBusName, serviceName } from '../../src/core/names.js';
import { resetDependencies, useClock } from '../../src/runtime/dependencies.js';
import type { LocalAws } from '../local-aws.js';
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
}

type LambdaHandler = (event: unknown, context: unknown) => Promise<unknown>;

export async function deployProject(aws: LocalAws, options: { stage?: string } = {}): Promise<LocalProject> {
  const stage = options.stage ?? 'local';
  const config = loadServerlessConfig();
  const busName = eventBusName(stage);
  const batchRoleArn = `arn:aws:iam::${aws.accountId}:role/${serviceName}-${stage}-batch-operations`;
  const stateBucket = `${serviceName}-${stage}-state`;
  aws.s3.backend.ensureBucket(stateBucket);
  configureLambdaEnvironment(aws, { stage, busName, batchRoleArn, stateBucket });

  const functionNames: Record<string, string> = {};
  const functionArnsByLogicalId: Record<string, string> = {};
  for (const [key, fn] of Object.entries(config.functions)) {
    const name = `${serviceName}-${stage}-${key}`;
    const [file, exportName] = splitHandler(fn.handler);
    const module = (await import(pathToFileURL(join(projectRoot, `${file}.ts`)).href)) as Record<
      string,
      unknown
    >;
    const handler = module[exportName];
    if (typeof handler !== 'function')
      throw new Error(`${fn.handler}: ${file}.ts exports no function "${exportName}"`);
    const registered = aws.lambda.registerFunction(name, handler as LambdaHandler, {
      timeoutSeconds: Number(fn.timeout ?? (config.provider.timeout as number | undefined) ?? 6),
      handler: fn.handler,
    });
    functionNames[key] = name;
    functionArnsByLogicalId[lambdaLogicalId(key)] = registered.FunctionArn;
  }

  const resolve = variableResolver(config, stage);
  const requestBucket = resolve('${param:requestBucket}');
  aws.s3.backend.ensureBucket(requestBucket);

  const stateMachineArns: Record<string, string> = {};
  for (const binding of stateMachineBindings(config)) {
    const machine = config.stepFunctions.stateMachines[binding.key]!;
    const definition = bindPlaceholders(
      readFileSync(join(projectRoot, binding.definitionFile), 'utf8'),
      binding.substitutions,
      functionArnsByLogicalId,
      binding.definitionFile,
    );
    const name = resolve(String(machine.name ?? `${serviceName}-${stage}-${binding.key}`));
    stateMachineArns[binding.key] = aws.sfn.createStateMachine(name, definition);
  }
  // The triggers' target; on AWS each function gets it from serverless.yml, here the process is shared.
  if (stateMachineArns.batchJob) process.env.S3BO_STATE_MACHINE_ARN = stateMachineArns.batchJob;

  const events = eventBridgeClient(aws);
  try {
    await createBus(events, busName);
    await createFunctionRules(events, config, functionNames, functionArnsByLogicalId, resolve);
  } finally {
    events.destroy();
  }
  // Executions a previous run of this data directory left RUNNING can go on now that their Lambdas exist.
  aws.sfn.resumeInterrupted();
  return { stage, busName, stateBucket, requestBucket, batchRoleArn, functionNames, stateMachineArns };
}

/**
 * The in-process Lambdas read process.env, as they would read their configuration on AWS. Values the
 * caller already set (e.g. a log level) win, except those that must point at this emulator.
 */
function configureLambdaEnvironment(
  aws: LocalAws,
  values: { stage: string; busName: string; batchRoleArn: string; stateBucket: string },
): void {
  Object.assign(process.env, {
    S3BO_STATE_BUCKET: values.stateBucket,
    S3BO_STAGE: values.stage,
    S3BO_EVENT_BUS_NAME: values.busName,
    S3BO_ACCOUNT_ID: aws.accountId,
    S3BO_BATCH_ROLE_ARN: values.batchRoleArn,
    AWS_REGION: aws.region,
    AWS_ENDPOINT_URL: aws.url,
  });
  process.env.S3BO_EVENT_SOURCE ??= defaultEventSource;
  process.env.AWS_ACCESS_KEY_ID ??= 'local';
  process.env.AWS_SECRET_ACCESS_KEY ??= 'local';
  process.env.POWERTOOLS_LOG_LEVEL ??= 'SILENT';
  resetDependencies();
  useClock(aws.clock);
}

function splitHandler(handler: string): [string, string] {
  const dot = handler.lastIndexOf('.');
  return [handler.slice(0, dot), handler.slice(dot + 1)];
}

/** Binds each `${Name}` as CloudFormation's DefinitionSubstitutions would, for `!GetAtt <Fn>LambdaFunction.Arn`. */
function bindPlaceholders(
  definition: string,
  substitutions: Record<string, unknown>,
  functionArns: Record<string, string>,
  file: string,
): string {
  return definition.replace(/\$\{([A-Za-z0-9_]+)\}/g, (_match, name: string) => {
    const value = substitutions[name] as { 'Fn::GetAtt'?: [string, string] } | string | undefined;
    if (typeof value === 'string') return value;
    const [logicalId, attribute] = value?.['Fn::GetAtt'] ?? [];
    const arn = logicalId && attribute === 'Arn' ? functionArns[logicalId] : undefined;
    if (!arn) throw new Error(`${file}: placeholder \${${name}} has no local binding`);
    return arn;
  });
}

/**
 * Resolves the Serverless variables this project uses in what the local deploy reads: `${sls:stage}`,
 * `${self:service}` and `${param:name}` (the stage's params over `default`).
 */
function variableResolver(config: ServerlessConfig, stage: string): (text: string) => string {
  const params = { ...config.params?.default, ...config.params?.[stage] } as Record<string, unknown>;
  const resolve = (text: string, depth = 0): string => {
    if (depth > 5) throw new Error(`serverless.yml: variables nest too deep in "${text}"`);
    return text.replace(
      /\$\{(sls:stage|self:service|param:([A-Za-z0-9]+))\}/g,
      (match, _all, param?: string) => {
        if (match === '${sls:stage}') return stage;
        if (match === '${self:service}') return config.service;
        const value = params[param!];
        if (typeof value !== 'string')
          throw new Error(`serverless.yml: param ${param} is not a string for stage ${stage}`);
        return resolve(value, depth + 1);
      },
    );
  };
  return (text) => resolve(text);
}

/** Resolves variables in every string of a JSON value (event patterns). */
function resolveDeep(value: unknown, resolve: (text: string) => string): unknown {
  if (typeof value === 'string') return resolve(value);
  if (Array.isArray(value)) return value.map((item) => resolveDeep(item, resolve));
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
  resolve: (text: string) => string,
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
