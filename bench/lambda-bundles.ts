/**
 * Lambda bundles: each functions/*.ts bundled as `sls package` does (packaging/esbuild-options.cjs), its
 * minified size, and its module load time in a fresh Node process (median of 5) against the same handler
 * unbundled: our own code in one ES module, every package imported from node_modules as Node resolves it
 * (no TypeScript compile in the timing, so the fairest baseline). Both load with --enable-source-maps, as
 * on Lambda (NODE_OPTIONS in serverless.yml), and the bundle's map is written beside it as the zip holds
 * it, so the bundled figure includes reading and parsing its map (before, the map was not written and the
 * figure left that cost out).
 */
import { execFile } from 'node:child_process';
import { mkdir, mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { build } from 'esbuild';
import { type Benchmark, type Figure, round } from './benchmark.js';
import { bundleLambda, forbiddenInputsOf, projectRoot, sdkClientsOf } from './lib/lambda-bundle.js';

const run = promisify(execFile);
const RUNS = 5;
const KiB = 1024;

/** Prints how long importing `url` took, in ms, in a process of its own. */
const loadScript =
  'const t=performance.now();import(process.argv[1]).then(m=>{' +
  "if(typeof (m.handler??m.default?.handler)!=='function')throw new Error('no handler');" +
  'process.stdout.write(String(performance.now()-t))})';

async function loadMs(file: string): Promise<number> {
  const { stdout } = await run(
    process.execPath,
    ['--enable-source-maps', '-e', loadScript, pathToFileURL(file).href],
    {
      env: { PATH: process.env.PATH ?? '', AWS_REGION: 'us-east-1' },
      timeout: 30_000,
    },
  );
  return Number(stdout);
}

const median = (values: number[]): number => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
};

export const benchmark: Benchmark = {
  name: 'lambda-bundles',

  async run(log) {
    const keys = (await readdir(join(projectRoot, 'functions')))
      .filter((file) => file.endsWith('.ts'))
      .map((file) => file.slice(0, -3))
      .sort();
    // Bundles outside the project, so nothing they require can come from node_modules; the unbundled
    // modules inside it (.bench/ is git-ignored), so their imports resolve.
    const bundled = await mkdtemp(join(tmpdir(), 's3bo-bundles-'));
    const unbundled = join(projectRoot, '.bench', `lambda-unbundled-${process.pid}`);
    await mkdir(unbundled, { recursive: true });
    const functions: Record<string, Figure> = {};
    try {
      for (const key of keys) {
        const bundle = await bundleLambda(key, bundled);
        const bundleFile = join(bundled, `${key}.js`);
        await writeFile(bundleFile, bundle.code);
        // The map too: with --enable-source-maps Node reads and parses it as it loads the bundle, on Lambda
        // as here. Without the file the flag costs next to nothing, and the figure would flatter the bundle.
        if (bundle.map) await writeFile(`${bundleFile}.map`, bundle.map);
        const unbundledFile = join(unbundled, `${key}.mjs`);
        await build({
          entryPoints: [join(projectRoot, 'functions', `${key}.ts`)],
          bundle: true,
          packages: 'external',
          format: 'esm',
          platform: 'node',
          target: 'node24',
          outfile: unbundledFile,
          logLevel: 'error',
        });
        const bundledRuns: number[] = [];
        const unbundledRuns: number[] = [];
        for (let i = 0; i < RUNS; i++) {
          bundledRuns.push(await loadMs(bundleFile));
          unbundledRuns.push(await loadMs(unbundledFile));
        }
        const kb = bundle.code.byteLength / KiB;
        const loaded = median(bundledRuns);
        const unbundledLoaded = median(unbundledRuns);
        functions[key] = {
          kb: round(kb, 1),
          loadMs: round(loaded, 1),
          unbundledLoadMs: round(unbundledLoaded, 1),
          speedup: round(unbundledLoaded / loaded, 2),
          sdkClients: sdkClientsOf(bundle.metafile).join(' '),
          forbidden: forbiddenInputsOf(bundle.metafile).join('; '),
        };
        log(`${key} ${kb.toFixed(0)} KB`);
      }
    } finally {
      await rm(bundled, { recursive: true, force: true });
      await rm(unbundled, { recursive: true, force: true });
    }
    const rows = Object.values(functions) as { kb: number; speedup: number }[];
    return {
      maxKb: Math.max(...rows.map((row) => row.kb)),
      minLoadSpeedup: Math.min(...rows.map((row) => row.speedup)),
      functions,
    };
  },

  print(result, log) {
    log('function                        KB   load ms  unbundled ms  speedup  SDK clients');
    for (const [key, row] of Object.entries(result.functions as Record<string, Record<string, Figure>>)) {
      log(
        `${key.padEnd(28)} ${String(row.kb).padStart(6)} ${String(row.loadMs).padStart(8)} ` +
          `${String(row.unbundledLoadMs).padStart(12)} ${String(row.speedup).padStart(7)}x  ${row.sdkClients}` +
          (row.forbidden ? `  FORBIDDEN: ${row.forbidden}` : ''),
      );
    }
    log(`max ${result.maxKb} KB (aim ≤ 450), min load speedup ${result.minLoadSpeedup}x (aim ≥ 4)`);
  },
};
