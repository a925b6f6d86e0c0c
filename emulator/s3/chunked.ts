import { S3Error } from './errors.js';

export interface DecodedBody {
  body: Buffer;
  /** Trailing headers (x-amz-checksum-crc32, ...), lower-cased. */
  trailers: Record<string, string>;
}

/** True when the SDK framed the body as `aws-chunked` (SigV4 streaming, possibly with checksum trailers). */
export function isAwsChunked(headers: Record<string, string>): boolean {
  const encoding = headers['content-encoding'] ?? '';
  const sha = headers['x-amz-content-sha256'] ?? '';
  return encoding.split(',').some((part) => part.trim() === 'aws-chunked') || sha.startsWith('STREAMING-');
}

/** Content-Encoding as it should be stored: S3 drops `aws-chunked`, which only describes the transfer. */
export function storedContentEncoding(headers: Record<string, string>): string | undefined {
  const parts = (headers['content-encoding'] ?? '')
    .split(',')
    .map((part) => part.trim())
    .filter((part) => part !== '' && part !== 'aws-chunked');
  return parts.length > 0 ? parts.join(',') : undefined;
}

const incomplete = () => new S3Error('IncompleteBody', 400, 'The request body terminated unexpectedly');

/**
 * Decodes `<hex-size>[;chunk-signature=…]\r\n<bytes>\r\n … 0\r\n<trailer>:<value>\r\n\r\n`.
 * Signatures are not checked: the emulator accepts any credentials.
 */
export function decodeAwsChunked(raw: Buffer): DecodedBody {
  const chunks: Buffer[] = [];
  const trailers: Record<string, string> = {};
  let offset = 0;
  for (;;) {
    const lineEnd = raw.indexOf('\r\n', offset);
    if (lineEnd === -1) throw incomplete();
    const sizeText = raw.subarray(offset, lineEnd).toString('latin1').split(';')[0]!.trim();
    const size = Number.parseInt(sizeText, 16);
    if (!/^[0-9a-fA-F]+$/.test(sizeText) || Number.isNaN(size)) throw incomplete();
    offset = lineEnd + 2;
    if (size === 0) break;
    if (offset + size > raw.length) throw incomplete();
    chunks.push(raw.subarray(offset, offset + size));
    offset += size;
    if (raw.subarray(offset, offset + 2).toString('latin1') === '\r\n') offset += 2;
  }
  // Trailer section: header lines until an empty line or the end of the body.
  for (const line of raw.subarray(offset).toString('latin1').split('\r\n')) {
    const colon = line.indexOf(':');
    if (colon <= 0) continue;
    trailers[line.slice(0, colon).trim().toLowerCase()] = line.slice(colon + 1).trim();
  }
  return { body: Buffer.concat(chunks), trailers };
}
