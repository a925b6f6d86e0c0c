import { ListExecutionsCommand, SFNClient } from '@aws-sdk/client-sfn';
import { describe, expect, it } from 'vitest';
import { maxRequestBytes } from '../../src/core/triggers/start-from-object.js';
import { createForeignJob, forgedState, jobStatusOf } from './foreign-job.js';
import { eventually, type Harness, harnessPerTest, seededManifest, taggingRequest } from './harness.js';

const harnesses = harnessPerTest();

const localCredentials = { accessKeyId: 'local', secretAccessKey: 'local' };

/** Every execution of the stage's batch-job state machine so far. */
async function executionsOf(h: Harness) {
  const sfn = new SFNClient({ region: h.aws.region, endpoint: h.aws.url, credentials: localCredentials });
  try {
    const answer = await sfn.send(
      new ListExecutionsCommand({ stateMachineArn: h.project.stateMachineArns.batchJob! }),
    );
    return answer.executions ?? [];
  } finally {
    sfn.destroy();
  }
}

/** Polls until the first execution a dropped file started shows up. */
async function firstExecution(h: Harness) {
  for (const deadline = Date.now() + 20_000; Date.now() < deadline; ) {
    const [first] = await executionsOf(h);
    if (first) return first;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error('no execution started within 20 s');
}

/** Waits for `count` Batch Job Rejected events and returns their details. */
const rejections = (h: Harness, count: number) =>
  eventually(
    () => h.events('Batch Job Rejected').map((e) => e.detail),
    (events) => events.length >= count,
  );

const drop = (h: Harness, key: string, body: string | Buffer) =>
  h.aws.s3.backend.putObject(h.project.requestBucket, key, Buffer.from(body));

describe('start from a request file', () => {
  it('runs the workflow for a job request put under requests/ in the request bucket', async () => {
    // Prepare
    const { h, keys } = await harnesses.seeded(25);

    // Act: S3 sends "Object Created" to EventBridge; the rule invokes start-from-object
    drop(h, 'requests/tag-public.json', JSON.stringify(taggingRequest(seededManifest)));
    h.aws.s3.backend.putObject(h.project.requestBucket, 'notes/readme.txt', Buffer.from('not a request'));
    const first = await firstExecution(h);
    const run = await h.await(first.executionArn!);

    // Assess
    const started = await executionsOf(h);
    expect(started).toHaveLength(1);
    expect(started[0]!.name).toMatch(/^obj-tag-public-[0-9a-f]{16}$/);
    expect(run.status, run.cause).toBe('SUCCEEDED');
    expect(h.events('Batch Job Rejected')).toEqual([]);
    await eventually(
      () => h.aws.s3.backend.headObject({ bucket: 'data-bucket', key: keys[24]! }).tags.length,
      (n) => n === 1,
    );
  });

  it('runs a CSV manifest that lands next to a request template', async () => {
    // Prepare
    const { h, keys } = await harnesses.seeded(10);
    const bucket = h.project.requestBucket;
    const template = taggingRequest(seededManifest);
    h.aws.s3.backend.putObject(
      bucket,
      'requests/nightly/_template.json',
      Buffer.from(JSON.stringify(template)),
    );
    const csv = h.aws.s3.backend.getObjectBody(seededManifest);

    // Act
    h.aws.s3.backend.putObject(bucket, 'requests/nightly/tag-2026-11-26.csv', csv);
    const completed = await eventually(
      () => h.events('Batch Job Completed'),
      (events) => events.length > 0,
    );

    // Assess
    expect(completed).toHaveLength(1);
    expect(h.event('Batch Job Submitted').manifest).toEqual({
      bucket,
      key: 'requests/nightly/tag-2026-11-26.csv',
    });
    expect(h.aws.s3.backend.headObject({ bucket: 'data-bucket', key: keys[9]! }).tags).toHaveLength(1);
  });
});

describe('a request file that can start nothing', () => {
  /** Each file dropped, and what its one Rejected event must say. */
  const badFiles: { key: string; body: string; field: string; reason: RegExp }[] = [
    {
      key: 'requests/not-json.json',
      body: '{ "operation": ',
      field: 'request',
      reason: /^is not valid JSON \(.+\)$/,
    },
    {
      key: 'requests/oversized.json',
      body: `{"description":"${'x'.repeat(maxRequestBytes)}"}`,
      field: 'request',
      reason: /^is larger than 262144 bytes/,
    },
    {
      key: 'requests/null.json',
      body: 'null',
      field: 'request',
      reason: /^must be a JSON object, not null$/,
    },
    {
      key: 'requests/array.json',
      body: '[]',
      field: 'request',
      reason: /^must be a JSON object, not an array$/,
    },
    {
      key: 'requests/number.json',
      body: '7',
      field: 'request',
      reason: /^must be a JSON object, not a number$/,
    },
    {
      key: 'requests/lonely/batch.csv',
      body: 'data-bucket,data/object 0.txt\n',
      field: 'template',
      reason: /^no requests\/lonely\/_template.json next to the manifest/,
    },
    {
      key: 'requests/broken/_template.json',
      body: '{ "operation": ',
      field: 'template',
      reason: /^is not valid JSON/,
    },
  ];

  it('reports each with exactly one Batch Job Rejected naming the file and the reason, and starts no execution', async () => {
    // Prepare
    const { h } = await harnesses.seeded(1);
    const bucket = h.project.requestBucket;

    // Act
    for (const file of badFiles) drop(h, file.key, file.body);
    await eventually(
      () => h.events('Batch Job Rejected'),
      (events) => events.length >= badFiles.length,
    );
    // Time for a second event or a late execution to show, if either were coming.
    await new Promise((resolve) => setTimeout(resolve, 500));

    // Assess
    const rejected = h.events('Batch Job Rejected').map((e) => e.detail);
    expect(rejected).toHaveLength(badFiles.length);
    for (const file of badFiles) {
      const etag = h.aws.s3.backend.headObject({ bucket, key: file.key }).etag.replace(/"/g, '');
      const forFile = rejected.filter((detail) => detail.source?.key === file.key);
      expect(forFile, file.key).toEqual([
        {
          eventId: expect.stringMatching(/^[0-9a-f]{32}$/),
          stage: h.project.stage,
          occurredAt: expect.any(String),
          field: file.field,
          reason: expect.stringMatching(file.reason),
          source: { bucket, key: file.key, etag },
        },
      ]);
    }
    expect(await executionsOf(h)).toEqual([]);
    expect(h.aws.s3control.engine.jobs()).toHaveLength(0);
  });

  it('reports a CSV manifest whose template is broken, naming the manifest and the template', async () => {
    // Prepare
    const { h } = await harnesses.seeded(1);
    const bucket = h.project.requestBucket;
    drop(h, 'requests/nightly/_template.json', '[]');
    await eventually(
      () => h.events('Batch Job Rejected'),
      (events) => events.length === 1,
    );

    // Act
    drop(h, 'requests/nightly/2026-11-27.csv', 'data-bucket,data/object 0.txt\n');
    const rejected = await eventually(
      () => h.events('Batch Job Rejected').map((e) => e.detail),
      (events) => events.length === 2,
    );

    // Assess
    expect(rejected[1]).toMatchObject({
      field: 'template',
      reason: `s3://${bucket}/requests/nightly/_template.json must be a JSON object, not an array`,
      source: { bucket, key: 'requests/nightly/2026-11-27.csv' },
    });
    expect(await executionsOf(h)).toEqual([]);
  });

  it('rejects a JSON object that is not a valid request, naming the field, and starts nothing', async () => {
    // Prepare
    const { h } = await harnesses.seeded(1);

    // Act
    drop(h, 'requests/negative.json', JSON.stringify(taggingRequest(seededManifest, { priority: -1 })));
    const rejected = await rejections(h, 1);

    // Assess
    expect(rejected).toEqual([
      expect.objectContaining({
        field: 'priority',
        reason: 'must be >= 0',
        source: expect.objectContaining({ key: 'requests/negative.json' }),
      }),
    ]);
    expect(rejected[0]).not.toHaveProperty('executionArn');
    expect(await executionsOf(h)).toEqual([]);
  });
});

describe('a request file that carries a continuation', () => {
  it('starts nothing: the trigger rejects it naming continuation, and the foreign job is untouched', async () => {
    // Prepare
    const { h } = await harnesses.seeded(5);
    const jobId = await createForeignJob(h, 'foreign-job-from-a-file');
    const forged = { continuation: forgedState(h, jobId) };

    // Act
    drop(h, 'requests/forged.json', JSON.stringify(forged));
    const rejected = await rejections(h, 1);

    // Assess: rejected by the trigger, never started, so nothing can resume
    expect(rejected).toEqual([
      expect.objectContaining({ field: 'continuation', reason: 'is not a known property' }),
    ]);
    expect(await executionsOf(h)).toEqual([]);
    expect(h.aws.s3control.engine.jobs()).toHaveLength(1);
    expect(await jobStatusOf(h, jobId)).toBe('Suspended');
  });
});
