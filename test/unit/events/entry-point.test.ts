/**
 * The npm entry point `s3-batch-orchestrator/events`: what an installed consumer imports is the project's
 * own detail types and schemas, its declaration file type-checks a consumer on its own, and the generated
 * files under events/ are what scripts/gen-events.ts makes from schemas/ and src/core/names.ts today.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import {
  allDetailTypes,
  eventSchemas,
  eventSource,
  detailTypes as publishedDetailTypes,
} from 's3-batch-orchestrator/events';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';
import { bundleEventSchema } from '../../../packaging/event-schemas.cjs';
import { eventsDir, generateEventFiles } from '../../../scripts/gen-events.js';
import { defaultEventSource, detailTypes } from '../../../src/core/names.js';
import { projectRoot } from '../../contract/helpers/paths.js';

describe('s3-batch-orchestrator/events', () => {
  it('publishes the detail types of src/core/names.ts, by the same names', () => {
    expect(publishedDetailTypes).toEqual(detailTypes);
    expect(allDetailTypes).toEqual(Object.values(detailTypes));
    expect(Object.isFrozen(publishedDetailTypes)).toBe(true);
  });

  it('publishes the default event source', () => {
    expect(eventSource).toBe(defaultEventSource);
  });

  it('publishes, per detail type, the bundled schema of its whole event', () => {
    expect(Object.keys(eventSchemas)).toEqual(Object.values(detailTypes));
    for (const detailType of Object.values(detailTypes)) {
      expect(eventSchemas[detailType]).toEqual(bundleEventSchema(detailType));
    }
  });

  it('is exported to consumers with its types, beside the bin', () => {
    const manifest = JSON.parse(readFileSync(join(projectRoot, 'package.json'), 'utf8'));
    expect(manifest.exports['./events']).toEqual({
      types: './events/index.d.ts',
      default: './events/index.js',
    });
    expect(manifest.bin).toEqual({ s3bo: 'bin/s3bo.mjs' });
  });

  it('type-checks a consumer against its declaration file alone (skipLibCheck off)', () => {
    // Prepare: the project's compiler options, but the declaration file checked too
    const config = ts.getParsedCommandLineOfConfigFile(
      join(projectRoot, 'tsconfig.json'),
      {},
      {
        ...ts.sys,
        onUnRecoverableConfigFileDiagnostic: () => {},
      },
    );
    if (!config) throw new Error('tsconfig.json: cannot read');
    const consumer = join(projectRoot, 'test/unit/events/consumer-example.ts');

    // Act
    const program = ts.createProgram([consumer], { ...config.options, skipLibCheck: false, noEmit: true });
    const diagnostics = ts
      .getPreEmitDiagnostics(program)
      .filter((d) => !d.file?.fileName.includes('node_modules'));

    // Assess
    expect(program.getSourceFile(join(projectRoot, 'events/index.d.ts'))).toBeDefined();
    expect(
      ts.formatDiagnostics(diagnostics, {
        ...ts.sys,
        getCanonicalFileName: (f) => f,
        getNewLine: () => '\n',
      }),
    ).toBe('');
  });
});

describe('events/ (generated)', () => {
  it('is what `npm run gen` generates today', async () => {
    // Act
    const files = await generateEventFiles();

    // Assess
    for (const [path, content] of Object.entries(files)) {
      expect(readFileSync(join(projectRoot, path), 'utf8'), `${path} is stale: run npm run gen`).toBe(
        content,
      );
    }
    const onDisk = readdirSync(join(projectRoot, eventsDir), { recursive: true, withFileTypes: true })
      .filter((entry) => entry.isFile())
      .map((entry) => relative(projectRoot, join(entry.parentPath, entry.name)))
      .sort();
    expect(onDisk, 'a file under events/ that gen-events no longer makes').toEqual(Object.keys(files).sort());
  });
});
