/**
 * The orchestrator's events as consumers see them: each detail schema of schemas/events bundled into one
 * self-contained JSON Schema of the whole EventBridge event, and the stage's EventBridge Schema Registry
 * holding one schema per detail type. serverless.yml includes the registry as
 * `${file(./packaging/event-schemas.cjs):resources}` (osls' file variable source calls `resources` at package
 * time, as campaigns/schedules.cjs); scripts/gen-events.ts writes the same bundles to events/schemas/ for the
 * npm entry point `s3-batch-orchestrator/events`. CommonJS because osls require()s the file.
 *
 * Bundling: every `$ref` (into another file, or `#/definitions/…` of the same one) becomes
 * `#/definitions/<Name>` of the bundle, named after the definition, or after its file too when two files
 * define the same name differently; `$id`, `$comment` and the files' own `definitions` go (only what is
 * referenced is kept). The bundle is draft-07, like schemas/.
 *
 * The registry's schema type: AWS::EventSchemas::Schema takes `OpenApi3` or `JSONSchemaDraft4`
 * (CloudFormation template reference, AWS::EventSchemas::Schema, Type). Draft 4 is the nearer of the two to
 * draft-07 (OpenAPI 3.0 has no `definitions`, no type arrays for nullable values, no `not`-free way to say
 * `const`), so `toDraft4` rewrites what draft 4 spells differently or lacks:
 * - `exclusiveMinimum: n` / `exclusiveMaximum: n` (numbers since draft 6) -> `minimum`/`maximum: n` with the
 *   draft-4 boolean `exclusiveMinimum`/`exclusiveMaximum: true` (the stricter bound when both are given);
 * - `const: v` -> `enum: [v]`;
 * - `if`/`then`/`else` (draft 7) -> the same logic in draft-4 keywords:
 *   `anyOf: [{ allOf: [if, then] }, { allOf: [{ not: if }, else] }]` (a missing `then`/`else` is `{}`), added
 *   to the node's `allOf`. Exact, not an annotation: a draft-4 validator enforces it as a draft-07 one
 *   enforces the original (only the error messages differ);
 * - `$schema` -> draft-04.
 * Draft-6/7 keywords with no draft-4 form (`contains`, `propertyNames`, boolean schemas) fail the bundle, so
 * a schema change that needs them is noticed at package time rather than published half-enforced.
 */
const { readFileSync } = require('node:fs');
const { dirname, join, relative, resolve } = require('node:path');

const schemasDir = join(__dirname, '..', 'schemas');
const serviceName = 's3-batch-orchestrator';

/** CreateSchema's Content is 1-100,000 characters (EventBridge Schemas API reference, CreateSchema). */
const maxContentLength = 100000;
/** CreateSchema's Description: at most 256 characters. */
const maxDescriptionLength = 256;
const schemaType = 'JSONSchemaDraft4';
const logicalIds = { registry: 'EventSchemaRegistry' };

class EventSchemaBundleError extends Error {
  constructor(file, problem) {
    super(`schemas/${file}: ${problem}`);
    this.name = 'EventSchemaBundleError';
  }
}

const isObject = (value) => typeof value === 'object' && value !== null && !Array.isArray(value);

/** `Batch Job Auto-Cancelled` -> `batch-job-auto-cancelled` (the schema file's name, as scripts/gen-schemas.ts). */
const kebabOf = (text) =>
  text
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-|-$/g, '');

/**
 * `Batch Job Auto-Cancelled` -> `BatchJobAutoCancelled`: the words of the detail type, capitalised, without
 * what separates them, as discovered schemas are named (`aws.ec2@EC2InstanceStateChangeNotification` for
 * "EC2 Instance State-change Notification").
 */
const pascalOf = (text) =>
  text
    .split(/[^A-Za-z0-9]+/)
    .filter((word) => word !== '')
    .map((word) => word[0].toUpperCase() + word.slice(1))
    .join('');

/** The registry's name for the stage (a registry per stage, like the bus). */
const registryName = (stage) => `${serviceName}-${stage}`;
/** The registry schema of a detail type: `<source>@<DetailTypeInPascalCase>`, the discovered-schema convention. */
const schemaName = (source, detailType) => `${source}@${pascalOf(detailType)}`;
/** The schema file of a detail type under schemas/. */
const detailSchemaFile = (detailType) => `events/${kebabOf(detailType)}.schema.json`;

/** Keywords whose value is data (or names), never a schema to walk. */
const literalKeywords = new Set(['enum', 'const', 'default', 'examples', 'required', 'type', 'format']);
/** Keywords whose value maps names to schemas. */
const mapKeywords = new Set(['properties', 'patternProperties', 'dependencies']);
/** Keywords dropped from every schema node of a bundle. */
const droppedKeywords = new Set(['$id', '$comment', '$schema', 'definitions']);

function readSchema(root, file, cache) {
  const path = resolve(root, file);
  if (!cache.has(path)) {
    try {
      cache.set(path, JSON.parse(readFileSync(path, 'utf8')));
    } catch (error) {
      throw new EventSchemaBundleError(relative(root, path), `cannot read (${error.message})`);
    }
  }
  return cache.get(path);
}

/** The node a JSON pointer (`/definitions/Name`, or `` for the whole file) points at. */
function atPointer(document, pointer, file) {
  let node = document;
  for (const part of pointer.split('/').filter((p) => p !== '')) {
    const key = part.replace(/~1/g, '/').replace(/~0/g, '~');
    node = isObject(node) ? node[key] : undefined;
  }
  if (!isObject(node)) throw new EventSchemaBundleError(file, `$ref #${pointer} points nowhere`);
  return node;
}

/**
 * The detail schema of `detailType` (schemas/events/<kebab>.schema.json) with every `$ref` resolved into
 * `definitions`: `{ root, definitions }`, `root` being the detail's name in `definitions`.
 */
function bundleDetail(detailType, root = schemasDir) {
  const cache = new Map();
  /** `<abs file>#<pointer>` -> definition name */
  const names = new Map();
  const taken = new Set();
  const definitions = {};
  const queue = [];

  const nameFor = (path, pointer, target) => {
    const key = `${path}#${pointer}`;
    if (names.has(key)) return names.get(key);
    const base = pointer === '' ? target.title : pointer.split('/').pop();
    if (typeof base !== 'string' || base === '') {
      throw new EventSchemaBundleError(
        relative(root, path),
        `a $ref to #${pointer} needs a title to be named`,
      );
    }
    const stem = pascalOf(relative(root, path).replace(/\.schema\.json$/, ''));
    let name = base;
    for (let n = 2; taken.has(name); n++) name = n === 2 ? `${stem}${base}` : `${stem}${base}${n}`;
    taken.add(name);
    names.set(key, name);
    queue.push({ name, path, target });
    return name;
  };

  const refOf = (ref, fromPath) => {
    const [filePart, pointer = ''] = ref.split('#');
    const path = filePart === '' ? fromPath : resolve(dirname(fromPath), filePart);
    const document = readSchema(root, path, cache);
    const target = atPointer(document, pointer, relative(root, path));
    return `#/definitions/${nameFor(path, pointer, target)}`;
  };

  const copySchema = (node, fromPath) => {
    if (Array.isArray(node)) return node.map((item) => copySchema(item, fromPath));
    if (!isObject(node)) return node;
    const out = {};
    for (const [keyword, value] of Object.entries(node)) {
      if (droppedKeywords.has(keyword)) continue;
      if (keyword === '$ref') out.$ref = refOf(value, fromPath);
      else if (literalKeywords.has(keyword)) out[keyword] = structuredClone(value);
      else if (mapKeywords.has(keyword) && isObject(value)) {
        out[keyword] = Object.fromEntries(
          Object.entries(value).map(([name, schema]) => [name, copySchema(schema, fromPath)]),
        );
      } else out[keyword] = copySchema(value, fromPath);
    }
    return out;
  };

  const file = detailSchemaFile(detailType);
  const detailPath = resolve(root, file);
  const detail = readSchema(root, detailPath, cache);
  if (typeof detail.title !== 'string') throw new EventSchemaBundleError(file, 'has no title');
  const rootName = nameFor(detailPath, '', detail);
  while (queue.length > 0) {
    const { name, path, target } = queue.shift();
    definitions[name] = copySchema(target, path);
  }
  return { root: rootName, definitions };
}

/** `^\d{12}$` and the RFC 3339 pattern, as common.schema.json spells them. */
function commonPattern(name, root) {
  const common = JSON.parse(readFileSync(join(root, 'common.schema.json'), 'utf8'));
  const pattern = common.definitions?.[name]?.pattern;
  if (typeof pattern !== 'string')
    throw new EventSchemaBundleError('common.schema.json', `${name} has no pattern`);
  return pattern;
}

/**
 * The whole EventBridge event of `detailType` as one draft-07 schema (EventBridge User Guide, "Amazon
 * EventBridge events": version, id, detail-type, source, account, time, region, resources, detail). With
 * `source`, the event's source must be that one (a stage's registry); without, any (the npm entry point:
 * a stage may set its own params.eventSource). Other top-level fields are allowed: EventBridge adds
 * `replay-name` to replayed events (User Guide, "Replaying archived events").
 */
/**
 * @param {string} detailType
 * @param {{ source?: string, root?: string }} [options] `root`: the schemas folder (default schemas/)
 * @returns {Record<string, any>}
 */
function bundleEventSchema(detailType, { source, root = schemasDir } = {}) {
  const { root: detailName, definitions } = bundleDetail(detailType, root);
  return {
    $schema: 'http://json-schema.org/draft-07/schema#',
    title: `${pascalOf(detailType)}Event`,
    description: `The EventBridge event with detail-type "${detailType}" that the S3 Batch orchestrator puts on its stage's bus (${serviceName}-<stage>).`,
    type: 'object',
    required: ['version', 'id', 'detail-type', 'source', 'account', 'time', 'region', 'resources', 'detail'],
    properties: {
      version: { description: 'The event format version: "0".', type: 'string', enum: ['0'] },
      id: { description: 'Unique per event, generated by EventBridge.', type: 'string', minLength: 1 },
      'detail-type': { type: 'string', enum: [detailType] },
      source:
        source === undefined
          ? {
              description: `The stage's params.eventSource (by default ${serviceName}).`,
              type: 'string',
              minLength: 1,
            }
          : { type: 'string', enum: [source] },
      account: {
        description: 'The account of the bus.',
        type: 'string',
        pattern: commonPattern('AccountId', root),
      },
      time: {
        description: 'When the event was put.',
        type: 'string',
        format: 'date-time',
        pattern: commonPattern('DateTime', root),
      },
      region: { type: 'string', minLength: 1 },
      resources: { type: 'array', items: { type: 'string' } },
      detail: { $ref: `#/definitions/${detailName}` },
    },
    definitions,
  };
}

/** Keywords that take one schema, or an array of schemas, which `toDraft4` walks. */
const schemaKeywords = new Set([
  'items',
  'additionalItems',
  'additionalProperties',
  'not',
  'allOf',
  'anyOf',
  'oneOf',
]);
const unsupportedInDraft4 = new Set(['contains', 'propertyNames', 'if', 'then', 'else', 'const']);

/**
 * `propertyNames` of a map (no `properties`, no `patternProperties`) whose name schema only bounds the
 * length or gives a pattern, as one regular expression: `additionalProperties: S` with those names is
 * `patternProperties: { <regex>: S }, additionalProperties: false` in draft 4. Lengths count code points, as
 * `minLength` does and a `u`-flag regex does (Ajv compiles patterns with `u`).
 */
function propertyNamesAsPattern(node, where) {
  const names = node.propertyNames;
  const allowed = new Set(['pattern', 'minLength', 'maxLength', 'type', 'description']);
  if (
    !isObject(names) ||
    'properties' in node ||
    'patternProperties' in node ||
    Object.keys(names).some((keyword) => !allowed.has(keyword)) ||
    (names.type !== undefined && names.type !== 'string')
  ) {
    throw new EventSchemaBundleError(
      where,
      'propertyNames has a draft-4 form here only as a pattern or length bounds on a map without properties',
    );
  }
  const { minLength = 0, maxLength, pattern } = names;
  const length =
    minLength === 0 && maxLength === undefined ? '' : `(?=[\\s\\S]{${minLength},${maxLength ?? ''}}$)`;
  const regex =
    pattern === undefined ? `^${length}` : length === '' ? pattern : `^${length}[\\s\\S]*?(?:${pattern})`;
  return regex;
}

/**
 * A draft-07 bundle as JSON Schema draft 4 (see the header for what changes and why).
 * @param {Record<string, any>} schema
 * @returns {Record<string, any>}
 */
function toDraft4(schema) {
  const convert = (node, where) => {
    if (typeof node === 'boolean') {
      throw new EventSchemaBundleError(where, 'a boolean schema has no draft-4 form');
    }
    if (!isObject(node)) return node;
    const out = {};
    for (const [keyword, value] of Object.entries(node)) {
      if (
        unsupportedInDraft4.has(keyword) ||
        keyword === 'exclusiveMinimum' ||
        keyword === 'exclusiveMaximum'
      )
        continue;
      if (literalKeywords.has(keyword)) out[keyword] = structuredClone(value);
      else if (mapKeywords.has(keyword) || keyword === 'definitions') {
        out[keyword] = Object.fromEntries(
          Object.entries(value).map(([name, child]) => [
            name,
            Array.isArray(child) ? [...child] : convert(child, `${where}/${keyword}/${name}`),
          ]),
        );
      } else if (schemaKeywords.has(keyword)) {
        out[keyword] =
          typeof value === 'boolean' && keyword.startsWith('additional')
            ? value
            : Array.isArray(value)
              ? value.map((child, i) => convert(child, `${where}/${keyword}/${i}`))
              : convert(value, `${where}/${keyword}`);
      } else out[keyword] = structuredClone(value);
    }
    if ('contains' in node) throw new EventSchemaBundleError(where, 'contains has no draft-4 form');
    if ('propertyNames' in node) {
      const values = out.additionalProperties;
      out.patternProperties = {
        [propertyNamesAsPattern(node, where)]:
          typeof values === 'boolean' ? (values ? {} : { not: {} }) : (values ?? {}),
      };
      out.additionalProperties = false;
    }
    if ('const' in node) {
      if ('enum' in node) throw new EventSchemaBundleError(where, 'both const and enum');
      out.enum = [structuredClone(node.const)];
    }
    for (const [exclusive, inclusive, stricter] of [
      ['exclusiveMinimum', 'minimum', (a, b) => a >= b],
      ['exclusiveMaximum', 'maximum', (a, b) => a <= b],
    ]) {
      if (typeof node[exclusive] !== 'number') continue;
      if (typeof node[inclusive] !== 'number' || stricter(node[exclusive], node[inclusive])) {
        out[inclusive] = node[exclusive];
        out[exclusive] = true;
      }
    }
    if ('if' in node) {
      const condition = convert(node.if, `${where}/if`);
      const then = 'then' in node ? convert(node.then, `${where}/then`) : {};
      const otherwise = 'else' in node ? convert(node.else, `${where}/else`) : {};
      out.allOf = [
        ...(out.allOf ?? []),
        { anyOf: [{ allOf: [condition, then] }, { allOf: [{ not: condition }, otherwise] }] },
      ];
    }
    return out;
  };
  return { ...convert(schema, '#'), $schema: 'http://json-schema.org/draft-04/schema#' };
}

/**
 * Every `$ref` in a schema (for checks).
 * @param {unknown} node
 * @param {string[]} [found]
 * @returns {string[]}
 */
function refsOf(node, found = []) {
  if (Array.isArray(node)) for (const item of node) refsOf(item, found);
  else if (isObject(node)) {
    for (const [keyword, value] of Object.entries(node)) {
      if (keyword === '$ref' && typeof value === 'string') found.push(value);
      else if (!literalKeywords.has(keyword)) refsOf(value, found);
    }
  }
  return found;
}

/**
 * The registry and its schemas: `{ Resources: { EventSchemaRegistry, EventSchema<DetailType>… } }`.
 * `detailTypes` maps keys to detail types (src/core/names.ts detailTypes, as events/detail-types.json).
 */
/**
 * @typedef {object} EventSchemaResource
 * @property {'AWS::EventSchemas::Registry' | 'AWS::EventSchemas::Schema'} Type
 * @property {Record<string, unknown>} Properties
 */
/**
 * @param {{ stage: string, source: string, detailTypes: Record<string, string> }} settings
 * @param {string} [root] the schemas folder (default schemas/)
 * @returns {{ Resources: Record<string, EventSchemaResource> }}
 */
function buildEventSchemaResources({ stage, source, detailTypes }, root = schemasDir) {
  if (typeof stage !== 'string' || stage === '') throw new Error('event schemas: stage missing');
  if (typeof source !== 'string' || source === '')
    throw new Error(`event schemas (stage ${stage}): eventSource missing`);
  const resources = {
    [logicalIds.registry]: {
      Type: 'AWS::EventSchemas::Registry',
      Properties: {
        RegistryName: registryName(stage),
        Description: `Events the S3 Batch orchestrator (stage ${stage}) puts on its bus ${serviceName}-${stage}.`,
      },
    },
  };
  for (const detailType of Object.values(detailTypes)) {
    const id = `EventSchema${pascalOf(detailType)}`;
    if (id in resources)
      throw new Error(`event schemas: "${detailType}" gives the same logical id (${id}) as another`);
    const content = JSON.stringify(toDraft4(bundleEventSchema(detailType, { source, root })));
    // osls resolves ${…} variables in what `resources` returns (as packaging/named-json-file.cjs notes).
    if (content.includes('${')) {
      throw new EventSchemaBundleError(
        detailSchemaFile(detailType),
        'contains "${", which osls would read as a variable',
      );
    }
    if (content.length > maxContentLength) {
      throw new EventSchemaBundleError(
        detailSchemaFile(detailType),
        `bundled, it is ${content.length} characters; a registry schema holds at most ${maxContentLength}`,
      );
    }
    resources[id] = {
      Type: 'AWS::EventSchemas::Schema',
      Properties: {
        RegistryName: { 'Fn::GetAtt': [logicalIds.registry, 'RegistryName'] },
        SchemaName: schemaName(source, detailType),
        Type: schemaType,
        Description: `The "${detailType}" event.`.slice(0, maxDescriptionLength),
        Content: content,
      },
    };
  }
  return { Resources: resources };
}

/** The detail types as published (events/detail-types.json, generated from src/core/names.ts). */
const publishedDetailTypes = () =>
  JSON.parse(readFileSync(join(__dirname, '..', 'events', 'detail-types.json'), 'utf8'));

module.exports = {
  EventSchemaBundleError,
  bundleEventSchema,
  buildEventSchemaResources,
  detailSchemaFile,
  logicalIds,
  maxContentLength,
  refsOf,
  registryName,
  schemaName,
  schemaType,
  toDraft4,
  // osls entry point: `${file(./packaging/event-schemas.cjs):resources}`.
  resources: async ({ resolveVariable }) =>
    buildEventSchemaResources({
      stage: await resolveVariable('sls:stage'),
      source: await resolveVariable('param:eventSource'),
      detailTypes: publishedDetailTypes(),
    }),
};
