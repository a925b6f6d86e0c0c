import { describe, expect, it } from 'vitest';
import {
  findLatestInventory,
  folderTime,
  inventoryConfigurationPrefix,
  maxFoldersWithoutManifest,
} from '../../../../src/core/manifest-source/latest-inventory.js';
import type { LatestInventoryManifestWithDefaults } from '../../../../src/generated/types.js';
import { putInventoryReport } from '../../../builders/inventory-report.js';
import { MemoryObjectStore } from '../../../doubles/memory-ports.js';

const destinationBucket = 'inventories';
const sourceBucket = 'campaign-data';
const configId = 'daily-all';
const base = `inv/${sourceBucket}/${configId}`;
const now = new Date('2026-11-26T12:00:00Z');
const inventory: LatestInventoryManifestWithDefaults = {
  bucket: destinationBucket,
  prefix: 'inv',
  sourceBucket,
  configId,
  maxAgeHours: 48,
};

function report(
  store: MemoryObjectStore,
  folder: string,
  options: { checksum?: string; withoutManifest?: boolean } = {},
) {
  return putInventoryReport(store, {
    destinationBucket,
    base,
    sourceBucket,
    folder,
    files: [[{ key: `object-of-${folder}` }]],
    ...options,
  });
}

describe('findLatestInventory', () => {
  it('picks the newest of three dated reports, whatever else the configuration folder holds', async () => {
    // Prepare: two folders per ListObjectsV2 page, so the reports span pages
    const store = new MemoryObjectStore(7, 2);
    report(store, '2026-11-24T00-00Z');
    const newest = report(store, '2026-11-26T00-00Z');
    report(store, '2026-11-25T00-00Z');
    store.put(destinationBucket, `${base}/hive/dt=2026-11-26-00-00/symlink.txt`, 'x');
    store.put(destinationBucket, `${base}/not-a-date/manifest.json`, '{}');

    // Act
    const found = await findLatestInventory(store, inventory, now);

    // Assess
    expect(found).toMatchObject({
      bucket: destinationBucket,
      key: newest,
      reportTime: new Date('2026-11-26T00:00:00Z'),
    });
    expect(found.etag).toMatch(/^[0-9a-f]{32}$/);
    expect(found.document.files).toEqual([{ key: `${base}/data/2026-11-26T00-00Z-0.csv.gz` }]);
    expect(store.listCalls.map((call) => call.page)).toEqual([0, 1, 2]);
    expect(store.listCalls.every((call) => call.prefix === `${base}/`)).toBe(true);
  });

  it('passes over a newer report still being written (no manifest.json yet)', async () => {
    const store = new MemoryObjectStore();
    const complete = report(store, '2026-11-25T00-00Z');
    report(store, '2026-11-26T00-00Z', { withoutManifest: true });

    expect((await findLatestInventory(store, inventory, now)).key).toBe(complete);
  });

  it(`gives up after ${maxFoldersWithoutManifest} folders without a manifest.json, naming manifest.inventory`, async () => {
    const store = new MemoryObjectStore();
    report(store, '2026-11-20T00-00Z');
    for (let day = 21; day <= 21 + maxFoldersWithoutManifest; day++) {
      report(store, `2026-11-${day}T00-00Z`, { withoutManifest: true });
    }

    await expect(findLatestInventory(store, inventory, now)).rejects.toMatchObject({
      name: 'RequestValidationError',
      field: 'manifest.inventory',
      reason: `no inventory report (a YYYY-MM-DDTHH-MMZ/ folder holding a manifest.json) under s3://${destinationBucket}/${base}/`,
    });
  });

  it('refuses a report whose manifest.checksum does not match, stating both values', async () => {
    // Prepare
    const store = new MemoryObjectStore();
    const key = report(store, '2026-11-26T00-00Z', { checksum: '0123456789abcdef0123456789abcdef' });
    const actual = (await store.headObject(destinationBucket, key)).etag;

    // Act
    const refusal = findLatestInventory(store, inventory, now);

    // Assess
    await expect(refusal).rejects.toMatchObject({
      field: 'manifest.inventory',
      reason: `checksum mismatch: the MD5 of s3://${destinationBucket}/${key} is ${actual}, its manifest.checksum says 0123456789abcdef0123456789abcdef`,
    });
  });

  it('refuses a newest report older than maxAgeHours, stating its time and age', async () => {
    const store = new MemoryObjectStore();
    const key = report(store, '2026-11-23T00-00Z');

    await expect(findLatestInventory(store, inventory, now)).rejects.toMatchObject({
      field: 'manifest.inventory.maxAgeHours',
      reason: `the newest report, s3://${destinationBucket}/${key}, is of 2026-11-23T00:00:00.000Z, 84.0 hours old: older than 48 hours`,
    });
    await expect(findLatestInventory(store, { ...inventory, maxAgeHours: 85 }, now)).resolves.toMatchObject({
      key,
    });
  });

  it('names manifest.inventory when no report was delivered, and manifest.inventory.bucket for a missing bucket', async () => {
    const store = new MemoryObjectStore();
    store.buckets.add(destinationBucket);

    await expect(findLatestInventory(store, inventory, now)).rejects.toMatchObject({
      field: 'manifest.inventory',
    });
    await expect(
      findLatestInventory(store, { ...inventory, bucket: 'no-such-bucket' }, now),
    ).rejects.toMatchObject({
      field: 'manifest.inventory.bucket',
      reason: 'bucket no-such-bucket does not exist',
    });
  });

  it('refuses a manifest.json of another format than CSV, which S3 Batch Operations cannot read', async () => {
    const store = new MemoryObjectStore();
    const key = report(store, '2026-11-26T00-00Z');
    const orc = JSON.stringify({ fileFormat: 'ORC', fileSchema: 'struct<bucket:string>', files: [] });
    store.put(destinationBucket, key, orc);
    store.put(
      destinationBucket,
      key.replace('manifest.json', 'manifest.checksum'),
      (await store.headObject(destinationBucket, key)).etag,
    );

    await expect(findLatestInventory(store, inventory, now)).rejects.toMatchObject({
      field: 'manifest.inventory',
      reason: expect.stringContaining('fileFormat is "ORC"; S3 Batch Operations reads CSV inventories only'),
    });
  });
});

describe('inventoryConfigurationPrefix', () => {
  it('starts at the source bucket without a prefix, and reads a trailing slash as the same folder', () => {
    expect(inventoryConfigurationPrefix({ sourceBucket: 's', configId: 'c' })).toBe('s/c/');
    expect(inventoryConfigurationPrefix({ prefix: 'inv', sourceBucket: 's', configId: 'c' })).toBe(
      'inv/s/c/',
    );
    expect(inventoryConfigurationPrefix({ prefix: 'inv/', sourceBucket: 's', configId: 'c' })).toBe(
      'inv/s/c/',
    );
  });
});

describe('folderTime', () => {
  it('reads the UTC instant a report folder is named after, and nothing else', () => {
    expect(folderTime('2016-11-06T21-32Z')).toEqual(new Date('2016-11-06T21:32:00Z'));
    expect(folderTime('2026-02-30T00-00Z')).toBeUndefined();
    expect(folderTime('2026-11-06T24-00Z')).toBeUndefined();
    expect(folderTime('data')).toBeUndefined();
    expect(folderTime('2026-11-06')).toBeUndefined();
  });
});
