import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { countInventoryRows } from '../../../../src/core/cost/count-inventory-rows.js';
import type { InventoryManifestDocument } from '../../../../src/core/manifest-source/inventory-manifest.js';
import { inventoryColumns, inventoryCsvRow } from '../../../builders/inventory-report.js';
import { MemoryObjectStore } from '../../../doubles/memory-ports.js';

const document = (files: string[], columns = inventoryColumns): InventoryManifestDocument => ({
  dataBucket: 'inventories',
  columns,
  files: files.map((key) => ({ key })),
});

describe('countInventoryRows', () => {
  it('adds up the rows of every gzipped data file, delete markers left out', async () => {
    // Prepare: 3 + 2 rows, one of them a delete marker; 5-byte chunks cross gzip's and the CSV's boundaries
    const store = new MemoryObjectStore(5);
    const rows = (keys: string[], deleted: string[] = []) =>
      gzipSync(
        keys.map((key) => inventoryCsvRow('src', { key, deleteMarker: deleted.includes(key) })).join(''),
      );
    store.put('inventories', 'data/a.csv.gz', rows(['a 1', 'a,2', 'a"3']));
    store.put('inventories', 'data/b.csv.gz', rows(['b1', 'gone'], ['gone']));

    // Act
    const count = await countInventoryRows(
      store,
      document(['data/a.csv.gz', 'data/b.csv.gz']),
      'manifest.inventory',
    );

    // Assess
    expect(count).toBe(4);
    expect(store.reads).toEqual(['inventories/data/a.csv.gz', 'inventories/data/b.csv.gz']);
  });

  it('counts every row of an inventory without an IsDeleteMarker column', async () => {
    const store = new MemoryObjectStore();
    const columns = ['Bucket', 'Key'];
    store.put('inventories', 'd.csv.gz', gzipSync('"src","a"\n"src","b"\n'));
    expect(await countInventoryRows(store, document(['d.csv.gz'], columns), 'manifest.key')).toBe(2);
  });

  it('names the field when a data file is missing or not gzip', async () => {
    const store = new MemoryObjectStore();
    store.put('inventories', 'plain.csv', '"src","a"\n');

    await expect(
      countInventoryRows(store, document(['missing.csv.gz']), 'manifest.key'),
    ).rejects.toMatchObject({
      field: 'manifest.key',
      reason: 'inventory data file s3://inventories/missing.csv.gz does not exist',
    });
    await expect(countInventoryRows(store, document(['plain.csv']), 'manifest.key')).rejects.toMatchObject({
      field: 'manifest.key',
      reason: expect.stringMatching(
        /^inventory data file s3:\/\/inventories\/plain\.csv is not valid gzip \(Z_/,
      ),
    });
  });
});
