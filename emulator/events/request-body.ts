/**
 * Reading the untyped JSON request bodies of the EventBridge API: required and optional fields with the
 * validation messages EventBridge answers, bus and rule names given as names or ARNs, and paging.
 */
import { validation } from './errors.js';
import { DEFAULT_BUS } from './store.js';

// biome-ignore lint/suspicious/noExplicitAny: request bodies are untyped JSON, validated field by field.
export type Body = Record<string, any>;

/** Rule and target names ("Rule" / "Target" in the API reference). */
export const NAME = /^[.\-_A-Za-z0-9]+$/;

/** A bus given by name or ARN (`arn:aws:events:…:event-bus/<name>`); absent means `default`. */
export function busName(value: unknown): string {
  if (typeof value !== 'string' || value === '') return DEFAULT_BUS;
  const arn = /^arn:aws[\w-]*:events:[^:]*:[^:]*:event-bus\/(.+)$/.exec(value);
  return arn ? arn[1]! : value;
}

/** Rule operations accept a rule name or its ARN. */
export function ruleNameOf(value: string): string {
  const arn = /^arn:aws[\w-]*:events:[^:]*:[^:]*:rule\/(.+)$/.exec(value);
  return arn ? arn[1]!.split('/').pop()! : value;
}

export function requireString(body: Body, field: string): string {
  const value = body[field];
  if (typeof value !== 'string' || value === '') {
    throw validation(
      `1 validation error detected: Value null at '${lowerFirst(field)}' failed to satisfy constraint: Member must not be null`,
    );
  }
  return value;
}

export function requireRuleName(body: Body, field: string): string {
  const name = requireString(body, field);
  if (!NAME.test(name) || name.length > 64) {
    throw validation(
      `1 validation error detected: Value '${name}' at '${lowerFirst(field)}' failed to satisfy constraint: Member must satisfy regular expression pattern: [\\.\\-_A-Za-z0-9]+`,
    );
  }
  return name;
}

export function optionalString(body: Body, field: string): string | undefined {
  const value = body[field];
  return typeof value === 'string' ? value : undefined;
}

function lowerFirst(text: string): string {
  return text.charAt(0).toLowerCase() + text.slice(1);
}

export function paginate<T>(items: T[], limit: unknown, token: unknown): { items: T[]; nextToken?: string } {
  const start =
    typeof token === 'string' && token !== ''
      ? Number(Buffer.from(token, 'base64').toString('utf8')) || 0
      : 0;
  const size = typeof limit === 'number' && limit > 0 ? Math.min(limit, 100) : 100;
  const page = items.slice(start, start + size);
  const next = start + size < items.length ? Buffer.from(String(start + size)).toString('base64') : undefined;
  return next ? { items: page, nextToken: next } : { items: page };
}
