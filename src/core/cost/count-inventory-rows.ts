/**
 * The number of objects an S3 Inventory report lists: the rows of the gzipped CSV data files its
 * manifest.json names, delete markers left out (inventory-row-counter.ts). Each file is streamed through
 * gunzip a chunk at a time, one file after another, so no file is ever held whole.
 */
import { pipeline } from 'node:stream/promises';
import { createGunzip } from 'node:zlib';
import { ObjectNotFoundError, RequestValidationError } from '../errors.js';
import type { InventoryManifestDocument } from '../manifest-source/inventory-manifest.js';
import type { ObjectStorePort } from '../ports.js';
import { InventoryRowCounter } from './inventory-row-counter.js';

/** @param field the request field the report came from, for errors. */
export async function countInventoryRows(
  objects: ObjectStorePort,
  document: InventoryManifestDocument,
  field: string,
): Promise<number> {
  const skipColumn = document.columns.indexOf('IsDeleteMarker');
  let rows = 0;
  for (const file of document.files) {
    const where = `s3://${document.dataBucket}/${file.key}`;
    let source: AsyncIterable<Uint8Array>;
    try {
      source = await objects.getObjectStream(document.dataBucket, file.key);
    } catch (error) {
      if (error instanceof ObjectNotFoundError) {
        throw new RequestValidationError(field, `inventory data file ${where} does not exist`, {
          cause: error,
        });
      }
      throw error;
    }
    const counter = new InventoryRowCounter(skipColumn);
    try {
      await pipeline(source, createGunzip(), async (inflated: AsyncIterable<Buffer>) => {
        for await (const chunk of inflated) counter.push(chunk);
      });
    } catch (error) {
      // zlib's errors carry a Z_* code (Z_DATA_ERROR, Z_BUF_ERROR for a truncated file).
      const code = (error as { code?: unknown }).code;
      if (typeof code === 'string' && code.startsWith('Z_')) {
        throw new RequestValidationError(field, `inventory data file ${where} is not valid gzip (${code})`, {
          cause: error,
        });
      }
      throw error;
    }
    rows += counter.end();
  }
  return rows;
}
