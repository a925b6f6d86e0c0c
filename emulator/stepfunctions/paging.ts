import { SfnServiceError } from './errors.js';

/** AWS: "A value of 0 uses the default", default 100, at most 1,000 per page. */
export function pageSize(maxResults: unknown): number {
  if (maxResults === undefined || maxResults === null || maxResults === 0) return 100;
  if (
    typeof maxResults !== 'number' ||
    !Number.isInteger(maxResults) ||
    maxResults < 0 ||
    maxResults > 1000
  ) {
    throw new SfnServiceError(
      'ValidationException',
      "1 validation error detected: Value at 'maxResults' failed to satisfy constraint: Member must have value less than or equal to 1000",
    );
  }
  return maxResults;
}

/** One page of `items` and the opaque token for the next; `scope` binds a token to the query it came from. */
export function paginate<T>(
  items: T[],
  maxResults: unknown,
  nextToken: unknown,
  scope: string,
): { page: T[]; nextToken?: string } {
  const size = pageSize(maxResults);
  let offset = 0;
  if (nextToken !== undefined && nextToken !== null) {
    try {
      const decoded = JSON.parse(Buffer.from(String(nextToken), 'base64url').toString('utf8')) as {
        o?: unknown;
        s?: unknown;
      };
      if (typeof decoded.o !== 'number' || decoded.s !== scope) throw new Error('mismatch');
      offset = decoded.o;
    } catch {
      throw new SfnServiceError('InvalidToken', `Invalid Token: '${String(nextToken).slice(0, 64)}'`);
    }
  }
  const page = items.slice(offset, offset + size);
  const next = offset + size;
  return next < items.length
    ? { page, nextToken: Buffer.from(JSON.stringify({ o: next, s: scope })).toString('base64url') }
    : { page };
}

export const epochSeconds = (ms: number | undefined): number | undefined =>
  ms === undefined ? undefined : ms / 1000;
