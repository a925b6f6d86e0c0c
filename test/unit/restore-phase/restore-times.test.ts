import { describe, expect, it } from 'vitest';
import {
  archiveClassesOf,
  archiveStorageClasses,
  deadlineMargin,
  restoreDeadline,
  restoreHours,
} from '../../../src/core/restore-phase/restore-times.js';

describe('restoreHours', () => {
  it('holds the upper end of each range of "Archive retrieval options"', () => {
    expect(restoreHours).toEqual({
      GLACIER: { EXPEDITED: 5 / 60, STANDARD: 5, BULK: 12 },
      DEEP_ARCHIVE: { STANDARD: 12, BULK: 48 },
      INTELLIGENT_TIERING: { STANDARD: 12, BULK: 48 },
    });
  });
});

describe('restoreDeadline', () => {
  it.each([
    ['BULK', ['GLACIER'], 15],
    ['STANDARD', ['GLACIER'], 6.25],
    ['STANDARD', ['DEEP_ARCHIVE'], 15],
    ['BULK', ['DEEP_ARCHIVE'], 60],
    ['BULK', ['GLACIER', 'DEEP_ARCHIVE'], 60],
    ['EXPEDITED', ['GLACIER'], 0.104],
  ] as const)('waits for %s from %j the slowest restore plus the margin: %d h', (tier, classes, hours) => {
    // Act
    const deadline = restoreDeadline({ tier, storageClasses: classes });

    // Assess
    expect(deadline).toEqual({ hours, source: 'restoreTimes', storageClasses: classes });
    expect(deadlineMargin).toBe(0.25);
  });

  it('leaves out a class that does not offer the tier (Deep Archive has no Expedited)', () => {
    expect(restoreDeadline({ tier: 'EXPEDITED', storageClasses: ['GLACIER', 'DEEP_ARCHIVE'] }).hours).toBe(
      0.104,
    );
    expect(() => restoreDeadline({ tier: 'EXPEDITED', storageClasses: ['DEEP_ARCHIVE'] })).toThrow(
      'no storage class of DEEP_ARCHIVE offers the EXPEDITED tier',
    );
  });

  it('takes restore.deadlineHours as given', () => {
    expect(restoreDeadline({ tier: 'BULK', storageClasses: ['GLACIER'], deadlineHours: 3 })).toEqual({
      hours: 3,
      source: 'deadlineHours',
      storageClasses: ['GLACIER'],
    });
  });
});

describe('archiveClassesOf', () => {
  it("reads the archive classes of a generator's storage class filter", () => {
    const request = { manifestGenerator: { filter: { matchAnyStorageClass: ['GLACIER', 'STANDARD'] } } };
    expect(archiveClassesOf(request)).toEqual(['GLACIER']);
  });

  it('assumes every archive class for a manifest, or a filter naming none', () => {
    expect(archiveClassesOf({ manifest: { bucket: 'm', key: 'k.csv' } })).toEqual([...archiveStorageClasses]);
    expect(
      archiveClassesOf({ manifestGenerator: { filter: { matchAnyStorageClass: ['STANDARD'] } } }),
    ).toEqual([...archiveStorageClasses]);
    expect(archiveClassesOf(null)).toEqual([...archiveStorageClasses]);
  });
});
