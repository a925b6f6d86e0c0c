/**
 * Runs every benchmark module in bench/ (those exporting `benchmark`, see benchmark.ts).
 *
 *   npm run bench                       human-readable figures
 *   npm run bench -- --json             one JSON object keyed by benchmark name, and nothing else, on stdout
 *   npm run bench -- report-parse       only the named benchmark(s)
 */
import { readdir } from 'node:fs/promises';
import { basename } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { Benchmark, Figure } from './benchmark.js';

const here = fileURLToPath(new URL('.', import.meta.url));
const args = process.argv.slice(2);
const json = args.includes('--json');
const only = args.filter((arg) => !arg.startsWith('--'));
// Human text goes to stdout unless stdout is reserved for the JSON document.
const log = (line: string): void => {
  (json ? process.stderr : process.stdout).write(`${line}\n`);
};

async function loadBenchmarks(): Promise<Benchmark[]> {
  const files = (await readdir(here)).filter((f) => /\.ts$/.test(f) && !f.endsWith('.d.ts')).sort();
  const found: Benchmark[] = [];
  for (const file of files) {
    if (file === basename(fileURLToPath(import.meta.url))) continue;
    const mod = (await import(pathToFileURL(`${here}${file}`).href)) as { benchmark?: Benchmark };
    if (mod.benchmark !== undefined) found.push(mod.benchmark);
  }
  return found;
}

async function main(): Promise<void> {
  const all = await loadBenchmarks();
  const unknown = only.filter((name) => !all.some((b) => b.name === name));
  if (unknown.length > 0) {
    throw new Error(`unknown benchmark ${unknown.join(', ')}; known: ${all.map((b) => b.name).join(', ')}`);
  }
  const selected = only.length === 0 ? all : all.filter((b) => only.includes(b.name));
  const results: Record<string, Record<string, Figure>> = {};
  for (const bench of selected) {
    log(`\n== ${bench.name}`);
    const result = await bench.run(log);
    results[bench.name] = result;
    bench.print(result, log);
  }
  if (json) process.stdout.write(`${JSON.stringify(results)}\n`);
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exitCode = 1;
});
