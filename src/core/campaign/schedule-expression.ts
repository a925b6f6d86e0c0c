/**
 * What the campaign schema's pattern cannot say about a schedule: EventBridge Scheduler's cron has six fields
 * and one of day-of-month and day-of-week must be `?` ("Schedule types on EventBridge Scheduler", cron-based
 * schedules); an at() names a real date and time; the time zone is one the IANA database knows.
 */
import { RequestValidationError } from '../errors.js';

const cronFields = ['minutes', 'hours', 'day-of-month', 'month', 'day-of-week', 'year'] as const;

export function checkScheduleExpression(expression: string, field = 'schedule.expression'): void {
  const cron = /^cron\((.*)\)$/.exec(expression);
  if (cron) {
    const fields = cron[1]!.trim().split(/\s+/);
    if (fields.length !== cronFields.length) {
      throw new RequestValidationError(
        field,
        `a cron expression has six fields (${cronFields.join(' ')}), "${expression}" has ${fields.length}`,
      );
    }
    const [, , dayOfMonth, , dayOfWeek] = fields;
    if ((dayOfMonth === '?') === (dayOfWeek === '?')) {
      throw new RequestValidationError(
        field,
        `exactly one of day-of-month and day-of-week must be "?" in "${expression}" (EventBridge Scheduler cron expressions)`,
      );
    }
    return;
  }
  const at = /^at\((\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})\)$/.exec(expression);
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
      hour < 24 &&
      minute < 60 &&
      second < 60;
    if (!real) throw new RequestValidationError(field, `"${expression}" is not a real date and time`);
  }
}

/** An IANA time zone name Node's Intl knows (UTC included). */
export function checkTimezone(timezone: string, field = 'schedule.timezone'): void {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: timezone });
  } catch {
    throw new RequestValidationError(
      field,
      `"${timezone}" is not an IANA time zone (e.g. Europe/Paris, UTC)`,
    );
  }
}
