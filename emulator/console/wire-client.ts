/**
 * Calls the emulator's own wire handlers in-process, with the request an AWS SDK would send: the console's
 * actions and reads go through the same validation, faults and state changes as the API (a cancel from the
 * page is S3 Control's UpdateJobStatus, not a shortcut into the engine).
 */
import type { HttpRequest, HttpResponse, ServiceHandler } from '../contracts.js';
import { ConsoleRequestError } from './http.js';

function bodyText(response: HttpResponse): string {
  const body = response.body ?? '';
  return typeof body === 'string' ? body : body.toString('utf8');
}

/** An AWS JSON-protocol call (`x-amz-target: <prefix>.<operation>`); errors become ConsoleRequestError. */
export async function callJsonApi<T>(
  handler: ServiceHandler,
  target: string,
  body: Record<string, unknown>,
): Promise<T> {
  const text = JSON.stringify(body);
  const request: HttpRequest = {
    method: 'POST',
    url: '/',
    path: '/',
    query: new URLSearchParams(),
    headers: { 'x-amz-target': target, 'content-type': 'application/x-amz-json-1.0' },
    host: 'localhost',
    body: Buffer.from(text),
  };
  const response = await handler(request);
  const answer = bodyText(response);
  const parsed = answer === '' ? {} : (JSON.parse(answer) as Record<string, unknown>);
  if (response.status >= 300) {
    const code = String(parsed.__type ?? response.headers?.['x-amzn-errortype'] ?? 'Error').replace(
      /^.*#/,
      '',
    );
    throw new ConsoleRequestError(response.status, code, String(parsed.message ?? parsed.Message ?? ''));
  }
  return parsed as T;
}

/** A REST-XML call (S3 Control); answers the XML text, or throws its `<Code>` and `<Message>`. */
export async function callRestXmlApi(
  handler: ServiceHandler,
  method: string,
  path: string,
  query: Record<string, string>,
  headers: Record<string, string>,
): Promise<string> {
  const search = new URLSearchParams(query);
  const url = search.size === 0 ? path : `${path}?${search}`;
  const response = await handler({
    method,
    url,
    path,
    query: search,
    headers,
    host: 'localhost',
    body: Buffer.alloc(0),
  });
  const text = bodyText(response);
  if (response.status >= 300) {
    const element = (name: string) => new RegExp(`<${name}>([^<]*)</${name}>`).exec(text)?.[1];
    throw new ConsoleRequestError(response.status, element('Code') ?? 'Error', element('Message') ?? text);
  }
  return text;
}
