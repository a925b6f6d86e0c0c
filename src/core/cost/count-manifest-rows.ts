import { manifestMissingError, ObjectNotFoundError } from '../errors.js';
import type { ObjectStorePort } from '../ports.js';

const newline = 0x0a;
const carriageReturn = 0x0d;

/**
 * The number of objects a CSV manifest lists: its non-empty lines (S3 Batch Operations CSV manifests have no
 * header row). Streamed a chunk at a time, so a manifest of millions of rows needs no more memory than a chunk.
 */
export async function countManifestRows(
  objects: ObjectStorePort,
  manifest: { bucket: string; key: string },
): Promise<number> {
  let stream: AsyncIterable<Uint8Array>;
  try {
    stream = await objects.getObjectStream(manifest.bucket, manifest.key);
  } catch (error) {
    if (error instanceof ObjectNotFoundError) {
      throw manifestMissingError(manifest, error);
    }
    throw error;
  }
  let rows = 0;
  let lineHasContent = false;
  for await (const chunk of stream) {
    for (const byte of chunk) {
      if (byte === newline) {
        if (lineHasContent) rows++;
        lineHasContent = false;
      } else if (byte !== carriageReturn) {
        lineHasContent = true;
      }
    }
  }
  return lineHasContent ? rows + 1 : rows;
}
