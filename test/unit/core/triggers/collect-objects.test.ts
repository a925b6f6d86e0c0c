import { describe, expect, it } from 'vitest';
import { collectObjects, triggerNameOfQueue } from '../../../../src/core/triggers/collect-objects.js';
import { flushTriggers } from '../../../../src/core/triggers/flush-triggers.js';
import { pendingKeyFor } from '../../../../src/core/triggers/pending-store.js';
import { detailValidators } from '../../../../src/generated/schema-ids.js';
import { buildTrigger, objectCreatedBody, setup, sqsRecord, stateBucket } from './trigger-builders.js';

const uploads = (count: number, from = 0) =>
  Array.from({ length: count }, (_, i) => sqsRecord(objectCreatedBody(`uploads/photo ${from + i}.jpg`)));

/** Every manifest row of every started job, decoded: `bucket/key`. */
function rowsOfStartedJobs(setupResult: ReturnType<typeof setup>): string[] {
  return setupResult.workflow.starts.flatMap(({ input }) => {
    const { manifest } = input as { manifest: { bucket: string; key: string } };
    const csv = setupResult.objects.objects.get(`${manifest.bucket}/${manifest.key}`)!.toString('utf8');
    return csv
      .trim()
      .split('\n')
      .map((row) => {
        const [bucket, key] = row.split(',');
        return `${bucket}/${decodeURIComponent(key!)}`;
      });
  });
}

describe('triggerNameOfQueue', () => {
  it('reads the trigger from its queue ARN, and nothing from a DLQ or another stage', () => {
    const prefix = 's3-batch-orchestrator-dev-trigger-';
    expect(triggerNameOfQueue(`arn:aws:sqs:us-east-1:1:${prefix}thumbs`, prefix)).toBe('thumbs');
    expect(triggerNameOfQueue(`arn:aws:sqs:us-east-1:1:${prefix}thumbs-dlq`, prefix)).toBeUndefined();
    expect(
      triggerNameOfQueue('arn:aws:sqs:us-east-1:1:s3-batch-orchestrator-prod-trigger-thumbs', prefix),
    ).toBeUndefined();
  });
});

describe('collectObjects', () => {
  it('turns 2,000 uploads in batches into 4 jobs of 500, every object in exactly one', async () => {
    const env = setup();
    const records = uploads(2000);

    for (let i = 0; i < records.length; i += 250) {
      const result = await collectObjects(env.deps, records.slice(i, i + 250));
      expect(result.batchItemFailures).toEqual([]);
      env.advance(1);
    }

    expect(env.workflow.starts).toHaveLength(4);
    const rows = rowsOfStartedJobs(env);
    expect(rows).toHaveLength(2000);
    expect(new Set(rows).size).toBe(2000);
    expect(rows).toContain('photos/uploads/photo 1999.jpg');
    for (const { name, input } of env.workflow.starts) {
      expect(name).toMatch(/^trigger-thumbs-[0-9a-f]{40}$/);
      expect(input).toMatchObject({ tags: { 's3bo:trigger': 'thumbs' }, manifest: { bucket: stateBucket } });
    }
  });

  it('stores a duplicated delivery once, before and after its window was flushed', async () => {
    const env = setup();
    const records = uploads(500);
    await collectObjects(env.deps, records.slice(0, 300));
    await collectObjects(env.deps, records.slice(0, 300)); // redelivered while pending
    await collectObjects(env.deps, records.slice(300)); // fills the window: flushed

    await collectObjects(env.deps, records.slice(400)); // redelivered after the flush
    env.advance(3600);
    await flushTriggers({ ...env.deps, triggerNames: ['thumbs'], loadTrigger: env.deps.loadTrigger });

    expect(env.workflow.starts).toHaveLength(1);
    expect(rowsOfStartedJobs(env)).toHaveLength(500);
  });

  it('stores every object once when collectors run at the same time (conditional writes)', async () => {
    const env = setup([buildTrigger({ window: { maxObjects: 10000, maxWaitSeconds: 300 } })]);
    const records = uploads(400);

    const results = await Promise.all(
      Array.from({ length: 8 }, (_, i) => collectObjects(env.deps, records.slice(i * 50, (i + 1) * 50))),
    );

    expect(results.flatMap((r) => r.batchItemFailures)).toEqual([]);
    const pending = JSON.parse(
      env.objects.objects.get(`${stateBucket}/${pendingKeyFor('thumbs')}`)!.toString(),
    );
    expect(pending.objects).toHaveLength(400);
  });

  it('reports malformed messages and those of an unknown trigger as batch item failures, drops filtered ones', async () => {
    const env = setup();
    const good = sqsRecord(objectCreatedBody('uploads/a.jpg'));
    const malformed = sqsRecord('not json');
    const filtered = sqsRecord(objectCreatedBody('elsewhere/a.jpg'));
    const unknown = sqsRecord(objectCreatedBody('uploads/b.jpg'), 'other');

    const result = await collectObjects(env.deps, [good, malformed, filtered, unknown]);

    expect(result.batchItemFailures).toEqual([
      { itemIdentifier: malformed.messageId },
      { itemIdentifier: unknown.messageId },
    ]);
    expect(result.added).toEqual({ thumbs: 1 });
  });

  it('reports every stored message when the pending store cannot be written', async () => {
    const env = setup();
    env.objects.putObjectIfAbsent = async () => {
      throw new Error('S3 is down');
    };
    const records = uploads(3);

    const result = await collectObjects(env.deps, records);

    expect(result.batchItemFailures.map((f) => f.itemIdentifier)).toEqual(records.map((r) => r.messageId));
  });

  it('completes a flush that failed after it was decided, with the same execution name, starting one job', async () => {
    const env = setup();
    env.workflow.failNext = 1;

    const first = await collectObjects(env.deps, uploads(500));
    expect(first.batchItemFailures).toEqual([]);
    expect(env.workflow.starts).toHaveLength(0);

    const retried = await flushTriggers({
      ...env.deps,
      triggerNames: ['thumbs'],
      loadTrigger: env.deps.loadTrigger,
    });

    expect(retried.failed).toEqual([]);
    expect(env.workflow.starts).toHaveLength(1);
    expect(rowsOfStartedJobs(env)).toHaveLength(500);
    expect(retried.flushes).toEqual([expect.objectContaining({ objectCount: 500, reason: 'maxObjects' })]);
  });

  it('lets the next batch complete a failed flush, keeping its own objects out of that job', async () => {
    const env = setup();
    env.workflow.failNext = 1;
    await collectObjects(env.deps, uploads(500));

    const next = await collectObjects(env.deps, uploads(10, 500));

    expect(next.flushes).toEqual([expect.objectContaining({ objectCount: 500 })]);
    expect(rowsOfStartedJobs(env)).not.toContain('photos/uploads/photo 500.jpg');
    const pending = JSON.parse(
      env.objects.objects.get(`${stateBucket}/${pendingKeyFor('thumbs')}`)!.toString(),
    );
    expect(pending.objects).toHaveLength(10);
  });

  it('starts nothing twice when the flush is retried after StartExecution succeeded', async () => {
    const env = setup();
    // The event cannot be delivered once: the flush fails after StartExecution.
    const { putEvents } = env.bus;
    let failures = 1;
    env.bus.putEvents = async (entries) => {
      if (failures-- > 0) throw new Error('EventBridge is down');
      return putEvents(entries);
    };

    await collectObjects(env.deps, uploads(500));
    const retried = await flushTriggers({
      ...env.deps,
      triggerNames: ['thumbs'],
      loadTrigger: env.deps.loadTrigger,
    });

    expect(env.workflow.starts).toHaveLength(1);
    expect(retried.flushes).toEqual([expect.objectContaining({ alreadyStarted: true, objectCount: 500 })]);
    const pending = JSON.parse(
      env.objects.objects.get(`${stateBucket}/${pendingKeyFor('thumbs')}`)!.toString(),
    );
    expect(pending.flushing).toBeUndefined();
  });
});

describe('flushTriggers', () => {
  it('flushes a trickle below minObjects once its oldest object waited maxWaitSeconds, not before', async () => {
    const env = setup();
    const flushAll = () =>
      flushTriggers({ ...env.deps, triggerNames: ['thumbs'], loadTrigger: env.deps.loadTrigger });
    await collectObjects(env.deps, uploads(3));
    env.advance(120);
    await collectObjects(env.deps, uploads(2, 3));
    env.advance(179);

    expect((await flushAll()).flushes).toEqual([]);
    env.advance(1);
    const { flushes } = await flushAll();

    expect(flushes).toEqual([expect.objectContaining({ objectCount: 5, reason: 'maxWait' })]);
    expect(env.workflow.starts).toHaveLength(1);
    expect((await flushAll()).flushes).toEqual([]);
  });

  it('announces each flush with a Trigger Flushed event that matches its schema', async () => {
    const env = setup();
    await collectObjects(env.deps, uploads(500));

    expect(env.bus.entries).toHaveLength(1);
    const entry = env.bus.entries[0]!;
    const detail = JSON.parse(entry.Detail);
    expect(entry.DetailType).toBe('Trigger Flushed');
    expect(detailValidators['Trigger Flushed'](detail)).toBe(true);
    expect(detail).toMatchObject({
      trigger: 'thumbs',
      objectCount: 500,
      reason: 'maxObjects',
      executionArn: expect.stringContaining(':execution:s3-batch-orchestrator-dev-batch-job:trigger-thumbs-'),
      manifest: {
        bucket: stateBucket,
        key: expect.stringMatching(/^triggers\/thumbs\/manifests\/[0-9a-f]{64}\.csv$/),
      },
    });
  });

  it('keeps flushing the other triggers when one fails, and names the one that failed', async () => {
    const env = setup([buildTrigger(), buildTrigger({ name: 'second' })]);
    await collectObjects(env.deps, uploads(1));
    env.advance(300);

    const result = await flushTriggers({
      ...env.deps,
      triggerNames: ['missing', 'thumbs'],
      loadTrigger: env.deps.loadTrigger,
    });

    expect(result.failed).toEqual([
      { trigger: 'missing', error: expect.stringContaining('RequestValidationError') },
    ]);
    expect(result.flushes).toHaveLength(1);
  });
});
