// biome-ignore-all lint/suspicious/noThenProperty: `then` is restore-then's phase 2 (campaign design); never a function, so never thenable.
/**
 * The restore-then machine end to end on the embedded local AWS: a restore job over archived objects as a
 * child batch-job execution, the wait for S3's restores in emulated time (Object Restore Completed events
 * recorded by record-restore, HeadObject as the fallback), and phase 2 — S3PutObjectCopy to STANDARD in
 * place — over exactly the objects whose restore completed, checked object by object.
 */
import { EventBridgeClient, PutRuleCommand } from '@aws-sdk/client-eventbridge';
import { ListExecutionsCommand, SFNClient } from '@aws-sdk/client-sfn';
import { describe, expect, it } from 'vitest';
import { restoreMarkerKey } from '../../src/core/restore-phase/restore-markers.js';
import { type EventDetail, type Harness, harnessPerTest, reportBucket, type WorkflowRun } from './harness.js';

const harnesses = harnessPerTest();

/** One of the stage's allowedBuckets (serverless.yml params, stage local): the record-restore rule's buckets. */
const dataBucket = 's3-batch-orchestrator-local-data';

const clientOptions = (h: Harness) => ({
  region: h.aws.region,
  endpoint: h.aws.url,
  credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
});

/** Archived objects in the data bucket, by storage class. */
function seedArchive(h: Harness, byClass: Record<string, string[]>): void {
  const backend = h.aws.s3.backend;
  backend.ensureBucket(dataBucket);
  for (const [storageClass, keys] of Object.entries(byClass)) {
    for (const key of keys)
      backend.putObject(dataBucket, key, Buffer.from(`body of ${key}`), { storageClass });
  }
}

/**
 * The input the campaign machine would give one target: a STANDARD restore of `keys` (CSV manifest,
 * AllTasks report) and `then` = S3PutObjectCopy to STANDARD in place.
 */
function restoreThenInput(h: Harness, keys: string[], options: { name: string; deadlineHours?: number }) {
  const manifestKey = `manifests/${options.name}.csv`;
  h.writeManifest(
    'manifests',
    manifestKey,
    keys.map((key) => [dataBucket, key]),
  );
  const wait = { minSeconds: 5, maxSeconds: 60, timeoutSeconds: 86_400 };
  return {
    request: {
      operation: { S3InitiateRestoreObject: { ExpirationInDays: 3, GlacierJobTier: 'STANDARD' } },
      manifest: { bucket: 'manifests', key: manifestKey },
      report: { bucket: reportBucket, prefix: `${options.name}/restore`, scope: 'AllTasks' },
      wait,
    } as Record<string, unknown>,
    restore: {
      tier: 'STANDARD',
      expirationDays: 3,
      ...(options.deadlineHours === undefined ? {} : { deadlineHours: options.deadlineHours }),
    },
    then: {
      operation: {
        S3PutObjectCopy: { TargetResource: `arn:aws:s3:::${dataBucket}`, StorageClass: 'STANDARD' },
      },
      report: { bucket: reportBucket, prefix: `${options.name}/then`, scope: 'AllTasks' },
      wait,
    } as Record<string, unknown>,
    campaign: 'archive',
    target: options.name,
    runId: 'archive-20260101T0300Z',
  };
}

async function runRestoreThen(h: Harness, input: unknown, name: string): Promise<WorkflowRun> {
  const { executionArn } = h.aws.sfn.startExecution(h.project.stateMachineArns.restoreThen!, input, name);
  return h.await(executionArn, 90_000);
}

const storageClassOf = (h: Harness, key: string): string | undefined =>
  h.aws.s3.backend.resolve({ bucket: dataBucket, key }).version.storageClass;

/** The restore marker of a data object, parsed (undefined when none was written). */
function markerOf(h: Harness, key: string): { source: string } | undefined {
  const markerKey = restoreMarkerKey({ bucket: dataBucket, key });
  if (!h.aws.s3.backend.store.keys(h.project.stateBucket).includes(markerKey)) return undefined;
  return JSON.parse(
    h.aws.s3.backend.getObjectBody({ bucket: h.project.stateBucket, key: markerKey }).toString('utf8'),
  );
}

/** The phase events on the stage bus, in order. */
function phaseEvents(h: Harness): { type: string; detail: EventDetail }[] {
  return h
    .events()
    .filter((event) => event['detail-type'].startsWith('Campaign Phase'))
    .map((event) => ({ type: event['detail-type'], detail: event.detail }));
}

/**
 * Emulated time runs 20,000 times faster: a 5-hour Glacier restore takes about a second, the 15-hour wait
 * for Deep Archive a few.
 */
const timeScale = 20_000;

/** The states of a run whose both phases ran, the wait loop turning any number of times. */
function followsRestoreThenPath(path: string[], tail: string[]): boolean {
  const head = ['Initialize', 'PrepareRestoreThen', 'EmitRestoreStarted', 'RunRestore'];
  if (head.some((state, i) => path[i] !== state)) return false;
  let at = head.length;
  const loop = ['CheckRestores', 'RouteRestores', 'WaitForRestores'];
  while (path[at] === loop[0] && path[at + 1] === loop[1] && path[at + 2] === loop[2]) at += 3;
  if (path[at] !== 'CheckRestores' || path[at + 1] !== 'RouteRestores') return false;
  at += 2;
  return JSON.stringify(path.slice(at)) === JSON.stringify(tail);
}

const bothPhases = [
  'CheckThen',
  'BuildThenManifest',
  'EmitRestoreCompleted',
  'RouteToThen',
  'EmitThenStarted',
  'RunThen',
  'EmitThenCompleted',
  'Conclude',
  'Done',
];

/** Drops the Object Restore Completed event of `key` before record-restore sees it: a lost event. */
async function loseRestoreEventOf(h: Harness, key: string): Promise<void> {
  const rule = `${h.project.functionNames['record-restore']}-rule-1`;
  const client = new EventBridgeClient(clientOptions(h));
  await client.send(
    new PutRuleCommand({
      Name: rule,
      EventBusName: 'default',
      EventPattern: JSON.stringify({
        source: ['aws.s3'],
        'detail-type': ['Object Restore Completed'],
        detail: { object: { key: [{ 'anything-but': key }] } },
      }),
    }),
  );
  client.destroy();
}

describe('restore-then', () => {
  it('copies exactly the restored objects to STANDARD; a lost restore event is caught by HeadObject', async () => {
    // Prepare: Glacier and Deep Archive objects, one missing (its restore task fails), one whose event is lost
    const h = await harnesses.start({ timeScale });
    const glacier = ['glacier/a.txt', 'glacier/b c.txt', 'glacier/c.txt'];
    const lost = 'glacier/lost.txt';
    const deep = 'deep/a.txt';
    seedArchive(h, { GLACIER: [...glacier, lost], DEEP_ARCHIVE: [deep] });
    await loseRestoreEventOf(h, lost);
    const input = restoreThenInput(h, [...glacier, lost, deep, 'missing/x.txt'], { name: 'main' });

    // Act
    const run = await runRestoreThen(h, input, 'archive-20260101T0300Z-main');

    // Assess: the run, and its path through both phases
    expect(run.status, run.cause).toBe('SUCCEEDED');
    expect(followsRestoreThenPath(run.statesEntered, bothPhases), run.statesEntered.join(' > ')).toBe(true);
    expect(run.output).toMatchObject({
      outcome: 'PartialFailure',
      restored: 5,
      notRestored: 0,
      restoreFailed: 1,
      phases: {
        restore: { outcome: 'PartialFailure', total: 5, restored: 5, deadlineReached: false },
        then: { outcome: 'Succeeded', objects: 5, tasks: { total: 5, succeeded: 5, failed: 0 } },
      },
    });
    // Every restored object was copied to STANDARD in place; the missing one is still missing
    for (const key of [...glacier, lost, deep]) expect(storageClassOf(h, key), key).toBe('STANDARD');
    expect(() => h.aws.s3.backend.headObject({ bucket: dataBucket, key: 'missing/x.txt' })).toThrow();
    // The lost event's object was found by HeadObject. The others have a marker from their event, unless a
    // poll's HeadObject sample got there first (on a loaded machine the event's Lambda can run after it): the
    // event path must still have marked some.
    expect(markerOf(h, lost)?.source).toBe('head-object');
    const sources = [...glacier, deep].map((key) => markerOf(h, key)?.source);
    for (const source of sources) expect(['event', 'head-object']).toContain(source);
    expect(sources).toContain('event');
    // The manifest lists exactly the restored objects, keys URL-encoded
    const manifest = manifestRows(h, run);
    expect(manifest.sort()).toEqual(
      [...glacier, lost, deep]
        .map((key) => `${dataBucket},${encodeURIComponent(key).replace(/%2F/g, '/')}`)
        .sort(),
    );
    // One event per phase and step, with stable distinct ids
    const events = phaseEvents(h);
    expect(events.map((e) => `${e.type}:${e.detail.phase}`)).toEqual([
      'Campaign Phase Started:restore',
      'Campaign Phase Completed:restore',
      'Campaign Phase Started:then',
      'Campaign Phase Completed:then',
    ]);
    expect(new Set(events.map((e) => e.detail.eventId)).size).toBe(4);
    expect(events[1]!.detail).toMatchObject({
      outcome: 'PartialFailure',
      restored: 5,
      notRestored: 0,
      deadlineReached: false,
      tasks: { total: 6, succeeded: 5, failed: 1 },
      campaign: 'archive',
      target: 'main',
      runId: 'archive-20260101T0300Z',
    });
    expect(events[2]!.detail).toMatchObject({
      objects: 5,
      childExecutionName: 'archive-20260101T0300Z-main-then',
    });
    expect(events[3]!.detail).toMatchObject({ outcome: 'Succeeded', objects: 5, tasks: { succeeded: 5 } });
  }, 120_000);

  it('stops waiting at the deadline, counts the rest as notRestored and copies what was restored', async () => {
    // Prepare: Standard retrieval takes 5 h from Glacier, 12 h from Deep Archive; the deadline is 8 h
    const h = await harnesses.start({ timeScale });
    const glacier = ['glacier/a.txt', 'glacier/b.txt'];
    const deep = ['deep/a.txt', 'deep/b.txt'];
    seedArchive(h, { GLACIER: glacier, DEEP_ARCHIVE: deep });
    const input = restoreThenInput(h, [...glacier, ...deep], { name: 'deadline', deadlineHours: 8 });

    // Act
    const run = await runRestoreThen(h, input, 'archive-20260101T0300Z-deadline');

    // Assess
    expect(run.status, run.cause).toBe('SUCCEEDED');
    expect(run.output).toMatchObject({
      outcome: 'PartialFailure',
      restored: 2,
      notRestored: 2,
      restoreFailed: 0,
      phases: {
        restore: { outcome: 'PartialFailure', deadlineReached: true },
        then: { outcome: 'Succeeded' },
      },
    });
    for (const key of glacier) expect(storageClassOf(h, key), key).toBe('STANDARD');
    for (const key of deep) expect(storageClassOf(h, key), key).toBe('DEEP_ARCHIVE');
    const completed = phaseEvents(h).filter((e) => e.type === 'Campaign Phase Completed');
    expect(completed[0]!.detail).toMatchObject({
      phase: 'restore',
      restored: 2,
      notRestored: 2,
      deadlineReached: true,
    });
    expect(completed[0]!.detail.reason).toMatch(/2 of 4 objects were not restored by the deadline/);
  }, 120_000);

  it('ends without phase 2 when the restore job is rejected, saying why', async () => {
    // Prepare: the restore request's manifest does not exist, so the child execution ends RequestRejected
    const h = await harnesses.start({ timeScale });
    seedArchive(h, { GLACIER: ['glacier/a.txt'] });
    const input = restoreThenInput(h, ['glacier/a.txt'], { name: 'rejected' });
    (input.request as { manifest: { key: string } }).manifest.key = 'manifests/nothing-here.csv';

    // Act
    const run = await runRestoreThen(h, input, 'archive-20260101T0300Z-rejected');

    // Assess
    expect(run.status, run.cause).toBe('SUCCEEDED');
    expect(run.statesEntered).toEqual([
      'Initialize',
      'PrepareRestoreThen',
      'EmitRestoreStarted',
      'RunRestore',
      'EmitRestoreCompleted',
      'RouteToThen',
      'Conclude',
      'Done',
    ]);
    expect(run.output).toMatchObject({
      outcome: 'Rejected',
      restore: { error: 'RequestRejected' },
      restored: 0,
      notRestored: 0,
    });
    expect(run.output).not.toHaveProperty('then');
    expect(phaseEvents(h).map((e) => `${e.type}:${e.detail.phase}:${e.detail.outcome ?? ''}`)).toEqual([
      'Campaign Phase Started:restore:',
      'Campaign Phase Completed:restore:Rejected',
    ]);
    expect(storageClassOf(h, 'glacier/a.txt')).toBe('GLACIER');
  }, 60_000);

  it('refuses a phase 2 that brings its own manifest before starting anything', async () => {
    // Prepare
    const h = await harnesses.start({ timeScale });
    seedArchive(h, { GLACIER: ['glacier/a.txt'] });
    const input = restoreThenInput(h, ['glacier/a.txt'], { name: 'refused' });
    (input.then as Record<string, unknown>).manifest = { bucket: reportBucket, key: 'x.csv' };

    // Act
    const run = await runRestoreThen(h, input, 'archive-20260101T0300Z-refused');

    // Assess
    expect(run.status).toBe('FAILED');
    expect(run.error).toBe('RequestRejected');
    expect(run.statesEntered).toEqual(['Initialize', 'PrepareRestoreThen', 'InputRejected']);
    expect(phaseEvents(h)).toEqual([]);
    const sfn = new SFNClient(clientOptions(h));
    const children = await sfn.send(
      new ListExecutionsCommand({ stateMachineArn: h.project.stateMachineArns.batchJob! }),
    );
    sfn.destroy();
    expect(children.executions).toEqual([]);
  }, 60_000);
});

/** The rows of the phase-2 manifest the run wrote. */
function manifestRows(h: Harness, run: WorkflowRun): string[] {
  const { manifest } = (run.output!.then as { request: { manifest: { bucket: string; key: string } } })
    .request;
  return h.aws.s3.backend
    .getObjectBody({ bucket: manifest.bucket, key: manifest.key })
    .toString('utf8')
    .trim()
    .split('\n');
}
