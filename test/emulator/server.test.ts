import { request as httpRequest } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createEmulatorClock } from '../../emulator/clock.js';
import type { HttpRequest, ServiceHandler } from '../../emulator/contracts.js';
import { createS3Service, type S3Service } from '../../emulator/s3/index.js';
import { type RunningServer, routeRequest, splitTarget, startServer } from '../../emulator/server.js';
import { createMemoryStorage } from '../../emulator/storage/index.js';

interface RawResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

function raw(
  server: RunningServer,
  options: { method?: string; path: string; headers?: Record<string, string>; body?: string },
): Promise<RawResponse> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(
      {
        host: '127.0.0.1',
        port: server.port,
        method: options.method ?? 'GET',
        path: options.path,
        headers: options.headers,
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () =>
          resolve({ status: res.statusCode!, headers: res.headers, body: Buffer.concat(chunks).toString() }),
        );
      },
    );
    req.on('error', reject);
    req.end(options.body);
  });
}

describe('startServer', () => {
  let server: RunningServer;
  let s3: S3Service;
  const seen: Record<string, HttpRequest[]> = {};
  const recorder =
    (name: string): ServiceHandler =>
    async (request) => {
      seen[name] = [...(seen[name] ?? []), request];
      if (request.headers['x-explode']) throw new Error('boom');
      return {
        status: 200,
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ service: name }),
      };
    };

  beforeAll(async () => {
    s3 = createS3Service({
      storage: createMemoryStorage(),
      clock: createEmulatorClock(),
      accountId: '123456789012',
      region: 'us-east-1',
    });
    s3.backend.ensureBucket('proxied-bucket');
    s3.backend.putObject('proxied-bucket', 'dir/a b.txt', Buffer.from('via proxy'));
    server = await startServer({
      port: 0,
      services: { s3: s3.handler, s3control: recorder('s3control'), sfn: recorder('sfn') },
    });
  });
  afterAll(async () => {
    s3.close();
    await server.close();
  });

  it('listens on 127.0.0.1 with the chosen port in its url', () => {
    expect(server.url).toBe(`http://127.0.0.1:${server.port}`);
  });

  it('accepts absolute-form targets as sent through an HTTP proxy', async () => {
    const response = await raw(server, { path: 'http://proxied-bucket.s3.amazonaws.com/dir/a%20b.txt' });
    expect(response.status).toBe(200);
    expect(response.body).toBe('via proxy');
  });

  it('routes absolute-form s3-control targets by host and keeps the host', async () => {
    const response = await raw(server, {
      path: 'http://123456789012.s3-control.us-east-1.amazonaws.com/v20180820/jobs?maxResults=5',
      headers: { 'x-amz-account-id': '123456789012' },
    });
    expect(JSON.parse(response.body)).toEqual({ service: 's3control' });
    const request = seen.s3control!.at(-1)!;
    expect(request).toMatchObject({
      host: '123456789012.s3-control.us-east-1.amazonaws.com',
      url: '/v20180820/jobs?maxResults=5',
      path: '/v20180820/jobs',
    });
    expect(request.query.get('maxResults')).toBe('5');
  });

  it('serves virtual-hosted buckets on *.localhost', async () => {
    const response = await raw(server, {
      path: '/dir/a%20b.txt',
      headers: { host: `proxied-bucket.localhost:${server.port}` },
    });
    expect(response.body).toBe('via proxy');
  });

  it('routes JSON protocols by x-amz-target', async () => {
    const response = await raw(server, {
      method: 'POST',
      path: '/',
      headers: {
        'x-amz-target': 'AWSStepFunctions.ListStateMachines',
        'content-type': 'application/x-amz-json-1.0',
      },
      body: '{}',
    });
    expect(JSON.parse(response.body)).toEqual({ service: 'sfn' });
    expect(seen.sfn!.at(-1)!.body.toString()).toBe('{}');
  });

  it("answers 501 in the service's format when a service is not running", async () => {
    const events = await raw(server, {
      method: 'POST',
      path: '/',
      headers: { 'x-amz-target': 'AWSEvents.PutEvents' },
      body: '{}',
    });
    expect(events.status).toBe(501);
    expect(JSON.parse(events.body).__type).toBe('NotImplemented');
    const lambda = await raw(server, {
      method: 'POST',
      path: '/2015-03-31/functions/fn/invocations',
      body: '{}',
    });
    expect(lambda.status).toBe(501);
  });

  it('turns an unhandled exception into a 500 InternalError in S3 XML', async () => {
    const response = await raw(server, { path: '/v20180820/jobs', headers: { 'x-explode': '1' } });
    expect(response.status).toBe(500);
    expect(response.body).toContain('<Code>InternalError</Code>');
  });

  it('renders S3 errors as XML with the key and a request id', async () => {
    const response = await raw(server, { path: '/proxied-bucket/missing%2Fkey' });
    expect(response.status).toBe(404);
    expect(response.body).toMatch(
      /<Error><Code>NoSuchKey<\/Code><Message>[^<]+<\/Message><Key>missing\/key<\/Key><RequestId>/,
    );
    expect(response.headers['x-amz-request-id']).toBeTruthy();
  });
});

describe('routeRequest', () => {
  const route = (path: string, headers: Record<string, string> = {}, host = '127.0.0.1:4599') =>
    routeRequest({ path, headers, host });

  it('sends each protocol to its service', () => {
    expect(route('/', { 'x-amz-target': 'AWSEvents.PutEvents' })).toBe('events');
    expect(route('/', { 'x-amz-target': 'AWSStepFunctions.StartExecution' })).toBe('sfn');
    expect(route('/v20180820/jobs/abc')).toBe('s3control');
    expect(route('/anything', {}, '123456789012.s3-control.us-east-1.amazonaws.com')).toBe('s3control');
    expect(route('/2015-03-31/functions/my-fn/invocations')).toBe('lambda');
    expect(route('/bucket/key')).toBe('s3');
  });
});

describe('splitTarget', () => {
  it('keeps the raw path of an absolute-form target without normalising it', () => {
    expect(splitTarget('http://b.s3.amazonaws.com/a/../b%2F?x=1', 'ignored')).toEqual({
      host: 'b.s3.amazonaws.com',
      url: '/a/../b%2F?x=1',
    });
    expect(splitTarget('http://host:8080', undefined)).toEqual({ host: 'host:8080', url: '/' });
    expect(splitTarget('/bucket/key', 'localhost:4599')).toEqual({
      host: 'localhost:4599',
      url: '/bucket/key',
    });
  });
});
