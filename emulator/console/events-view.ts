/**
 * Events: a bus's event log, newest first, filtered by detail type and by job, one page at a time. The log is
 * append-only, so each bus's lines are parsed once, as they arrive (the tail), not on every poll: a log of
 * 10,000 events costs one parse, then a filter and a slice per page.
 */
import { closeSync, fstatSync, openSync, readSync } from 'node:fs';
import { join } from 'node:path';
import type { ServiceHandler, Storage } from '../contracts.js';
import { eventLogName } from '../events/event-log.js';
import { integerParam } from './http.js';
import { callJsonApi } from './wire-client.js';

interface LoggedEvent {
  /** Position in the log (0 = oldest): the cursor of older pages. */
  seq: number;
  line: string;
  id: string;
  detailType: string;
  source: string;
  time: string;
}

interface Tail {
  events: LoggedEvent[];
  /** Bytes of the log file consumed (directory storage). */
  bytes: number;
  /** A line cut by a concurrent append, completed by the next read. */
  partial: string;
  detailTypes: Map<string, number>;
}

function toLogged(line: string, seq: number): LoggedEvent | undefined {
  try {
    const event = JSON.parse(line) as Record<string, unknown>;
    return {
      seq,
      line,
      id: String(event.id ?? ''),
      detailType: String(event['detail-type'] ?? ''),
      source: String(event.source ?? ''),
      time: String(event.time ?? ''),
    };
  } catch {
    return undefined;
  }
}

export function createEventsView(storage: Storage, events: ServiceHandler) {
  const tails = new Map<string, Tail>();

  /** New lines of the log since the last read: from memory, or the file's bytes past the last offset. */
  const newLines = (bus: string, tail: Tail): string[] => {
    const logName = eventLogName(bus);
    if (storage.readLines) return storage.readLines(logName).slice(tail.events.length);
    if (storage.dataDir === undefined) return [];
    let fd: number;
    try {
      fd = openSync(join(storage.dataDir, logName), 'r');
    } catch {
      return [];
    }
    try {
      const size = fstatSync(fd).size;
      if (size <= tail.bytes) return [];
      const buffer = Buffer.alloc(size - tail.bytes);
      readSync(fd, buffer, 0, buffer.length, tail.bytes);
      tail.bytes = size;
      const text = tail.partial + buffer.toString('utf8');
      const lines = text.split('\n');
      tail.partial = lines.pop() ?? '';
      return lines.filter((line) => line.trim() !== '');
    } finally {
      closeSync(fd);
    }
  };

  const read = (bus: string): Tail => {
    let tail = tails.get(bus);
    if (!tail) {
      tail = { events: [], bytes: 0, partial: '', detailTypes: new Map() };
      tails.set(bus, tail);
    }
    for (const line of newLines(bus, tail)) {
      const logged = toLogged(line, tail.events.length);
      if (!logged) continue;
      tail.events.push(logged);
      tail.detailTypes.set(logged.detailType, (tail.detailTypes.get(logged.detailType) ?? 0) + 1);
    }
    return tail;
  };

  return {
    async buses(): Promise<string[]> {
      const answer = await callJsonApi<{ EventBuses: { Name: string }[] }>(
        events,
        'AWSEvents.ListEventBuses',
        {
          Limit: 100,
        },
      );
      return answer.EventBuses.map((bus) => bus.Name);
    },

    /**
     * Newest first. `before` (a seq) pages back; `detailType` must match exactly; `job` matches an event
     * naming that job id anywhere (S3's job events and the orchestrator's carry it in different fields).
     */
    page(bus: string, query: URLSearchParams) {
      const tail = read(bus);
      const limit = integerParam({ query }, 'limit', 50, 1, 200);
      const before = integerParam({ query }, 'before', tail.events.length, 0, Number.MAX_SAFE_INTEGER);
      const detailType = query.get('detailType') || undefined;
      const job = query.get('job') || undefined;
      const items: LoggedEvent[] = [];
      let matched = 0;
      // Walks back from `before` and stops once the page is full: no copy or sort of the whole log.
      let seq = Math.min(before, tail.events.length) - 1;
      for (; seq >= 0 && items.length < limit; seq--) {
        const event = tail.events[seq]!;
        if (detailType !== undefined && event.detailType !== detailType) continue;
        if (job !== undefined && !event.line.includes(job)) continue;
        matched++;
        items.push(event);
      }
      return {
        bus,
        total: tail.events.length,
        detailTypes: Object.fromEntries([...tail.detailTypes].sort(([a], [b]) => a.localeCompare(b))),
        items: items.map(({ seq: position, line, detailType: type, id, source, time }) => ({
          seq: position,
          id,
          detailType: type,
          source,
          time,
          event: JSON.parse(line) as unknown,
        })),
        ...(seq >= 0 && matched === limit ? { before: items[items.length - 1]!.seq } : {}),
      };
    },
  };
}

export type EventsView = ReturnType<typeof createEventsView>;
