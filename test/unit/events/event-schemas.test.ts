/**
 * packaging/event-schemas.cjs: the bundled event schemas are self-contained and valid (draft-07 for the npm
 * entry point, draft-04 for the registry), the draft-4 conversion keeps what each keyword means, and the
 * stage's registry holds one schema per detail type, named as EventBridge names discovered schemas.
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { Ajv, type AnySchemaObject } from 'ajv';
import AjvDraft04 from 'ajv-draft-04';
import { describe, expect, it } from 'vitest';
import {
  buildEventSchemaResources,
  bundleEventSchema,
  EventSchemaBundleError,
  maxContentLength,
  refsOf,
  resources,
  toDraft4,
} from '../../../packaging/event-schemas.cjs';
import { defaultEventSource, detailTypes } from '../../../src/core/names.js';
import { projectRoot } from '../../contract/helpers/paths.js';

type Schema = AnySchemaObject;
const allDetailTypes = Object.values(detailTypes);

/** Ajv for draft-07, as scripts/gen-schemas.ts configures it (formats are documentation there too). */
const draft07 = () =>
  new Ajv({
    strict: true,
    strictRequired: false,
    allowUnionTypes: true,
    validateFormats: false,
    allErrors: true,
  });
/** Ajv for draft-04, the registry's schema type. */
const draft04 = () => new AjvDraft04.default({ strict: false, validateFormats: false, allErrors: true });

/** Every schema node's keywords, wherever they are (property names excluded). */
function keywordsOf(node: unknown, found = new Set<string>()): Set<string> {
  if (Array.isArray(node)) for (const item of node) keywordsOf(item, found);
  else if (node !== null && typeof node === 'object') {
    for (const [key, value] of Object.entries(node)) {
      if (['properties', 'patternProperties', 'definitions'].includes(key)) {
        for (const child of Object.values(value as object)) keywordsOf(child, found);
        continue;
      }
      found.add(key);
      if (!['enum', 'const', 'default', 'examples', 'required'].includes(key)) keywordsOf(value, found);
    }
  }
  return found;
}

const registryContent = (detailType: string, source = defaultEventSource): Schema =>
  toDraft4(bundleEventSchema(detailType, { source }));

describe('bundleEventSchema', () => {
  describe.each(allDetailTypes)('%s', (detailType) => {
    const bundle = bundleEventSchema(detailType) as Schema;

    it('refers only to its own definitions, and every one resolves', () => {
      const refs = refsOf(bundle);
      expect(refs.length).toBeGreaterThan(0);
      for (const ref of refs) {
        expect(ref).toMatch(/^#\/definitions\/[A-Za-z0-9]+$/);
        expect(bundle['definitions'][ref.slice('#/definitions/'.length)], ref).toBeDefined();
      }
    });

    it('keeps no $id or $comment, and one $schema at the top', () => {
      const { $schema, ...rest } = bundle;
      const keywords = keywordsOf(rest);
      expect(keywords.has('$id')).toBe(false);
      expect(keywords.has('$comment')).toBe(false);
      expect(keywords.has('$schema')).toBe(false);
      expect($schema).toBe('http://json-schema.org/draft-07/schema#');
    });

    it('describes the whole event: the envelope, its one detail type, the detail', () => {
      expect(bundle['required']).toEqual([
        'version',
        'id',
        'detail-type',
        'source',
        'account',
        'time',
        'region',
        'resources',
        'detail',
      ]);
      expect(bundle['properties']['detail-type']).toEqual({ type: 'string', enum: [detailType] });
      expect(bundle['properties']['detail']['$ref']).toMatch(/Detail$/);
    });

    it('compiles with Ajv in strict mode', () => {
      expect(() => draft07().compile(bundle)).not.toThrow();
    });
  });

  it('names a definition after its file too when another file defines the same name', () => {
    // Prepare: two files that both define Thing, and a detail referring to both
    const root = mkdtempSync(join(tmpdir(), 'event-schemas-'));
    try {
      const write = (file: string, schema: object) => {
        mkdirSync(dirname(join(root, file)), { recursive: true });
        writeFileSync(join(root, file), JSON.stringify(schema));
      };
      const common = JSON.parse(readFileSync(join(projectRoot, 'schemas/common.schema.json'), 'utf8'));
      write('common.schema.json', common);
      write('job-state.schema.json', { definitions: { Thing: { type: 'string' } } });
      write('campaign-state.schema.json', { definitions: { Thing: { type: 'integer' } } });
      write('events/widget-made.schema.json', {
        $id: 'https://example.invalid/widget-made',
        title: 'WidgetMadeDetail',
        type: 'object',
        properties: {
          a: { $ref: '../job-state.schema.json#/definitions/Thing' },
          b: { $ref: '../campaign-state.schema.json#/definitions/Thing' },
          c: { $ref: '#/definitions/Local' },
        },
        definitions: { Local: { $comment: 'dropped', type: 'boolean' }, Unused: { type: 'null' } },
      });

      // Act
      const bundle = bundleEventSchema('Widget Made', { root }) as Schema;

      // Assess
      expect(bundle['definitions']).toEqual({
        WidgetMadeDetail: {
          title: 'WidgetMadeDetail',
          type: 'object',
          properties: {
            a: { $ref: '#/definitions/Thing' },
            b: { $ref: '#/definitions/CampaignStateThing' },
            c: { $ref: '#/definitions/Local' },
          },
        },
        Thing: { type: 'string' },
        CampaignStateThing: { type: 'integer' },
        Local: { type: 'boolean' },
      });
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });

  it('pins the source when given one (a stage registry), and accepts any without', () => {
    expect(bundleEventSchema(detailTypes.submitted, { source: 'acme.batch' }).properties.source).toEqual({
      type: 'string',
      enum: ['acme.batch'],
    });
    expect(bundleEventSchema(detailTypes.submitted).properties.source).toMatchObject({
      type: 'string',
      minLength: 1,
    });
  });
});

describe('toDraft4', () => {
  it.each(allDetailTypes)(
    'turns %s into a valid draft-04 schema without draft-6/7 keywords',
    (detailType) => {
      // Act
      const content = registryContent(detailType);

      // Assess
      const ajv = draft04();
      expect(ajv.validateSchema(content), JSON.stringify(ajv.errors)).toBe(true);
      expect(() => ajv.compile(content)).not.toThrow();
      const keywords = keywordsOf(content);
      for (const keyword of ['const', 'if', 'then', 'else', 'propertyNames', 'contains', '$id', '$comment']) {
        expect(keywords.has(keyword), keyword).toBe(false);
      }
      expect(content['$schema']).toBe('http://json-schema.org/draft-04/schema#');
    },
  );

  /** The same verdict from the draft-07 original and its draft-04 conversion, for every sample. */
  const sameVerdicts = (schema: Schema, samples: unknown[]) => {
    const original = draft07().compile({ $schema: 'http://json-schema.org/draft-07/schema#', ...schema });
    const converted = draft04().compile(toDraft4(schema));
    return samples.map((sample) => [sample, original(sample), converted(sample)]);
  };

  it('keeps exclusive bounds exclusive, the stricter bound winning', () => {
    const schema = {
      type: 'object',
      properties: {
        rate: { type: 'number', exclusiveMinimum: 0, maximum: 1 },
        tight: { type: 'number', minimum: 5, exclusiveMinimum: 2, exclusiveMaximum: 10 },
      },
    };
    expect(toDraft4(schema).properties.rate).toEqual({
      type: 'number',
      minimum: 0,
      exclusiveMinimum: true,
      maximum: 1,
    });
    for (const [sample, before, after] of sameVerdicts(schema, [
      { rate: 0 },
      { rate: 0.5 },
      { rate: 1 },
      { tight: 4 },
      { tight: 5 },
      { tight: 10 },
      { tight: 9.99 },
    ])) {
      expect(after, JSON.stringify(sample)).toBe(before);
    }
  });

  it('turns const into a one-value enum', () => {
    expect(toDraft4({ const: 'Failed' })).toMatchObject({ enum: ['Failed'] });
    expect(
      sameVerdicts({ type: 'object', properties: { s: { const: 'Failed' } } }, [
        { s: 'Failed' },
        { s: 'Complete' },
      ]),
    ).toEqual([
      [{ s: 'Failed' }, true, true],
      [{ s: 'Complete' }, false, false],
    ]);
  });

  it('enforces if/then/else through anyOf, with the same verdicts', () => {
    const schema = {
      type: 'object',
      properties: { enabled: { type: 'boolean' }, bucket: { type: 'string' } },
      if: { properties: { enabled: { const: true } }, required: ['enabled'] },
      // biome-ignore lint/suspicious/noThenProperty: JSON Schema's if/then/else keywords.
      then: { required: ['bucket'] },
      else: { not: { required: ['bucket'] } },
    };
    const samples = [
      { enabled: true, bucket: 'b' },
      { enabled: true },
      { enabled: false },
      { enabled: false, bucket: 'b' },
      {},
    ];
    const verdicts = sameVerdicts(schema, samples);
    for (const [sample, before, after] of verdicts) expect(after, JSON.stringify(sample)).toBe(before);
    expect(verdicts.map(([, before]) => before)).toEqual([true, false, true, false, true]);
  });

  it('turns propertyNames on a map into patternProperties', () => {
    const schema = {
      type: 'object',
      properties: {
        byCode: {
          type: 'object',
          propertyNames: { minLength: 1 },
          additionalProperties: { type: 'integer' },
        },
        byStatus: {
          type: 'object',
          propertyNames: { pattern: '^\\d{3}$' },
          additionalProperties: { type: 'integer' },
        },
      },
    };
    const samples = [
      { byCode: { AccessDenied: 2 } },
      { byCode: { '': 2 } },
      { byCode: { x: 'two' } },
      { byStatus: { '200': 8, '404': 1 } },
      { byStatus: { '20': 8 } },
      { byStatus: { '200': 'x' } },
    ];
    for (const [sample, before, after] of sameVerdicts(schema, samples)) {
      expect(after, JSON.stringify(sample)).toBe(before);
    }
  });

  it('refuses keywords draft 4 cannot say', () => {
    expect(() => toDraft4({ type: 'array', contains: { type: 'string' } })).toThrow(EventSchemaBundleError);
    expect(() => toDraft4({ properties: { a: false } })).toThrow(/boolean schema/);
    expect(() =>
      toDraft4({ type: 'object', properties: { a: {} }, propertyNames: { pattern: '^a' } }),
    ).toThrow(/propertyNames/);
  });
});

describe('buildEventSchemaResources', () => {
  const settings = { stage: 'dev', source: defaultEventSource, detailTypes };

  it("creates the stage's registry, named like the bus", () => {
    const { Resources } = buildEventSchemaResources(settings);
    expect(Resources['EventSchemaRegistry']).toEqual({
      Type: 'AWS::EventSchemas::Registry',
      Properties: { RegistryName: 's3-batch-orchestrator-dev', Description: expect.any(String) },
    });
  });

  it('makes one JSONSchemaDraft4 schema per detail type, named <source>@<DetailType>', () => {
    // Act
    const { Resources } = buildEventSchemaResources(settings);

    // Assess
    const schemas = Object.entries(Resources).filter(([, r]) => r.Type === 'AWS::EventSchemas::Schema');
    expect(schemas).toHaveLength(allDetailTypes.length);
    expect(Resources['EventSchemaBatchJobAutoCancelled']?.Properties).toMatchObject({
      RegistryName: { 'Fn::GetAtt': ['EventSchemaRegistry', 'RegistryName'] },
      SchemaName: 's3-batch-orchestrator@BatchJobAutoCancelled',
      Type: 'JSONSchemaDraft4',
    });
    for (const detailType of allDetailTypes) {
      const id = `EventSchema${detailType.replace(/[^A-Za-z0-9]/g, '')}`;
      const properties = Resources[id]?.Properties as Record<string, unknown>;
      expect(properties['SchemaName']).toBe(
        `s3-batch-orchestrator@${detailType.replace(/[^A-Za-z0-9]/g, '')}`,
      );
      expect(JSON.parse(properties['Content'] as string)).toEqual(registryContent(detailType));
    }
  });

  it(`keeps every schema's Content under the registry's ${maxContentLength} characters`, () => {
    const { Resources } = buildEventSchemaResources(settings);
    for (const resource of Object.values(Resources)) {
      if (resource.Type !== 'AWS::EventSchemas::Schema') continue;
      const content = (resource.Properties as { Content: string }).Content;
      expect(content.length).toBeGreaterThan(0);
      expect(content.length).toBeLessThanOrEqual(maxContentLength);
      expect(content).not.toContain('${');
    }
  });

  it("names the schemas after the stage's own event source", () => {
    const { Resources } = buildEventSchemaResources({ ...settings, source: 'acme.batch' });
    const submitted = Resources['EventSchemaBatchJobSubmitted']?.Properties as Record<string, string>;
    expect(submitted['SchemaName']).toBe('acme.batch@BatchJobSubmitted');
    expect(JSON.parse(submitted['Content']!).properties.source).toEqual({
      type: 'string',
      enum: ['acme.batch'],
    });
  });

  it('is what osls gets from the file variable, with the published detail types', async () => {
    const variables: Record<string, string> = {
      'sls:stage': 'prod',
      'param:eventSource': defaultEventSource,
    };
    const built = await resources({ resolveVariable: async (name: string) => variables[name] });
    expect(built).toEqual(buildEventSchemaResources({ ...settings, stage: 'prod' }));
  });
});
