/**
 * The stage's enabled triggers, as the trigger Lambdas load them: names from `S3BO_TRIGGERS` (comma-separated,
 * serverless.yml params.<stage>.triggers), definitions from `<dir>/<name>.json` (the triggers/ folder shipped
 * with the function), each parsed with parseTrigger once per cold start.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { RequestValidationError } from '../core/errors.js';
import { parseTrigger, type Trigger } from '../core/triggers/parse-trigger.js';

export interface TriggerFiles {
  names: readonly string[];
  load(name: string): Promise<Trigger>;
}

/** `S3BO_TRIGGERS` → names; empty or unset: none. */
export function enabledTriggerNames(value: string | undefined): string[] {
  return (value ?? '')
    .split(',')
    .map((name) => name.trim())
    .filter((name) => name !== '');
}

export function triggerFiles(names: readonly string[], dir: string): TriggerFiles {
  const loaded = new Map<string, Promise<Trigger>>();
  const read = async (name: string): Promise<Trigger> => {
    const path = join(dir, `${name}.json`);
    let text: string;
    try {
      text = await readFile(path, 'utf8');
    } catch (error) {
      throw new RequestValidationError(`triggers/${name}.json`, 'cannot be read', { cause: error });
    }
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch (error) {
      throw new RequestValidationError(`triggers/${name}.json`, 'is not JSON', { cause: error });
    }
    const trigger = parseTrigger(parsed);
    if (trigger.name !== name) {
      throw new RequestValidationError(
        `triggers/${name}.json`,
        `names itself "${trigger.name}", not "${name}"`,
      );
    }
    return trigger;
  };
  return {
    names,
    load(name) {
      if (!names.includes(name)) {
        return Promise.reject(
          new RequestValidationError('trigger', `"${name}" is not enabled on this stage`),
        );
      }
      let pending = loaded.get(name);
      if (!pending) {
        pending = read(name);
        // A failed read is not kept: the next invocation tries again.
        pending.catch(() => loaded.delete(name));
        loaded.set(name, pending);
      }
      return pending;
    },
  };
}

/** Where the trigger files are: `S3BO_TRIGGERS_DIR`, else triggers/ under the function's root (Lambda's cwd). */
export const triggerDirOf = (env: Record<string, string | undefined>): string =>
  env.S3BO_TRIGGERS_DIR ?? join(env.LAMBDA_TASK_ROOT ?? process.cwd(), 'triggers');
