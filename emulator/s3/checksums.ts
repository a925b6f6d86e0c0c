import { createHash } from 'node:crypto';
import { crc32 } from 'node:zlib';
import { invalidArgument, invalidRequest, notImplemented } from './errors.js';

export const CHECKSUM_ALGORITHMS = ['CRC32', 'CRC32C', 'CRC64NVME', 'SHA1', 'SHA256'] as const;

let crc32cTable: Uint32Array | undefined;
function crc32c(bytes: Buffer): number {
  if (!crc32cTable) {
    crc32cTable = new Uint32Array(256);
    for (let n = 0; n < 256; n++) {
      let c = n;
      for (let k = 0; k < 8; k++) c = c & 1 ? 0x82f63b78 ^ (c >>> 1) : c >>> 1;
      crc32cTable[n] = c >>> 0;
    }
  }
  let crc = 0xffffffff;
  for (const byte of bytes) crc = crc32cTable[(crc ^ byte) & 0xff]! ^ (crc >>> 8);
  return (crc ^ 0xffffffff) >>> 0;
}

let crc64Table: BigUint64Array | undefined;
function crc64nvme(bytes: Buffer): bigint {
  const mask = 0xffffffffffffffffn;
  if (!crc64Table) {
    crc64Table = new BigUint64Array(256);
    for (let n = 0; n < 256; n++) {
      let c = BigInt(n);
      for (let k = 0; k < 8; k++) c = c & 1n ? 0x9a6c9329ac4bc9b5n ^ (c >> 1n) : c >> 1n;
      crc64Table[n] = c;
    }
  }
  let crc = mask;
  for (const byte of bytes) crc = crc64Table[Number((crc ^ BigInt(byte)) & 0xffn)]! ^ (crc >> 8n);
  return (crc ^ mask) & mask;
}

/** The base64 checksum S3 reports for `algorithm` (CRC32, CRC32C, CRC64NVME, SHA1, SHA256, SHA512, MD5). */
export function computeChecksum(algorithm: string, bytes: Buffer): string {
  const name = algorithm.toUpperCase();
  switch (name) {
    case 'CRC32':
    case 'CRC32C': {
      const out = Buffer.alloc(4);
      out.writeUInt32BE(name === 'CRC32' ? crc32(bytes) : crc32c(bytes));
      return out.toString('base64');
    }
    case 'CRC64NVME': {
      const out = Buffer.alloc(8);
      out.writeBigUInt64BE(crc64nvme(bytes));
      return out.toString('base64');
    }
    case 'SHA1':
    case 'SHA256':
    case 'SHA512':
    case 'MD5':
      return createHash(name.toLowerCase()).update(bytes).digest('base64');
    case 'XXHASH64':
    case 'XXHASH3':
    case 'XXHASH128':
      // No xxHash implementation ships with Node, and the project adds no dependency for it (emulator/PARITY.md).
      throw notImplemented(`the ${name} checksum algorithm`);
    default:
      throw invalidArgument(`Unsupported checksum algorithm: ${algorithm}`, 'ChecksumAlgorithm', algorithm);
  }
}

export function md5Hex(bytes: Buffer): string {
  return createHash('md5').update(bytes).digest('hex');
}

/** ETag of a completed multipart upload: MD5 of the concatenated binary part MD5s, then `-<part count>`. */
export function multipartEtag(partEtags: string[]): string {
  const digests = Buffer.concat(partEtags.map((etag) => Buffer.from(etag.replace(/"/g, ''), 'hex')));
  return `"${md5Hex(digests)}-${partEtags.length}"`;
}

/**
 * A checksum of a stored object, as S3ComputeObjectChecksum computes it. FULL_OBJECT covers every byte.
 * COMPOSITE is S3's checksum of checksums: the algorithm over the concatenated binary part checksums, then
 * `-<part count>` (User Guide, "Checking object integrity", multipart uploads); CRC64NVME has no composite type.
 * An object written in one request has a single part, whose composite value is its full-object value.
 */
export function computeObjectChecksum(
  algorithm: string,
  type: 'FULL_OBJECT' | 'COMPOSITE',
  body: Buffer,
  partSizes: number[] | undefined,
): string {
  if (type === 'COMPOSITE' && algorithm.toUpperCase() === 'CRC64NVME') {
    throw invalidRequest('The CRC64NVME checksum algorithm supports only the FULL_OBJECT checksum type');
  }
  if (type !== 'COMPOSITE' || !partSizes || partSizes.length < 2) return computeChecksum(algorithm, body);
  const digests: Buffer[] = [];
  let offset = 0;
  for (const size of partSizes) {
    digests.push(Buffer.from(computeChecksum(algorithm, body.subarray(offset, offset + size)), 'base64'));
    offset += size;
  }
  return `${computeChecksum(algorithm, Buffer.concat(digests))}-${partSizes.length}`;
}
