/**
 * serverless.yml as data: the contract tests read it, and the embedded local AWS deploys stage `local`
 * from it. Parsed with js-yaml and a schema that turns CloudFormation
 * short-form tags (`!GetAtt`, `!Ref`, `!Sub`…) into their long form, as the Serverless Framework does.
 * Serverless variables (`${param:…}`, `${file(…)}`) are left unresolved (tests read the raw declarations),
 * except the `${file(…)}` entries of `resources`, which are read and merged as osls does.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The slice of js-yaml 4 used here (it ships no type declarations). */
interface JsYaml {
  Type: new (
    tag: string,
    options: { kind: 'scalar' | 'sequence' | 'mapping'; construct: (data: unknown) => unknown },
  ) => unknown;
  DEFAULT_SCHEMA: { extend(types: unknown[]): unknown };
  load(text: string, options?: { schema?: unknown; filename?: string }): unknown;
}

const yaml = createRequire(import.meta.url)('js-yaml') as JsYaml;

const intrinsicFunctions = [
  'Base64',
  'Cidr',
  'Equals',
  'FindInMap',
  'GetAZs',
  'If',
  'ImportValue',
  'Join',
  'Not',
  'Or',
  'And',
  'Select',
  'Split',
  'Sub',
  'Transform',
] as const;

/** `!GetAtt A.B` -> { 'Fn::GetAtt': ['A', 'B'] } (split at the first dot, as CloudFormation does). */
const getAtt = (data: unknown): unknown => {
  if (typeof data !== 'string') return { 'Fn::GetAtt': data };
  const dot = data.indexOf('.');
  return { 'Fn::GetAtt': [data.slice(0, dot), data.slice(dot + 1)] };
};

const cloudFormationTypes = (['scalar', 'sequence', 'mapping'] as const).flatMap((kind) => [
  new yaml.Type('!Ref', { kind, construct: (data) => ({ Ref: data }) }),
  new yaml.Type('!Condition', { kind, construct: (data) => ({ Condition: data }) }),
  new yaml.Type('!GetAtt', { kind, construct: getAtt }),
  ...intrinsicFunctions.map(
    (name) => new yaml.Type(`!${name}`, { kind, construct: (data) => ({ [`Fn::${name}`]: data }) }),
  ),
]);

export const cloudFormationYamlSchema = yaml.DEFAULT_SCHEMA.extend(cloudFormationTypes);

export interface FunctionConfig {
  handler: string;
  role?: unknown;
  [key: string]: unknown;
}

export interface StateMachineConfig {
  id?: string;
  name?: string;
  definition: unknown;
  role?: unknown;
  [key: string]: unknown;
}

export interface ServerlessConfig {
  service: string;
  provider: Record<string, unknown>;
  params?: Record<string, Record<string, unknown>>;
  functions: Record<string, FunctionConfig>;
  stepFunctions: { validate?: boolean; stateMachines: Record<string, StateMachineConfig> };
  resources?: {
    Resources?: Record<string, { Type: string; Properties?: Record<string, unknown> }>;
    extensions?: Record<string, { Properties?: Record<string, unknown> }>;
    [key: string]: unknown;
  };
  [key: string]: unknown;
}

/** The repository root (this file lives in local/). */
export const projectRoot = fileURLToPath(new URL('../', import.meta.url));
export const serverlessConfigPath = join(projectRoot, 'serverless.yml');

/** `${file(<path>)}`: a Serverless file variable, the whole value. */
const fileVariable = /^\$\{file\(([^)]+)\)\}$/;
/**
 * `${file(<path>.cjs):<export>}`: resources a JavaScript module builds at package time from stage params
 * (campaigns/schedules.cjs). Read here as an empty part: the local deploy creates what they stand for itself.
 */
const moduleVariable = /^\$\{file\(([^)]+\.cjs)\):[A-Za-z]+\}$/;

const loadYaml = (path: string): unknown =>
  yaml.load(readFileSync(path, 'utf8'), { schema: cloudFormationYamlSchema, filename: path });

export function loadServerlessConfig(path = serverlessConfigPath): ServerlessConfig {
  const config = loadYaml(path) as Omit<ServerlessConfig, 'resources'> & { resources?: unknown };
  if (config.resources === undefined) return config as ServerlessConfig;
  const merged = resourceParts(config.resources, dirname(path)).reduce<Record<string, unknown>>(
    (all, part) => mergeObjects(all, part.value),
    {},
  );
  return { ...config, resources: merged } as ServerlessConfig;
}

/** One entry of serverless.yml's `resources`: written inline, or included from a file. */
export interface ResourcesPart {
  /** `serverless.yml`, or the included file relative to the service directory. */
  source: string;
  value: Record<string, unknown>;
  /** A module's resources, which only `sls package` builds (value is then empty). */
  builtAtPackageTime?: boolean;
}

/**
 * serverless.yml's `resources` entries, included files read. `resources` may be a list of objects and
 * `${file(…)}` includes, which osls deep-merges into one object (lib/classes/service.js); the generated IAM
 * roles (iam/roles.generated.yml) arrive that way.
 */
export function resourceParts(resources: unknown, serviceDir = projectRoot): ResourcesPart[] {
  const entries = Array.isArray(resources) ? resources : [resources];
  return entries.map((entry, i) => {
    const module = typeof entry === 'string' ? moduleVariable.exec(entry) : null;
    if (module) return { source: module[1]!.replace(/^\.\//, ''), value: {}, builtAtPackageTime: true };
    const file = typeof entry === 'string' ? fileVariable.exec(entry) : null;
    const source = file ? file[1]!.replace(/^\.\//, '') : 'serverless.yml';
    const value = file ? loadYaml(join(serviceDir, source)) : entry;
    if (value === null || typeof value !== 'object' || Array.isArray(value)) {
      throw new Error(
        `serverless.yml: resources[${i}] must be an object or \${file(<path>)}, got ${String(entry)}`,
      );
    }
    return { source, value: value as Record<string, unknown> };
  });
}

/** The raw `resources` of serverless.yml as its entries (see resourceParts). */
export const loadResourceParts = (path = serverlessConfigPath): ResourcesPart[] =>
  resourceParts((loadYaml(path) as { resources?: unknown }).resources ?? {}, dirname(path));

const isPlainObject = (value: unknown): value is Record<string, unknown> =>
  value !== null && typeof value === 'object' && !Array.isArray(value);

/** Deep merge of plain objects, later values winning elsewhere (as osls' merge of `resources` lists). */
function mergeObjects(
  target: Record<string, unknown>,
  source: Record<string, unknown>,
): Record<string, unknown> {
  const merged = { ...target };
  for (const [key, value] of Object.entries(source)) {
    const current = merged[key];
    merged[key] = isPlainObject(current) && isPlainObject(value) ? mergeObjects(current, value) : value;
  }
  return merged;
}

/** One state machine as serverless.yml declares it: where its definition comes from and how it is bound. */
export interface StateMachineBinding {
  /** Key under stepFunctions.stateMachines. */
  key: string;
  /** CloudFormation logical id of the AWS::StepFunctions::StateMachine. */
  logicalId: string;
  /** Definition file, relative to the project root (from `${file(…)}`). */
  definitionFile: string;
  /** CloudFormation DefinitionSubstitutions (through resources.extensions), by placeholder name. */
  substitutions: Record<string, unknown>;
}

export function stateMachineBindings(config: ServerlessConfig): StateMachineBinding[] {
  return Object.entries(config.stepFunctions.stateMachines).map(([key, machine]) => {
    const file = typeof machine.definition === 'string' ? fileVariable.exec(machine.definition) : null;
    if (!file) {
      throw new Error(`stateMachines.${key}.definition must be \${file(statemachines/<name>.asl.json)}`);
    }
    if (!machine.id) throw new Error(`stateMachines.${key} needs an explicit id (its logical id)`);
    const extension = config.resources?.extensions?.[machine.id];
    const substitutions = (extension?.Properties?.DefinitionSubstitutions ?? {}) as Record<string, unknown>;
    return {
      key,
      logicalId: machine.id,
      definitionFile: file[1]!.replace(/^\.\//, ''),
      substitutions,
    };
  });
}

export { lambdaLogicalId } from '../src/core/names.js';
