/**
 * The emulator's admin route for S3 Inventory: `POST /_s3bo/inventory/run?bucket=B&id=C` writes a report
 * now and answers `{"manifestKey": "...", "destinationBucket": "..."}`. No AWS API has such a path, and a
 * path-style S3 request cannot reach it (bucket names cannot start with `_`); server.ts routes it here only
 * for hosts that are not virtual-hosted buckets. Errors answer `{"code", "message"}` with S3's HTTP status.
 */
import { type HttpResponse, S3ServiceError, type ServiceHandler } from '../contracts.js';
import type { S3Inventory } from './inventory.js';

/** Where every admin route of the emulator lives. */
export const ADMIN_PATH_PREFIX = '/_s3bo/';
export const INVENTORY_RUN_PATH = '/_s3bo/inventory/run';

/** The JSON body of a successful run. */
export interface InventoryRunResponse {
  manifestKey: string;
  destinationBucket: string;
}

function json(status: number, body: unknown): HttpResponse {
  return { status, headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) };
}

const failure = (status: number, code: string, message: string) => json(status, { code, message });

export function createAdminHandler(inventory: S3Inventory): ServiceHandler {
  return async (request) => {
    if (request.path !== INVENTORY_RUN_PATH) {
      return failure(
        404,
        'NotFound',
        `No admin route ${request.path} (the emulator has ${INVENTORY_RUN_PATH})`,
      );
    }
    if (request.method !== 'POST') {
      return failure(405, 'MethodNotAllowed', `${INVENTORY_RUN_PATH} takes POST, got ${request.method}`);
    }
    const bucket = request.query.get('bucket');
    const id = request.query.get('id');
    const missing = [bucket ? undefined : 'bucket', id ? undefined : 'id'].filter(Boolean);
    if (missing.length > 0) {
      return failure(400, 'InvalidArgument', `Missing query parameter: ${missing.join(', ')}`);
    }
    try {
      const report = inventory.run(bucket!, id!);
      const body: InventoryRunResponse = {
        manifestKey: report.manifestKey,
        destinationBucket: report.destinationBucket,
      };
      return json(200, body);
    } catch (error) {
      if (error instanceof S3ServiceError) return failure(error.httpStatus, error.code, error.message);
      throw error;
    }
  };
}
