/**
 * A restore-then run's wait, kept as one small JSON object in the stage's state bucket
 * (`restore-runs/<execution name>.json`) rather than in the state document, which stays the same size
 * whatever the number of objects. Counts and the HeadObject cursor only: which objects are restored is in
 * the markers (restore-markers.ts).
 */
import { TaskInputError } from '../errors.js';
import type { ObjectStorePort } from '../ports.js';

export const progressFolder = 'restore-runs';

export const progressKey = (executionName: string): string => `${progressFolder}/${executionName}.json`;

export interface RestoreProgress {
  version: 1;
  /** The run's start: markers written since then count. */
  runStartedAt: string;
  /** The first poll, right after the restore job ended: the deadline counts from here. */
  waitStartedAt: string;
  deadline: string;
  /** The buckets of the objects waited for (absent before the first poll's report pass). */
  buckets?: string[];
  polls: number;
  lastPollAt: string;
  /** The Wait before the next poll. */
  waitSeconds: number;
  /** Where the next HeadObject sample starts (an ordinal among the objects waited for). */
  cursor: number;
  total: number;
  restored: number;
  pending: number;
  /** HeadObject calls so far, the objects they found restored, and the storage classes they saw. */
  headObjectChecks: number;
  restoredByHeadObject: number;
  storageClassesSeen: Record<string, number>;
}

export async function readProgress(
  store: ObjectStorePort,
  bucket: string,
  key: string,
): Promise<RestoreProgress> {
  const chunks: Buffer[] = [];
  for await (const chunk of await store.getObjectStream(bucket, key)) chunks.push(Buffer.from(chunk));
  const progress = JSON.parse(Buffer.concat(chunks).toString('utf8')) as Partial<RestoreProgress>;
  if (
    progress.version !== 1 ||
    typeof progress.cursor !== 'number' ||
    typeof progress.deadline !== 'string'
  ) {
    throw new TaskInputError('check-restores', `s3://${bucket}/${key}`, 'is not a restore progress document');
  }
  return progress as RestoreProgress;
}

export async function writeProgress(
  store: ObjectStorePort,
  bucket: string,
  key: string,
  progress: RestoreProgress,
): Promise<void> {
  await store.putObject(bucket, key, JSON.stringify(progress), 'application/json');
}
