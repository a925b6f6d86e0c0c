import type { ArnScope } from './arns.js';
import { missingParameter, SfnServiceError } from './errors.js';
import type { ActiveRun, RunnerDeps } from './runner.js';

/** What the operations share: stores, seams, and the runs currently in flight by execution ARN. */
export interface ServiceContext extends RunnerDeps, ArnScope {
  runs: Map<string, ActiveRun>;
}

export type Body = Record<string, unknown>;
export type Operation = (body: Body) => Promise<Body> | Body;

export function requireString(body: Body, key: string): string {
  const value = body[key];
  if (value === undefined || value === null) throw missingParameter(key);
  if (typeof value !== 'string')
    throw new SfnServiceError('SerializationException', `'${key}' must be a string`);
  return value;
}

export function optionalString(body: Body, key: string): string | undefined {
  const value = body[key];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'string')
    throw new SfnServiceError('SerializationException', `'${key}' must be a string`);
  return value;
}

/** Drops undefined members, as the JSON protocol omits them. */
export const compact = (value: Body): Body =>
  Object.fromEntries(Object.entries(value).filter(([, member]) => member !== undefined));
