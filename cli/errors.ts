/**
 * Errors only the CLI raises. They carry no exit code: `exitCodeFor` (exit-codes.ts) decides that, in one
 * place, for these and for the core errors alike.
 */

/** The command line is wrong (a bad option value, an unreadable file). Nothing was started. */
export class CliUsageError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'CliUsageError';
  }
}

/** The watched execution (or the job) ended unsuccessfully; the outcome was already printed. */
export class RunUnsuccessfulError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'RunUnsuccessfulError';
  }
}

/** `--timeout` elapsed before the execution (or the tail) ended. The execution is left running. */
export class WatchTimeoutError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'WatchTimeoutError';
  }
}
