import { CommanderError } from 'commander';
import { describe, expect, it } from 'vitest';
import { CliUsageError, RunUnsuccessfulError, WatchTimeoutError } from '../../cli/errors.js';
import { describeError, exitCodeFor, exitCodes, isConnectionRefused } from '../../cli/exit-codes.js';
import { translateAwsError } from '../../src/adapters/aws/index.js';
import {
  AccessDeniedError,
  ConfigurationError,
  JobNotFoundError,
  RequestValidationError,
  ServiceThrottledError,
  ServiceUnavailableError,
} from '../../src/core/errors.js';

const refused = translateAwsError(
  'S3Control.ListJobs',
  Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:4599'), { code: 'ECONNREFUSED' }),
);

describe('exitCodeFor', () => {
  it.each([
    ['a finished run that failed', new RunUnsuccessfulError('FAILED'), exitCodes.unsuccessful],
    ['an invalid request', new RequestValidationError('manifest.bucket', 'is required'), exitCodes.usage],
    ['a bad option', new CliUsageError('--max: bad'), exitCodes.usage],
    ['a bad configuration', new ConfigurationError('AWS_ENDPOINT_URL', 'not a URL'), exitCodes.usage],
    ['commander usage errors', new CommanderError(1, 'commander.unknownCommand', 'x'), exitCodes.usage],
    ['--help', new CommanderError(0, 'commander.helpDisplayed', '(help)'), exitCodes.ok],
    ['throttling', new ServiceThrottledError('slow down'), exitCodes.service],
    ['a 5xx', new ServiceUnavailableError('boom'), exitCodes.service],
    ['access denied', new AccessDeniedError('no'), exitCodes.service],
    ['a missing job', new JobNotFoundError('no such job'), exitCodes.service],
    ['connection refused', refused, exitCodes.service],
    [
      'missing credentials',
      Object.assign(new Error('x'), { name: 'CredentialsProviderError' }),
      exitCodes.service,
    ],
    ['a timeout', new WatchTimeoutError('still RUNNING'), exitCodes.timeout],
    ['anything else (a bug)', new TypeError('undefined is not a function'), exitCodes.internal],
  ])('maps %s', (_name, error, code) => {
    expect(exitCodeFor(error)).toBe(code);
  });
});

describe('describeError', () => {
  it('prints field: reason for an invalid request', () => {
    expect(describeError(new RequestValidationError('manifest.bucket', 'is required'))[0]).toBe(
      'error: invalid job request: manifest.bucket: is required',
    );
  });

  it('suggests starting the local AWS when the endpoint refuses connections', () => {
    expect(isConnectionRefused(refused)).toBe(true);
    const lines = describeError(refused, { endpoint: 'http://127.0.0.1:4599' });
    expect(lines[0]).toContain('ECONNREFUSED');
    expect(lines.join('\n')).toContain('s3bo local');
  });

  it('never prints a stack trace unless debugging', () => {
    const bug = new TypeError('oops');
    expect(describeError(bug).join('\n')).not.toContain('at ');
    expect(describeError(bug).join('\n')).toContain('S3BO_DEBUG=1');
    expect(describeError(bug, { debug: true }).join('\n')).toContain(bug.stack);
  });
});
