/** EventBridge PutEvents: `EventBusPort`. Reports per-entry failures; resending them is core's job. */
import { type EventBridgeClient, PutEventsCommand } from '@aws-sdk/client-eventbridge';
import type { EventBusPort, EventEntry, PutEventsResult } from '../../core/ports.js';
import { withAwsErrors } from './errors.js';

/** PutEvents accepts at most 10 entries per call (EventBridge API reference, PutEvents). */
export const maxPutEventsEntries = 10;

export function createEventBusAdapter(client: EventBridgeClient): EventBusPort {
  return {
    async putEvents(entries: EventEntry[]): Promise<PutEventsResult> {
      if (entries.length > maxPutEventsEntries) {
        throw new RangeError(
          `EventBridge.PutEvents takes at most ${maxPutEventsEntries} entries per call, got ${entries.length}; split them into batches first`,
        );
      }
      if (entries.length === 0) return { failed: [] };
      const output = await withAwsErrors('EventBridge.PutEvents', () =>
        client.send(
          new PutEventsCommand({
            Entries: entries.map((entry) => ({
              Source: entry.Source,
              DetailType: entry.DetailType,
              Detail: entry.Detail,
              EventBusName: entry.EventBusName,
              ...(entry.Resources === undefined ? {} : { Resources: entry.Resources }),
              ...(entry.Time === undefined ? {} : { Time: entry.Time }),
            })),
          }),
        ),
      );
      return { failed: failedEntries(entries.length, output.FailedEntryCount ?? 0, output.Entries ?? []) };
    },
  };
}

/**
 * A 200 response can still reject some entries: the response's `Entries` line up with the request's, and
 * each has either an `EventId` or an `ErrorCode`. An entry with neither while `FailedEntryCount` says
 * something failed is reported as failed too, so a resend never silently drops an event.
 */
function failedEntries(
  sent: number,
  failedEntryCount: number,
  results: { EventId?: string; ErrorCode?: string; ErrorMessage?: string }[],
): PutEventsResult['failed'] {
  const failed: PutEventsResult['failed'] = [];
  for (let index = 0; index < sent; index++) {
    const result = results[index];
    if (result?.ErrorCode) {
      failed.push({
        index,
        errorCode: result.ErrorCode,
        ...(result.ErrorMessage ? { errorMessage: result.ErrorMessage } : {}),
      });
    } else if (failedEntryCount > 0 && !result?.EventId) {
      failed.push({
        index,
        errorCode: 'UnknownFailure',
        errorMessage: 'PutEvents returned no EventId for this entry',
      });
    }
  }
  return failed;
}
