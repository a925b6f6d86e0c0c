/**
 * EventBridge event-pattern matching, following AWS's own engine (aws/event-ruler, `JsonRuleCompiler` and
 * `rulesForJSONEvent`) and the user guide pages "Event pattern syntax", "Comparison operators for use in event
 * patterns" and "Matching on multiple field values".
 *
 * Semantics worth knowing (all mirrored on purpose):
 * - Fields in a pattern are ANDed, the values in a field's array are ORed; `$or` (an array of ≥ 2 objects) forks.
 * - Matching is array-consistent: fields of one (sub-)pattern must match inside the same element of an event
 *   array of objects ("employees" example in the event-ruler README).
 * - Arrays of leaf values in the event match when any element matches.
 * - Comparison operators only look at leaf values (string, number, boolean, null). An object, or an empty array,
 *   at a leaf path counts as "not present": `exists: false` matches it, `exists: true` does not.
 * - A number in an exact match is compared numerically (event-ruler adds a numericEquals matcher), so `300`
 *   matches `300.0`; `numeric` only ever matches JSON numbers, never numeric-looking strings.
 * - prefix/suffix/equals-ignore-case/wildcard/cidr only match strings; `anything-but` needs the field present
 *   and matches any leaf value (of any type) not excluded.
 * - Error messages are event-ruler's, behind EventBridge's "Event pattern is not valid. Reason: " prefix.
 *
 * Not mirrored: dotted keys in patterns (`"a.b"` also matching `{a:{b}}`), IP normalisation of exact-match
 * strings, the wildcard complexity limit, and the ±5e9 range limit of numeric operands.
 */
import { compileObject } from './pattern-compile.js';
import { InvalidEventPatternError } from './pattern-error.js';
import { matchNode } from './pattern-match.js';
import { isPlainObject } from './pattern-tree.js';

export { InvalidEventPatternError } from './pattern-error.js';

/** A validated, compiled pattern; build once (PutRule) and match many events. */
export interface CompiledPattern {
  readonly source: string;
  matches(event: unknown): boolean;
}

/** Parse and validate a pattern (string as sent to PutRule, or already parsed). Throws InvalidEventPatternError. */
export function compileEventPattern(pattern: string | object): CompiledPattern {
  let parsed: unknown = pattern;
  const source = typeof pattern === 'string' ? pattern : JSON.stringify(pattern);
  if (typeof pattern === 'string') {
    try {
      parsed = JSON.parse(pattern);
    } catch (error) {
      throw new InvalidEventPatternError(`Filter is not valid JSON: ${(error as Error).message}`);
    }
  }
  if (!isPlainObject(parsed)) throw new InvalidEventPatternError('Filter is not an object');
  const root = compileObject(parsed, false);
  return { source, matches: (event) => matchNode(root, event) };
}

/** Validate only (PutRule / TestEventPattern); throws InvalidEventPatternError. */
export function validateEventPattern(pattern: string): void {
  compileEventPattern(pattern);
}

/** One-shot convenience: does `event` (object or JSON string) match `pattern`? */
export function matchesEventPattern(pattern: string | object, event: unknown): boolean {
  const value = typeof event === 'string' ? JSON.parse(event) : event;
  return compileEventPattern(pattern).matches(value);
}
