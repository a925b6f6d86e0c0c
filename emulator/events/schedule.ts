/**
 * Schedule expressions ("Creating an Amazon EventBridge rule that runs on a schedule"): `rate(value unit)` and
 * `cron(minutes hours day-of-month month day-of-week year)`. Both are validated and stored; only `rate` rules
 * fire (see the scheduler in index.ts), with emulated time, so `rate(1 hour)` at timeScale 3600 fires every
 * real second.
 */
import { validation } from './errors.js';

const RATE = /^rate\((\d+) (minute|minutes|hour|hours|day|days)\)$/;
const UNIT_SECONDS: Record<string, number> = { minute: 60, hour: 3600, day: 86400 };

/** Throws ValidationException for an expression AWS would reject. */
export function validateScheduleExpression(expression: string): void {
  if (parseRateSeconds(expression) !== undefined) return;
  const cron = /^cron\((.*)\)$/.exec(expression);
  if (cron) {
    const fields = cron[1]!.trim().split(/\s+/);
    // AWS: one of day-of-month / day-of-week must be `?`.
    if (fields.length === 6 && (fields[2] === '?') !== (fields[4] === '?')) return;
  }
  throw validation('Parameter ScheduleExpression is not valid.');
}

/** Seconds between firings of a `rate(...)` expression; undefined for cron or invalid expressions. */
export function parseRateSeconds(expression: string): number | undefined {
  const match = RATE.exec(expression.trim());
  if (!match) return undefined;
  const value = Number(match[1]);
  const unit = match[2]!;
  const singular = !unit.endsWith('s');
  // AWS: a value of 1 takes the singular unit, anything larger the plural one.
  if (value <= 0 || (value === 1) !== singular) return undefined;
  return value * UNIT_SECONDS[unit.replace(/s$/, '')]!;
}
