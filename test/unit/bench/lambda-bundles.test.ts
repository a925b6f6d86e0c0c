import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { build } from 'esbuild';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  bundledInputsOf,
  bundleLambda,
  forbiddenInputsOf,
  lambdaEsbuildOptions,
  projectRoot,
  sdkClientsOf,
} from '../../../bench/lib/lambda-bundle.js';

let outdir: string;
beforeAll(async () => {
  outdir = await mkdtemp(join(tmpdir(), 's3bo-bundle-test-'));
});
afterAll(async () => {
  await rm(outdir, { recursive: true, force: true });
});

describe('Lambda bundles (packaging/esbuild-options.cjs)', () => {
  it.each(['wake-job', 'submit-job'])(
    '%s holds nothing a Lambda does not run',
    async (key) => {
      // Act
      const { metafile } = await bundleLambda(key, outdir);

      // Assess
      expect(forbiddenInputsOf(metafile)).toEqual([]);
      expect(sdkClientsOf(metafile)).not.toContain('client-lambda');
      expect(Object.keys(metafile.inputs)).toContain('src/adapters/aws/lambda-default-credentials.ts');
    },
    60_000,
  );

  it.each([
    ['aggregate-campaign', []],
    ['describe-job', ['client-s3-control']],
    ['wake-job', ['client-s3', 'client-sfn']],
  ])(
    '%s carries the SDK clients of the adapters it names and no others',
    async (key, clients) => {
      // Act
      const { metafile } = await bundleLambda(key, outdir);

      // Assess
      expect(sdkClientsOf(metafile)).toEqual(clients);
      // X-Ray comes with the clients it traces (src/runtime/adapters.ts).
      const xray = bundledInputsOf(metafile).some((path) => path.includes('node_modules/aws-xray-sdk-core/'));
      expect(xray).toBe(clients.length > 0);
    },
    60_000,
  );

  it('keeps class names through minification, so error names (an API) survive', async () => {
    // Act
    const result = await build({
      ...lambdaEsbuildOptions,
      absWorkingDir: projectRoot,
      stdin: {
        contents: "export { TaskInputError } from './src/core/errors.js';",
        resolveDir: projectRoot,
        loader: 'ts',
      },
      sourcemap: false,
      write: false,
    });
    const module = { exports: {} as Record<string, new (...args: unknown[]) => Error> };
    new Function('module', 'exports', 'require', result.outputFiles[0]!.text)(
      module,
      module.exports,
      () => ({}),
    );

    // Assess
    const ErrorClass = module.exports.TaskInputError!;
    expect(ErrorClass.name).toBe('TaskInputError');
  });
});
