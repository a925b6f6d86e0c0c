/**
 * The compiled form of an event pattern: the tree pattern-compile.ts / pattern-operators.ts build from the JSON
 * and pattern-match.ts walks for each event, plus the JSON and case rules both sides must agree on.
 */
import type { BlockList } from 'node:net';

export type Leaf = string | number | boolean | null;

export type Condition =
  | { kind: 'exact'; value: Leaf }
  | { kind: 'prefix'; value: string; ignoreCase: boolean }
  | { kind: 'suffix'; value: string; ignoreCase: boolean }
  | { kind: 'equals-ignore-case'; value: string }
  | { kind: 'wildcard'; regex: RegExp }
  | { kind: 'anything-but'; values: (string | number)[] }
  | { kind: 'anything-but-string'; test: (value: string) => boolean }
  | { kind: 'numeric'; test: (value: number) => boolean }
  | { kind: 'exists'; exists: boolean }
  | { kind: 'cidr'; list: BlockList };

export interface PatternNode {
  /** Leaf fields (condition lists) and nested objects, all ANDed. */
  fields: [string, Condition[] | PatternNode][];
  /** Each `$or` at this level: one of its alternatives must match the same object. */
  ors: PatternNode[][];
}

export function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Case folding as event-ruler does it: either folding direction may make the strings equal. */
export function equalsIgnoreCase(a: string, b: string): boolean {
  return a.toLowerCase() === b.toLowerCase() || a.toUpperCase() === b.toUpperCase();
}
