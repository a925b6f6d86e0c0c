/** Trigger files: `triggers/<name>.json` in the project (what the stages deploy), validated like the Lambdas do. */
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseTrigger, type Trigger } from '../../src/core/triggers/parse-trigger.js';
import { CliUsageError } from '../errors.js';
import { readJsonFile } from './json-file.js';

export const projectTriggersDir = fileURLToPath(new URL('../../triggers/', import.meta.url));

export async function readTriggerFile(path: string): Promise<Trigger> {
  return parseTrigger(await readJsonFile(path, 'trigger file'));
}

/** Every `*.json` in `dir`, in name order (resources.cjs, the package-time module, is not a trigger). */
export async function listTriggerFiles(dir = projectTriggersDir): Promise<string[]> {
  let names: string[];
  try {
    names = await readdir(dir);
  } catch (cause) {
    throw new CliUsageError(`cannot read the triggers folder ${dir} (${(cause as { code?: string }).code})`, {
      cause,
    });
  }
  return names
    .filter((name) => name.endsWith('.json'))
    .sort()
    .map((name) => join(dir, name));
}
