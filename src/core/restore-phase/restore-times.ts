/**
 * How long restore-then waits for a restore job's objects: the time S3 takes to restore an archived object,
 * by retrieval tier and storage class, plus a margin. The hours are the upper ends of the ranges in the S3
 * User Guide, "Archive retrieval options":
 *
 * | storage class (or Intelligent-Tiering tier)            | Expedited | Standard | Bulk   |
 * |--------------------------------------------------------|-----------|----------|--------|
 * | GLACIER (Flexible Retrieval), INTELLIGENT_TIERING Archive Access | 1–5 min | 3–5 h | 5–12 h |
 * | DEEP_ARCHIVE, INTELLIGENT_TIERING Deep Archive Access  | —         | ≤ 12 h   | ≤ 48 h |
 *
 * S3 Batch Operations restores only with BULK or STANDARD (S3InitiateRestoreObjectOperation GlacierJobTier);
 * Expedited is in the table for completeness. An Intelligent-Tiering object's storage class does not say
 * which archive tier it sits in, so it counts as the slower one.
 *
 * The ranges are what AWS says retrievals "typically" take, not a guarantee, hence the margin (25 %, so
 * Bulk from Deep Archive waits 60 h). `restore.deadlineHours` replaces all of it.
 */

/** The archive storage classes a restore applies to (S3 User Guide, "Working with archived objects"). */
export const archiveStorageClasses = ['GLACIER', 'DEEP_ARCHIVE', 'INTELLIGENT_TIERING'] as const;
export type ArchiveStorageClass = (typeof archiveStorageClasses)[number];

export type RetrievalTier = 'EXPEDITED' | 'STANDARD' | 'BULK';

/** Hours until a restore completes at the latest, by storage class and tier; absent: not offered. */
export const restoreHours: Readonly<
  Record<ArchiveStorageClass, Readonly<Partial<Record<RetrievalTier, number>>>>
> = {
  GLACIER: { EXPEDITED: 5 / 60, STANDARD: 5, BULK: 12 },
  DEEP_ARCHIVE: { STANDARD: 12, BULK: 48 },
  INTELLIGENT_TIERING: { STANDARD: 12, BULK: 48 },
};

/** The share added to the table's hours. */
export const deadlineMargin = 0.25;

export interface RestoreDeadline {
  hours: number;
  source: 'deadlineHours' | 'restoreTimes';
  /** The archive classes the table was read for. */
  storageClasses: ArchiveStorageClass[];
}

/**
 * The archive classes a restore job may meet: those of a manifest generator's storage class filter, when it
 * has one that names any; every archive class otherwise (a CSV or inventory manifest can list anything).
 */
export function archiveClassesOf(request: unknown): ArchiveStorageClass[] {
  const filter = (request as { manifestGenerator?: { filter?: { matchAnyStorageClass?: unknown } } } | null)
    ?.manifestGenerator?.filter?.matchAnyStorageClass;
  if (!Array.isArray(filter)) return [...archiveStorageClasses];
  const named = archiveStorageClasses.filter((storageClass) => filter.includes(storageClass));
  return named.length > 0 ? named : [...archiveStorageClasses];
}

/**
 * The wait's length in hours: `deadlineHours` when given; otherwise the slowest restore among the classes
 * for the tier, plus the margin. A class that does not offer the tier (Deep Archive has no Expedited) fails
 * the restore task itself, so it is not waited for.
 */
export function restoreDeadline(options: {
  tier: RetrievalTier;
  storageClasses: readonly ArchiveStorageClass[];
  deadlineHours?: number | undefined;
}): RestoreDeadline {
  const storageClasses = [...options.storageClasses];
  if (options.deadlineHours !== undefined) {
    return { hours: options.deadlineHours, source: 'deadlineHours', storageClasses };
  }
  const offered = storageClasses
    .map((storageClass) => restoreHours[storageClass][options.tier])
    .filter((hours): hours is number => hours !== undefined);
  if (offered.length === 0) {
    throw new RangeError(`no storage class of ${storageClasses.join(', ')} offers the ${options.tier} tier`);
  }
  const hours = Math.max(...offered) * (1 + deadlineMargin);
  return { hours: Math.round(hours * 1000) / 1000, source: 'restoreTimes', storageClasses };
}
