import { describe, expect, it } from 'vitest';
import { objectIdentity, readObjectCreated } from '../../../../src/core/triggers/collected-object.js';
import {
  appendObjects,
  beginFlush,
  emptyPendingState,
  finishFlush,
  flushDecision,
  type PendingState,
  rememberedFlushes,
} from '../../../../src/core/triggers/pending-state.js';
import { buildTrigger, objectCreatedBody } from './trigger-builders.js';

const now = new Date('2026-12-01T10:00:00.000Z');
const later = (seconds: number) => new Date(now.getTime() + seconds * 1000);
const window = { maxObjects: 3, maxWaitSeconds: 300, minObjects: 2 };
const objects = (count: number, from = 0) =>
  Array.from({ length: count }, (_, i) => ({ b: 'photos', k: `uploads/${from + i}.jpg` }));

describe('appendObjects', () => {
  it('adds each object version once: duplicates within the batch and of earlier batches are dropped', () => {
    const first = appendObjects(emptyPendingState(), [...objects(2), ...objects(1)], now);
    const second = appendObjects(
      first.state,
      [...objects(3), { b: 'photos', k: 'uploads/0.jpg', v: 'v2' }],
      later(5),
    );

    expect(first.added).toBe(2);
    expect(second.added).toBe(2);
    expect(second.state.objects.map((o) => `${o.k}@${o.v ?? ''}@${o.t}`)).toEqual([
      `uploads/0.jpg@@${now.toISOString()}`,
      `uploads/1.jpg@@${now.toISOString()}`,
      `uploads/2.jpg@@${later(5).toISOString()}`,
      `uploads/0.jpg@v2@${later(5).toISOString()}`,
    ]);
  });

  it('drops objects being flushed or flushed recently', () => {
    const full = appendObjects(emptyPendingState(), objects(3), now).state;
    const flushing = beginFlush(full, window, 'maxObjects');
    const done = finishFlush(flushing);

    expect(appendObjects(flushing, objects(3), now).added).toBe(0);
    expect(appendObjects(done, objects(4), now).added).toBe(1);
  });
});

describe('flushDecision', () => {
  const stateWith = (count: number): PendingState =>
    appendObjects(emptyPendingState(), objects(count), now).state;

  it('flushes a full window at once', () => {
    expect(flushDecision(stateWith(3), window, now)).toBe('maxObjects');
  });

  it('holds a window below minObjects, and also one above it, until maxWaitSeconds', () => {
    expect(flushDecision(stateWith(1), window, later(299))).toBeUndefined();
    expect(flushDecision(stateWith(2), window, later(299))).toBeUndefined();
  });

  it('flushes even one object once the oldest waited maxWaitSeconds', () => {
    expect(flushDecision(stateWith(1), window, later(300))).toBe('maxWait');
  });

  it('with maxWaitSeconds over the 300 s batching window, flushes minObjects after one window, fewer at maxWait', () => {
    const long = { ...window, maxWaitSeconds: 3600 };
    expect(flushDecision(stateWith(2), long, later(299))).toBeUndefined();
    expect(flushDecision(stateWith(2), long, later(300))).toBe('minObjects');
    expect(flushDecision(stateWith(1), long, later(300))).toBeUndefined();
    expect(flushDecision(stateWith(1), long, later(3600))).toBe('maxWait');
  });

  it('has nothing to flush when nothing is pending', () => {
    expect(flushDecision(emptyPendingState(), window, later(10_000))).toBeUndefined();
  });
});

describe('beginFlush and finishFlush', () => {
  it('takes the oldest maxObjects objects and leaves the rest pending', () => {
    const state = appendObjects(emptyPendingState(), objects(5), now).state;

    const flushing = beginFlush(state, window, 'maxObjects');

    expect(flushing.flushing?.objects.map((o) => o.k)).toEqual([
      'uploads/0.jpg',
      'uploads/1.jpg',
      'uploads/2.jpg',
    ]);
    expect(flushing.objects.map((o) => o.k)).toEqual(['uploads/3.jpg', 'uploads/4.jpg']);
    expect(() => beginFlush(flushing, window, 'maxWait')).toThrow(/already in progress/);
  });

  it(`remembers at most ${rememberedFlushes} flushed identities, the newest`, () => {
    const state: PendingState = {
      objects: [],
      flushed: Array.from({ length: rememberedFlushes }, (_, i) => `old-${i}`),
      flushing: {
        objects: appendObjects(emptyPendingState(), objects(2), now).state.objects,
        reason: 'maxWait',
      },
    };

    const done = finishFlush(state);

    expect(done.flushed).toHaveLength(rememberedFlushes);
    expect(done.flushed.slice(-2)).toEqual(objects(2).map(objectIdentity));
    expect(done.flushing).toBeUndefined();
  });
});

describe('readObjectCreated', () => {
  const trigger = buildTrigger({
    source: { buckets: ['photos'], prefix: 'uploads/', suffix: '.jpg', minSizeBytes: 1 },
  });

  it('reads bucket, raw key and version id', () => {
    expect(readObjectCreated(objectCreatedBody('uploads/a b.jpg', { 'version-id': 'v1' }), trigger)).toEqual({
      object: { b: 'photos', k: 'uploads/a b.jpg', v: 'v1' },
    });
  });

  it.each([
    ['another bucket', objectCreatedBody('uploads/a.jpg', {}, 'elsewhere')],
    ['another prefix', objectCreatedBody('other/a.jpg')],
    ['another suffix', objectCreatedBody('uploads/a.png')],
    ['an empty object', objectCreatedBody('uploads/a.jpg', { size: 0 })],
  ])('filters out %s', (_case, body) => {
    expect(readObjectCreated(body, trigger)).toMatchObject({ skipped: 'filtered' });
  });

  it.each([
    ['not JSON', '{'],
    ['another event', JSON.stringify({ source: 'aws.s3', 'detail-type': 'Object Deleted', detail: {} })],
    [
      'an event without a key',
      JSON.stringify({
        source: 'aws.s3',
        'detail-type': 'Object Created',
        detail: { bucket: { name: 'photos' } },
      }),
    ],
  ])('calls %s malformed', (_case, body) => {
    expect(readObjectCreated(body, trigger)).toMatchObject({ skipped: 'malformed' });
  });
});
