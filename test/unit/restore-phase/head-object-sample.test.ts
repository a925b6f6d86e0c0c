import { describe, expect, it } from 'vitest';
import {
  defaultSampleSize,
  headObjectSample,
  nextCursor,
  SampleCollector,
  sampleConcurrency,
} from '../../../src/core/restore-phase/head-object-sample.js';
import { nextWaitSeconds } from '../../../src/core/restore-phase/poll-interval.js';
import { restoreExpiryOf, restoreStateOf } from '../../../src/core/restore-phase/restore-header.js';
import { archived, RestoreStore } from './builders.js';

const object = (ordinal: number) => () => ({ bucket: 'data', key: `k${ordinal}` });

describe('SampleCollector', () => {
  it('keeps at most `size` objects however many are offered, those at or after the cursor first', () => {
    // Prepare
    const collector = new SampleCollector(995, 10);

    // Act
    for (let ordinal = 0; ordinal < 100_000; ordinal++) collector.offer(ordinal, object(ordinal));

    // Assess: 995..99_999 come first (10 of them), the wrap-around part is not needed
    expect(collector.sample().map((c) => c.ordinal)).toEqual([
      995, 996, 997, 998, 999, 1000, 1001, 1002, 1003, 1004,
    ]);
  });

  it('wraps around to the start when fewer than `size` come after the cursor', () => {
    const collector = new SampleCollector(8, 5);
    for (const ordinal of [1, 3, 5, 8, 9]) collector.offer(ordinal, object(ordinal));
    expect(collector.sample().map((c) => c.ordinal)).toEqual([8, 9, 1, 3, 5]);
    expect(nextCursor(collector.sample())).toBe(6);
  });

  it('builds an object only when it is kept', () => {
    const collector = new SampleCollector(0, 2);
    let built = 0;
    for (let ordinal = 0; ordinal < 50; ordinal++) {
      collector.offer(ordinal, () => {
        built++;
        return { bucket: 'data', key: `k${ordinal}` };
      });
    }
    expect(built).toBe(2);
  });

  it('asks about 200 objects per poll by default', () => {
    expect(defaultSampleSize).toBe(200);
    expect(nextCursor([])).toBe(0);
  });
});

describe('headObjectSample', () => {
  it('sorts the sample into restored, still restoring and gone, a few HeadObject calls at a time', async () => {
    // Prepare
    const store = new RestoreStore();
    archived(store, 'data', ['a', 'b', 'c']);
    store.restored('data', 'a').ongoing('data', 'b');
    const candidates = ['a', 'b', 'c', 'gone', ...Array.from({ length: 30 }, (_, i) => `more${i}`)].map(
      (key, ordinal) => ({ bucket: 'data', key, ordinal }),
    );
    archived(
      store,
      'data',
      candidates.slice(4).map((c) => c.key),
    );

    // Act
    const result = await headObjectSample(store, candidates);

    // Assess
    expect(result.restored.map((c) => c.key)).toEqual(['a']);
    expect(result.missing).toBe(1);
    expect(result.storageClasses).toEqual({ GLACIER: 33 });
    expect(store.heads).toHaveLength(34);
    expect(store.maxInFlight).toBe(sampleConcurrency);
  });

  it('asks for the version a report row names', async () => {
    const store = new RestoreStore();
    archived(store, 'data', ['v']);
    await headObjectSample(store, [{ bucket: 'data', key: 'v', versionId: 'v7', ordinal: 0 }]);
    expect(store.heads).toEqual(['data/v?versionId=v7']);
  });
});

describe('x-amz-restore', () => {
  it.each([
    [undefined, 'none'],
    ['', 'none'],
    ['ongoing-request="true"', 'ongoing'],
    ['ongoing-request="false", expiry-date="Fri, 21 Dec 2012 00:00:00 GMT"', 'restored'],
  ] as const)('%j means %s', (header, state) => {
    expect(restoreStateOf(header)).toBe(state);
  });

  it('reads the expiry date of a completed restore', () => {
    expect(restoreExpiryOf('ongoing-request="false", expiry-date="Fri, 21 Dec 2012 00:00:00 GMT"')).toBe(
      '2012-12-21T00:00:00.000Z',
    );
    expect(restoreExpiryOf('ongoing-request="true"')).toBeUndefined();
  });
});

describe('nextWaitSeconds', () => {
  it('starts at 5 minutes and doubles up to an hour', () => {
    const waits: number[] = [];
    let previous: number | undefined;
    for (let poll = 0; poll < 7; poll++) {
      previous = nextWaitSeconds(previous, 1e9);
      waits.push(previous);
    }
    expect(waits).toEqual([300, 600, 1200, 2400, 3600, 3600, 3600]);
  });

  it('never sleeps past the deadline, and at least a second', () => {
    expect(nextWaitSeconds(3600, 100.2)).toBe(101);
    expect(nextWaitSeconds(300, 0)).toBe(1);
  });
});
