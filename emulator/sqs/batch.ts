/**
 * The *Batch operations' shared rules: 1 to 10 entries, distinct ids of `[A-Za-z0-9_-]{1,80}`, and each
 * entry's own failure reported in `Failed` (SenderFault) while the others succeed.
 */
import { SqsServiceError } from './errors.js';

export const MAX_BATCH_ENTRIES = 10;
const ENTRY_ID = /^[A-Za-z0-9_-]{1,80}$/;

export interface BatchFailure {
  Id: string;
  SenderFault: boolean;
  Code: string;
  Message: string;
}

export function checkBatchEntries(entries: unknown): Array<Record<string, unknown> & { Id: string }> {
  if (!Array.isArray(entries) || entries.length === 0)
    throw new SqsServiceError(
      'EmptyBatchRequest',
      'There should be at least one entry in the request.',
      400,
      'AWS.SimpleQueueService.EmptyBatchRequest',
    );
  if (entries.length > MAX_BATCH_ENTRIES)
    throw new SqsServiceError(
      'TooManyEntriesInBatchRequest',
      `Maximum number of entries per request are 10. You have sent ${entries.length}.`,
      400,
      'AWS.SimpleQueueService.TooManyEntriesInBatchRequest',
    );
  const seen = new Set<string>();
  for (const entry of entries as Array<{ Id?: unknown }>) {
    if (typeof entry?.Id !== 'string' || !ENTRY_ID.test(entry.Id))
      throw new SqsServiceError(
        'InvalidBatchEntryId',
        `A batch entry id can only contain alphanumeric characters, hyphens and underscores. It can be at most 80 letters long: ${String(entry?.Id)}`,
        400,
        'AWS.SimpleQueueService.InvalidBatchEntryId',
      );
    if (seen.has(entry.Id))
      throw new SqsServiceError(
        'BatchEntryIdsNotDistinct',
        `Id ${entry.Id} repeated.`,
        400,
        'AWS.SimpleQueueService.BatchEntryIdsNotDistinct',
      );
    seen.add(entry.Id);
  }
  return entries as Array<Record<string, unknown> & { Id: string }>;
}

/** Runs `one` per entry; an SqsServiceError becomes that entry's failure, anything else propagates. */
export function eachEntry<R>(
  entries: Array<Record<string, unknown> & { Id: string }>,
  one: (entry: Record<string, unknown> & { Id: string }) => R,
): { Successful: R[]; Failed: BatchFailure[] } {
  const Successful: R[] = [];
  const Failed: BatchFailure[] = [];
  for (const entry of entries) {
    try {
      Successful.push(one(entry));
    } catch (error) {
      if (!(error instanceof SqsServiceError)) throw error;
      Failed.push({
        Id: entry.Id,
        SenderFault: error.httpStatus < 500,
        Code: error.queryCode,
        Message: error.message,
      });
    }
  }
  return { Successful, Failed };
}
