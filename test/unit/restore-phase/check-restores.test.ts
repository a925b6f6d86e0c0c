import { describe, expect, it } from 'vitest';
import { checkRestores } from '../../../src/core/restore-phase/check-restores.js';
import { restoreMarkerKey } from '../../../src/core/restore-phase/restore-markers.js';
import { progressKey, type RestoreProgress } from '../../../src/core/restore-phase/restore-progress.js';
import type { RestoreThenState, RestoreWaitSummary } from '../../../src/generated/types.js';
import {
  archived,
  execution,
  givenRestoreReport,
  RestoreStore,
  runStart,
  stateAfterRestore,
  stateBucket,
} from './builders.js';

const hours = (n: number) => new Date(Date.parse(runStart) + n * 3_600_000);

/** One poll at `at`, continuing from `waiting` (the previous poll's summary). */
async function poll(
  store: RestoreStore,
  state: RestoreThenState,
  at: Date,
  options: { sampleSize?: number } = {},
): Promise<RestoreWaitSummary> {
  store.now = at;
  return checkRestores({ objects: store, stateBucket, clock: { now: () => at }, ...options }, state);
}

async function markEvent(store: RestoreStore, key: string, at: Date): Promise<void> {
  store.now = at;
  await store.putObject(stateBucket, restoreMarkerKey({ bucket: 'data', key }), '{"source":"event"}');
}

const progressOf = (store: RestoreStore): RestoreProgress =>
  JSON.parse(store.text(stateBucket, progressKey(execution.name))!);

describe('checkRestores', () => {
  it("waits for exactly the restore job's succeeded tasks, counting the fresh markers", async () => {
    // Prepare: 3 succeeded restores (one URL-encoded key), 1 failed; an event for one, a stale marker for another
    const store = new RestoreStore();
    const report = givenRestoreReport(
      store,
      [{ key: 'a.txt' }, { key: 'my%20b.txt' }, { key: 'c.txt' }],
      ['gone.txt'],
    );
    archived(store, 'data', ['a.txt', 'my b.txt', 'c.txt']);
    await markEvent(store, 'my b.txt', hours(1));
    await markEvent(store, 'c.txt', hours(-24));

    // Act
    const waiting = await poll(store, stateAfterRestore(report), hours(2));

    // Assess
    expect(waiting).toEqual({
      done: false,
      total: 3,
      restored: 1,
      pending: 2,
      restoreFailed: 1,
      polls: 1,
      deadline: hours(2 + 15).toISOString(),
      deadlineReached: false,
      nextWaitSeconds: 300,
      progressKey: progressKey(execution.name),
    });
    expect(store.heads.sort()).toEqual(['data/a.txt', 'data/c.txt']);
  });

  it('marks what HeadObject finds restored, so the next poll counts it without asking again', async () => {
    // Prepare
    const store = new RestoreStore();
    const report = givenRestoreReport(store, [{ key: 'a.txt' }, { key: 'b.txt' }]);
    archived(store, 'data', ['a.txt', 'b.txt']);
    store.restored('data', 'a.txt');
    const state = stateAfterRestore(report);

    // Act
    const first = await poll(store, state, hours(1));
    store.heads.length = 0;
    const second = await poll(store, { ...state, waiting: first }, hours(2));

    // Assess
    expect(first).toMatchObject({ restored: 1, pending: 1, done: false });
    expect(
      JSON.parse(store.text(stateBucket, restoreMarkerKey({ bucket: 'data', key: 'a.txt' }))!),
    ).toMatchObject({
      source: 'head-object',
      restoreExpiryTime: '2026-03-06T00:00:00.000Z',
    });
    expect(second).toMatchObject({ restored: 1, pending: 1, polls: 2, nextWaitSeconds: 600 });
    expect(store.heads).toEqual(['data/b.txt']);
  });

  it('asks HeadObject about a bounded sample per poll, round-robin from where the last one stopped', async () => {
    // Prepare: 10 pending objects, 3 HeadObject calls per poll
    const store = new RestoreStore();
    const keys = Array.from({ length: 10 }, (_, i) => `k${i}`);
    const report = givenRestoreReport(
      store,
      keys.map((key) => ({ key })),
    );
    archived(store, 'data', keys);
    const state = stateAfterRestore(report);
    const asked: string[][] = [];

    // Act
    let waiting: RestoreWaitSummary | undefined;
    for (let n = 1; n <= 4; n++) {
      store.heads.length = 0;
      waiting = await poll(store, waiting ? { ...state, waiting } : state, hours(n), { sampleSize: 3 });
      asked.push([...store.heads].sort());
    }

    // Assess
    expect(asked).toEqual([
      ['data/k0', 'data/k1', 'data/k2'],
      ['data/k3', 'data/k4', 'data/k5'],
      ['data/k6', 'data/k7', 'data/k8'],
      ['data/k0', 'data/k1', 'data/k9'],
    ]);
    expect(progressOf(store)).toMatchObject({
      cursor: 2,
      headObjectChecks: 12,
      polls: 4,
      total: 10,
      pending: 10,
    });
  });

  it('stops at the deadline with what is still pending, and never waits past it', async () => {
    // Prepare: a 2-hour deadline
    const store = new RestoreStore();
    const report = givenRestoreReport(store, [{ key: 'a.txt' }, { key: 'b.txt' }]);
    archived(store, 'data', ['a.txt', 'b.txt']);
    const state = stateAfterRestore(report, {
      plan: { ...stateAfterRestore(report).plan!, deadlineHours: 2 },
    });

    // Act
    const first = await poll(store, state, hours(0));
    await markEvent(store, 'a.txt', hours(1.9));
    const nearEnd = await poll(store, { ...state, waiting: first }, hours(1.95));
    const last = await poll(store, { ...state, waiting: nearEnd }, hours(2));

    // Assess
    expect(nearEnd).toMatchObject({ done: false, restored: 1, nextWaitSeconds: 180 });
    expect(last).toMatchObject({ done: true, restored: 1, pending: 1, deadlineReached: true });
  });

  it('is done at once when every object is restored, or when there was nothing to restore', async () => {
    const store = new RestoreStore();
    const report = givenRestoreReport(store, [{ key: 'a.txt' }]);
    await markEvent(store, 'a.txt', hours(0.5));
    expect(await poll(store, stateAfterRestore(report), hours(1))).toMatchObject({
      done: true,
      restored: 1,
      pending: 0,
      deadlineReached: false,
    });
    expect(store.heads).toEqual([]);

    const empty = new RestoreStore();
    const none = givenRestoreReport(empty, [], ['x']);
    expect(
      await poll(empty, stateAfterRestore(none, { execution: { ...execution, name: 'empty' } }), hours(1)),
    ).toMatchObject({
      done: true,
      total: 0,
      restoreFailed: 1,
    });
  });

  it('matches a versioned report row to its version, a versionless one to the key', async () => {
    // Prepare: the event of v2 writes both markers; the row asks for v1 of another key
    const store = new RestoreStore();
    const report = givenRestoreReport(store, [
      { key: 'a', versionId: 'v2' },
      { key: 'b' },
      { key: 'c', versionId: 'v1' },
    ]);
    archived(store, 'data', ['a', 'b', 'c']);
    store.now = hours(1);
    for (const object of [
      { bucket: 'data', key: 'a', versionId: 'v2' },
      { bucket: 'data', key: 'b', versionId: 'v9' },
      { bucket: 'data', key: 'b' },
      { bucket: 'data', key: 'c', versionId: 'v2' },
    ]) {
      await store.putObject(stateBucket, restoreMarkerKey(object), '{}');
    }

    // Act
    const waiting = await poll(store, stateAfterRestore(report), hours(2));

    // Assess
    expect(waiting).toMatchObject({ restored: 2, pending: 1 });
    expect(store.heads).toEqual(['data/c?versionId=v1']);
  });
});
