/**
 * Builds a Lambda's bundle exactly as `sls package` does (packaging/esbuild-options.cjs), and reads what it
 * contains from esbuild's metafile. Shared by bench/lambda-bundles.ts and its test.
 */
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type BuildOptions, build, type Metafile } from 'esbuild';

export const projectRoot = fileURLToPath(new URL('../../', import.meta.url));
const shared = createRequire(import.meta.url)('../../packaging/esbuild-options.cjs') as {
  esbuild: BuildOptions;
};
export const lambdaEsbuildOptions: BuildOptions = shared.esbuild;

/** Inputs no Lambda runs: dev-time code, schema compilers, clients no function calls, the default credential chain. */
export const forbiddenInputs: { what: string; pattern: RegExp }[] = [
  { what: 'emulator, local deploy or CLI', pattern: /^(emulator|local|cli)\// },
  { what: 'aws-local-stepfunctions', pattern: /node_modules\/aws-local-stepfunctions\// },
  { what: 'tsx', pattern: /node_modules\/tsx\// },
  { what: 'Ajv compiler', pattern: /node_modules\/ajv\/dist\/(?!runtime\/)/ },
  { what: 'unused SDK client', pattern: /node_modules\/@aws-sdk\/client-(lambda|scheduler|sqs)\// },
  {
    what: 'SDK default credential chain',
    pattern:
      /node_modules\/@aws-sdk\/(credential-provider-(node|ini|sso|process|web-identity|login)|nested-clients)\//,
  },
];

export interface LambdaBundle {
  code: Uint8Array;
  /** The source map `code` names in its `sourceMappingURL` comment (`<key>.js.map`), as the zip holds it. */
  map: Uint8Array | undefined;
  metafile: Metafile;
}

/** `functions/<key>.ts` bundled in memory with the packaging options and a metafile. */
export async function bundleLambda(key: string, outdir: string): Promise<LambdaBundle> {
  const result = await build({
    ...lambdaEsbuildOptions,
    absWorkingDir: projectRoot,
    entryPoints: [join(projectRoot, 'functions', `${key}.ts`)],
    outdir,
    write: false,
    metafile: true,
    logLevel: 'error',
  });
  const js = result.outputFiles.find((file) => file.path.endsWith('.js'));
  if (!js) throw new Error(`no JavaScript output for ${key}`);
  const map = result.outputFiles.find((file) => file.path === `${js.path}.map`);
  return { code: js.contents, map: map?.contents, metafile: result.metafile };
}

/**
 * The inputs with code in the bundle's JavaScript output. `metafile.inputs` also lists every module esbuild
 * read and then tree-shook away entirely (a client whose adapter is never referenced, for one), so it says
 * what a function imports, not what it carries.
 */
export function bundledInputsOf(metafile: Metafile): string[] {
  return Object.entries(metafile.outputs)
    .filter(([path]) => path.endsWith('.js'))
    .flatMap(([, output]) =>
      Object.entries(output.inputs)
        .filter(([, input]) => input.bytesInOutput > 0)
        .map(([path]) => path),
    );
}

/** The forbidden inputs a bundle carries, as `what: path`. */
export function forbiddenInputsOf(metafile: Metafile): string[] {
  return bundledInputsOf(metafile).flatMap((path) =>
    forbiddenInputs.filter(({ pattern }) => pattern.test(path)).map(({ what }) => `${what}: ${path}`),
  );
}

/** The `@aws-sdk/client-*` packages a bundle carries code of. */
export function sdkClientsOf(metafile: Metafile): string[] {
  const clients = bundledInputsOf(metafile).flatMap(
    (path) => /node_modules\/@aws-sdk\/(client-[a-z0-9-]+)\//.exec(path)?.[1] ?? [],
  );
  return [...new Set(clients)].sort();
}
