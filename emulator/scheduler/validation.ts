/**
 * CreateSchedule / UpdateSchedule input checks, with the constraints of the API reference (scheduler-2021-06-30)
 * and its "1 validation error detected: …" wording. Dates arrive as epoch seconds (the REST-JSON wire form).
 */
import { isTimeZone } from '../time-zones.js';
import { validation } from './errors.js';
import { atInstant, parseScheduleExpression } from './expressions.js';
import type { FlexibleTimeWindow, RetryPolicy, ScheduleRecord, ScheduleTarget } from './model.js';

export type Body = Record<string, unknown>;

export const NAME_PATTERN = /^[0-9a-zA-Z-_.]+$/;
const ROLE_ARN = /^arn:aws(-[a-z]+)?:iam::\d{12}:role\/[\w+=,.@/-]+$/;
const SQS_ARN = /^arn:aws(-[a-z]+)?:sqs:[a-z0-9-]+:\d{12}:[a-zA-Z0-9\-_]+$/;
/** "The StartDate you specify cannot be earlier than 5 minutes ago." */
const START_DATE_GRACE_MS = 5 * 60_000;

const constraint = (value: unknown, member: string, rule: string) =>
  validation(
    `1 validation error detected: Value '${String(value)}' at '${member}' failed to satisfy constraint: ${rule}`,
  );

export function checkString(
  value: unknown,
  member: string,
  options: { min?: number; max: number; pattern?: RegExp; required?: boolean },
): string | undefined {
  if (value === undefined || value === null) {
    if (options.required) {
      throw validation(
        `1 validation error detected: Value null at '${member}' failed to satisfy constraint: Member must not be null`,
      );
    }
    return undefined;
  }
  if (typeof value !== 'string') throw validation(`${member} must be a string`);
  const min = options.min ?? 1;
  if (value.length < min) {
    throw constraint(value, member, `Member must have length greater than or equal to ${min}`);
  }
  if (value.length > options.max) {
    throw constraint(value, member, `Member must have length less than or equal to ${options.max}`);
  }
  if (options.pattern && !options.pattern.test(value)) {
    throw constraint(
      value,
      member,
      `Member must satisfy regular expression pattern: ${options.pattern.source}`,
    );
  }
  return value;
}

function checkInteger(value: unknown, member: string, min: number, max: number): number | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'number' || !Number.isInteger(value)) throw validation(`${member} must be an integer`);
  if (value < min) throw constraint(value, member, `Member must have value greater than or equal to ${min}`);
  if (value > max) throw constraint(value, member, `Member must have value less than or equal to ${max}`);
  return value;
}

function checkEnum<T extends string>(value: unknown, member: string, allowed: readonly T[]): T | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'string' || !allowed.includes(value as T)) {
    throw constraint(value, member, `Member must satisfy enum value set: [${allowed.join(', ')}]`);
  }
  return value as T;
}

/** A timestamp member: epoch seconds (the wire form), to epoch milliseconds. */
function checkDate(value: unknown, member: string): number | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'number' || !Number.isFinite(value)) {
    throw validation(`${member} must be a timestamp (epoch seconds)`);
  }
  return Math.round(value * 1000);
}

function checkFlexibleTimeWindow(value: unknown): FlexibleTimeWindow {
  if (typeof value !== 'object' || value === null) {
    throw validation(
      "1 validation error detected: Value null at 'flexibleTimeWindow' failed to satisfy constraint: Member must not be null",
    );
  }
  const window = value as Body;
  const mode = checkEnum(window.Mode, 'flexibleTimeWindow.mode', ['OFF', 'FLEXIBLE'] as const);
  if (!mode) {
    throw validation(
      "1 validation error detected: Value null at 'flexibleTimeWindow.mode' failed to satisfy constraint: Member must not be null",
    );
  }
  const minutes = checkInteger(
    window.MaximumWindowInMinutes,
    'flexibleTimeWindow.maximumWindowInMinutes',
    1,
    1440,
  );
  if (mode === 'FLEXIBLE' && minutes === undefined) {
    throw validation('MaximumWindowInMinutes is required when the FlexibleTimeWindow mode is FLEXIBLE.');
  }
  if (mode === 'OFF' && minutes !== undefined) {
    throw validation('MaximumWindowInMinutes is only allowed when the FlexibleTimeWindow mode is FLEXIBLE.');
  }
  return { Mode: mode, ...(minutes === undefined ? {} : { MaximumWindowInMinutes: minutes }) };
}

function checkTarget(value: unknown): ScheduleTarget {
  if (typeof value !== 'object' || value === null) {
    throw validation(
      "1 validation error detected: Value null at 'target' failed to satisfy constraint: Member must not be null",
    );
  }
  const raw = value as Body;
  const arn = checkString(raw.Arn, 'target.arn', { max: 1600, required: true })!;
  const roleArn = checkString(raw.RoleArn, 'target.roleArn', {
    max: 1600,
    pattern: ROLE_ARN,
    required: true,
  })!;
  const input = checkString(raw.Input, 'target.input', { max: 8192 });
  const retry = (raw.RetryPolicy ?? {}) as Body;
  const retryPolicy: RetryPolicy = {
    MaximumEventAgeInSeconds:
      checkInteger(
        retry.MaximumEventAgeInSeconds,
        'target.retryPolicy.maximumEventAgeInSeconds',
        60,
        86_400,
      ) ?? 86_400,
    MaximumRetryAttempts:
      checkInteger(retry.MaximumRetryAttempts, 'target.retryPolicy.maximumRetryAttempts', 0, 185) ?? 185,
  };
  const deadLetter = raw.DeadLetterConfig as Body | undefined;
  if (deadLetter !== undefined) {
    checkString(deadLetter.Arn, 'target.deadLetterConfig.arn', { max: 1600, pattern: SQS_ARN });
  }
  const { Arn: _a, RoleArn: _r, Input: _i, RetryPolicy: _p, DeadLetterConfig: _d, ...rest } = raw;
  return {
    ...rest,
    Arn: arn,
    RoleArn: roleArn,
    ...(input === undefined ? {} : { Input: input }),
    RetryPolicy: retryPolicy,
    ...(deadLetter === undefined ? {} : { DeadLetterConfig: { ...deadLetter } }),
  };
}

export interface ScheduleFields
  extends Omit<ScheduleRecord, 'Arn' | 'CreationDate' | 'LastModificationDate' | 'revision' | 'rateAnchor'> {}

/**
 * Every field of a CreateSchedule / UpdateSchedule body, checked. Omitted optional fields take their
 * defaults (UpdateSchedule replaces the whole schedule, as the API reference warns). `nowMs` is the
 * emulated time of the request.
 */
export function scheduleFields(name: string, body: Body, nowMs: number): ScheduleFields {
  checkString(name, 'name', { max: 64, pattern: NAME_PATTERN, required: true });
  const groupName = checkString(body.GroupName, 'groupName', { max: 64, pattern: NAME_PATTERN }) ?? 'default';
  const expression = checkString(body.ScheduleExpression, 'scheduleExpression', {
    max: 256,
    required: true,
  })!;
  const parsed = parseScheduleExpression(expression);
  const timeZone =
    checkString(body.ScheduleExpressionTimezone, 'scheduleExpressionTimezone', { max: 50 }) ?? 'UTC';
  if (!isTimeZone(timeZone)) throw validation(`Invalid ScheduleExpressionTimezone ${timeZone}.`);
  const description = checkString(body.Description, 'description', { min: 0, max: 512 });
  const startDate = checkDate(body.StartDate, 'StartDate');
  const endDate = checkDate(body.EndDate, 'EndDate');
  if (parsed.kind !== 'at') {
    // Ignored for one-time schedules (API reference, StartDate / EndDate).
    if (startDate !== undefined && startDate < nowMs - START_DATE_GRACE_MS) {
      throw validation('The StartDate you specify cannot be earlier than 5 minutes ago.');
    }
    if (startDate !== undefined && endDate !== undefined && endDate <= startDate) {
      throw validation('The EndDate you specify must be after the StartDate.');
    }
  } else {
    atInstant(parsed.wall, timeZone);
  }
  const state = checkEnum(body.State, 'state', ['ENABLED', 'DISABLED'] as const) ?? 'ENABLED';
  const kmsKeyArn = checkString(body.KmsKeyArn, 'kmsKeyArn', { max: 2048 });
  const after =
    checkEnum(body.ActionAfterCompletion, 'actionAfterCompletion', ['NONE', 'DELETE'] as const) ?? 'NONE';
  checkString(body.ClientToken, 'clientToken', { max: 64, pattern: /^[a-zA-Z0-9-_]+$/ });
  return {
    Name: name,
    GroupName: groupName,
    ScheduleExpression: expression,
    ScheduleExpressionTimezone: timeZone,
    ...(description === undefined ? {} : { Description: description }),
    ...(startDate === undefined ? {} : { StartDate: startDate }),
    ...(endDate === undefined ? {} : { EndDate: endDate }),
    State: state,
    FlexibleTimeWindow: checkFlexibleTimeWindow(body.FlexibleTimeWindow),
    Target: checkTarget(body.Target),
    ...(kmsKeyArn === undefined ? {} : { KmsKeyArn: kmsKeyArn }),
    ActionAfterCompletion: after,
  };
}
