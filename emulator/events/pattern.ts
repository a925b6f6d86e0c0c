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
import { BlockList, isIPv4, isIPv6 } from 'node:net';

/** Thrown for a malformed pattern; the code and message are what EventBridge answers. */
export class InvalidEventPatternError extends Error {
  readonly code = 'InvalidEventPatternException';
  constructor(reason: string) {
    super(`Event pattern is not valid. Reason: ${reason}`);
    this.name = 'InvalidEventPatternException';
  }
}

type Leaf = string | number | boolean | null;

type Condition =
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

interface PatternNode {
  /** Leaf fields (condition lists) and nested objects, all ANDed. */
  fields: [string, Condition[] | PatternNode][];
  /** Each `$or` at this level: one of its alternatives must match the same object. */
  ors: PatternNode[][];
}

/** A validated, compiled pattern; build once (PutRule) and match many events. */
export interface CompiledPattern {
  readonly source: string;
  matches(event: unknown): boolean;
}

const OPERATOR_NAMES = new Set([
  'prefix',
  'suffix',
  'equals-ignore-case',
  'wildcard',
  'anything-but',
  'numeric',
  'exists',
  'cidr',
]);

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

function compileObject(object: Record<string, unknown>, insideOr: boolean): PatternNode {
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

function compileMatchExpression(expression: Record<string, unknown>): Condition {
  const keys = Object.keys(expression);
  if (keys.length === 0) throw new InvalidEventPatternError('Match expression name not found');
  const operator = keys[0]!;
  const operand = expression[operator];
  const single = () => {
    if (keys.length > 1) throw new InvalidEventPatternError('Only one key allowed in match expression');
  };
  switch (operator) {
    case 'prefix':
    case 'suffix': {
      if (isPlainObject(operand)) {
        const innerKeys = Object.keys(operand);
        const inner = innerKeys[0];
        if (inner === undefined)
          throw new InvalidEventPatternError(`${capitalise(operator)} expression name not found`);
        if (inner !== 'equals-ignore-case')
          throw new InvalidEventPatternError(`Unsupported ${operator} pattern: ${inner}`);
        const text = operand[inner];
        if (typeof text !== 'string') {
          throw new InvalidEventPatternError('equals-ignore-case match pattern must be a string');
        }
        if (innerKeys.length > 1)
          throw new InvalidEventPatternError('Only one key allowed in match expression');
        single();
        return { kind: operator, value: text, ignoreCase: true };
      }
      if (typeof operand !== 'string')
        throw new InvalidEventPatternError(`${operator} match pattern must be a string`);
      single();
      return { kind: operator, value: operand, ignoreCase: false };
    }
    case 'equals-ignore-case':
      if (typeof operand !== 'string') {
        throw new InvalidEventPatternError('equals-ignore-case match pattern must be a string');
      }
      single();
      return { kind: 'equals-ignore-case', value: operand };
    case 'wildcard':
      if (typeof operand !== 'string')
        throw new InvalidEventPatternError('wildcard match pattern must be a string');
      single();
      return { kind: 'wildcard', regex: compileWildcard(operand) };
    case 'exists':
      if (typeof operand !== 'boolean') {
        throw new InvalidEventPatternError('exists match pattern must be either true or false.');
      }
      single();
      return { kind: 'exists', exists: operand };
    case 'numeric':
      if (!Array.isArray(operand)) throw new InvalidEventPatternError('Value of numeric must be an array.');
      single();
      return { kind: 'numeric', test: compileNumeric(operand) };
    case 'cidr':
      if (typeof operand !== 'string')
        throw new InvalidEventPatternError('prefix match pattern must be a string');
      single();
      return { kind: 'cidr', list: compileCidr(operand) };
    case 'anything-but':
      single();
      return compileAnythingBut(operand);
    default:
      throw new InvalidEventPatternError(`Unrecognized match type ${operator}`);
  }
}

function compileAnythingBut(operand: unknown): Condition {
  if (isPlainObject(operand)) {
    const keys = Object.keys(operand);
    const inner = keys[0];
    if (inner === undefined) throw new InvalidEventPatternError('Anything-But expression name not found');
    if (!['equals-ignore-case', 'prefix', 'suffix', 'wildcard'].includes(inner)) {
      throw new InvalidEventPatternError(`Unsupported anything-but pattern: ${inner}`);
    }
    if (keys.length > 1) throw new InvalidEventPatternError('Too many elements in numeric expression');
    const raw = operand[inner];
    const list = Array.isArray(raw) ? raw : [raw];
    if (!Array.isArray(raw) && typeof raw !== 'string' && typeof raw !== 'number') {
      throw new InvalidEventPatternError(
        'Value of anything-but must be an array or single string/number value.',
      );
    }
    const texts = list.map((item) => {
      if (typeof item !== 'string') {
        if (inner === 'equals-ignore-case') {
          throw new InvalidEventPatternError(
            'Inside anything-but/equals-ignore-case list, number|start|null|boolean is not supported.',
          );
        }
        if (inner === 'wildcard')
          throw new InvalidEventPatternError('wildcard match pattern must be a string');
        throw new InvalidEventPatternError('prefix/suffix match pattern must be a string');
      }
      if ((inner === 'prefix' || inner === 'suffix') && item === '') {
        throw new InvalidEventPatternError('Null prefix/suffix not allowed');
      }
      return item;
    });
    let predicates: ((value: string) => boolean)[];
    if (inner === 'prefix') predicates = texts.map((text) => (value) => value.startsWith(text));
    else if (inner === 'suffix') predicates = texts.map((text) => (value) => value.endsWith(text));
    else if (inner === 'equals-ignore-case')
      predicates = texts.map((text) => (value) => equalsIgnoreCase(text, value));
    else {
      predicates = texts.map((text) => {
        const regex = compileWildcard(text);
        return (value) => regex.test(value);
      });
    }
    return {
      kind: 'anything-but-string',
      test: (value) => !predicates.some((predicate) => predicate(value)),
    };
  }
  if (Array.isArray(operand)) {
    let strings = 0;
    let numbers = 0;
    for (const item of operand) {
      if (typeof item === 'string') strings++;
      else if (typeof item === 'number') numbers++;
      else
        throw new InvalidEventPatternError('Inside anything but list, start|null|boolean is not supported.');
    }
    if ((strings > 0 && numbers > 0) || strings + numbers === 0) {
      throw new InvalidEventPatternError(
        'Inside anything but list, either all values are number or string, mixed type is not supported',
      );
    }
    return { kind: 'anything-but', values: operand as (string | number)[] };
  }
  if (typeof operand === 'string' || typeof operand === 'number')
    return { kind: 'anything-but', values: [operand] };
  throw new InvalidEventPatternError('Value of anything-but must be an array or single string/number value.');
}

function compileNumeric(terms: unknown[]): (value: number) => boolean {
  const [operator, first, ...rest] = terms;
  if (typeof operator !== 'string')
    throw new InvalidEventPatternError(`Invalid member in numeric match: ${String(operator ?? ']')}`);
  const valueName = operator === '=' ? 'equals' : operator;
  if (!['=', '<', '<=', '>', '>='].includes(operator)) {
    throw new InvalidEventPatternError(`Unrecognized numeric range operator: ${operator}`);
  }
  if (typeof first !== 'number') throw new InvalidEventPatternError(`Value of ${valueName} must be numeric`);
  const bottom = comparator(operator, first);
  if (rest.length === 0) return bottom;
  if (operator !== '>' && operator !== '>=')
    throw new InvalidEventPatternError('Too many elements in numeric expression');
  const [topOperator, top, ...extra] = rest;
  if (typeof topOperator !== 'string')
    throw new InvalidEventPatternError(`Bad value in numeric range: ${String(topOperator)}`);
  if (topOperator !== '<' && topOperator !== '<=') {
    throw new InvalidEventPatternError(`Bad numeric range operator: ${topOperator}`);
  }
  if (typeof top !== 'number') throw new InvalidEventPatternError(`Value of ${topOperator} must be numeric`);
  if (extra.length > 0) throw new InvalidEventPatternError('Too many terms in numeric range expression');
  if (top <= first) throw new InvalidEventPatternError('Bottom must be less than top');
  const upper = comparator(topOperator, top);
  return (value) => bottom(value) && upper(value);
}

function comparator(operator: string, operand: number): (value: number) => boolean {
  switch (operator) {
    case '=':
      return (value) => value === operand;
    case '<':
      return (value) => value < operand;
    case '<=':
      return (value) => value <= operand;
    case '>':
      return (value) => value > operand;
    default:
      return (value) => value >= operand;
  }
}

/**
 * `*` matches any run of characters (including none); `\*` and `\\` are literal; any other escape and two
 * consecutive `*` are rejected. Positions count UTF-8 bytes after the opening quote, as event-ruler reports them.
 */
function compileWildcard(text: string): RegExp {
  let regex = '';
  const position = (index: number) => Buffer.byteLength(text.slice(0, index)) + 1;
  for (let i = 0; i < text.length; i++) {
    const char = text[i]!;
    if (char === '*') {
      if (text[i + 1] === '*')
        throw new InvalidEventPatternError(`Consecutive wildcard characters at pos ${position(i)}`);
      regex += '[\\s\\S]*';
    } else if (char === '\\') {
      const next = text[i + 1];
      if (next !== '*' && next !== '\\')
        throw new InvalidEventPatternError(`Invalid escape character at pos ${position(i)}`);
      regex += escapeRegex(next);
      i++;
    } else {
      regex += escapeRegex(char);
    }
  }
  return new RegExp(`^${regex}$`, 'u');
}

function compileCidr(text: string): BlockList {
  const parts = text.split('/');
  if (parts.length !== 2) throw new InvalidEventPatternError("Malformed CIDR, one '/' required");
  const [address, maskText] = parts as [string, string];
  if (!/^\d+$/.test(maskText))
    throw new InvalidEventPatternError('Malformed CIDR, mask bits must be an integer');
  const mask = Number(maskText);
  const family = isIPv4(address) ? 'ipv4' : isIPv6(address) ? 'ipv6' : undefined;
  if (!family || mask > (family === 'ipv4' ? 32 : 128)) {
    throw new InvalidEventPatternError(`Nonstandard IP address: ${address}`);
  }
  const list = new BlockList();
  list.addSubnet(address, mask, family);
  return list;
}

function matchNode(node: PatternNode, value: unknown): boolean {
  return objectCandidates(value).some((candidate) => matchObject(node, candidate));
}

/** Objects an object-pattern applies to: the value itself, or every object inside an (arbitrarily nested) array. */
function objectCandidates(value: unknown): (Record<string, unknown> | undefined)[] {
  if (!Array.isArray(value)) return [isPlainObject(value) ? value : undefined];
  const objects: Record<string, unknown>[] = [];
  const visit = (item: unknown) => {
    if (Array.isArray(item)) item.forEach(visit);
    else if (isPlainObject(item)) objects.push(item);
  };
  visit(value);
  return objects.length > 0 ? objects : [undefined];
}

function matchObject(node: PatternNode, object: Record<string, unknown> | undefined): boolean {
  for (const [key, spec] of node.fields) {
    const child = object && Object.hasOwn(object, key) ? object[key] : undefined;
    const ok = Array.isArray(spec) ? matchLeaf(spec, leafValues(child)) : matchNode(spec, child);
    if (!ok) return false;
  }
  return node.ors.every((alternatives) =>
    alternatives.some((alternative) => matchObject(alternative, object)),
  );
}

function leafValues(value: unknown): Leaf[] {
  if (value === undefined || isPlainObject(value)) return [];
  if (!Array.isArray(value)) return [value as Leaf];
  const leaves: Leaf[] = [];
  const visit = (item: unknown) => {
    if (Array.isArray(item)) item.forEach(visit);
    else if (item !== undefined && !isPlainObject(item)) leaves.push(item as Leaf);
  };
  visit(value);
  return leaves;
}

function matchLeaf(conditions: Condition[], values: Leaf[]): boolean {
  return conditions.some((condition) => {
    if (condition.kind === 'exists') return condition.exists === values.length > 0;
    return values.some((value) => matchCondition(condition, value));
  });
}

function matchCondition(condition: Condition, value: Leaf): boolean {
  switch (condition.kind) {
    case 'exact':
      return value === condition.value;
    case 'prefix':
      return (
        typeof value === 'string' &&
        (condition.ignoreCase
          ? value.toLowerCase().startsWith(condition.value.toLowerCase())
          : value.startsWith(condition.value))
      );
    case 'suffix':
      return (
        typeof value === 'string' &&
        (condition.ignoreCase
          ? value.toLowerCase().endsWith(condition.value.toLowerCase())
          : value.endsWith(condition.value))
      );
    case 'equals-ignore-case':
      return typeof value === 'string' && equalsIgnoreCase(condition.value, value);
    case 'wildcard':
      return typeof value === 'string' && condition.regex.test(value);
    case 'anything-but':
      return !condition.values.some((excluded) => excluded === value);
    case 'anything-but-string':
      return typeof value !== 'string' || condition.test(value);
    case 'numeric':
      return typeof value === 'number' && condition.test(value);
    case 'cidr': {
      if (typeof value !== 'string') return false;
      const family = isIPv4(value) ? 'ipv4' : isIPv6(value) ? 'ipv6' : undefined;
      return family !== undefined && condition.list.check(value, family);
    }
    case 'exists':
      return condition.exists;
  }
}

function equalsIgnoreCase(a: string, b: string): boolean {
  return a.toLowerCase() === b.toLowerCase() || a.toUpperCase() === b.toUpperCase();
}

function escapeRegex(text: string): string {
  return text.replace(/[\\^$.*+?()[\]{}|/]/g, '\\$&');
}

function capitalise(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
