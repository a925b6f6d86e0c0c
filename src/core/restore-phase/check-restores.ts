/**
 * One poll of restore-then's wait (the CheckRestores task): how many of the restore job's succeeded tasks
 * have a readable restored copy now.
 *
 * 1. The objects: the succeeded rows of the restore job's report (restore-job-report.ts), read again each
 *    poll, never held.
 * 2. Known restored: a marker written during this run (restore-markers.ts), from S3's event through
 *    record-restore or from an earlier HeadObject.
 * 3. The rest: HeadObject asks about a bounded sample (head-object-sample.ts) and marks what it finds
 *    restored, so a lost event is caught within a few polls.
 * 4. Done when nothing is pending or the deadline passed (what is pending then is notRestored); otherwise
 *    the next Wait grows (poll-interval.ts).
 *
 * Counts and the cursor go to the progress object (restore-progress.ts); the state gets a summary.
 */
import type { RestoreThenState, RestoreWaitSummary } from '../../generated/types.js';
import { ConfigurationError, ReportIntegrityError, TaskInputError } from '../errors.js';
import type { Clock, ObjectStorePort } from '../ports.js';
import { type Candidate, headObjectSample, nextCursor, SampleCollector } from './head-object-sample.js';
import { nextWaitSeconds } from './poll-interval.js';
import { forEachSucceededTask, restoreJobReportsOf, restoreTaskCounts } from './restore-job-report.js';
import { freshMarkerHashes, markerHash, versionOf, writeRestoreMarker } from './restore-markers.js';
import { progressKey, type RestoreProgress, readProgress, writeProgress } from './restore-progress.js';

export interface CheckRestoresDeps {
  objects: ObjectStorePort;
  stateBucket: string | undefined;
  clock: Clock;
  /** HeadObject calls per poll (head-object-sample.ts defaultSampleSize). */
  sampleSize?: number;
}

/** Distinct buckets a restore job may span; more is a manifest this wait was not built for. */
export const maxBuckets = 100;

export async function checkRestores(
  deps: CheckRestoresDeps,
  state: RestoreThenState,
): Promise<RestoreWaitSummary> {
  const { stateBucket } = deps;
  if (!stateBucket) throw new ConfigurationError('S3BO_STATE_BUCKET', 'is required to wait for restores');
  if (!state.restoreRun) throw new TaskInputError('check-restores', 'state.restoreRun', 'is required');
  if (!state.plan) throw new TaskInputError('check-restores', 'state.plan', 'is required');
  const store = deps.objects;
  const reports = restoreJobReportsOf(state.restoreRun.Output);
  const now = deps.clock.now();
  const key = progressKey(state.execution.name);
  // The first poll (no summary yet) starts the progress; a later one continues it.
  const progress = state.waiting
    ? await readProgress(store, stateBucket, key)
    : startProgress(state.execution.startTime, now, state.plan.deadlineHours);

  const buckets = progress.buckets ?? (await bucketsOf(store, reports));
  const markers = new Map<string, Set<string>>();
  for (const bucket of buckets) {
    markers.set(bucket, await freshMarkerHashes(store, stateBucket, bucket, new Date(progress.runStartedAt)));
  }

  let restored = 0;
  let pending = 0;
  const collector = new SampleCollector(progress.cursor, deps.sampleSize);
  const total = await forEachSucceededTask(store, reports, (row, ordinal) => {
    if (markers.get(row.bucket)?.has(markerHash(row.key, row.versionId))) {
      restored++;
      return;
    }
    pending++;
    collector.offer(ordinal, () => ({
      bucket: row.bucket,
      key: row.key,
      versionId: versionOf(row.versionId),
    }));
  });

  const sample: Candidate[] = pending > 0 ? collector.sample() : [];
  const checked = await headObjectSample(store, sample);
  for (const object of checked.restored) {
    await writeRestoreMarker(store, stateBucket, {
      bucket: object.bucket,
      key: object.key,
      versionId: object.versionId,
      restoredAt: now.toISOString(),
      ...(object.restoreExpiryTime === undefined ? {} : { restoreExpiryTime: object.restoreExpiryTime }),
      source: 'head-object',
    });
  }
  restored += checked.restored.length;
  pending -= checked.restored.length;

  const deadline = new Date(progress.deadline);
  const done = pending === 0 || now.getTime() >= deadline.getTime();
  const waitSeconds = done
    ? 1
    : nextWaitSeconds(
        progress.polls === 0 ? undefined : progress.waitSeconds,
        (deadline.getTime() - now.getTime()) / 1000,
      );
  const storageClassesSeen = { ...progress.storageClassesSeen };
  for (const [storageClass, count] of Object.entries(checked.storageClasses)) {
    storageClassesSeen[storageClass] = (storageClassesSeen[storageClass] ?? 0) + count;
  }
  const next: RestoreProgress = {
    ...progress,
    buckets,
    polls: progress.polls + 1,
    lastPollAt: now.toISOString(),
    waitSeconds,
    cursor: sample.length > 0 ? nextCursor(sample) % Math.max(total, 1) : 0,
    total,
    restored,
    pending,
    headObjectChecks: progress.headObjectChecks + sample.length,
    restoredByHeadObject: progress.restoredByHeadObject + checked.restored.length,
    storageClassesSeen,
  };
  await writeProgress(store, stateBucket, key, next);

  return {
    done,
    total,
    restored,
    pending,
    restoreFailed: restoreTaskCounts(reports).failed,
    polls: next.polls,
    deadline: deadline.toISOString(),
    deadlineReached: done && pending > 0,
    nextWaitSeconds: waitSeconds,
    progressKey: key,
  };
}

function startProgress(runStartedAt: string, now: Date, deadlineHours: number): RestoreProgress {
  return {
    version: 1,
    runStartedAt,
    waitStartedAt: now.toISOString(),
    deadline: new Date(now.getTime() + Math.round(deadlineHours * 3_600_000)).toISOString(),
    polls: 0,
    lastPollAt: now.toISOString(),
    waitSeconds: 0,
    cursor: 0,
    total: 0,
    restored: 0,
    pending: 0,
    headObjectChecks: 0,
    restoredByHeadObject: 0,
    storageClassesSeen: {},
  };
}

/** The buckets of the objects waited for (read once, on the first poll, and kept in the progress). */
async function bucketsOf(
  store: ObjectStorePort,
  reports: ReturnType<typeof restoreJobReportsOf>,
): Promise<string[]> {
  const buckets = new Set<string>();
  await forEachSucceededTask(store, reports, (row) => {
    if (buckets.has(row.bucket)) return;
    buckets.add(row.bucket);
    if (buckets.size > maxBuckets) {
      throw new ReportIntegrityError(`the restore job's objects span more than ${maxBuckets} buckets`);
    }
  });
  return [...buckets].sort();
}
