/**
 * The SDK's retry strategy, exercised on the wire: a local HTTP server answers like S3 Control would.
 * (aws-sdk-client-mock replaces `send`, which bypasses the retry middleware, so it cannot show retries.)
 */
import { once } from 'node:events';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createS3ControlClient } from '../../../src/adapters/aws/client-factory.js';
import { createBatchJobsAdapter } from '../../../src/adapters/aws/s3-control.js';
import { ServiceThrottledError, ServiceUnavailableError } from '../../../src/core/errors.js';
import type { CreateJobInput } from '../../../src/core/ports.js';
import createJobFixture from '../../fixtures/create-job-input.json' with { type: 'json' };

type Reply = { status: number; body: string };

const throttled: Reply = {
  status: 429,
  body: '<?xml version="1.0" encoding="UTF-8"?><ErrorResponse><Error><Code>TooManyRequestsException</Code><Message>Rate exceeded</Message></Error><RequestId>req-1</RequestId></ErrorResponse>',
};
const internal: Reply = {
  status: 500,
  body: '<?xml version="1.0" encoding="UTF-8"?><ErrorResponse><Error><Code>InternalServiceException</Code><Message>Try again</Message></Error></ErrorResponse>',
};
const created = (jobId: string): Reply => ({
  status: 200,
  body: `<?xml version="1.0" encoding="UTF-8"?><CreateJobResult><JobId>${jobId}</JobId></CreateJobResult>`,
});

const input: CreateJobInput = {
  ...(createJobFixture as Omit<CreateJobInput, 'ClientRequestToken' | 'ConfirmationRequired'>),
  ClientRequestToken: 'token-1',
  ConfirmationRequired: false,
};

interface SeenRequest {
  method: string;
  url: string;
  host: string;
  accountId: string | undefined;
}

describe('S3 Control calls through the factory-built client', () => {
  let server: Server;
  let endpoint: string;
  let replies: Reply[];
  let seen: SeenRequest[];

  beforeEach(async () => {
    replies = [];
    seen = [];
    server = createServer((request: IncomingMessage, response: ServerResponse) => {
      request.resume();
      request.on('end', () => {
        seen.push({
          method: request.method ?? '',
          url: request.url ?? '',
          host: request.headers.host ?? '',
          accountId: request.headers['x-amz-account-id'] as string | undefined,
        });
        const reply = replies.shift() ?? internal;
        response.writeHead(reply.status, { 'content-type': 'application/xml' }).end(reply.body);
      });
    });
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
    endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });

  afterEach(async () => {
    server.close();
    await once(server, 'close');
  });

  const adapterWith = (maxAttempts?: number) =>
    createBatchJobsAdapter(
      createS3ControlClient({
        region: 'us-west-2',
        endpoints: { s3control: endpoint },
        credentials: { accessKeyId: 'AKIDTEST', secretAccessKey: 'secret' },
        ...(maxAttempts === undefined ? {} : { maxAttempts }),
      }),
    );

  it('retries a throttled CreateJob and returns the job of the retry', async () => {
    // Prepare
    replies.push(throttled, created('job-after-retry'));

    // Act
    const result = await adapterWith().createJob(input);

    // Assess
    expect(result).toEqual({ jobId: 'job-after-retry' });
    expect(seen).toHaveLength(2);
    for (const request of seen) {
      expect(request).toMatchObject({ method: 'POST', url: '/v20180820/jobs', accountId: '123456789012' });
      expect(request.host).toBe(new URL(endpoint).host);
    }
  });

  it('gives up after maxAttempts and reports ServiceThrottledError (retryable)', async () => {
    // Prepare
    replies.push(throttled, throttled);

    // Act
    const error = await adapterWith(1)
      .createJob(input)
      .catch((e: unknown) => e);

    // Assess
    expect(error).toBeInstanceOf(ServiceThrottledError);
    expect((error as ServiceThrottledError).retryable).toBe(true);
    expect((error as Error).message).toMatch(
      /S3Control\.CreateJob .*TooManyRequestsException.*Rate exceeded/,
    );
    expect(seen).toHaveLength(1);
  });

  it('retries a 500 and reports ServiceUnavailableError when it persists', async () => {
    // Prepare
    replies.push(internal, internal, internal);

    // Act
    const error = await adapterWith(2)
      .createJob(input)
      .catch((e: unknown) => e);

    // Assess
    expect(error).toBeInstanceOf(ServiceUnavailableError);
    expect((error as Error).message).toContain('InternalServiceException');
    expect(seen).toHaveLength(2);
  });

  it('reports a refused connection as ServiceUnavailableError', async () => {
    // Prepare: nothing listens on the endpoint any more
    const adapter = adapterWith(1);
    server.close();
    await once(server, 'close');
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');

    // Act
    const error = await adapter.describeJob('123456789012', 'job-1').catch((e: unknown) => e);

    // Assess
    expect(error).toBeInstanceOf(ServiceUnavailableError);
    expect((error as Error).message).toMatch(/S3Control\.DescribeJob failed with ECONNREFUSED/);
  });
});
