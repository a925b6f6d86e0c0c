import { describe, expect, it } from 'vitest';
import { checkRestores } from '../../../src/core/restore-phase/check-restores.js';
import { restoreMarkerKey } from '../../../src/core/restore-phase/restore-markers.js';
import {
  buildThenManifest,
  restoredObjectsManifestKey,
} from '../../../src/core/restore-phase/then-manifest.js';
import type { RestoreThenState } from '../../../src/generated/types.js';
import {
  archived,
  givenRestoreReport,
  input,
  jobId,
  RestoreStore,
  reportBucket,
  reportPrefix,
  runStart,
  stateAfterRestore,
  stateBucket,
  summary,
} from './builders.js';

const at = (hours: number) => new Date(Date.parse(runStart) + hours * 3_600_000);

async function mark(
  store: RestoreStore,
  object: { key: string; versionId?: string; bucket?: string },
  hours = 1,
) {
  store.now = at(hours);
  await store.putObject(stateBucket, restoreMarkerKey({ bucket: 'data', ...object }), '{}');
}

/** The state after the last poll (which saves the progress the builder reads). */
async function afterWait(store: RestoreStore, state: RestoreThenState): Promise<RestoreThenState> {
  store.now = at(2);
  const waiting = await checkRestores(
    { objects: store, stateBucket, clock: { now: () => at(2) }, sampleSize: 0 },
    state,
  );
  return { ...state, waiting };
}

const manifestKey = `${reportPrefix}/s3bo-redrive/job-${jobId}/restored-objects.csv`;

describe('buildThenManifest', () => {
  it('lists exactly the restored objects, keys URL-encoded as the report has them, beside the report', async () => {
    // Prepare
    const store = new RestoreStore();
    const report = givenRestoreReport(
      store,
      [{ key: 'photos/my%20cat.jpg' }, { key: 'photos/dog.jpg' }, { key: 'docs/r%C3%A9sum%C3%A9.pdf' }],
      ['photos/gone.jpg'],
    );
    archived(store, 'data', ['photos/dog.jpg']);
    await mark(store, { key: 'photos/my cat.jpg' });
    await mark(store, { key: 'docs/résumé.pdf' });
    const state = await afterWait(store, stateAfterRestore(report));

    // Act
    const thenJob = await buildThenManifest({ objects: store, stateBucket }, state);

    // Assess
    expect(store.text(reportBucket, manifestKey)).toBe(
      'data,photos/my%20cat.jpg\ndata,docs/r%C3%A9sum%C3%A9.pdf\n',
    );
    expect(thenJob).toEqual({
      objects: 2,
      notRestored: 1,
      manifest: {
        bucket: reportBucket,
        key: manifestKey,
        etag: expect.any(String),
        fields: ['Bucket', 'Key'],
      },
      request: {
        ...input.then,
        manifest: {
          bucket: reportBucket,
          key: manifestKey,
          etag: thenJob.manifest!.etag,
          fields: ['Bucket', 'Key'],
          format: 'S3BatchOperations_CSV_20180820',
        },
      },
    });
  });

  it('adds a VersionId column when a row names a version, `null` for the versionless rows', async () => {
    const store = new RestoreStore();
    const report = givenRestoreReport(store, [{ key: 'a' }, { key: 'b', versionId: 'v3' }]);
    await mark(store, { key: 'a' });
    await mark(store, { key: 'b', versionId: 'v3' });
    const thenJob = await buildThenManifest(
      { objects: store, stateBucket },
      await afterWait(store, stateAfterRestore(report)),
    );
    expect(store.text(reportBucket, manifestKey)).toBe('data,a,null\ndata,b,v3\n');
    expect(thenJob.manifest?.fields).toEqual(['Bucket', 'Key', 'VersionId']);
  });

  it('reads every attempt of a redriven restore job, and ignores markers from before the run', async () => {
    // Prepare: attempt 1 restored a; its redrive restored b; c's marker is older than the run
    const store = new RestoreStore();
    const first = givenRestoreReport(store, [{ key: 'a' }, { key: 'c' }], ['b'], jobId);
    const redriveId = 'b1f4e1a7-0000-4000-8000-000000000001';
    const second = givenRestoreReport(store, [{ key: 'b' }], [], redriveId);
    await mark(store, { key: 'a' });
    await mark(store, { key: 'b' });
    await mark(store, { key: 'c' }, -48);
    const state = stateAfterRestore(second);
    state.restoreRun!.Output.attempts = [first];

    // Act
    const thenJob = await buildThenManifest({ objects: store, stateBucket }, await afterWait(store, state));

    // Assess: named after the first job, listing both attempts' restored objects
    expect(store.text(reportBucket, manifestKey)).toBe('data,a\ndata,b\n');
    expect(thenJob).toMatchObject({ objects: 2, notRestored: 1 });
  });

  it('writes nothing when no object was restored', async () => {
    const store = new RestoreStore();
    const report = givenRestoreReport(store, [{ key: 'a' }]);
    const thenJob = await buildThenManifest(
      { objects: store, stateBucket },
      await afterWait(store, stateAfterRestore(report)),
    );
    expect(thenJob).toEqual({ objects: 0, notRestored: 1 });
    expect(store.text(reportBucket, manifestKey)).toBeUndefined();
  });

  it('puts the manifest under the report prefix, or at the top without one', () => {
    expect(restoredObjectsManifestKey('batch/', 'j1')).toBe('batch/s3bo-redrive/job-j1/restored-objects.csv');
    expect(restoredObjectsManifestKey(undefined, 'j1')).toBe('s3bo-redrive/job-j1/restored-objects.csv');
  });

  it('refuses a restore job whose report lists failed tasks only: its restored objects are unknown', async () => {
    const store = new RestoreStore();
    const state = stateAfterRestore(summary());
    state.restoreRun!.Output.job!.report.scope = 'FailedTasksOnly';
    await expect(
      checkRestores({ objects: store, stateBucket, clock: { now: () => at(1) } }, state),
    ).rejects.toThrow('reported failed tasks only');
  });
});

describe('restoreJobReportsOf', () => {
  it('refuses a restore job whose workflow continued in a fresh execution: its report does not exist yet', async () => {
    const store = new RestoreStore();
    const state = stateAfterRestore(summary());
    (state.restoreRun!.Output as Record<string, unknown>).continuedAs = { executionArn: 'arn:next' };
    await expect(
      checkRestores({ objects: store, stateBucket, clock: { now: () => at(1) } }, state),
    ).rejects.toThrow('continued in a fresh execution');
  });
});
