/**
 * The append-only event log: every event a bus accepts is written, before any delivery, as one JSON line
 * (the full envelope: version, id, detail-type, source, account, time, region, resources, detail) to
 * `events/<bus>.jsonl` through `Storage.appendLine`. It is the emulator's stand-in for an archive and what the
 * CLI's `events` command and the workflow tests read.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Storage } from '../contracts.js';
import type { EventEnvelope } from './input-transformer.js';

/** A bus name usable as a file name as it is: AWS's own names and ours, letters first. */
const PLAIN_BUS_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]*$/;

/**
 * `events/<bus>.jsonl`. A bus name AWS accepts may still be no file name (`..`, `.x`, `aws.partner/…`):
 * those become `_` and the name's UTF-8 bytes in hex, which no plain name starts with, so two buses never
 * share a log and none is written outside `events/`.
 */
export function eventLogName(bus: string): string {
  const file = PLAIN_BUS_NAME.test(bus) ? bus : `_${Buffer.from(bus, 'utf8').toString('hex')}`;
  return `events/${file}.jsonl`;
}

export function appendEvent(storage: Storage, bus: string, event: EventEnvelope): void {
  storage.appendLine(eventLogName(bus), JSON.stringify(event));
}

/**
 * Read a bus's log back, oldest first, skipping torn lines. Uses `Storage.readLines` when the store has it,
 * else `<dataDir>/<log>`.
 */
export function readEventLog(storage: Storage, bus: string): EventEnvelope[] {
  const logName = eventLogName(bus);
  let lines: string[];
  if (storage.readLines) {
    lines = storage.readLines(logName);
  } else if (storage.dataDir !== undefined && existsSync(join(storage.dataDir, logName))) {
    lines = readFileSync(join(storage.dataDir, logName), 'utf8').split('\n');
  } else {
    lines = [];
  }
  return lines.flatMap((line) => {
    if (line.trim() === '') return [];
    try {
      return [JSON.parse(line) as EventEnvelope];
    } catch {
      // A line torn by a machine that stopped mid-write: never a whole event, so nothing is lost by skipping
      // it (the appender ends it with a newline, so the events after it stay whole).
      return [];
    }
  });
}
