import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { isConsolePath } from './console/paths.js';
import { type HttpRequest, type HttpResponse, S3ServiceError, type ServiceHandler } from './contracts.js';
import { ADMIN_PATH_PREFIX } from './s3/inventory-admin.js';
import { bucketFromHost } from './s3/rest.js';
import { signingNameOf } from './scheduler/http.js';

/**
 * `admin` is the emulator's own routes under `/_s3bo/` (e.g. running an S3 Inventory report now); `console` is
 * the local web console under `/_console/`.
 */
export type ServiceName =
  | 's3'
  | 's3control'
  | 'events'
  | 'lambda'
  | 'sfn'
  | 'scheduler'
  | 'sqs'
  | 'admin'
  | 'console';

export interface ServerOptions {
  host?: string;
  /** 0 picks a free port. */
  port?: number;
  services: { s3: ServiceHandler } & Partial<Record<ServiceName, ServiceHandler>>;
  /** Receives one line per request and any unhandled error; nothing is logged without it. */
  log?: (line: string) => void;
  /** Request size and time limits; each defaults to the value in DEFAULT_SERVER_LIMITS. */
  limits?: ServerLimits;
}

export interface ServerLimits {
  /**
   * Largest request body per service, in bytes. A larger declared Content-Length is refused before the body
   * is read; a chunked body is counted as it streams and refused once it passes the limit.
   */
  maxBodyBytes?: Partial<Record<ServiceName, number>>;
  /** The request line and headers must arrive within this time (Node's headersTimeout): slow-loris clients. */
  headersTimeoutMs?: number;
  /** The whole request must arrive within this time (Node's requestTimeout; answered 408 by Node). */
  requestTimeoutMs?: number;
  /** A body that stops arriving for this long (a Content-Length larger than what is sent) is refused. */
  bodyIdleTimeoutMs?: number;
}

const MiB = 1024 * 1024;
/**
 * Request bodies are refused early at AWS's own limits where a single request has one ("Amazon S3 multipart
 * upload limits": 5 GiB for PutObject and UploadPart; "Lambda quotas": 6 MB synchronous Invoke payload; "Amazon
 * SQS quotas": 1 MiB messages, so a SendMessageBatch with escaping needs more), and generously above the
 * per-field limits elsewhere (EventBridge 256 KB of entries, Step Functions 256 KB input, which the services
 * check themselves with their own messages): these limits only stop a body from being buffered whole.
 */
export const DEFAULT_SERVER_LIMITS = {
  maxBodyBytes: {
    s3: 5 * 1024 * MiB,
    s3control: MiB,
    events: MiB,
    lambda: 6 * MiB,
    sfn: MiB,
    scheduler: MiB,
    sqs: 2 * MiB,
    admin: MiB,
    console: MiB,
  } satisfies Record<ServiceName, number>,
  headersTimeoutMs: 60_000,
  // Generous: large uploads to a local emulator on a slow CI machine must still get through.
  requestTimeoutMs: 600_000,
  // S3 closes connections idle for about 20 s with RequestTimeout.
  bodyIdleTimeoutMs: 20_000,
};

export interface RunningServer {
  url: string;
  port: number;
  close(): Promise<void>;
}

const OPTION_KEYS = ['host', 'port', 'services', 'log', 'limits'];
const LIMIT_KEYS = ['maxBodyBytes', 'headersTimeoutMs', 'requestTimeoutMs', 'bodyIdleTimeoutMs'];
const SERVICE_NAMES: ServiceName[] = [
  's3',
  's3control',
  'events',
  'lambda',
  'sfn',
  'scheduler',
  'sqs',
  'admin',
  'console',
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
  console: 'json',
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
  if (isConsolePath(request.path) && bucketFromHost(request.host) === undefined) return 'console';
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

/**
 * Why a request body was not read whole: over the service's limit, or stalled (its Content-Length promised more
 * than the client sent). `aborted` means the client went away and there is nobody to answer.
 */
type BodyOutcome = { body: Buffer } | { refused: 'too-large' | 'idle' } | { aborted: true };

/**
 * Reads a request body up to `maxBytes` without ever holding more: a larger Content-Length is refused before
 * reading, a chunked body as soon as its count passes the limit.
 */
function readBody(req: IncomingMessage, maxBytes: number, idleMs: number): Promise<BodyOutcome> {
  const declared = Number(req.headers['content-length']);
  if (declared > maxBytes) return Promise.resolve({ refused: 'too-large' });
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let lastDataAt = Date.now();
    let timer: NodeJS.Timeout | undefined;
    const finish = (outcome: BodyOutcome): void => {
      clearTimeout(timer);
      req.off('data', onData).off('end', onEnd).off('error', onGone).off('close', onGone);
      resolve(outcome);
    };
    const onData = (chunk: Buffer): void => {
      lastDataAt = Date.now();
      size += chunk.length;
      if (size > maxBytes) finish({ refused: 'too-large' });
      else chunks.push(chunk);
    };
    const onEnd = (): void => finish({ body: Buffer.concat(chunks, size) });
    const onGone = (): void => finish({ aborted: true });
    // One timer per request, re-armed for the time left, rather than one per chunk. The check runs after the
    // poll phase (setImmediate), so data that arrived while the event loop was busy counts before judging.
    const arm = (ms: number): void => {
      timer = setTimeout(
        () =>
          setImmediate(() => {
            const idle = Date.now() - lastDataAt;
            if (idle >= idleMs) finish({ refused: 'idle' });
            else arm(idleMs - idle);
          }),
        ms,
      );
      timer.unref();
    };
    req.on('data', onData).on('end', onEnd).on('error', onGone).on('close', onGone);
    arm(idleMs);
  });
}

/** The service's own answer to a body it will not read: S3's codes for S3 and S3 Control, 413/408 for JSON. */
function refusalResponse(service: ServiceName, reason: 'too-large' | 'idle', maxBytes: number): HttpResponse {
  const protocol = PROTOCOL[service];
  let response: HttpResponse;
  if (reason === 'idle') {
    response =
      protocol === 'json'
        ? errorResponse(protocol, 408, 'RequestTimeoutException', 'Request timed out waiting for the body')
        : errorResponse(
            protocol,
            400,
            'RequestTimeout',
            'Your socket connection to the server was not read from or written to within the timeout period. Idle connections will be closed.',
          );
  } else if (service === 's3') {
    response = errorResponse(
      protocol,
      400,
      'EntityTooLarge',
      `Your proposed upload exceeds the maximum allowed size (${maxBytes} bytes)`,
    );
  } else if (protocol === 'rest-xml') {
    response = errorResponse(protocol, 400, 'MaxMessageLengthExceeded', 'Your request was too big.');
  } else {
    // Lambda's code for an oversized request; EventBridge's front door answers a bare 413 (boto/boto3#3411).
    response = errorResponse(
      protocol,
      413,
      'RequestEntityTooLargeException',
      `Request must be smaller than ${maxBytes} bytes`,
    );
  }
  // The unread rest of the body would be taken for the next request: this connection ends with the answer.
  return { ...response, headers: { ...response.headers, connection: 'close' } };
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

/**
 * The warning for an address beyond loopback, or undefined for a loopback one. The emulator accepts any
 * credentials, so anyone who can reach a non-loopback port can read and change everything it holds.
 */
export function bindWarning(host: string): string | undefined {
  const loopback = host === 'localhost' || host === '::1' || /^127(\.\d{1,3}){3}$/.test(host);
  if (loopback) return undefined;
  return `Warning: the local AWS listens on ${host}, beyond loopback; it accepts any credentials, so anyone who can reach this port can read and change its data.`;
}

function resolveLimits(given: ServerLimits): Required<ServerLimits> & {
  maxBodyBytes: Record<ServiceName, number>;
} {
  const unknown = Object.keys(given).filter((key) => !LIMIT_KEYS.includes(key));
  if (unknown.length > 0) throw new Error(`Unknown server limit: ${unknown.join(', ')}`);
  const resolved = {
    ...DEFAULT_SERVER_LIMITS,
    ...given,
    maxBodyBytes: { ...DEFAULT_SERVER_LIMITS.maxBodyBytes, ...given.maxBodyBytes },
  };
  const { headersTimeoutMs, requestTimeoutMs, bodyIdleTimeoutMs } = resolved;
  for (const [name, value] of Object.entries({ headersTimeoutMs, requestTimeoutMs, bodyIdleTimeoutMs })) {
    if (!(value > 0)) throw new Error(`Server limit ${name} must be a positive number of milliseconds`);
  }
  // Node refuses a headers timeout longer than the request timeout.
  if (headersTimeoutMs > requestTimeoutMs) resolved.headersTimeoutMs = requestTimeoutMs;
  return resolved;
}

/**
 * Ends the connection once a refusal is sent. Node reads and discards the unread body until then; a client that
 * keeps sending after the answer is cut off a second later (closing at once could reset the connection before
 * the client has read the answer).
 */
function closeSoonAfter(res: ServerResponse): void {
  const socket = res.req.socket;
  res.once('finish', () => setTimeout(() => socket.destroy(), 1_000).unref());
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
  const limits = resolveLimits(options.limits ?? {});

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const started = Date.now();
    // Routing needs only the request line and headers, so the body is read under its service's limit.
    const head = toHttpRequest(req, Buffer.alloc(0));
    const service = routeRequest(head);
    const protocol = PROTOCOL[service];
    const maxBytes = limits.maxBodyBytes[service];
    const outcome = await readBody(req, maxBytes, limits.bodyIdleTimeoutMs);
    if ('aborted' in outcome) {
      log?.(`${service} ${head.method} ${head.host}${head.url} aborted by the client`);
      return;
    }
    const request: HttpRequest = { ...head, body: 'body' in outcome ? outcome.body : head.body };
    let response: HttpResponse;
    const handler = services[service];
    if ('refused' in outcome) {
      response = refusalResponse(service, outcome.refused, maxBytes);
      closeSoonAfter(res);
    } else if (!handler) {
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

  const server = createServer(
    {
      headersTimeout: limits.headersTimeoutMs,
      requestTimeout: limits.requestTimeoutMs,
      // Node checks those two timeouts on this interval (30 s by default, longer than a short timeout).
      connectionsCheckingInterval: Math.max(
        50,
        Math.min(30_000, Math.floor(Math.min(limits.headersTimeoutMs, limits.requestTimeoutMs) / 4)),
      ),
    },
    (req, res) => {
      handle(req, res).catch((error: unknown) => {
        log?.(`request failed: ${(error as Error).stack ?? String(error)}`);
        if (!res.headersSent)
          send(
            req,
            res,
            errorResponse('rest-xml', 500, 'InternalError', 'We encountered an internal error.'),
          );
        else res.destroy();
      });
    },
  );
  // Node answers `Expect: 100-continue` itself unless asked; asking lets an oversized upload be refused before
  // its client sends a byte of it (the AWS SDK sends the header for large S3 bodies).
  server.on('checkContinue', (req, res) => {
    const service = routeRequest(toHttpRequest(req, Buffer.alloc(0)));
    if (!(Number(req.headers['content-length']) > limits.maxBodyBytes[service])) res.writeContinue();
    server.emit('request', req, res);
  });
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
