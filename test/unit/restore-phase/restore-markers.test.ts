import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { recordRestore } from '../../../src/core/restore-phase/record-restore.js';
import {
  freshMarkerHashes,
  markerHash,
  markerKeysOf,
  restoreMarkerKey,
  versionOf,
} from '../../../src/core/restore-phase/restore-markers.js';
import type { ObjectRestoreCompletedEvent } from '../../../src/generated/types.js';
import { validateObjectRestoreCompletedEvent } from '../../../src/generated/validators.js';
import { RestoreStore, runStart, stateBucket } from './builders.js';

/** S3 User Guide, "EventBridge event message structure", the Object restore completed example. */
const restoreCompleted = JSON.parse(
  readFileSync(join(import.meta.dirname, 'object-restore-completed.json'), 'utf8'),
) as ObjectRestoreCompletedEvent;

const clock = { now: () => new Date(runStart) };

describe('restore markers', () => {
  it('name an object version by the sha-256 of its key and version, under restores/<bucket>/', () => {
    const key = restoreMarkerKey({ bucket: 'data', key: 'a/b.txt', versionId: 'v1' });
    expect(key).toMatch(/^restores\/data\/[0-9a-f]{64}$/);
    expect(key).toBe(`restores/data/${markerHash('a/b.txt', 'v1')}`);
    expect(markerHash('a', 'bc')).not.toBe(markerHash('ab', 'c'));
    expect(markerHash('a/b.txt', 'v1')).not.toBe(markerHash('a/b.txt'));
  });

  it("count S3's `null` version and an empty one as no version", () => {
    expect(versionOf('null')).toBeUndefined();
    expect(versionOf('')).toBeUndefined();
    expect(versionOf(null)).toBeUndefined();
    expect(markerHash('k', 'null')).toBe(markerHash('k'));
    expect(markerKeysOf({ bucket: 'data', key: 'k', versionId: 'null' })).toEqual([
      restoreMarkerKey({ bucket: 'data', key: 'k' }),
    ]);
  });
});

describe('recordRestore', () => {
  it("writes the version's marker and the key's, from AWS's own example event", async () => {
    // Prepare
    const store = new RestoreStore();
    expect(validateObjectRestoreCompletedEvent(restoreCompleted)).toBe(true);

    // Act
    const { markers } = await recordRestore({ objects: store, stateBucket, clock }, restoreCompleted);

    // Assess
    const object = { bucket: 'DOC-EXAMPLE-BUCKET1', key: 'example-key' };
    expect(markers).toEqual([
      restoreMarkerKey({ ...object, versionId: 'KKsjUC1.6gIjqtvhfg5AdMI0eCePIiT3' }),
      restoreMarkerKey(object),
    ]);
    expect(JSON.parse(store.text(stateBucket, markers[0]!)!)).toEqual({
      ...object,
      versionId: 'KKsjUC1.6gIjqtvhfg5AdMI0eCePIiT3',
      restoredAt: '2021-11-12T00:00:00Z',
      restoreExpiryTime: '2021-11-13T00:00:00Z',
      storageClass: 'GLACIER',
      source: 'event',
    });
  });

  it('is idempotent: a redelivered event rewrites the same marker', async () => {
    const store = new RestoreStore();
    const first = await recordRestore({ objects: store, stateBucket, clock }, restoreCompleted);
    const body = store.text(stateBucket, first.markers[0]!);
    const second = await recordRestore({ objects: store, stateBucket, clock }, restoreCompleted);
    expect(second.markers).toEqual(first.markers);
    expect(store.text(stateBucket, first.markers[0]!)).toBe(body);
    expect([...store.objects.keys()].filter((path) => path.startsWith(`${stateBucket}/`))).toHaveLength(2);
  });
});

describe('freshMarkerHashes', () => {
  it("keeps the markers written since the run started (to the second, as S3's LastModified)", async () => {
    // Prepare: one marker from an earlier restore, one from the run's first second, one later
    const store = new RestoreStore();
    const write = async (key: string, at: string) => {
      store.now = new Date(at);
      await store.putObject(stateBucket, restoreMarkerKey({ bucket: 'data', key }), '{}');
    };
    await write('old', '2026-03-01T09:59:59.000Z');
    await write('same-second', '2026-03-01T10:00:00.000Z');
    await write('new', '2026-03-01T13:00:00.000Z');

    // Act
    const fresh = await freshMarkerHashes(store, stateBucket, 'data', new Date('2026-03-01T10:00:00.400Z'));

    // Assess
    expect([...fresh].sort()).toEqual([markerHash('same-second'), markerHash('new')].sort());
  });

  it('lists only the bucket asked for, at most maxPages pages', async () => {
    const store = new RestoreStore();
    for (const key of ['a', 'b', 'c'])
      await store.putObject(stateBucket, restoreMarkerKey({ bucket: 'data', key }), '{}');
    await store.putObject(stateBucket, restoreMarkerKey({ bucket: 'other', key: 'a' }), '{}');
    const fresh = await freshMarkerHashes(store, stateBucket, 'data', new Date(0), 1);
    expect(fresh.size).toBe(3);
    expect(store.listCalls).toEqual([{ bucket: stateBucket, prefix: 'restores/data/', page: 0 }]);
  });
});
