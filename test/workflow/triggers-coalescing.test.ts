import { afterEach, describe, expect, it } from 'vitest';
import type { FaultConfig, LocalAws } from '../../emulator/index.js';
import { startLocalAws } from '../../emulator/local-aws.js';
import { deployProject, type LocalProject } from '../../local/deploy-local.js';
import { eventually } from './harness.js';

/** Coalescing triggers end to end on the local AWS: S3 → EventBridge → SQS → collect-objects → batch-job. */

const uploads = 'uploads-bucket';

const trigger = (window: { maxObjects: number; maxWaitSeconds: number; minObjects?: number }) => ({
  name: 'thumbs',
  source: { buckets: [uploads], prefix: 'in/' },
  job: {
    operation: { S3PutObjectTagging: { TagSet: [{ Key: 'thumb', Value: 'pending' }] } },
    report: { enabled: false },
  },
  window,
});

const running: LocalAws[] = [];
afterEach(async () => {
  await Promise.all(running.splice(0).map((aws) => aws.stop()));
});

async function deploy(window: Parameters<typeof trigger>[0], faults?: FaultConfig, timeScale = 600) {
  const aws = await startLocalAws({ inMemory: true, port: 0, timeScale, ...(faults ? { faults } : {}) });
  running.push(aws);
  aws.s3.backend.ensureBucket(uploads);
  const project = await deployProject(aws, { triggers: [trigger(window)] });
  return { aws, project };
}

const keysOf = (count: number, from = 0) =>
  Array.from({ length: count }, (_, i) => `in/photo ${from + i}.jpg`);

function upload(aws: LocalAws, keys: readonly string[]) {
  for (const key of keys) aws.s3.backend.putObject(uploads, key, Buffer.from(`jpeg ${key}`));
}

interface FlushedDetail {
  eventId: string;
  objectCount: number;
  reason: string;
  occurredAt: string;
  manifest: { bucket: string; key: string };
  executionArn: string;
}

/**
 * The Trigger Flushed events so far, one per eventId: a flush completed twice (the collector and the
 * minute's flush-triggers both finding it in progress) announces it twice with the same id, for consumers
 * to drop, as every orchestrator event.
 */
function flushedEvents(aws: LocalAws, project: LocalProject): FlushedDetail[] {
  const byId = new Map<string, FlushedDetail>();
  for (const event of aws.events.readEventLog(project.busName)) {
    if (event['detail-type'] !== 'Trigger Flushed') continue;
    const detail = event.detail as FlushedDetail;
    if (!byId.has(detail.eventId)) byId.set(detail.eventId, detail);
  }
  return [...byId.values()];
}

/** Every key the flushed manifests list (decoded), one entry per row. */
function flushedKeys(aws: LocalAws, project: LocalProject): string[] {
  return flushedEvents(aws, project).flatMap(({ manifest }) =>
    aws.s3.backend
      .getObjectBody(manifest)
      .toString('utf8')
      .trim()
      .split('\n')
      .map((row) => decodeURIComponent(row.split(',')[1]!)),
  );
}

const flushedCount = (aws: LocalAws, project: LocalProject) =>
  flushedEvents(aws, project).reduce((sum, event) => sum + event.objectCount, 0);

describe('a coalescing trigger on the local AWS', () => {
  it('turns 10,000 uploads into ceil(10,000 / maxObjects) jobs that together tag every object once', async () => {
    // Prepare: at 30x, uploading 10,000 objects (a second or two) spans under a minute of emulated time,
    // well inside maxWaitSeconds: "a short span", so windows close full, not on time.
    const { aws, project } = await deploy({ maxObjects: 2500, maxWaitSeconds: 120 }, undefined, 30);
    const keys = keysOf(10_000);

    // Act
    upload(aws, keys);
    await eventually(
      () => flushedCount(aws, project),
      (n) => n >= 10_000,
      90_000,
    );
    const flushed = flushedEvents(aws, project);
    const executions = await Promise.all(
      flushed.map((event) => aws.sfn.waitForExecution(event.executionArn, 90_000)),
    );

    // Assess: 4 full windows (a 5th when a window closed on time before filling), every object in one
    expect(flushed.length).toBeGreaterThanOrEqual(4);
    expect(flushed.length).toBeLessThanOrEqual(5);
    for (const event of flushed) expect(event.objectCount).toBeLessThanOrEqual(2500);
    const listed = flushedKeys(aws, project);
    expect(listed).toHaveLength(10_000);
    expect(new Set(listed)).toEqual(new Set(keys));
    const names = flushed.map((event) => event.executionArn.split(':').pop());
    expect(new Set(names).size).toBe(flushed.length);
    for (const name of names) expect(name).toMatch(/^trigger-thumbs-[0-9a-f]{40}$/);
    // Assess: the jobs ran, their tasks add up to the objects, and every object carries the tag
    for (const execution of executions) expect(execution.status).toBe('SUCCEEDED');
    const jobs = aws.s3control.engine.jobs();
    expect(jobs).toHaveLength(flushed.length);
    expect(jobs.reduce((sum, job) => sum + job.progress.succeeded, 0)).toBe(10_000);
    for (const key of keys) {
      expect(aws.s3.backend.headObject({ bucket: uploads, key }).tags).toEqual([
        { Key: 'thumb', Value: 'pending' },
      ]);
    }
  }, 180_000);

  it('still lists every object once, in no duplicate job, with collector faults and duplicated events', async () => {
    // Prepare: a fifth of all Lambda invocations fail before the function runs
    const { aws, project } = await deploy(
      { maxObjects: 500, maxWaitSeconds: 60 },
      { serverError: { 'lambda:Invoke': 0.2 }, seed: 7 },
    );
    const keys = keysOf(600);

    // Act: every upload's event is delivered twice (EventBridge and SQS are at least once)
    upload(aws, keys);
    const created = aws.events
      .readEventLog()
      .filter(
        (event) =>
          event['detail-type'] === 'Object Created' &&
          (event.detail as { bucket: { name: string } }).bucket.name === uploads,
      );
    expect(created).toHaveLength(600);
    for (const event of created) {
      aws.sqs.sendMessage({
        QueueUrl: project.triggerQueues.thumbs!.queueUrl,
        MessageBody: JSON.stringify(event),
      });
    }
    await eventually(
      () => flushedCount(aws, project),
      (n) => n >= 600,
      60_000,
    );
    // Time for any duplicate job to show up: several more flush-triggers minutes.
    await new Promise((resolve) => setTimeout(resolve, 1_000));

    // Assess
    const listed = flushedKeys(aws, project);
    expect(listed).toHaveLength(600);
    expect(new Set(listed)).toEqual(new Set(keys));
    const arns = flushedEvents(aws, project).map((event) => event.executionArn);
    expect(new Set(arns).size).toBe(arns.length);
  });

  it('flushes a trickle below minObjects once its oldest object waited maxWaitSeconds', async () => {
    // Prepare
    const { aws, project } = await deploy({ maxObjects: 500, maxWaitSeconds: 60, minObjects: 100 });
    const startedAt = aws.clock.now().getTime();

    // Act
    upload(aws, keysOf(3));
    await eventually(
      () => flushedCount(aws, project),
      (n) => n >= 3,
      30_000,
    );

    // Assess: below minObjects, nothing flushed before maxWaitSeconds; then every object once
    const flushed = flushedEvents(aws, project);
    for (const event of flushed) {
      expect(event).toMatchObject({ reason: 'maxWait' });
      expect(event.objectCount).toBeLessThan(100);
      expect(Date.parse(event.occurredAt) - startedAt).toBeGreaterThanOrEqual(60_000);
    }
    expect(flushedKeys(aws, project).sort()).toEqual(keysOf(3).sort());
  });
});
