import { ObjectNotFoundError, RequestValidationError } from '../errors.js';
import type { ObjectStorePort } from '../ports.js';

/**
 * Step Functions' limit on an execution's input: 256 KiB of data as a UTF-8 encoded string (Step Functions
 * developer guide, "Step Functions service quotas"). A bigger request can never start.
 */
export const maxRequestBytes = 256 * 1024;

/** A parse error's message quotes the file; enough of it to find the spot, not a page of it. */
const maxParseMessageLength = 200;

/**
 * Reads a JSON document (a job request or a request template) from the request bucket and checks what
 * StartExecution needs before anything else can judge it: at most `maxRequestBytes`, valid JSON, an object.
 * Returns `undefined` when the object is gone (deleted again before we read it). Throws
 * RequestValidationError with `field` = the document (`request` / `template`); whether the object is a
 * valid job request is the workflow's to say.
 */
export async function readRequestDocument(
  objects: ObjectStorePort,
  bucket: string,
  key: string,
  field: 'request' | 'template',
): Promise<Record<string, unknown> | undefined> {
  let text: string;
  try {
    text = await readBounded(objects, bucket, key, field);
  } catch (error) {
    if (error instanceof ObjectNotFoundError) return undefined;
    throw error;
  }
  let value: unknown;
  try {
    // A UTF-8 byte order mark (editors on Windows write one) is not JSON; RFC 8259 §8.1 lets parsers ignore it.
    value = JSON.parse(text.replace(/^\uFEFF/, ''));
  } catch (error) {
    const message = (error as Error).message.slice(0, maxParseMessageLength);
    throw new RequestValidationError(field, `is not valid JSON (${message})`);
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new RequestValidationError(field, `must be a JSON object, not ${kindOf(value)}`);
  }
  return value as Record<string, unknown>;
}

/** The size StartExecution counts: the input as UTF-8 JSON text. */
export function jsonBytes(value: unknown): number {
  return Buffer.byteLength(JSON.stringify(value), 'utf8');
}

/** Stops reading at the limit, so an oversized upload never fills the Lambda's memory. */
async function readBounded(
  objects: ObjectStorePort,
  bucket: string,
  key: string,
  field: string,
): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of await objects.getObjectStream(bucket, key)) {
    size += chunk.length;
    if (size > maxRequestBytes) {
      throw new RequestValidationError(
        field,
        `is larger than ${maxRequestBytes} bytes, Step Functions' limit for an execution's input`,
      );
    }
    chunks.push(Buffer.from(chunk));
  }
  return Buffer.concat(chunks).toString('utf8');
}

function kindOf(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  return `a ${typeof value}`;
}
