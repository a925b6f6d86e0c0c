/** Reading and walking the pure ASL files under statemachines/ for contract tests. */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { projectRoot } from './paths.js';

export interface AslState {
  Type: string;
  Resource?: string;
  Parameters?: Record<string, unknown>;
  ResultPath?: string | null;
  Retry?: { ErrorEquals: string[]; [key: string]: unknown }[];
  Catch?: { ErrorEquals: string[]; Next: string; ResultPath?: string | null }[];
  Choices?: Record<string, unknown>[];
  Default?: string;
  Error?: string;
  Next?: string;
  [key: string]: unknown;
}

export interface AslDefinition {
  Comment?: string;
  StartAt: string;
  States: Record<string, AslState>;
  TimeoutSeconds?: number;
  [key: string]: unknown;
}

export interface DefinitionFile {
  /** Relative to the project root, e.g. statemachines/batch-job.asl.json. */
  file: string;
  text: string;
  definition: AslDefinition;
}

export const stateMachinesDir = 'statemachines';

export function listDefinitionFiles(): string[] {
  return readdirSync(join(projectRoot, stateMachinesDir))
    .filter((name) => name.endsWith('.asl.json'))
    .sort()
    .map((name) => `${stateMachinesDir}/${name}`);
}

export function readDefinition(file: string): DefinitionFile {
  const text = readFileSync(join(projectRoot, file), 'utf8');
  return { file, text, definition: JSON.parse(text) as AslDefinition };
}

/** Every state, including those inside Parallel branches and Map processors, with its name. */
export function allStates(definition: { States: Record<string, AslState> }): [string, AslState][] {
  return Object.entries(definition.States).flatMap(([name, state]) => {
    const nested = [
      ...((state.Branches as { States: Record<string, AslState> }[] | undefined) ?? []),
      ...[state.Iterator, state.ItemProcessor].filter(
        (machine): machine is { States: Record<string, AslState> } => machine !== undefined,
      ),
    ];
    return [[name, state] as [string, AslState], ...nested.flatMap(allStates)];
  });
}

export const taskStates = (definition: AslDefinition): [string, AslState][] =>
  allStates(definition).filter(([, state]) => state.Type === 'Task');

const placeholderPattern = /\$\{([A-Za-z][A-Za-z0-9_]*)\}/g;

/** Names of the `${Placeholder}`s in a definition's text (bound by DefinitionSubstitutions). */
export function placeholdersIn(text: string): string[] {
  return [...new Set([...text.matchAll(placeholderPattern)].map((match) => match[1]!))].sort();
}

/** Every string under `key` anywhere in a JSON value (e.g. all `Variable`s of nested Choice rules). */
export function valuesOf(value: unknown, key: string): unknown[] {
  if (Array.isArray(value)) return value.flatMap((item) => valuesOf(item, key));
  if (value === null || typeof value !== 'object') return [];
  return Object.entries(value).flatMap(([k, v]) => (k === key ? [v, ...valuesOf(v, key)] : valuesOf(v, key)));
}
