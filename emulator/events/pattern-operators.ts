/**
 * Compiles the comparison operators of an event pattern ("Comparison operators for use in event patterns"):
 * one match expression such as `{"prefix": "a"}` becomes one {@link Condition}, validated with event-ruler's
 * messages.
 */
import { BlockList, isIPv4, isIPv6 } from 'node:net';
import { InvalidEventPatternError } from './pattern-error.js';
import { type Condition, equalsIgnoreCase, isPlainObject } from './pattern-tree.js';

/** Field names event-ruler reserves for operators (rejected as field names inside `$or`). */
export const OPERATOR_NAMES = new Set([
  'prefix',
  'suffix',
  'equals-ignore-case',
  'wildcard',
  'anything-but',
  'numeric',
  'exists',
  'cidr',
]);

export function compileMatchExpression(expression: Record<string, unknown>): Condition {
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

function escapeRegex(text: string): string {
  return text.replace(/[\\^$.*+?()[\]{}|/]/g, '\\$&');
}

function capitalise(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}
