/**
 * PutEvents entries: limits, per-entry validation and sizing, and event times
 * ("PutEvents" in the API reference, "Calculating PutEvents event entry size").
 */
import type { Body } from './request-body.js';

/** PutEvents limits ("Amazon EventBridge quotas", "Calculating PutEvents event entry size"). */
export const PUT_EVENTS_MAX_ENTRIES = 10;
export const PUT_EVENTS_MAX_BYTES = 256 * 1024;

export interface PutEventsResultEntry {
  EventId?: string;
  ErrorCode?: string;
  ErrorMessage?: string;
}

/** Why an entry is rejected (reported per entry, HTTP 200), or undefined when it is acceptable. */
export function entryProblem(entry: Body): PutEventsResultEntry | undefined {
  for (const field of ['Source', 'DetailType', 'Detail'] as const) {
    if (typeof entry[field] !== 'string' || entry[field] === '') {
      return {
        ErrorCode: 'InvalidArgument',
        ErrorMessage: `Parameter ${field} is not valid. Reason: ${field} is a required argument.`,
      };
    }
  }
  try {
    const detail = JSON.parse(entry.Detail);
    if (typeof detail === 'object' && detail !== null && !Array.isArray(detail)) return undefined;
  } catch {
    // falls through to MalformedDetail
  }
  return { ErrorCode: 'MalformedDetail', ErrorMessage: 'Detail is malformed.' };
}

/** "Calculating PutEvents event entry size": Time counts 14 bytes; strings count their UTF-8 bytes. */
export function entrySize(entry: Body): number {
  let size = entry.Time === undefined ? 0 : 14;
  for (const field of ['Source', 'DetailType', 'Detail']) {
    if (typeof entry[field] === 'string') size += Buffer.byteLength(entry[field]);
  }
  if (Array.isArray(entry.Resources)) {
    for (const resource of entry.Resources) size += Buffer.byteLength(String(resource));
  }
  return size;
}

/** The SDK sends timestamps as epoch seconds; the EventSink as ISO strings. */
export function entryTime(value: unknown): Date | undefined {
  if (typeof value === 'number') return new Date(value * 1000);
  if (typeof value === 'string' && value !== '') {
    const date = /^\d+(\.\d+)?$/.test(value) ? new Date(Number(value) * 1000) : new Date(value);
    return Number.isNaN(date.getTime()) ? undefined : date;
  }
  return undefined;
}

/** Events carry second-precision UTC times: `2020-02-27T15:26:42Z`. */
export function formatTime(date: Date): string {
  return date.toISOString().replace(/\.\d{3}Z$/, 'Z');
}
