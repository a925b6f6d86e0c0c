/**
 * EventBridge Scheduler schedule expressions ("Schedule types on EventBridge Scheduler") and the instants
 * they fire at, in emulated time:
 * - `at(yyyy-mm-ddThh:mm:ss)`: once, at that wall-clock time in the schedule's time zone. StartDate and
 *   EndDate do not apply. A time in a daylight-saving gap is read with the offset before the gap (our choice;
 *   AWS documents nothing).
 * - `rate(value unit)`, unit minute(s) / hour(s) / day(s) (the API reference lists both forms for any value):
 *   from StartDate, or from when the expression was set ("If you do not provide a StartDate for a rate-based
 *   schedule, your schedule starts invoking its target immediately"), every period of elapsed time — a day is
 *   24 hours whatever daylight saving does ("the EventBridge Scheduler evaluates the rate expression 24 hours
 *   after the schedule's last invocation").
 * - `cron(...)`: emulator/cron.ts, in the schedule's time zone; slots on or after StartDate.
 * Recurring schedules fire nothing after EndDate.
 */
import { type CronExpression, CronSyntaxError, nextCronTime, parseCron } from '../cron.js';
import { instantsOf, offsetAt, type WallTime } from '../time-zones.js';
import { invalidExpression } from './errors.js';
import type { ScheduleRecord } from './model.js';

export type ParsedExpression =
  | { kind: 'at'; wall: WallTime }
  | { kind: 'rate'; periodMs: number }
  | { kind: 'cron'; cron: CronExpression };

const AT = /^at\((\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})\)$/;
const RATE = /^rate\(([1-9]\d*) (minute|minutes|hour|hours|day|days)\)$/;
const CRON = /^cron\((.*)\)$/;
const UNIT_MS: Record<string, number> = { minute: 60_000, hour: 3_600_000, day: 86_400_000 };

/** Parses an expression exactly as written (no surrounding spaces); ValidationException as AWS words it. */
export function parseScheduleExpression(expression: string): ParsedExpression {
  const at = AT.exec(expression);
  if (at) {
    const [year, month, day, hour, minute, second] = at.slice(1).map(Number) as [
      number,
      number,
      number,
      number,
      number,
      number,
    ];
    const date = new Date(Date.UTC(year, month - 1, day, hour, minute, second));
    const real =
      date.getUTCFullYear() === year &&
      date.getUTCMonth() === month - 1 &&
      date.getUTCDate() === day &&
      date.getUTCHours() === hour &&
      date.getUTCMinutes() === minute &&
      date.getUTCSeconds() === second;
    if (!real) throw invalidExpression(expression);
    return { kind: 'at', wall: { year, month, day, hour, minute, second } };
  }
  const rate = RATE.exec(expression);
  if (rate) {
    const periodMs = Number(rate[1]) * UNIT_MS[rate[2]!.replace(/s$/, '')]!;
    if (!Number.isSafeInteger(periodMs)) throw invalidExpression(expression);
    return { kind: 'rate', periodMs };
  }
  const cron = CRON.exec(expression);
  if (cron) {
    try {
      return { kind: 'cron', cron: parseCron(cron[1]!) };
    } catch (error) {
      if (error instanceof CronSyntaxError) throw invalidExpression(expression);
      throw error;
    }
  }
  throw invalidExpression(expression);
}

/** The instant of an `at(...)` wall-clock time in `timeZone`. */
export function atInstant(wall: WallTime, timeZone: string): number {
  const [first] = instantsOf(wall, timeZone);
  if (first !== undefined) return first;
  const local = Date.UTC(wall.year, wall.month - 1, wall.day, wall.hour, wall.minute, wall.second);
  return local - offsetAt(local - 86_400_000, timeZone);
}

/**
 * The first slot strictly after `afterMs` at which the schedule fires, or undefined when it never fires again
 * (an `at` already past, an EndDate reached, cron years over).
 */
export function nextSlot(schedule: ScheduleRecord, afterMs: number): number | undefined {
  const parsed = parseScheduleExpression(schedule.ScheduleExpression);
  const timeZone = schedule.ScheduleExpressionTimezone;
  if (parsed.kind === 'at') {
    const at = atInstant(parsed.wall, timeZone);
    return at > afterMs ? at : undefined;
  }
  let slot: number | undefined;
  if (parsed.kind === 'rate') {
    const anchor = schedule.StartDate ?? schedule.rateAnchor;
    const periods = afterMs < anchor ? 0 : Math.floor((afterMs - anchor) / parsed.periodMs) + 1;
    slot = anchor + periods * parsed.periodMs;
  } else {
    const from = schedule.StartDate === undefined ? afterMs : Math.max(afterMs, schedule.StartDate - 1);
    slot = nextCronTime(parsed.cron, new Date(from), timeZone)?.getTime();
  }
  if (slot === undefined || (schedule.EndDate !== undefined && slot > schedule.EndDate)) return undefined;
  return slot;
}
