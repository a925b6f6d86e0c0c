import { ListExecutionsCommand, SFNClient } from '@aws-sdk/client-sfn';
import { describe, expect, it } from 'vitest';
import { eventually, harnessPerTest, seededManifest, taggingRequest } from './harness.js';

const harnesses = harnessPerTest();

describe('start from a request file', () => {
  it('runs the workflow for a job request put under requests/ in the request bucket', async () => {
    // Prepare
    const { h, keys } = await harnesses.seeded(25);
    const sfn = new SFNClient({
      region: h.aws.region,
      endpoint: h.aws.url,
      credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
    });
    const executions = async () =>
      (await sfn.send(new ListExecutionsCommand({ stateMachineArn: h.project.stateMachineArns.batchJob! })))
        .executions ?? [];

    // Act: S3 sends "Object Created" to EventBridge; the rule invokes start-from-object
    h.aws.s3.backend.putObject(
      h.project.requestBucket,
      'requests/tag-public.json',
      Buffer.from(JSON.stringify(taggingRequest(seededManifest))),
    );
    h.aws.s3.backend.putObject(h.project.requestBucket, 'notes/readme.txt', Buffer.from('not a request'));
    let started: Awaited<ReturnType<typeof executions>> = [];
    for (const deadline = Date.now() + 20_000; started.length === 0 && Date.now() < deadline; ) {
      started = await executions();
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    const run = await h.await(started[0]!.executionArn!);

    // Assess
    expect(started).toHaveLength(1);
    expect(started[0]!.name).toMatch(/^obj-tag-public-[0-9a-f]{16}$/);
    expect(run.status, run.cause).toBe('SUCCEEDED');
    await eventually(
      () => h.aws.s3.backend.headObject({ bucket: 'data-bucket', key: keys[24]! }).tags.length,
      (n) => n === 1,
    );
    sfn.destroy();
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
