/**
 * HeadObject's `x-amz-restore` header (S3 API reference, HeadObject, "x-amz-restore"):
 * `ongoing-request="true"` while the restore runs; `ongoing-request="false", expiry-date="Fri, 21 Dec 2012
 * 00:00:00 GMT"` once the restored copy is readable; absent when there is no restored copy (never restored,
 * or expired).
 */

export type RestoreState = 'restored' | 'ongoing' | 'none';

export function restoreStateOf(header: string | undefined): RestoreState {
  if (header === undefined || header.trim() === '') return 'none';
  const ongoing = /ongoing-request\s*=\s*"(true|false)"/i.exec(header)?.[1]?.toLowerCase();
  if (ongoing === 'true') return 'ongoing';
  if (ongoing === 'false') return 'restored';
  return 'none';
}

/** The `expiry-date` of a completed restore, as an ISO string, when the header has a readable one. */
export function restoreExpiryOf(header: string | undefined): string | undefined {
  const date = header === undefined ? undefined : /expiry-date\s*=\s*"([^"]+)"/i.exec(header)?.[1];
  const time = date === undefined ? Number.NaN : Date.parse(date);
  return Number.isNaN(time) ? undefined : new Date(time).toISOString();
}
