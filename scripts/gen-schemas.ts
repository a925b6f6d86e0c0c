/**
 * Generates `src/generated/` from `schemas/` (the single source of truth, STYLE.md rule 3):
 *
 * - `types.ts`: TypeScript types (json-schema-to-typescript), one per schema, named after its `title`. A
 *   validator fills schema defaults in place, so a document read after validation has every defaulted field:
 *   the job request gets both its input type (`JobRequest`, defaults optional, as callers write it) and
 *   `JobRequestWithDefaults`; the workflow state and task inputs, only ever read after validation, get
 *   filled types only (see `SchemaEntry.defaults`);
 * - `validators.js` + `validators.d.ts`: Ajv standalone, precompiled validators (no schema compilation at
 *   cold start, and no Ajv compiler in the Lambda bundle: only `ajv/dist/runtime/*` helpers);
 * - `schema-ids.ts`: schema ids, and the event detail type -> validator map;
 * - `constants.ts`: values read out of the schemas so code never repeats them (job statuses, request
 *   defaults);
 * - `date-time-paths.ts`: where a job request's operation holds `format: date-time` strings, which the
 *   S3 Control adapter turns into `Date`s (the SDK serialises timestamps only from `Date`);
 * - `index.ts`: re-exports.
 *
 * `npm run gen` writes the files; `generateSchemaFiles()` returns them without writing, so a contract test can
 * fail when someone edits a schema and forgets to regenerate. Output is deterministic: no timestamps, stable
 * order (the order of `schemaEntries()` and of `detailTypes` in src/core/names.ts).
 */

import { readdir, readFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Ajv, type SchemaObject } from 'ajv';
import standalone from 'ajv/dist/standalone/index.js';
import { compile, type JSONSchema } from 'json-schema-to-typescript';
import ts from 'typescript';
import { detailTypes } from '../src/core/names.js';
import { generateWhenRun } from './lib/generated-files.js';

export const repoRoot = join(dirname(fileURLToPath(import.meta.url)), '..');

/** Where generated files go, relative to the repository root. */
export const generatedDir = 'src/generated';

/** The schema that only holds shared definitions: added to Ajv for `$ref`s, never a type or validator of its own. */
const commonSchemaFile = 'common.schema.json';

export interface SchemaEntry {
  /** Path under `schemas/`. */
  readonly file: string;
  /** Generated type name; must equal the schema's `title`. */
  readonly typeName: string;
  /** Generated validator name: `validate<TypeName>`. */
  readonly validatorName: string;
  /** EventBridge detail type, for event detail schemas. */
  readonly detailType?: string;
  /**
   * How defaults shape the generated type. `input` (the default): a field with a schema default is optional,
   * as a caller writes it. `filled`: it is required, because the document is only ever read after its
   * validator filled it in (useDefaults) — the workflow state and the task inputs. `both`: the input type,
   * plus `<TypeName>WithDefaults`, which the validator's type guard then narrows to.
   */
  readonly defaults: 'input' | 'filled' | 'both';
}

/** `Batch Job Auto-Cancelled` -> `batch-job-auto-cancelled` */
export const kebabCase = (text: string): string =>
  text
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-|-$/g, '');

/** `Batch Job Auto-Cancelled` -> `BatchJobAutoCancelled` */
export const pascalCase = (text: string): string =>
  text
    .split(/[^A-Za-z0-9]+/)
    .filter((word) => word.length > 0)
    .map((word) => word[0]!.toUpperCase() + word.slice(1))
    .join('');

/** Every schema that becomes a type and a validator, in output order. */
export function schemaEntries(): SchemaEntry[] {
  const entry = (
    file: string,
    typeName: string,
    { detailType, defaults = 'input' }: { detailType?: string; defaults?: SchemaEntry['defaults'] } = {},
  ): SchemaEntry => ({
    file,
    typeName,
    validatorName: `validate${typeName}`,
    ...(detailType === undefined ? {} : { detailType }),
    defaults,
  });
  const task = (name: string, typeName: string) =>
    entry(`tasks/${name}.schema.json`, typeName, { defaults: 'filled' });
  return [
    entry('job-request.schema.json', 'JobRequest', { defaults: 'both' }),
    entry('report-summary.schema.json', 'ReportSummary'),
    entry('config.schema.json', 'Config'),
    entry('workflow-state.schema.json', 'WorkflowState', { defaults: 'filled' }),
    task('submit-job-input', 'SubmitJobInput'),
    task('describe-job-input', 'DescribeJobInput'),
    task('confirm-job-input', 'ConfirmJobInput'),
    task('park-job-input', 'ParkJobInput'),
    task('fetch-report-input', 'FetchReportInput'),
    task('redrive-job-input', 'RedriveJobInput'),
    task('continue-execution-input', 'ContinueExecutionInput'),
    task('emit-request', 'EmitRequest'),
    task('job-status-event', 'JobStatusEvent'),
    task('object-created-event', 'ObjectCreatedEvent'),
    // The restore-then machine (restore campaigns' phase 2).
    task('restore-then-input', 'RestoreThenInput'),
    task('restore-then-state', 'RestoreThenState'),
    task('prepare-restore-then-input', 'PrepareRestoreThenInput'),
    task('check-restores-input', 'CheckRestoresInput'),
    task('build-then-manifest-input', 'BuildThenManifestInput'),
    task('emit-phase-event-input', 'EmitPhaseEventInput'),
    task('conclude-restore-then-input', 'ConcludeRestoreThenInput'),
    task('object-restore-completed-event', 'ObjectRestoreCompletedEvent'),
    entry('campaign.schema.json', 'Campaign', { defaults: 'both' }),
    entry('campaign-state.schema.json', 'CampaignState', { defaults: 'filled' }),
    task('claim-campaign-run-input', 'ClaimCampaignRunInput'),
    task('resolve-campaign-input', 'ResolveCampaignInput'),
    task('summarize-campaign-target-input', 'SummarizeCampaignTargetInput'),
    task('aggregate-campaign-input', 'AggregateCampaignInput'),
    task('emit-detail-request', 'EmitDetailRequest'),
    // Coalescing triggers (triggers/).
    entry('trigger.schema.json', 'Trigger', { defaults: 'both' }),
    task('sqs-event', 'SqsEvent'),
    task('scheduled-event', 'ScheduledEvent'),
    ...Object.values(detailTypes).map((detailType) =>
      entry(`events/${kebabCase(detailType)}.schema.json`, `${pascalCase(detailType)}Detail`, { detailType }),
    ),
  ];
}

const banner = [
  '// Generated by scripts/gen-schemas.ts from schemas/ (`npm run gen`). Do not edit by hand:',
  '// change the schema and regenerate; test/contract/schemas.test.ts fails when this file is stale.',
].join('\n');

const readJson = async (path: string): Promise<SchemaObject> =>
  JSON.parse(await readFile(path, 'utf8')) as SchemaObject;

/** Reads every schema, and checks that schemas/events holds exactly one schema per detail type. */
async function loadSchemas(
  root: string,
): Promise<{ common: SchemaObject; schemas: Map<SchemaEntry, SchemaObject> }> {
  const schemasDir = join(root, 'schemas');
  const entries = schemaEntries();
  const expectedEvents = new Set(entries.filter((e) => e.detailType).map((e) => e.file));
  const actualEvents = (await readdir(join(schemasDir, 'events')))
    .filter((name) => name.endsWith('.json'))
    .map((name) => `events/${name}`);
  const stray = actualEvents.filter((file) => !expectedEvents.has(file));
  if (stray.length > 0) {
    throw new Error(
      `schemas/${stray.join(', schemas/')}: no such detail type in src/core/names.ts detailTypes`,
    );
  }
  const schemas = new Map<SchemaEntry, SchemaObject>();
  for (const entry of entries) {
    const schema = await readJson(join(schemasDir, entry.file)).catch((error: unknown) => {
      throw new Error(`schemas/${entry.file}: cannot read (${(error as Error).message})`);
    });
    if (schema['title'] !== entry.typeName) {
      throw new Error(`schemas/${entry.file}: title must be "${entry.typeName}", found "${schema['title']}"`);
    }
    if (typeof schema['$id'] !== 'string') throw new Error(`schemas/${entry.file}: $id missing`);
    schemas.set(entry, schema);
  }
  return { common: await readJson(join(schemasDir, commonSchemaFile)), schemas };
}

// A CommonJS module whose `exports` and `exports.default` are both the function; TypeScript sees the latter.
const standaloneCode = standalone.default;

function createAjv(): Ajv {
  return new Ajv({
    code: { source: true, esm: true, lines: true },
    useDefaults: true,
    allErrors: true,
    inlineRefs: false,
    strict: true,
    // strictRequired rejects `required` inside if/then (report.bucket when enabled); the tests' good examples
    // catch a misspelt required name instead.
    strictRequired: false,
    // `["integer", "null"]` for nullable values.
    allowUnionTypes: true,
    // ajv-formats is not a dependency: `format` documents intent, a `pattern` beside it enforces it.
    validateFormats: false,
  });
}

/** Keywords that only document: they take no part in validation. */
const annotationKeywords = new Set(['title', 'description', '$comment', 'examples']);
/** Keywords whose value is a map of name to subschema (the names are data, never keywords). */
const schemaMapKeywords = new Set([
  'properties',
  'patternProperties',
  'definitions',
  '$defs',
  'dependentSchemas',
]);
/** Keywords whose value holds data, not subschemas: copied as they are. */
const dataKeywords = new Set(['enum', 'const', 'default', 'required', 'examples']);

/**
 * A schema without its annotations. Ajv's standalone code refers to a schema's own object for some error
 * params (an `enum`'s allowedValues), which puts that whole schema, every description included, in each
 * Lambda bundle that holds the validator; the documentation stays in schemas/ and the generated types.
 */
export function withoutAnnotations(schema: unknown): unknown {
  if (Array.isArray(schema)) return schema.map(withoutAnnotations);
  if (schema === null || typeof schema !== 'object') return schema;
  const copy: Record<string, unknown> = {};
  for (const [keyword, value] of Object.entries(schema)) {
    if (annotationKeywords.has(keyword)) continue;
    if (dataKeywords.has(keyword)) copy[keyword] = value;
    else if (schemaMapKeywords.has(keyword) && value !== null && typeof value === 'object') {
      copy[keyword] = Object.fromEntries(
        Object.entries(value).map(([name, subschema]) => [name, withoutAnnotations(subschema)]),
      );
    } else copy[keyword] = withoutAnnotations(value);
  }
  return copy;
}

/** Ajv standalone code as an ES module. */
function buildValidators(common: SchemaObject, schemas: Map<SchemaEntry, SchemaObject>): string {
  const ajv = createAjv();
  ajv.addSchema(withoutAnnotations(common) as SchemaObject);
  for (const schema of schemas.values()) ajv.addSchema(withoutAnnotations(schema) as SchemaObject);
  const exports: Record<string, string> = {};
  for (const [entry, schema] of schemas) exports[entry.validatorName] = schema['$id'] as string;
  const code = standaloneCode(ajv, exports);

  // Even with `esm: true`, Ajv emits `require("ajv/dist/runtime/<helper>").default` for its runtime helpers
  // (ucs2length for Unicode-aware min/maxLength, …). Turn them into imports; `.default ?? module` copes with
  // both CommonJS interop styles (Node and esbuild in node mode give module.exports; others give the default).
  const helpers = new Set<string>();
  const esm = code.replace(
    /require\("ajv\/dist\/runtime\/([a-z0-9_]+)"\)\.default/gi,
    (_match: string, helper: string) => {
      helpers.add(helper);
      return `ajvRuntime_${helper}`;
    },
  );
  if (/\brequire\(/.test(esm))
    throw new Error('validators: Ajv emitted a require() that is not an ajv/dist/runtime helper');
  const imports = [...helpers]
    .sort()
    .map(
      (helper) =>
        `import ajvRuntime_${helper}_module from "ajv/dist/runtime/${helper}.js";\n` +
        `const ajvRuntime_${helper} = ajvRuntime_${helper}_module.default ?? ajvRuntime_${helper}_module;`,
    );
  return `${banner}\n${imports.join('\n')}\n${mergeIdenticalDefinitions(esm.replace(/^"use strict";/, ''))}\n`;
}

/**
 * Ajv compiles a shared definition once for every top-level schema that reaches it (its refs are resolved
 * per root), so JobSnapshot, say, was five identical functions; a Lambda that validates two of those roots
 * (SubmitJob: its input and the job request) carried both copies. This keeps the first of each set of
 * identical validator functions, schema constants and patterns and points every reference at it, until no
 * two are alike (merging callees makes their callers identical). Relies on the shape of Ajv's standalone
 * code with `lines: true`: each function starts at `function validateN(data, ` and ends with its
 * `return errors === 0;` line; constants are one line each.
 */
export function mergeIdenticalDefinitions(code: string): string {
  const definition =
    /^(?:function (validate\d+)\(data, [^\n]*\n[\s\S]*?\nreturn errors === 0;\n}|const ((?:schema|pattern)\d+) = [^\n]*;)\n/gm;
  let merged = code;
  for (;;) {
    const kept = new Map<string, string>();
    const renames = new Map<string, string>();
    for (const match of merged.matchAll(definition)) {
      const name = (match[1] ?? match[2])!;
      // The definition with its own name blanked: two definitions that differ only in name are alike.
      const shape = match[0].replace(new RegExp(`\\b${name}\\b`, 'g'), '\0');
      const first = kept.get(shape);
      if (first === undefined) kept.set(shape, name);
      else renames.set(name, first);
    }
    if (renames.size === 0) return merged;
    merged = merged.replace(definition, (whole: string, fn?: string, constant?: string) =>
      renames.has((fn ?? constant)!) ? '' : whole,
    );
    const names = new RegExp(`\\b(?:${[...renames.keys()].join('|')})\\b`, 'g');
    merged = merged.replace(names, (name) => renames.get(name)!);
  }
}

/**
 * json-schema-to-typescript moves the `description` beside a `$ref` onto the referenced (named) type, so the
 * type's doc would depend on which property referenced it first. Wrapping the `$ref` in `allOf` keeps the
 * description on the property and the type's own description on the type. Only the type generator sees this.
 */
function wrapRefsForTypes(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(wrapRefsForTypes);
  if (node === null || typeof node !== 'object') return node;
  const object = node as Record<string, unknown>;
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(object)) {
    out[key] = key === 'enum' || key === 'const' || key === 'default' ? value : wrapRefsForTypes(value);
  }
  // A value the schema does not constrain (the workflow state's `request`, checked by SubmitJob itself) is
  // `unknown`; json-schema-to-typescript would make it an object with an index signature.
  if (Object.keys(object).every((key) => unconstraining.has(key)) && 'description' in object) {
    return { ...out, tsType: 'unknown' };
  }
  if (typeof object['$ref'] === 'string' && Object.keys(object).some((key) => key !== '$ref')) {
    const { $ref, ...rest } = out;
    return { ...rest, allOf: [{ $ref }] };
  }
  return out;
}

/** Keywords that say nothing about a value's type. */
const unconstraining = new Set(['description', '$comment']);

interface Declaration {
  readonly name: string;
  readonly text: string;
}

/** Splits generated TypeScript into top-level declarations (each with its JSDoc). */
function declarations(source: string, file: string): Declaration[] {
  const sourceFile = ts.createSourceFile(
    `${file}.ts`,
    source,
    ts.ScriptTarget.Latest,
    true,
    ts.ScriptKind.TS,
  );
  return sourceFile.statements.map((statement) => {
    if (!ts.isInterfaceDeclaration(statement) && !ts.isTypeAliasDeclaration(statement)) {
      throw new Error(
        `${file}: unexpected generated statement ${ts.SyntaxKind[statement.kind]}: ${statement.getText(sourceFile).slice(0, 300)}`,
      );
    }
    return { name: statement.name.text, text: statement.getFullText(sourceFile).trim() };
  });
}

/** Suffix of a type whose defaulted fields are required (what its validator's useDefaults leaves behind). */
export const withDefaultsSuffix = 'WithDefaults';

/** Ajv's useDefaults ignores defaults inside these: values there keep their input type. */
const composites = new Set(['anyOf', 'oneOf', 'not', 'if', 'then', 'else']);

/** The `#/definitions/…` node a local `$ref` points at, or undefined for a ref into another file. */
function localTarget(ref: string, root: Record<string, unknown>): unknown {
  if (!ref.startsWith('#/')) return undefined;
  let node: unknown = root;
  for (const part of ref.slice(2).split('/')) node = (node as Record<string, unknown> | undefined)?.[part];
  return node;
}

/**
 * Whether a schema node holds a `default` the validator fills, anywhere in the values it describes
 * (following refs within its own file; common.schema.json holds no defaults). `definitions` are not part of
 * a node's value.
 */
function holdsDefaults(
  node: unknown,
  root: Record<string, unknown>,
  seen: Set<unknown> = new Set(),
): boolean {
  if (node === null || typeof node !== 'object' || seen.has(node)) return false;
  seen.add(node);
  if (Array.isArray(node)) return node.some((item) => holdsDefaults(item, root, seen));
  const object = node as Record<string, unknown>;
  if ('default' in object) return true;
  if (typeof object['$ref'] === 'string' && holdsDefaults(localTarget(object['$ref'], root), root, seen)) {
    return true;
  }
  return Object.entries(object).some(
    ([key, value]) =>
      !['definitions', 'enum', 'const'].includes(key) &&
      !composites.has(key) &&
      holdsDefaults(value, root, seen),
  );
}

/** Per schema file (absolute path) whose types exist in both variants: its definitions that hold defaults. */
type DefaultsIndex = Map<string, Set<string>>;

interface FillContext {
  /** Absolute path of the file the node is in. */
  file: string;
  index: DefaultsIndex;
}

/**
 * A `$ref` as the filled variant reads it: to `<Name>WithDefaults` when the target definition holds
 * defaults and lives in a file that also yields input types.
 */
function filledRef(ref: string, context: FillContext): string {
  const [filePart = '', pointer = ''] = ref.split('#');
  const name = /^\/definitions\/([^/]+)$/.exec(pointer)?.[1];
  const target = filePart === '' ? context.file : join(dirname(context.file), filePart);
  return name !== undefined && context.index.get(target)?.has(name)
    ? `${filePart}#/definitions/${name}${withDefaultsSuffix}`
    : ref;
}

/**
 * The schema as its validator leaves a document: every property with a default becomes required, and refs
 * lead to the `…WithDefaults` definitions. Composites are left as they are (Ajv fills nothing in them).
 */
function requireDefaults(node: unknown, context: FillContext): unknown {
  if (Array.isArray(node)) return node.map((item) => requireDefaults(item, context));
  if (node === null || typeof node !== 'object') return node;
  const object = node as Record<string, unknown>;
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(object)) {
    if (key === 'enum' || key === 'const' || key === 'default' || composites.has(key)) out[key] = value;
    else if (key === '$ref' && typeof value === 'string') out[key] = filledRef(value, context);
    else out[key] = requireDefaults(value, context);
  }
  const properties = object['properties'] as Record<string, Record<string, unknown>> | undefined;
  if (properties && typeof properties === 'object') {
    const defaulted = Object.keys(properties).filter((name) => 'default' in (properties[name] ?? {}));
    if (defaulted.length > 0) {
      out['required'] = [...new Set([...((object['required'] as string[] | undefined) ?? []), ...defaulted])];
    }
  }
  return out;
}

type TypeVariant = 'input' | 'filled';

/**
 * Prepares a schema file for json-schema-to-typescript. Files whose every type is filled (the workflow
 * state, the task inputs) are filled in place. A file that also yields input types keeps them and gains a
 * `<Name>WithDefaults` definition per definition holding defaults (job-request.schema.json's WaitOptions →
 * WaitOptionsWithDefaults); as the root of a filled compilation, its root type is filled too.
 */
function forTypes(
  schema: Record<string, unknown>,
  variant: TypeVariant,
  context: FillContext & { filledOnly: boolean; isRoot: boolean },
): Record<string, unknown> {
  if (variant === 'input') return wrapRefsForTypes(schema) as Record<string, unknown>;
  if (context.filledOnly)
    return wrapRefsForTypes(requireDefaults(schema, context)) as Record<string, unknown>;
  const definitions = (schema['definitions'] ?? {}) as Record<string, Record<string, unknown>>;
  const filledDefinitions = Object.fromEntries(
    [...(context.index.get(context.file) ?? [])].map((name) => {
      const definition = requireDefaults(definitions[name], context) as Record<string, unknown>;
      return [
        `${name}${withDefaultsSuffix}`,
        { ...definition, title: `${definition['title']}${withDefaultsSuffix}` },
      ];
    }),
  );
  const base = context.isRoot
    ? {
        ...(requireDefaults(schema, context) as Record<string, unknown>),
        title: `${schema['title']}${withDefaultsSuffix}`,
      }
    : schema;
  return wrapRefsForTypes({ ...base, definitions: { ...definitions, ...filledDefinitions } }) as Record<
    string,
    unknown
  >;
}

/** One types file for all schemas; a type referenced from several schemas is declared once. */
async function buildTypes(
  root: string,
  common: SchemaObject,
  schemas: Map<SchemaEntry, SchemaObject>,
): Promise<string> {
  const schemasDir = join(root, 'schemas');
  const filledOnlyFiles = new Set(
    [...schemas.keys()].filter((e) => e.defaults === 'filled').map((e) => join(schemasDir, e.file)),
  );
  const index: DefaultsIndex = new Map();
  const twoVariantFiles: [string, SchemaObject][] = [
    [join(schemasDir, commonSchemaFile), common],
    ...[...schemas]
      .filter(([entry]) => entry.defaults !== 'filled')
      .map(([entry, schema]): [string, SchemaObject] => [join(schemasDir, entry.file), schema]),
  ];
  for (const [file, schema] of twoVariantFiles) {
    const definitions = (schema['definitions'] ?? {}) as Record<string, unknown>;
    const names = Object.keys(definitions).filter((name) => holdsDefaults(definitions[name], schema));
    if (names.length > 0) index.set(file, new Set(names));
  }
  const byName = new Map<string, Declaration & { file: string }>();
  const compilations = [...schemas].flatMap(([entry, schema]) =>
    (entry.defaults === 'input'
      ? ['input']
      : entry.defaults === 'filled'
        ? ['filled']
        : ['input', 'filled']
    ).map((variant) => ({ entry, schema, variant: variant as TypeVariant })),
  );
  for (const { entry, schema, variant } of compilations) {
    const path = join(schemasDir, entry.file);
    const prepared = forTypes(schema, variant, {
      file: path,
      index,
      filledOnly: filledOnlyFiles.has(path),
      isRoot: true,
    });
    const source = await compile(prepared as JSONSchema, prepared['title'] as string, {
      cwd: dirname(path),
      // Schemas referenced from other files get the same treatment as the root one.
      $refOptions: {
        resolve: {
          file: {
            read: async (file: { url: string }) => {
              const filePath = fileURLToPath(new URL(file.url, 'file:///'));
              const referenced = JSON.parse(await readFile(filePath, 'utf8')) as Record<string, unknown>;
              return JSON.stringify(
                forTypes(referenced, variant, {
                  file: filePath,
                  index,
                  filledOnly: filledOnlyFiles.has(filePath),
                  isRoot: false,
                }),
              );
            },
          },
        },
      },
      bannerComment: '',
      unknownAny: true,
      strictIndexSignatures: true,
      // maxItems would become unions of tuples (up to 20 long for sampleFailures).
      ignoreMinAndMaxItems: true,
      additionalProperties: false,
      // json-schema-to-typescript formats with its own Prettier; the project's lint style, for readability.
      style: { singleQuote: true, printWidth: 110, trailingComma: 'all', bracketSpacing: true },
    });
    for (const declaration of declarations(source, entry.file)) {
      const previous = byName.get(declaration.name);
      if (previous === undefined) {
        byName.set(declaration.name, { ...declaration, file: entry.file });
      } else if (previous.text !== declaration.text) {
        throw new Error(
          `type ${declaration.name} is generated differently from schemas/${previous.file} and schemas/${entry.file}: give one of them another title`,
        );
      }
    }
  }
  const body = [...byName.values()].map((declaration) => declaration.text).join('\n\n');
  return `${banner}\n\n${body}\n`;
}

/** The type a validator's guard narrows to: after useDefaults, the filled type when there is one. */
const validatedTypeName = (entry: SchemaEntry): string =>
  entry.defaults === 'both' ? `${entry.typeName}${withDefaultsSuffix}` : entry.typeName;

function buildValidatorTypes(schemas: Map<SchemaEntry, SchemaObject>): string {
  const entries = [...schemas.keys()];
  return [
    banner,
    `import type { ${[...new Set(entries.map(validatedTypeName))].join(', ')} } from './types.js';`,
    '',
    '/** One validation error, as Ajv reports it (`instancePath` is a JSON pointer into the data). */',
    'export interface SchemaError {',
    '  instancePath: string;',
    '  message?: string;',
    '  keyword: string;',
    '  params: Record<string, unknown>;',
    '}',
    '',
    '/**',
    ' * A precompiled validator. It fills in schema defaults in place (useDefaults) and reports every error',
    ' * (allErrors) in `errors`, which is overwritten by the next call.',
    ' */',
    'export type SchemaValidator<T> = ((data: unknown) => data is T) & { errors?: SchemaError[] | null };',
    '',
    ...entries.map(
      (e) => `export declare const ${e.validatorName}: SchemaValidator<${validatedTypeName(e)}>;`,
    ),
    '',
  ].join('\n');
}

function buildSchemaIds(schemas: Map<SchemaEntry, SchemaObject>): string {
  const all = [...schemas.entries()];
  const events = all.filter(([entry]) => entry.detailType !== undefined);
  const detailKey = (detailType: string): string => {
    const key = Object.entries(detailTypes).find(([, value]) => value === detailType)?.[0];
    if (key === undefined) throw new Error(`detail type ${detailType} not in detailTypes`);
    return key;
  };
  return [
    banner,
    "import { type DetailType, detailTypes } from '../core/names.js';",
    `import type { ${events.map(([e]) => e.typeName).join(', ')} } from './types.js';`,
    `import { type SchemaValidator, ${events.map(([e]) => e.validatorName).join(', ')} } from './validators.js';`,
    '',
    '/** `$id` of every generated schema, by type name. */',
    'export const schemaIds = {',
    ...all.map(([entry, schema]) => `  ${entry.typeName}: ${JSON.stringify(schema['$id'])},`),
    '} as const;',
    '',
    '/** The `detail` type of each orchestrator event, by detail type. */',
    'export interface EventDetailByType {',
    ...events.map(([e]) => `  [detailTypes.${detailKey(e.detailType!)}]: ${e.typeName};`),
    '}',
    '',
    '/** The validator of each event detail, by detail type. */',
    'export const detailValidators: { readonly [K in DetailType]: SchemaValidator<EventDetailByType[K]> } = {',
    ...events.map(([e]) => `  [detailTypes.${detailKey(e.detailType!)}]: ${e.validatorName},`),
    '};',
    '',
    '/** The schema file (under schemas/) of each event detail, by detail type. */',
    'export const detailSchemaFiles: { readonly [K in DetailType]: string } = {',
    ...events.map(([e]) => `  [detailTypes.${detailKey(e.detailType!)}]: ${JSON.stringify(e.file)},`),
    '};',
    '',
  ].join('\n');
}

/**
 * Every path under a schema node that ends at a `format: date-time` string (`*` for array items), following
 * `$ref`s (local and into common.schema.json), `properties`, `items` and the `allOf`/`anyOf`/`oneOf`
 * branches. A `$ref` already on the current path is not followed again, so recursive schemas terminate.
 */
function dateTimePaths(
  node: SchemaObject,
  resolve: (ref: string, from: SchemaObject) => { schema: SchemaObject; root: SchemaObject },
  root: SchemaObject,
  path: readonly string[] = [],
  seen: ReadonlySet<string> = new Set(),
): string[][] {
  if (typeof node['$ref'] === 'string') {
    const ref = node['$ref'] as string;
    if (seen.has(ref)) return [];
    const target = resolve(ref, root);
    return dateTimePaths(target.schema, resolve, target.root, path, new Set([...seen, ref]));
  }
  const found: string[][] = node['format'] === 'date-time' ? [[...path]] : [];
  const properties = (node['properties'] ?? {}) as Record<string, SchemaObject>;
  for (const [name, child] of Object.entries(properties)) {
    found.push(...dateTimePaths(child, resolve, root, [...path, name], seen));
  }
  if (node['items'] && typeof node['items'] === 'object') {
    found.push(...dateTimePaths(node['items'] as SchemaObject, resolve, root, [...path, '*'], seen));
  }
  for (const keyword of ['allOf', 'anyOf', 'oneOf']) {
    for (const branch of (node[keyword] ?? []) as SchemaObject[]) {
      found.push(...dateTimePaths(branch, resolve, root, path, seen));
    }
  }
  return found;
}

function buildDateTimePaths(common: SchemaObject, schemas: Map<SchemaEntry, SchemaObject>): string {
  const request = [...schemas.entries()].find(([entry]) => entry.typeName === 'JobRequest')?.[1];
  if (!request) throw new Error('schemas/job-request.schema.json: not loaded');
  const resolve = (ref: string, from: SchemaObject) => {
    const [file, pointer = ''] = ref.split('#');
    const root = file === '' ? from : file === commonSchemaFile ? common : undefined;
    if (!root) throw new Error(`date-time paths: cannot resolve $ref ${ref}`);
    let schema: unknown = root;
    for (const part of pointer.split('/').filter(Boolean)) schema = (schema as Record<string, unknown>)[part];
    if (!schema || typeof schema !== 'object') throw new Error(`date-time paths: $ref ${ref} points nowhere`);
    return { schema: schema as SchemaObject, root };
  };
  const operation = (request['properties'] as Record<string, SchemaObject>)['operation'];
  if (!operation) throw new Error('schemas/job-request.schema.json: no operation property');
  const unique = [
    ...new Map(dateTimePaths(operation, resolve, request).map((p) => [p.join('.'), p])).values(),
  ];
  return [
    banner,
    '',
    '/**',
    " * Paths inside a job request's `operation` (S3 Control's Operation) whose schema is `format: date-time`;",
    ' * `*` stands for any array item. The S3 Control adapter converts these strings to `Date`s for CreateJob.',
    ' */',
    'export const operationDateTimePaths: readonly (readonly string[])[] = [',
    ...unique.map((p) => `  ${JSON.stringify(p)},`),
    '];',
    '',
  ].join('\n');
}

/**
 * Constants read out of the schemas, so code never repeats them: the job statuses (common.schema.json
 * JobStatus) and the job request's defaults, by the title of the definition that declares them. Code that
 * meets a request part its validator did not fill (a policy section that is absent, so its defaults are
 * not either) reads them here.
 */
function buildConstants(common: SchemaObject, schemas: Map<SchemaEntry, SchemaObject>): string {
  const statuses = (common['definitions'] as Record<string, SchemaObject>)['JobStatus']?.['enum'];
  if (!Array.isArray(statuses)) throw new Error('schemas/common.schema.json: JobStatus has no enum');
  const request = [...schemas.entries()].find(([entry]) => entry.typeName === 'JobRequest')?.[1];
  if (!request) throw new Error('schemas/job-request.schema.json: not loaded');
  const defaults: [string, Record<string, unknown>][] = [];
  for (const node of [
    request,
    ...Object.values((request['definitions'] ?? {}) as Record<string, SchemaObject>),
  ]) {
    const properties = (node['properties'] ?? {}) as Record<string, SchemaObject>;
    const found = Object.entries(properties).filter(([, property]) => 'default' in property);
    if (found.length === 0) continue;
    if (typeof node['title'] !== 'string')
      throw new Error('schemas/job-request.schema.json: a node with defaults has no title');
    defaults.push([
      node['title'],
      Object.fromEntries(found.map(([name, property]) => [name, property['default']])),
    ]);
  }
  return [
    banner,
    '',
    '/** Every S3 Batch Operations job status (schemas/common.schema.json JobStatus). */',
    `export const jobStatuses = ${JSON.stringify(statuses)} as const;`,
    '',
    '/** Defaults of schemas/job-request.schema.json, by the title of the definition declaring them. */',
    'export const jobRequestDefaults = {',
    ...defaults.map(([title, values]) => `  ${title}: ${JSON.stringify(values)},`),
    '} as const;',
    '',
  ].join('\n');
}

const indexFile = [
  banner,
  "export * from './constants.js';",
  "export * from './date-time-paths.js';",
  "export * from './schema-ids.js';",
  "export type * from './types.js';",
  "export * from './validators.js';",
  '',
].join('\n');

/** Every generated file, keyed by path relative to the repository root. Writes nothing. */
export async function generateSchemaFiles(root: string = repoRoot): Promise<Record<string, string>> {
  const { common, schemas } = await loadSchemas(root);
  return {
    [`${generatedDir}/constants.ts`]: buildConstants(common, schemas),
    [`${generatedDir}/date-time-paths.ts`]: buildDateTimePaths(common, schemas),
    [`${generatedDir}/index.ts`]: indexFile,
    [`${generatedDir}/schema-ids.ts`]: buildSchemaIds(schemas),
    [`${generatedDir}/types.ts`]: await buildTypes(root, common, schemas),
    [`${generatedDir}/validators.d.ts`]: buildValidatorTypes(schemas),
    [`${generatedDir}/validators.js`]: buildValidators(common, schemas),
  };
}

generateWhenRun(import.meta.url, repoRoot, generateSchemaFiles);
