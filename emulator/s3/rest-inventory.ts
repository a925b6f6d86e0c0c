/** The REST-XML side of S3 Inventory: `?inventory` on a bucket (Put/Get/Delete/ListBucketInventoryConfiguration(s)). */
import type { HttpResponse } from '../contracts.js';
import { type S3Request, xmlOk } from './http-helpers.js';
import type { S3Inventory } from './inventory.js';
import { renderInventoryConfiguration } from './inventory-config.js';
import type { S3Operations } from './operations.js';
import { el, opt, S3_XMLNS } from './xml.js';

type Handler = (ops: S3Operations, request: S3Request) => HttpResponse;

/** The operation names identifyOperation (rest.ts) gives `?inventory` requests. */
export function inventoryOperation(method: string, query: URLSearchParams): string {
  if (method === 'GET' || method === 'HEAD') {
    return query.has('id') ? 'GetBucketInventoryConfiguration' : 'ListBucketInventoryConfigurations';
  }
  if (method === 'PUT') return 'PutBucketInventoryConfiguration';
  if (method === 'DELETE') return 'DeleteBucketInventoryConfiguration';
  return `${method}BucketInventoryConfiguration`;
}

export function inventoryHandlers(inventory: S3Inventory): Record<string, Handler> {
  return {
    PutBucketInventoryConfiguration: (_ops, request) => {
      inventory.putConfiguration(request.bucket!, request.query.get('id'), request.body);
      return { status: 200 };
    },
    GetBucketInventoryConfiguration: (_ops, request) =>
      xmlOk(
        renderInventoryConfiguration(
          inventory.getConfiguration(request.bucket!, request.query.get('id')),
          true,
        ),
      ),
    DeleteBucketInventoryConfiguration: (_ops, request) => {
      inventory.deleteConfiguration(request.bucket!, request.query.get('id'));
      return { status: 204 };
    },
    ListBucketInventoryConfigurations: (_ops, request) => {
      const token = request.query.get('continuation-token') ?? undefined;
      const page = inventory.listConfigurations(request.bucket!, token);
      return xmlOk(
        el(
          'ListInventoryConfigurationsResult',
          [
            opt('ContinuationToken', token),
            ...page.configurations.map((config) => renderInventoryConfiguration(config)),
            el('IsTruncated', page.isTruncated),
            opt('NextContinuationToken', page.nextContinuationToken),
          ],
          { xmlns: S3_XMLNS },
        ),
      );
    },
  };
}
