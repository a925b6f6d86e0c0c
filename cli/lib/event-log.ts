/**
 * Reads the local AWS's event log, `<data-dir>/events/<bus>.jsonl` (the emulator's `eventLogName`): one
 * EventBridge envelope per line, appended as buses accept events. `follow` tails it by byte offset, so a
 * line being written is only read once its newline has landed.
 */
import { open, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { eventLogName } from '../../emulator/index.js';
import type { EventEnvelopeView } from './render.js';

export function eventLogPath(dataDir: string, bus: string): string {
  return join(dataDir, eventLogName(bus));
}

export interface EventFilter {
  detailType?: string;
  /** Keep only the last N (after filtering). */
  limit?: number;
}

export interface ParsedLines {
  events: EventEnvelopeView[];
  /** Lines that were not a JSON envelope (counted, not fatal: the log is append-only text). */
  malformed: number;
}

export function parseEventLines(text: string): ParsedLines {
  const events: EventEnvelopeView[] = [];
  let malformed = 0;
  for (const line of text.split('\n')) {
    if (line.trim() === '') continue;
    try {
      const value = JSON.parse(line) as Partial<EventEnvelopeView> | null;
      if (value && typeof value['detail-type'] === 'string' && typeof value.time === 'string') {
        events.push(value as EventEnvelopeView);
      } else {
        malformed++;
      }
    } catch {
      malformed++;
    }
  }
  return { events, malformed };
}

export function filterEvents(events: EventEnvelopeView[], filter: EventFilter): EventEnvelopeView[] {
  const matching =
    filter.detailType === undefined ? events : events.filter((e) => e['detail-type'] === filter.detailType);
  return filter.limit === undefined ? matching : matching.slice(Math.max(0, matching.length - filter.limit));
}

export interface LogChunk extends ParsedLines {
  /** Byte offset just after the last complete line read. */
  offset: number;
}

/** Complete lines from `offset` on; undefined when the file does not exist. */
export async function readEventLogFrom(path: string, offset = 0): Promise<LogChunk | undefined> {
  let size: number;
  try {
    size = (await stat(path)).size;
  } catch (error) {
    if ((error as { code?: string }).code === 'ENOENT') return undefined;
    throw error;
  }
  // A log that shrank was replaced (a fresh data dir): start over.
  const from = size < offset ? 0 : offset;
  if (size === from) return { events: [], malformed: 0, offset: from };
  const handle = await open(path, 'r');
  try {
    const buffer = Buffer.alloc(size - from);
    const { bytesRead } = await handle.read(buffer, 0, buffer.length, from);
    const end = buffer.subarray(0, bytesRead).lastIndexOf(0x0a) + 1;
    return { ...parseEventLines(buffer.subarray(0, end).toString('utf8')), offset: from + end };
  } finally {
    await handle.close();
  }
}

export interface FollowOptions {
  /** Where the already-printed part ends. */
  offset: number;
  detailType?: string;
  pollMs: number;
  sleep(ms: number): Promise<void>;
  /** Stop when this returns true (checked between polls). */
  shouldStop(): boolean;
  onEvents(events: EventEnvelopeView[]): void;
}

export async function followEventLog(path: string, options: FollowOptions): Promise<void> {
  let offset = options.offset;
  while (!options.shouldStop()) {
    await options.sleep(options.pollMs);
    const chunk = await readEventLogFrom(path, offset);
    if (chunk === undefined) continue;
    offset = chunk.offset;
    const events = filterEvents(
      chunk.events,
      options.detailType === undefined ? {} : { detailType: options.detailType },
    );
    if (events.length > 0) options.onEvents(events);
  }
}
