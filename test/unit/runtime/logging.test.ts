import type { Context } from 'aws-lambda';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createHandler as emitEventsHandler } from '../../../functions/emit-events.js';
import { systemClock } from '../../../src/core/ports.js';
import type { SchemaValidator } from '../../../src/generated/validators.js';
import { lambdaHandler, maxLoggedMessageLength } from '../../../src/runtime/handler.js';
import { capturedOutput } from './captured-output.js';

/** Looks like an AWS secret access key (40 characters of base64), as a leaked one would. */
const secret = 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY';
/** A body well past anything a log line should carry: 300 KiB of one recognisable character run. */
const largeBody = 'Q'.repeat(300 * 1024);

/** The environment Lambda would give a function of the dev stage, its role's credentials included. */
const lambdaEnv = {
  S3BO_STAGE: 'dev',
  S3BO_EVENT_BUS_NAME: 's3-batch-orchestrator-dev',
  AWS_ACCESS_KEY_ID: 'ASIAIOSFODNN7EXAMPLE',
  AWS_SECRET_ACCESS_KEY: secret,
  AWS_SESSION_TOKEN: 'FwoGZXIvYXdzEXAMPLETOKEN',
};

const context = {
  functionName: 's3-batch-orchestrator-dev-emit-events',
  functionVersion: '$LATEST',
  invokedFunctionArn: 'arn:aws:lambda:eu-west-1:123456789012:function:s3-batch-orchestrator-dev-emit-events',
  memoryLimitInMB: '512',
  awsRequestId: 'c6af9ac6-7b61-11e6-9a41-93e812345678',
  logGroupName: '/aws/lambda/s3-batch-orchestrator-dev-emit-events',
  logStreamName: '2026/12/06/[$LATEST]abcdef',
  callbackWaitsForEmptyEventLoop: true,
  getRemainingTimeInMillis: () => 60_000,
  done: () => undefined,
  fail: () => undefined,
  succeed: () => undefined,
} as unknown as Context;

/** A payload carrying the secret and the large body where a careless logger would print them. */
const hostileEvent = () => ({
  state: { credentials: { AccessKeyId: 'AKIAIOSFODNN7EXAMPLE', SecretAccessKey: secret } },
  body: largeBody,
});

describe('Lambda logging', () => {
  afterEach(() => {
    vi.unstubAllEnvs();
  });

  it('logs a rejected input by its error alone: no credentials, no payload, even with event logging turned on', async () => {
    // Prepare: an operator turning Powertools' event logging on must not make the handler print payloads.
    vi.stubEnv('POWERTOOLS_LOGGER_LOG_EVENT', 'true');
    vi.stubEnv('POWERTOOLS_DEV', '');
    const handler = emitEventsHandler({
      env: { ...lambdaEnv, POWERTOOLS_LOG_LEVEL: 'DEBUG' },
      clock: systemClock,
    });

    // Act
    const output = await capturedOutput(() => handler(hostileEvent(), context));

    // Assess
    expect(output).toContain('emit-events failed');
    expect(output).toContain('TaskInputError');
    expect(output).not.toContain(secret);
    expect(output).not.toContain('AKIAIOSFODNN7EXAMPLE');
    expect(output).not.toContain('ASIAIOSFODNN7EXAMPLE');
    expect(output).not.toContain('FwoGZXIvYXdzEXAMPLETOKEN');
    expect(output).not.toContain('Q'.repeat(100));
    expect(output.length).toBeLessThan(4 * 1024);
  });

  it('caps an error message that quotes a whole payload, and keeps its start', async () => {
    // Prepare: a failure whose message echoes what it was given, as some SDK and parser errors do.
    const acceptAnything = ((input: unknown): input is unknown => true) as SchemaValidator<unknown>;
    const handler = lambdaHandler(
      'echoing-task',
      { env: lambdaEnv, clock: systemClock },
      acceptAnything,
      {},
      async (event) => {
        throw new Error(`could not handle ${JSON.stringify(event)}`);
      },
    );

    // Act
    const output = await capturedOutput(() => handler({ body: largeBody }, context));

    // Assess
    expect(output).toContain('echoing-task failed');
    expect(output).toContain('could not handle {\\"body\\":\\"QQQ');
    expect(output).toContain(
      `(${'could not handle '.length + JSON.stringify({ body: largeBody }).length} characters in all)`,
    );
    expect(output).not.toContain('Q'.repeat(maxLoggedMessageLength));
    expect(output.length).toBeLessThan(4 * 1024);
  });

  it('still hands the caller the full error, unchanged', async () => {
    // Prepare
    const acceptAnything = ((input: unknown): input is unknown => true) as SchemaValidator<unknown>;
    const failure = new Error(`could not handle ${largeBody}`);
    const handler = lambdaHandler(
      'echoing-task',
      { env: lambdaEnv, clock: systemClock },
      acceptAnything,
      {},
      async () => {
        throw failure;
      },
    );

    // Act
    let thrown: unknown;
    await capturedOutput(() =>
      handler({}, context).catch((error: unknown) => {
        thrown = error;
      }),
    );

    // Assess
    expect(thrown).toBe(failure);
  });

  it('prints nothing for a successful invocation', async () => {
    // Prepare
    vi.stubEnv('POWERTOOLS_LOGGER_LOG_EVENT', 'true');
    const acceptAnything = ((input: unknown): input is unknown => true) as SchemaValidator<unknown>;
    const handler = lambdaHandler(
      'quiet-task',
      { env: lambdaEnv, clock: systemClock },
      acceptAnything,
      {},
      async () => 'ok',
    );

    // Act
    const output = await capturedOutput(() => handler(hostileEvent(), context));

    // Assess
    expect(output).toBe('');
  });
});
