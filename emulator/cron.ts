/**
 * EventBridge cron expressions, shared by EventBridge rules (UTC) and EventBridge Scheduler (any IANA zone):
 * `cron(minutes hours day-of-month month day-of-week year)`, as "Cron expressions reference" (EventBridge User
 * Guide) and "Schedule types on EventBridge Scheduler" define them.
 *
 * | field        | values                      | wildcards          |
 * | minutes      | 0-59                        | , - * /            |
 * | hours        | 0-23                        | , - * /            |
 * | day-of-month | 1-31                        | , - * ? / L W      |
 * | month        | 1-12 or JAN-DEC             | , - * /            |
 * | day-of-week  | 1-7 or SUN-SAT (1 = Sunday) | , - * ? L #        |
 * | year         | 1970-2199                   | , - * /            |
 *
 * One of day-of-month and day-of-week must be `?` (not both). `L` is the last day of the month (day-of-month)
 * or Saturday (day-of-week alone); `5L` the last Thursday of the month; `LW` the last weekday of the month;
 * `15W` the weekday nearest the 15th, within the month; `3#2` the second Tuesday. Our choices where the guide
 * says nothing: a range whose start is after its end wraps (`FRI-MON`, `22-2`), and `L`, `W`, `#` forms may
 * appear in a list with plain values.
 *
 * Daylight saving (Scheduler): a local time that does not exist (spring forward) is skipped, and one that
 * occurs twice (fall back) fires once, at its first occurrence — as "EventBridge Scheduler automatically
 * adjusts your schedule for Daylight Saving Time" describes.
 */
import { instantsOf, wallTimeAt } from './time-zones.js';

export class CronSyntaxError extends Error {
  override name = 'CronSyntaxError';
}

type DayOfMonthItem =
  | { kind: 'day'; day: number }
  | { kind: 'last' }
  | { kind: 'lastWeekday' }
  | { kind: 'nearestWeekday'; day: number };

type DayOfWeekItem =
  | { kind: 'weekday'; weekday: number }
  | { kind: 'lastOfMonth'; weekday: number }
  | { kind: 'nth'; weekday: number; nth: number };

export interface CronExpression {
  minutes: number[];
  hours: number[];
  /** Undefined: `?` (the day is chosen by day-of-week). */
  daysOfMonth: DayOfMonthItem[] | undefined;
  months: number[];
  /** Undefined: `?` (the day is chosen by day-of-month). Weekdays 1 (Sunday) to 7 (Saturday). */
  daysOfWeek: DayOfWeekItem[] | undefined;
  years: number[];
}

const MONTHS = ['JAN', 'FEB', 'MAR', 'APR', 'MAY', 'JUN', 'JUL', 'AUG', 'SEP', 'OCT', 'NOV', 'DEC'];
const WEEKDAYS = ['SUN', 'MON', 'TUE', 'WED', 'THU', 'FRI', 'SAT'];
export const LAST_CRON_YEAR = 2199;

interface FieldSpec {
  name: string;
  min: number;
  max: number;
  names?: string[];
}

const FIELDS = {
  minutes: { name: 'minutes', min: 0, max: 59 },
  hours: { name: 'hours', min: 0, max: 23 },
  dayOfMonth: { name: 'day-of-month', min: 1, max: 31 },
  month: { name: 'month', min: 1, max: 12, names: MONTHS },
  dayOfWeek: { name: 'day-of-week', min: 1, max: 7, names: WEEKDAYS },
  year: { name: 'year', min: 1970, max: LAST_CRON_YEAR },
} satisfies Record<string, FieldSpec>;

function fieldValue(text: string, spec: FieldSpec): number {
  const named = spec.names?.indexOf(text.toUpperCase()) ?? -1;
  const value = named >= 0 ? named + 1 : /^\d+$/.test(text) ? Number(text) : Number.NaN;
  if (!Number.isInteger(value) || value < spec.min || value > spec.max) {
    throw new CronSyntaxError(`${spec.name}: "${text}" is not a value from ${spec.min} to ${spec.max}`);
  }
  return value;
}

/** `*`, `a`, `a-b`, each optionally `/step` (`a/step` runs from a to the field's end); ranges may wrap. */
function rangeValues(item: string, spec: FieldSpec): number[] {
  const [range, stepText, extra] = item.split('/');
  if (extra !== undefined || range === undefined || range === '') {
    throw new CronSyntaxError(`${spec.name}: "${item}" is not a value, range or step`);
  }
  let step = 1;
  if (stepText !== undefined) {
    if (!/^\d+$/.test(stepText) || Number(stepText) < 1) {
      throw new CronSyntaxError(`${spec.name}: the step in "${item}" must be a positive integer`);
    }
    step = Number(stepText);
  }
  let start: number;
  let end: number;
  if (range === '*') {
    start = spec.min;
    end = spec.max;
  } else if (range.includes('-')) {
    const [from, to, more] = range.split('-');
    if (more !== undefined || !from || !to)
      throw new CronSyntaxError(`${spec.name}: "${item}" is not a range`);
    start = fieldValue(from, spec);
    end = fieldValue(to, spec);
  } else {
    start = fieldValue(range, spec);
    end = stepText === undefined ? start : spec.max;
  }
  const span = end >= start ? end - start : spec.max - start + 1 + (end - spec.min);
  const values: number[] = [];
  for (let offset = 0; offset <= span; offset += step) {
    values.push(((start - spec.min + offset) % (spec.max - spec.min + 1)) + spec.min);
  }
  return values;
}

function numericField(text: string, spec: FieldSpec): number[] {
  const values = new Set<number>();
  for (const item of text.split(',')) for (const value of rangeValues(item, spec)) values.add(value);
  return [...values].sort((a, b) => a - b);
}

function dayOfMonthField(text: string): DayOfMonthItem[] {
  const items: DayOfMonthItem[] = [];
  for (const item of text.split(',')) {
    const upper = item.toUpperCase();
    if (upper === 'L') items.push({ kind: 'last' });
    else if (upper === 'LW') items.push({ kind: 'lastWeekday' });
    else if (/^\d+W$/.test(upper))
      items.push({ kind: 'nearestWeekday', day: fieldValue(upper.slice(0, -1), FIELDS.dayOfMonth) });
    else for (const day of rangeValues(item, FIELDS.dayOfMonth)) items.push({ kind: 'day', day });
  }
  return items;
}

function dayOfWeekField(text: string): DayOfWeekItem[] {
  const items: DayOfWeekItem[] = [];
  for (const item of text.split(',')) {
    const upper = item.toUpperCase();
    if (upper === 'L') items.push({ kind: 'weekday', weekday: 7 });
    else if (/^[A-Z0-9]+L$/.test(upper))
      items.push({ kind: 'lastOfMonth', weekday: fieldValue(upper.slice(0, -1), FIELDS.dayOfWeek) });
    else if (upper.includes('#')) {
      const [weekday, nth, more] = upper.split('#');
      if (more !== undefined || !weekday || !nth || !/^[1-5]$/.test(nth)) {
        throw new CronSyntaxError(`day-of-week: "${item}" must be <weekday>#<1-5>`);
      }
      items.push({ kind: 'nth', weekday: fieldValue(weekday, FIELDS.dayOfWeek), nth: Number(nth) });
    } else {
      for (const weekday of rangeValues(item, FIELDS.dayOfWeek)) items.push({ kind: 'weekday', weekday });
    }
  }
  return items;
}

/** Parses the six fields inside `cron(...)`; CronSyntaxError names the field and the reason. */
export function parseCron(fields: string): CronExpression {
  const parts = fields.trim().split(/\s+/);
  if (parts.length !== 6 || parts[0] === '') {
    throw new CronSyntaxError(
      `expected 6 fields (minutes hours day-of-month month day-of-week year), got ${parts[0] === '' ? 0 : parts.length}`,
    );
  }
  const [minutes, hours, dayOfMonth, month, dayOfWeek, year] = parts as [
    string,
    string,
    string,
    string,
    string,
    string,
  ];
  if ((dayOfMonth === '?') === (dayOfWeek === '?')) {
    throw new CronSyntaxError('exactly one of day-of-month and day-of-week must be "?"');
  }
  return {
    minutes: numericField(minutes, FIELDS.minutes),
    hours: numericField(hours, FIELDS.hours),
    daysOfMonth: dayOfMonth === '?' ? undefined : dayOfMonthField(dayOfMonth),
    months: numericField(month, FIELDS.month),
    daysOfWeek: dayOfWeek === '?' ? undefined : dayOfWeekField(dayOfWeek),
    years: numericField(year, FIELDS.year),
  };
}

const daysIn = (year: number, month: number) => new Date(Date.UTC(year, month, 0)).getUTCDate();
/** 1 (Sunday) to 7 (Saturday). */
const weekdayOf = (year: number, month: number, day: number) =>
  new Date(Date.UTC(year, month - 1, day)).getUTCDay() + 1;

function nearestWeekday(year: number, month: number, day: number): number | undefined {
  const last = daysIn(year, month);
  if (day > last) return undefined;
  const weekday = weekdayOf(year, month, day);
  if (weekday === 7) return day === 1 ? 3 : day - 1; // Saturday: Friday, or Monday the 3rd
  if (weekday === 1) return day === last ? day - 2 : day + 1; // Sunday: Monday, or Friday before the end
  return day;
}

function dayMatches(cron: CronExpression, year: number, month: number, day: number): boolean {
  const last = daysIn(year, month);
  if (cron.daysOfMonth) {
    return cron.daysOfMonth.some((item) => {
      switch (item.kind) {
        case 'day':
          return item.day === day;
        case 'last':
          return day === last;
        case 'lastWeekday':
          return day === nearestWeekday(year, month, last);
        case 'nearestWeekday':
          return day === nearestWeekday(year, month, item.day);
      }
      return false;
    });
  }
  const weekday = weekdayOf(year, month, day);
  return (cron.daysOfWeek ?? []).some((item) => {
    if (item.weekday !== weekday) return false;
    if (item.kind === 'weekday') return true;
    if (item.kind === 'lastOfMonth') return day + 7 > last;
    return Math.ceil(day / 7) === item.nth;
  });
}

/**
 * The first instant strictly after `after` at which the expression fires in `timeZone`, or undefined when
 * it never fires again (its years are over). Local times are walked in order from the minute holding `after`;
 * each is turned into its first instant (none in a daylight-saving gap). Bounded by the year 2199.
 */
export function nextCronTime(cron: CronExpression, after: Date, timeZone = 'UTC'): Date | undefined {
  const afterMs = after.getTime();
  const from = wallTimeAt(afterMs, timeZone);
  for (const year of cron.years) {
    if (year < from.year) continue;
    const onYear = year === from.year;
    for (const month of cron.months) {
      if (onYear && month < from.month) continue;
      const onMonth = onYear && month === from.month;
      const lastDay = daysIn(year, month);
      for (let day = onMonth ? from.day : 1; day <= lastDay; day++) {
        if (!dayMatches(cron, year, month, day)) continue;
        const onDay = onMonth && day === from.day;
        for (const hour of cron.hours) {
          if (onDay && hour < from.hour) continue;
          const onHour = onDay && hour === from.hour;
          for (const minute of cron.minutes) {
            if (onHour && minute < from.minute) continue;
            const [first] = instantsOf({ year, month, day, hour, minute, second: 0 }, timeZone);
            // Past instants here are the minute holding `after`, or the second pass of a repeated hour.
            if (first !== undefined && first > afterMs) return new Date(first);
          }
        }
      }
    }
  }
  return undefined;
}
