/**
 * How many objects a job will run on, counted from its resolved source before it is created, and how:
 * `csvRows` (the CSV manifest's non-empty lines), `inventoryRows` (the inventory report's data rows, delete
 * markers left out) or `generatorListing` (a dry listing of the generator's source bucket, an upper bound
 * when the filter uses what a listing cannot show).
 */
import { manifestMissingError, ObjectNotFoundError } from '../errors.js';
import {
  maxInventoryManifestBytes,
  parseInventoryManifest,
  readSmallObject,
} from '../manifest-source/inventory-manifest.js';
import type { ResolvedManifestSource } from '../manifest-source/resolve-manifest-source.js';
import type { ObjectStorePort } from '../ports.js';
import { countGeneratedObjects } from './count-generated-objects.js';
import { countInventoryRows } from './count-inventory-rows.js';
import { countManifestRows } from './count-manifest-rows.js';

export type ObjectCountSource = 'csvRows' | 'inventoryRows' | 'generatorListing';

export interface ObjectCount {
  objectCount: number;
  objectCountSource: ObjectCountSource;
  objectCountIsUpperBound: boolean;
}

/** Undefined when the objects cannot be counted (a generator source bucket past its listing bound). */
export async function countSourceObjects(
  objects: ObjectStorePort,
  source: ResolvedManifestSource,
): Promise<ObjectCount | undefined> {
  switch (source.kind) {
    case 'csv':
      return exact('csvRows', await countManifestRows(objects, source));
    case 'latestInventory':
      return exact('inventoryRows', await countInventoryRows(objects, source.document, 'manifest.inventory'));
    case 'inventory': {
      let bytes: Buffer;
      try {
        bytes = await readSmallObject(objects, source, {
          maxBytes: maxInventoryManifestBytes,
          field: 'manifest.key',
          what: 'an inventory manifest.json',
        });
      } catch (error) {
        if (error instanceof ObjectNotFoundError) throw manifestMissingError(source, error);
        throw error;
      }
      const document = parseInventoryManifest(bytes, source, 'manifest.key');
      return exact('inventoryRows', await countInventoryRows(objects, document, 'manifest.key'));
    }
    case 'generator': {
      const count = await countGeneratedObjects(objects, source.generator, source.dates);
      return count === undefined
        ? undefined
        : {
            objectCount: count.objectCount,
            objectCountSource: 'generatorListing',
            objectCountIsUpperBound: count.isUpperBound,
          };
    }
  }
}

const exact = (objectCountSource: ObjectCountSource, objectCount: number): ObjectCount => ({
  objectCount,
  objectCountSource,
  objectCountIsUpperBound: false,
});
