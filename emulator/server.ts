import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { type HttpRequest, type HttpResponse, S3ServiceError, type ServiceHandler } from './contracts.js';
import { ADMIN_PATH_PREFIX } from './s3/inventory-admin.js';
import { bucketFromHost } from './s3/rest.js';
import { signingNameOf } from './scheduler/http.js';

/** `admin` is the emulator's own routes under `/_s3bo/` (e.g. running an S3 Inventory report now). */
export type ServiceName = 's3' | 's3control' | 'events' | 'lambda' | 'sfn' | 'scheduler' | 'sqs' | 'admin';

export interface ServerOptions {
  host?: string;
  /** 0 picks a free port. */
  port?: number;
  services: { s3: ServiceHandler } & Partial<Record<ServiceName, ServiceHandler>>;
  /** Receives one line per request and any unhandled error; nothing is logged without it. */
  log?: (line: string) => void;
}

export interface RunningServer {
  url: string;
  port: number;
  close(): Promise<void>;
}

const OPTION_KEYS = ['host', 'port', 'services', 'log'];
const SERVICE_NAMES: ServiceName[] = [
  's3',
  's3control',
  'events',
  'lambda',
  'sfn',
  'scheduler',
  'sqs',
  'admin',
];
type Protocol = 'rest-xml' | 'json';
const PROTOCOL: Record<ServiceName, Protocol> = {
  s3: 'rest-xml',
  s3control: 'rest-xml',
  events: 'json',
  lambda: 'json',
  sfn: 'json',
  scheduler: 'json',
  sqs: 'json',
  admin: 'json',
};

/**
 * Routes by wire protocol: JSON targets by x-amz-target, EventBridge Scheduler (REST-JSON on `/schedules…`,
 * paths a path-style S3 request could also have) by the SigV4 signing name `scheduler`, then REST APIs by path
 * prefix or host; S3 gets the rest. `/_s3bo/…` is the emulator's admin, unless the host names a bucket (then
 * it is an S3 key).
 */
export function routeRequest(request: Pick<HttpRequest, 'path' | 'headers' | 'host'>): ServiceName {
  const target = request.headers['x-amz-target'] ?? '';
  if (target.startsWith('AWSEvents.')) return 'events';
  if (target.startsWith('AWSStepFunctions.')) return 'sfn';
  if (target.startsWith('AmazonSQS.')) return 'sqs';
  if (signingNameOf(request.headers) === 'scheduler') return 'scheduler';
  if (request.path.startsWith(ADMIN_PATH_PREFIX) && bucketFromHost(request.host) === undefined)
    return 'admin';
  if (request.path.startsWith('/v20180820/') || /^\d{12}\.s3-control[.-]/i.test(request.host))
    return 's3control';
  if (request.path === '/2015-03-31/functions' || request.path.startsWith('/2015-03-31/functions/'))
    return 'lambda';
  if (
    request.path === '/2015-03-31/event-source-mappings' ||
    request.path.startsWith('/2015-03-31/event-source-mappings/')
  )
    return 'lambda';
  return 's3';
}

/**
 * An absolute-form target (`GET http://host/path HTTP/1.1`, as a client using us as a proxy sends it) is
 * reduced to origin-form by hand: the WHATWG URL parser would normalise dot segments and escapes in S3 keys.
 */
export function splitTarget(target: string, hostHeader: string | undefined): { host: string; url: string } {
  const absolute = /^[a-z][a-z0-9+.-]*:\/\/([^/?#]*)([^#]*)/i.exec(target);
  if (!absolute) return { host: hostHeader ?? '', url: target };
  const authority = absolute[1]!.replace(/^.*@/, '');
  const rest = absolute[2] ?? '';
  return { host: authority, url: rest === '' || rest.startsWith('?') ? `/${rest}` : rest };
}

function toHttpRequest(req: IncomingMessage, body: Buffer): HttpRequest {
  const { host, url } = splitTarget(req.url ?? '/', req.headers.host);
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(req.headers)) {
    if (value !== undefined) headers[name] = Array.isArray(value) ? value.join(', ') : value;
  }
  const queryAt = url.indexOf('?');
  const rawPath = queryAt === -1 ? url : url.slice(0, queryAt);
  let path: string;
  try {
    path = decodeURIComponent(rawPath);
  } catch {
    path = rawPath;
  }
  return {
    method: (req.method ?? 'GET').toUpperCase(),
    url,
    path,
    query: new URLSearchParams(queryAt === -1 ? '' : url.slice(queryAt + 1)),
    headers,
    host,
    body,
  };
}

function errorResponse(protocol: Protocol, status: number, code: string, message: string): HttpResponse {
  if (protocol === 'json') {
    return {
      status,
      headers: { 'content-type': 'application/x-amz-json-1.1', 'x-amzn-errortype': code },
      body: JSON.stringify({ __type: code, message }),
    };
  }
  const escapeText = (text: string) =>
    text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
  return {
    status,
    headers: { 'content-type': 'application/xml' },
    body: `<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>${escapeText(code)}</Code><Message>${escapeText(message)}</Message><RequestId>emulator</RequestId></Error>`,
  };
}

function send(req: IncomingMessage, res: ServerResponse, response: HttpResponse): void {
  const body = response.body === undefined ? Buffer.alloc(0) : Buffer.from(response.body);
  const headers: Record<string, string> = { ...response.headers };
  const lower = new Set(Object.keys(headers).map((name) => name.toLowerCase()));
  // HEAD answers keep the content-length the service computed for the body it does not send.
  if (!lower.has('content-length') && response.status !== 204 && response.status !== 304) {
    headers['content-length'] = String(body.length);
  }
  res.writeHead(response.status, headers);
  res.end(req.method === 'HEAD' || response.status === 204 || response.status === 304 ? undefined : body);
}

/** Starts the emulator's single HTTP endpoint for every service. */
export async function startServer(options: ServerOptions): Promise<RunningServer> {
  const unknown = Object.keys(options).filter((key) => !OPTION_KEYS.includes(key));
  if (unknown.length > 0) throw new Error(`Unknown server option: ${unknown.join(', ')}`);
  const unknownServices = Object.keys(options.services).filter(
    (key) => !SERVICE_NAMES.includes(key as ServiceName),
  );
  if (unknownServices.length > 0) throw new Error(`Unknown service: ${unknownServices.join(', ')}`);
  const { host = '127.0.0.1', port = 4599, services, log } = options;

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const started = Date.now();
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const request = toHttpRequest(req, Buffer.concat(chunks));
    const service = routeRequest(request);
    const protocol = PROTOCOL[service];
    let response: HttpResponse;
    const handler = services[service];
    if (!handler) {
      response = errorResponse(
        protocol,
        501,
        'NotImplemented',
        `The ${service} service is not running in this emulator`,
      );
    } else {
      try {
        response = await handler(request);
      } catch (error) {
        log?.(`${request.method} ${request.url} failed: ${(error as Error).stack ?? String(error)}`);
        response =
          error instanceof S3ServiceError
            ? errorResponse(protocol, error.httpStatus, error.code, error.message)
            : errorResponse(
                'rest-xml',
                500,
                'InternalError',
                'We encountered an internal error. Please try again.',
              );
      }
    }
    send(req, res, response);
    log?.(
      `${service} ${request.method} ${request.host}${request.url} ${response.status} ${Date.now() - started}ms`,
    );
  };

  const server = createServer((req, res) => {
    handle(req, res).catch((error: unknown) => {
      log?.(`request failed: ${(error as Error).stack ?? String(error)}`);
      if (!res.headersSent)
        send(req, res, errorResponse('rest-xml', 500, 'InternalError', 'We encountered an internal error.'));
      else res.destroy();
    });
  });
  // Large uploads can take a while on slow CI machines; the emulator is local, so never time requests out.
  server.requestTimeout = 0;
  server.keepAliveTimeout = 5_000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const address = server.address() as AddressInfo;
  const urlHost = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  return {
    url: `http://${urlHost}:${address.port}`,
    port: address.port,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        server.closeAllConnections();
      }),
  };
}
