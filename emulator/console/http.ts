/**
 * The console's JSON answers and paging. Every list the console serves is one page (`limit`, at most
 * MAX_PAGE, plus `offset` or an opaque `cursor`), so a browser polling a store of 10,000 events never makes
 * the emulator serialise them all at once.
 */
import type { HttpRequest, HttpResponse } from '../contracts.js';

export const DEFAULT_PAGE = 50;
export const MAX_PAGE = 200;

/** A failed console call: the browser shows `code: message`. */
export class ConsoleRequestError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = 'ConsoleRequestError';
  }
}

export function json(status: number, body: unknown): HttpResponse {
  return {
    status,
    // The console polls: a cached answer would freeze its progress bars.
    headers: { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store' },
    body: JSON.stringify(body),
  };
}

export interface PageRequest {
  limit: number;
  offset: number;
}

/** `limit` (1..MAX_PAGE, default DEFAULT_PAGE) and `offset` (>= 0) from the query string. */
export function pageRequest(request: Pick<HttpRequest, 'query'>): PageRequest {
  return {
    limit: integerParam(request, 'limit', DEFAULT_PAGE, 1, MAX_PAGE),
    offset: integerParam(request, 'offset', 0, 0, Number.MAX_SAFE_INTEGER),
  };
}

export function integerParam(
  request: Pick<HttpRequest, 'query'>,
  name: string,
  fallback: number,
  min: number,
  max: number,
): number {
  const raw = request.query.get(name);
  if (raw === null || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new ConsoleRequestError(400, 'InvalidParameter', `${name} must be an integer in ${min}..${max}`);
  }
  return value;
}

export function requiredParam(request: Pick<HttpRequest, 'query'>, name: string): string {
  const value = request.query.get(name);
  if (value === null || value === '') {
    throw new ConsoleRequestError(400, 'MissingParameter', `Missing query parameter: ${name}`);
  }
  return value;
}

/** One page of an array, and the total it came from. */
export interface Page<T> {
  items: T[];
  total: number;
  offset: number;
  limit: number;
}

export function pageOf<T>(items: readonly T[], page: PageRequest): Page<T> {
  return {
    items: items.slice(page.offset, page.offset + page.limit),
    total: items.length,
    offset: page.offset,
    limit: page.limit,
  };
}
