/** Reading a JSON file the user named: an unreadable file or bad JSON is a usage error (exit 2). */
import { readFile } from 'node:fs/promises';
import { CliUsageError } from '../errors.js';

/** `what` names the file in messages ("request file", "campaign file"). */
export async function readJsonFile(path: string, what: string): Promise<unknown> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (cause) {
    const code = (cause as { code?: string }).code ?? (cause as Error).message;
    throw new CliUsageError(`cannot read ${what} ${path} (${code})`, { cause });
  }
  try {
    return JSON.parse(text);
  } catch (cause) {
    throw new CliUsageError(`${what} ${path} is not valid JSON: ${(cause as Error).message}`, { cause });
  }
}
