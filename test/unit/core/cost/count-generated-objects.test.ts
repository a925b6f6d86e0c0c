import { describe, expect, it } from 'vitest';
import { countGeneratedObjects } from '../../../../src/core/cost/count-generated-objects.js';
import type { ManifestGeneratorFilter } from '../../../../src/generated/types.js';
import { MemoryObjectStore } from '../../../doubles/memory-ports.js';

const sourceBucket = 'gen-source';
const cutoff = '2026-06-01T00:00:00.000Z';

/** The objects of the lead's workflow scenario: five written before the cut-off, three after. */
function seededStore(pageSize = 1000): MemoryObjectStore {
  const store = new MemoryObjectStore(7, pageSize);
  const put = (key: string, size: number, storageClass: string, lastModified: string) =>
    store.put(sourceBucket, key, Buffer.alloc(size, 0x61), { storageClass, lastModified });
  put('logs/2024/a.log', 10, 'STANDARD', '2026-01-01T00:00:00.000Z');
  put('logs/2024/b.txt', 2000, 'STANDARD', '2026-01-02T00:00:00.000Z');
  put('images/cat.png', 500, 'GLACIER', '2026-01-03T00:00:00.000Z');
  put('images/dog.jpg', 50, 'STANDARD_IA', '2026-01-04T00:00:00.000Z');
  put('archive/report final.csv', 5000, 'DEEP_ARCHIVE', '2026-01-05T00:00:00.000Z');
  put('logs/2025/c.log', 100, 'STANDARD', '2026-07-01T00:00:00.000Z');
  put('tmp/draft-final.txt', 1, 'STANDARD', '2026-07-02T00:00:00.000Z');
  put('images/bird.png', 3000, 'GLACIER_IR', '2026-07-03T00:00:00.000Z');
  return store;
}

const count = (store: MemoryObjectStore, filter?: ManifestGeneratorFilter, dates = {}) =>
  countGeneratedObjects(
    store,
    { sourceBucket, enableManifestOutput: false, ...(filter ? { filter } : {}) },
    dates,
  );

describe('countGeneratedObjects', () => {
  it.each<[string, ManifestGeneratorFilter | undefined, Record<string, string>, number]>([
    ['no filter: every object', undefined, {}, 8],
    ['a prefix', { keyNameConstraint: { matchAnyPrefix: ['logs/'] } }, {}, 3],
    ['a suffix', { keyNameConstraint: { matchAnySuffix: ['.png'] } }, {}, 2],
    ['a substring', { keyNameConstraint: { matchAnySubstring: ['final'] } }, {}, 2],
    [
      'size bounds, strict on both sides',
      { objectSizeGreaterThanBytes: 100, objectSizeLessThanBytes: 3000 },
      {},
      2,
    ],
    ['storage classes', { matchAnyStorageClass: ['GLACIER', 'DEEP_ARCHIVE'] }, {}, 2],
    ['created before (LastModified)', undefined, { createdBefore: cutoff }, 5],
    ['created after (LastModified)', undefined, { createdAfter: cutoff }, 3],
    [
      'several conditions at once, all of them',
      {
        keyNameConstraint: { matchAnyPrefix: ['images/'] },
        matchAnyStorageClass: ['GLACIER_IR', 'STANDARD_IA'],
        objectSizeGreaterThanBytes: 60,
      },
      {},
      1,
    ],
  ])('counts with %s', async (_name, filter, dates, expected) => {
    expect(await count(seededStore(), filter, dates)).toEqual({ objectCount: expected, isUpperBound: false });
  });

  it('lists only under the prefix, following every page', async () => {
    // Prepare: one object per ListObjectsV2 page
    const store = seededStore(1);

    // Act
    const counted = await count(store, { keyNameConstraint: { matchAnyPrefix: ['logs/'] } });

    // Assess
    expect(counted?.objectCount).toBe(3);
    expect(store.listCalls).toEqual([
      { bucket: sourceBucket, prefix: 'logs/', page: 0 },
      { bucket: sourceBucket, prefix: 'logs/', page: 1 },
      { bucket: sourceBucket, prefix: 'logs/', page: 2 },
    ]);
  });

  it.each<[string, ManifestGeneratorFilter]>([
    ['eligibleForReplication', { eligibleForReplication: true }],
    ['objectReplicationStatuses', { objectReplicationStatuses: ['FAILED'] }],
    ['matchAnyObjectEncryption', { matchAnyObjectEncryption: [{ sses3: {} }] }],
  ])(
    'marks the count an upper bound when the filter uses %s, which a listing does not show',
    async (_name, filter) => {
      expect(await count(seededStore(), filter)).toEqual({ objectCount: 8, isUpperBound: true });
    },
  );

  it('gives up past the listing bound, having listed no further', async () => {
    // Prepare
    const store = seededStore(3);

    // Act
    const counted = await countGeneratedObjects(store, { sourceBucket, enableManifestOutput: false }, {}, 5);

    // Assess: the second page passed 5 listed objects; the third was never asked for
    expect(counted).toBeUndefined();
    expect(store.listCalls.map((call) => call.page)).toEqual([0, 1]);
    expect(await countGeneratedObjects(store, { sourceBucket, enableManifestOutput: false }, {}, 8)).toEqual({
      objectCount: 8,
      isUpperBound: false,
    });
  });

  it('names manifestGenerator.sourceBucket when the bucket does not exist', async () => {
    await expect(
      countGeneratedObjects(
        new MemoryObjectStore(),
        { sourceBucket: 'nowhere', enableManifestOutput: false },
        {},
      ),
    ).rejects.toMatchObject({
      name: 'RequestValidationError',
      field: 'manifestGenerator.sourceBucket',
      reason: 'bucket nowhere does not exist',
    });
  });
});
