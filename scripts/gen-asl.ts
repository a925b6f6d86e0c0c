/**
 * Generates `statemachines/<key>.asl.json` from the typed definitions in `statemachines/<key>.ts`. The JSON
 * stays the artifact: serverless.yml deploys it and the emulator runs it, unchanged.
 *
 * `npm run gen` writes the files; `generateAslFiles()` returns them without writing, so a contract test
 * (test/contract/asl.test.ts) fails when a definition changed and its JSON was not regenerated. The text is
 * formatted by the project's own formatter (Biome), so `npm run lint` accepts the generated file as is.
 */

import { execFileSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { StateMachineKey } from '../src/core/names.js';
import { batchJob } from '../statemachines/batch-job.js';
import type { StateMachineDefinition } from '../statemachines/builder/machine.js';
import { campaign } from '../statemachines/campaign.js';
import { restoreThen } from '../statemachines/restore-then.js';
import { generateWhenRun } from './lib/generated-files.js';

export const repoRoot = join(dirname(fileURLToPath(import.meta.url)), '..');

/** Every state machine's definition, by its key in src/core/names.ts (a missing one is a compile error). */
export const definitions: Readonly<Record<StateMachineKey, StateMachineDefinition>> = {
  'batch-job': batchJob,
  campaign,
  'restore-then': restoreThen,
};

/** Where a machine's JSON goes, relative to the repository root. */
export const aslPath = (key: StateMachineKey): string => `statemachines/${key}.asl.json`;

const biome = createRequire(import.meta.url).resolve('@biomejs/biome/bin/biome');

/**
 * Biome keeps an object on several lines when its source has a line break after `{`, and puts an array on
 * one line when it fits: formatting `JSON.stringify(…, null, 2)` gives the house style of the JSON files.
 */
function format(path: string, json: string): string {
  return execFileSync(process.execPath, [biome, 'format', `--stdin-file-path=${path}`], {
    cwd: repoRoot,
    input: json,
    encoding: 'utf8',
  });
}

/** The generated files, by path relative to the repository root. */
export function generateAslFiles(): Record<string, string> {
  const files: Record<string, string> = {};
  for (const [key, definition] of Object.entries(definitions) as [
    StateMachineKey,
    StateMachineDefinition,
  ][]) {
    const path = aslPath(key);
    files[path] = format(path, `${JSON.stringify(definition, null, 2)}\n`);
  }
  return files;
}

generateWhenRun(import.meta.url, repoRoot, generateAslFiles);
