/**
 * Schedule expressions of EventBridge rules ("Creating an Amazon EventBridge rule that runs on a schedule"):
 * `rate(value unit)` and `cron(minutes hours day-of-month month day-of-week year)`, always in UTC. Both fire in
 * emulated time (rule-schedules.ts), so `rate(1 hour)` at timeScale 3600 fires every real second. The cron
 * grammar is shared with EventBridge Scheduler (emulator/cron.ts).
 */
import { type CronExpression, CronSyntaxError, parseCron } from '../cron.js';
import { validation } from './errors.js';

const RATE = /^rate\((\d+) (minute|minutes|hour|hours|day|days)\)$/;
const CRON = /^cron\((.*)\)$/;
const UNIT_SECONDS: Record<string, number> = { minute: 60, hour: 3600, day: 86400 };

/** Throws ValidationException for an expression AWS would reject. */
export function validateScheduleExpression(expression: string): void {
  if (parseRateSeconds(expression) !== undefined) return;
  if (parseRuleCron(expression) !== undefined) return;
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

/** The parsed `cron(...)` expression; undefined for rate or invalid expressions. */
export function parseRuleCron(expression: string): CronExpression | undefined {
  const match = CRON.exec(expression.trim());
  if (!match) return undefined;
  try {
    return parseCron(match[1]!);
  } catch (error) {
    if (error instanceof CronSyntaxError) return undefined;
    throw error;
  }
}
