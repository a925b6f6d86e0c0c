/**
 * The `s3bo` exit codes, documented in cli/README.md. Only the entry (main.ts) calls `exitCodeFor`;
 * commands throw and never call `process.exit`.
 */
import { CommanderError } from 'commander';
import {
  AccessDeniedError,
  ConfigurationError,
  OrchestratorError,
  RequestValidationError,
  ServiceThrottledError,
  ServiceUnavailableError,
} from '../src/core/errors.js';
import { CliUsageError, RunUnsuccessfulError, WatchTimeoutError } from './errors.js';

export const exitCodes = {
  /** The command did what was asked; for run/watch, the execution succeeded (PartialFailure included). */
  ok: 0,
  /** The execution ended unsuccessfully: FAILED / TIMED_OUT / ABORTED, the job Failed or was Cancelled. */
  unsuccessful: 1,
  /** Usage error or invalid job request (nothing was started). */
  usage: 2,
  /** AWS (or the local AWS) failed or refused: throttling, 5xx, access denied, connection refused… */
  service: 3,
  /** `--timeout` elapsed first; the execution is left running. */
  timeout: 4,
  /** An unexpected error: a bug in s3bo. */
  internal: 5,
} as const;

export type ExitCode = (typeof exitCodes)[keyof typeof exitCodes];

/** Commander's own "errors" that are really successful endings. */
const commanderSuccessCodes = new Set(['commander.helpDisplayed', 'commander.help', 'commander.version']);

/** SDK errors raised before any request was sent, so the adapters pass them through untranslated. */
const sdkSetupErrorNames = new Set(['CredentialsProviderError', 'TokenProviderError']);

export function exitCodeFor(error: unknown): ExitCode {
  if (error instanceof CommanderError) {
    return commanderSuccessCodes.has(error.code) || error.exitCode === 0 ? exitCodes.ok : exitCodes.usage;
  }
  if (error instanceof RunUnsuccessfulError) return exitCodes.unsuccessful;
  if (error instanceof WatchTimeoutError) return exitCodes.timeout;
  if (
    error instanceof CliUsageError ||
    error instanceof RequestValidationError ||
    error instanceof ConfigurationError
  ) {
    return exitCodes.usage;
  }
  // Every other core error comes from an AWS answer (or its absence): throttled, unavailable, denied,
  // not found, status conflict, a malformed report…
  if (error instanceof OrchestratorError) return exitCodes.service;
  if (error instanceof Error && sdkSetupErrorNames.has(error.name)) return exitCodes.service;
  return exitCodes.internal;
}

/** True when the error (or one of its causes) says nothing listens on the endpoint. */
export function isConnectionRefused(error: unknown, depth = 0): boolean {
  if (error === null || typeof error !== 'object' || depth > 5) return false;
  const { code, message, cause } = error as { code?: unknown; message?: unknown; cause?: unknown };
  if (code === 'ECONNREFUSED') return true;
  if (typeof message === 'string' && message.includes('ECONNREFUSED')) return true;
  return isConnectionRefused(cause, depth + 1);
}

export interface DescribeErrorOptions {
  /** The endpoint in use, for the hints (undefined: AWS itself). */
  endpoint?: string | undefined;
  /** Append the stack (S3BO_DEBUG=1). */
  debug?: boolean;
}

/** The lines printed on stderr for an error: one message, then hints. Never a stack unless `debug`. */
export function describeError(error: unknown, options: DescribeErrorOptions = {}): string[] {
  const lines: string[] = [];
  if (error instanceof RequestValidationError) {
    lines.push(`error: invalid job request: ${error.field}: ${error.reason}`);
  } else if (error instanceof Error) {
    lines.push(`error: ${error.message || error.name}`);
  } else {
    lines.push(`error: ${String(error)}`);
  }
  for (const hint of hintsFor(error, options.endpoint)) lines.push(`hint: ${hint}`);
  if (options.debug && error instanceof Error && error.stack) lines.push(error.stack);
  return lines;
}

function hintsFor(error: unknown, endpoint: string | undefined): string[] {
  if (isConnectionRefused(error)) {
    return [
      `nothing answers at ${endpoint ?? 'the AWS endpoint'}: start the local AWS with \`s3bo local\` ` +
        '(or pass --endpoint / --stage for another target)',
    ];
  }
  if (error instanceof ServiceThrottledError) return ['AWS throttled the call; try again in a moment'];
  if (error instanceof ServiceUnavailableError) {
    return endpoint ? [`is the local AWS at ${endpoint} running? start it with \`s3bo local\``] : [];
  }
  if (error instanceof AccessDeniedError) {
    return ['check the credentials (AWS_PROFILE / AWS_ACCESS_KEY_ID) and --account-id'];
  }
  if (error instanceof Error && sdkSetupErrorNames.has(error.name)) {
    return ['no AWS credentials found: set AWS_PROFILE or AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY'];
  }
  if (exitCodeFor(error) === exitCodes.internal) {
    return ['this looks like a bug in s3bo; run again with S3BO_DEBUG=1 for the stack trace'];
  }
  return [];
}
