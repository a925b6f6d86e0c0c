/**
 * Compiles the structure of an event pattern (fields, nesting, value arrays and `$or`) into a {@link PatternNode}
 * tree; the operators inside value arrays are compiled by pattern-operators.ts.
 */
import { InvalidEventPatternError } from './pattern-error.js';
import { compileMatchExpression, OPERATOR_NAMES } from './pattern-operators.js';
import { type Condition, isPlainObject, type PatternNode } from './pattern-tree.js';

/** One pattern object (the root or a nested one); inside `$or`, operator names may not be field names. */
export function compileObject(object: Record<string, unknown>, insideOr: boolean): PatternNode {
  const node: PatternNode = { fields: [], ors: [] };
  const entries = Object.entries(object);
  if (entries.length === 0) throw new InvalidEventPatternError('Empty objects are not allowed');
  for (const [key, value] of entries) {
    if (key === '$or') {
      node.ors.push(compileOr(value));
      continue;
    }
    if (insideOr && OPERATOR_NAMES.has(key)) {
      throw new InvalidEventPatternError(
        `${key} is Ruler reserved fieldName which cannot be used inside $or.`,
      );
    }
    if (isPlainObject(value)) node.fields.push([key, compileObject(value, insideOr)]);
    else if (Array.isArray(value)) node.fields.push([key, compileConditions(value)]);
    else throw new InvalidEventPatternError(`"${key}" must be an object or an array`);
  }
  return node;
}

function compileOr(value: unknown): PatternNode[] {
  if (!Array.isArray(value)) throw new InvalidEventPatternError('It must be an Array followed with $or.');
  const alternatives = value.map((item) => {
    if (!isPlainObject(item)) {
      throw new InvalidEventPatternError('Only JSON object is allowed in array of $or relationship.');
    }
    return compileObject(item, true);
  });
  if (alternatives.length < 2) {
    throw new InvalidEventPatternError('There must have at least 2 Objects in $or relationship.');
  }
  return alternatives;
}

function compileConditions(values: unknown[]): Condition[] {
  if (values.length === 0) throw new InvalidEventPatternError('Empty arrays are not allowed');
  return values.map((value) => {
    if (value === null || typeof value === 'string' || typeof value === 'boolean') {
      return { kind: 'exact', value };
    }
    if (typeof value === 'number') return { kind: 'exact', value };
    if (isPlainObject(value)) return compileMatchExpression(value);
    throw new InvalidEventPatternError('Match value must be String, number, true, false, or null');
  });
}
