/**
 * What every `scripts/gen-*.ts` does when run as a script: write the files its generator returns (paths relative
 * to the repository root), leave alone those already up to date, say which it wrote, and exit non-zero with the
 * error's message when generating fails. Each generator also exports its function, so a contract test can compare
 * what it would write with what is committed.
 */
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';

/** Generated files: content by path relative to the repository root. */
export type GeneratedFiles = Record<string, string>;

export async function writeGeneratedFiles(root: string, files: GeneratedFiles): Promise<void> {
  for (const [path, content] of Object.entries(files)) {
    const target = join(root, path);
    if ((await readFile(target, 'utf8').catch(() => undefined)) === content) {
      console.log(`${path} is up to date`);
      continue;
    }
    await mkdir(dirname(target), { recursive: true });
    await writeFile(target, content);
    console.log(`wrote ${path}`);
  }
}

/** Generates and writes the files when `moduleUrl` (the generator's `import.meta.url`) is the script node runs. */
export function generateWhenRun(
  moduleUrl: string,
  root: string,
  generate: () => GeneratedFiles | Promise<GeneratedFiles>,
): void {
  const script = process.argv[1];
  if (script === undefined || moduleUrl !== pathToFileURL(script).href) return;
  Promise.resolve()
    .then(generate)
    .then((files) => writeGeneratedFiles(root, files))
    .catch((error: unknown) => {
      console.error(error instanceof Error ? error.message : error);
      process.exitCode = 1;
    });
}
