/**
 * Matches an event against a compiled {@link PatternNode} tree, array-consistently as event-ruler does
 * (see the semantics in pattern.ts).
 */
import { isIPv4, isIPv6 } from 'node:net';
import {
  type Condition,
  equalsIgnoreCase,
  isPlainObject,
  type Leaf,
  type PatternNode,
} from './pattern-tree.js';

export function matchNode(node: PatternNode, value: unknown): boolean {
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
