import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { startLocalAws } from '../../emulator/local-aws.js';
import { deployProject } from '../../local/deploy-local.js';
import {
  followsPath,
  harnessPerTest,
  objectKeys,
  SUBMITTED_START,
  seededManifest,
  taggingRequest,
} from './harness.js';

const harnesses = harnessPerTest();

describe('request timeout', () => {
  it('gives up on a job that outlives wait.timeoutSeconds, with BatchJobTimedOut and a Failed event', async () => {
    // Prepare: 2,000 tasks at 1 task per emulated second take half an hour; the request allows a minute
    const { h } = await harnesses.seeded(2000, { engine: { tasksPerSecond: 1 } });
    const request = taggingRequest(seededManifest, {
      wait: { minSeconds: 5, maxSeconds: 30, timeoutSeconds: 60 },
    });

    // Act
    const run = await h.run(request);

    // Assess
    expect(run.error).toBe('BatchJobTimedOut');
    expect(
      followsPath(run.statesEntered, [SUBMITTED_START, ['EmitTimedOut', 'BatchJobTimedOut']]),
      run.statesEntered.join(' → '),
    ).toBe(true);
    expect(h.event('Batch Job Failed').reason).toMatch(/Timed out waiting for the job/);
  });
});

describe('durable local AWS', () => {
  let dataDir: string | undefined;
  afterEach(() => {
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  });

  it('keeps objects, the event log and a running workflow across a restart, and finishes the job', async () => {
    // Prepare: a job that takes ~30 emulated minutes, on a data directory
    dataDir = mkdtempSync(join(tmpdir(), 's3bo-restart-'));
    const options = { dataDir, port: 0, timeScale: 600, engine: { tasksPerSecond: 1 } };
    const first = await startLocalAws(options);
    const project = await deployProject(first);
    const keys = objectKeys(2000);
    first.s3.backend.ensureBucket('data-bucket');
    first.s3.backend.ensureBucket('reports');
    first.s3.backend.ensureBucket('manifests');
    for (const key of keys) first.s3.backend.putObject('data-bucket', key, Buffer.from(key));
    first.s3.backend.putObject(
      'manifests',
      'tag.csv',
      Buffer.from(keys.map((k) => `data-bucket,${encodeURIComponent(k).replace(/%2F/g, '/')}\n`).join('')),
    );
    const { executionArn } = first.sfn.startExecution(
      project.stateMachineArns.batchJob!,
      taggingRequest(seededManifest),
      'survives-restart',
    );
    const deadline = Date.now() + 20_000;
    while ((first.s3control.engine.jobs()[0]?.progress.succeeded ?? 0) < 100 && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    const eventsBefore = first.events.readEventLog(project.busName).length;

    // Act: stop mid-job, start again on the same directory
    await first.stop();
    const second = await startLocalAws(options);
    try {
      await deployProject(second);
      const done = await second.sfn.waitForExecution(executionArn, 60_000);

      // Assess
      expect(eventsBefore).toBeGreaterThan(0);
      expect(done.status, done.cause).toBe('SUCCEEDED');
      expect(second.s3control.engine.jobs()).toHaveLength(1);
      expect(second.s3control.engine.jobs()[0]).toMatchObject({
        Status: 'Complete',
        progress: { succeeded: 2000 },
      });
      expect(second.s3.backend.headObject({ bucket: 'data-bucket', key: keys[1999]! }).tags).toHaveLength(1);
      const log = second.events.readEventLog(project.busName).map((e) => e['detail-type']);
      expect(log.length).toBeGreaterThan(eventsBefore);
      // The restarted execution runs again from the start (emulator/PARITY.md): the one job is found again by
      // its ClientRequestToken, and a repeated event keeps its eventId, so consumers can drop the duplicate.
      const submitted = second.events
        .readEventLog(project.busName)
        .filter((e) => e['detail-type'] === 'Batch Job Submitted')
        .map((e) => (e.detail as { eventId: string }).eventId);
      expect(new Set(submitted).size).toBe(1);
      expect(log).toContain('Batch Job Completed');
    } finally {
      await second.stop();
    }
  });
});
