/** Parsers for option and argument values; a bad value is a CliUsageError (exit 2). */
import { type JobStatus, jobStatuses } from '../../src/core/names.js';
import { CliUsageError } from '../errors.js';

export function parseInteger(flag: string, value: string, min: number, max: number): number {
  const n = Number(value);
  if (!/^-?\d+$/.test(value.trim()) || !Number.isSafeInteger(n) || n < min || n > max) {
    throw new CliUsageError(
      `${flag}: must be an integer from ${min} to ${max} (got ${JSON.stringify(value)})`,
    );
  }
  return n;
}

export function parseSeconds(flag: string, value: string): number {
  const n = Number(value);
  if (value.trim() === '' || !Number.isFinite(n) || n <= 0) {
    throw new CliUsageError(`${flag}: must be a positive number of seconds (got ${JSON.stringify(value)})`);
  }
  return n;
}

/** `Active,Complete` → the statuses, each checked against S3's JobStatus values (case-insensitive). */
export function parseJobStatuses(flag: string, value: string): JobStatus[] {
  return value
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s !== '')
    .map((s) => {
      const status = jobStatuses.find((known) => known.toLowerCase() === s.toLowerCase());
      if (!status)
        throw new CliUsageError(
          `${flag}: unknown job status ${JSON.stringify(s)} (one of ${jobStatuses.join(', ')})`,
        );
      return status;
    });
}

/** S3 Batch Operations job ids: 5–36 characters of `[a-zA-Z0-9\-_]` (S3 Control API reference, JobId). */
export function checkJobId(value: string): string {
  if (!/^[a-zA-Z0-9\-_]{5,36}$/.test(value)) {
    throw new CliUsageError(
      `jobId: 5-36 characters of letters, digits, - and _ (got ${JSON.stringify(value)})`,
    );
  }
  return value;
}
