/**
 * Jobs whose object list S3 Batch Operations generates (CreateJob ManifestGenerator), run end to end on the
 * embedded local AWS: the request's filter goes through SubmitJob and CreateJob, the emulated S3 Control lists
 * the source bucket and applies it, and every object is checked afterwards for the tag the job sets.
 */
import { gunzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { estimateJobCost } from '../../src/core/cost/estimate.js';
import { type Harness, harnessPerTest, reportBucket } from './harness.js';

const harnesses = harnessPerTest();
const sourceBucket = 'gen-source';
const tag = { Key: 'classification', Value: 'public' };

interface SeedObject {
  key: string;
  size: number;
  storageClass: string;
}

/** Objects written first; `createdBefore`/`olderThan` filters select them. */
const olderObjects: SeedObject[] = [
  { key: 'logs/2024/a.log', size: 10, storageClass: 'STANDARD' },
  { key: 'logs/2024/b.txt', size: 2000, storageClass: 'STANDARD' },
  { key: 'images/cat.png', size: 500, storageClass: 'GLACIER' },
  { key: 'images/dog.jpg', size: 50, storageClass: 'STANDARD_IA' },
  { key: 'archive/report final.csv', size: 5000, storageClass: 'DEEP_ARCHIVE' },
];
/** Objects written after the cut-off time. */
const newerObjects: SeedObject[] = [
  { key: 'logs/2025/c.log', size: 100, storageClass: 'STANDARD' },
  { key: 'tmp/draft-final.txt', size: 1, storageClass: 'STANDARD' },
  { key: 'images/bird.png', size: 3000, storageClass: 'GLACIER_IR' },
];
const allKeys = [...olderObjects, ...newerObjects].map((object) => object.key);

function put(h: Harness, objects: SeedObject[]): void {
  for (const { key, size, storageClass } of objects) {
    h.aws.s3.backend.putObject(sourceBucket, key, Buffer.alloc(size, 0x61), { storageClass });
  }
}

/** Seeds both generations of objects with emulated time passing between them; returns the cut-off. */
async function seedSource(h: Harness, realGapMs = 100): Promise<Date> {
  h.aws.s3.backend.ensureBucket(sourceBucket);
  put(h, olderObjects);
  await sleep(realGapMs / 2);
  const cutoff = h.aws.clock.now();
  await sleep(realGapMs / 2);
  put(h, newerObjects);
  return cutoff;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function generatorRequest(generator: Record<string, unknown>, overrides: Record<string, unknown> = {}) {
  return {
    operation: { S3PutObjectTagging: { TagSet: [tag] } },
    manifestGenerator: { sourceBucket, ...generator },
    report: { bucket: reportBucket, prefix: 'batch', scope: 'AllTasks' },
    priority: 10,
    wait: { minSeconds: 5, maxSeconds: 60, timeoutSeconds: 86_400 },
    ...overrides,
  };
}

/** The keys of the source bucket whose current version carries the job's tag. */
function taggedKeys(h: Harness, bucket = sourceBucket): string[] {
  return [...h.aws.s3.backend.listObjectVersions(bucket)]
    .filter((version) => version.isLatest && !version.isDeleteMarker)
    .filter((version) => version.tags.some((t) => t.Key === tag.Key && t.Value === tag.Value))
    .map((version) => version.key)
    .sort();
}

const filterCases: { name: string; filter: (cutoff: Date) => Record<string, unknown>; expected: string[] }[] =
  [
    {
      name: 'prefix',
      filter: () => ({ keyNameConstraint: { matchAnyPrefix: ['logs/'] } }),
      expected: ['logs/2024/a.log', 'logs/2024/b.txt', 'logs/2025/c.log'],
    },
    {
      name: 'suffix',
      filter: () => ({ keyNameConstraint: { matchAnySuffix: ['.png'] } }),
      expected: ['images/bird.png', 'images/cat.png'],
    },
    {
      name: 'substring',
      filter: () => ({ keyNameConstraint: { matchAnySubstring: ['final'] } }),
      expected: ['archive/report final.csv', 'tmp/draft-final.txt'],
    },
    {
      name: 'size bounds (strict on both sides)',
      filter: () => ({ objectSizeGreaterThanBytes: 100, objectSizeLessThanBytes: 3000 }),
      expected: ['images/cat.png', 'logs/2024/b.txt'],
    },
    {
      name: 'storage classes',
      filter: () => ({ matchAnyStorageClass: ['GLACIER', 'DEEP_ARCHIVE'] }),
      expected: ['archive/report final.csv', 'images/cat.png'],
    },
    {
      name: 'created before',
      filter: (cutoff) => ({ createdBefore: cutoff.toISOString() }),
      expected: olderObjects.map((object) => object.key),
    },
    {
      name: 'created after',
      filter: (cutoff) => ({ createdAfter: cutoff.toISOString() }),
      expected: newerObjects.map((object) => object.key),
    },
    {
      name: 'several filters at once (all must match)',
      filter: () => ({
        keyNameConstraint: { matchAnyPrefix: ['images/'] },
        matchAnyStorageClass: ['GLACIER_IR', 'STANDARD_IA'],
        objectSizeGreaterThanBytes: 60,
      }),
      expected: ['images/bird.png'],
    },
  ];

describe('ManifestGenerator jobs on the embedded local AWS', () => {
  it.each(filterCases)('filter by $name processes exactly the matching objects', async (testCase) => {
    // Prepare
    const h = await harnesses.start();
    const cutoff = await seedSource(h);
    // Act
    const run = await h.run(generatorRequest({ filter: testCase.filter(cutoff) }));
    // Assess
    expect(run.status, run.cause).toBe('SUCCEEDED');
    expect(taggedKeys(h)).toEqual([...testCase.expected].sort());
    const [job] = h.aws.s3control.engine.jobs();
    expect(job?.progress.total).toBe(testCase.expected.length);
    expect(allKeys).toEqual(expect.arrayContaining(testCase.expected));
  });

  it("resolves olderThanDays against the execution's start time", async () => {
    // Prepare: one real second is 10 emulated days, so the gap below is about two days.
    const h = await harnesses.start({ timeScale: 864_000 });
    await seedSource(h, 400);
    // Act
    const older = await h.run(generatorRequest({ filter: { olderThanDays: 1 } }), 'older');
    // Assess
    expect(older.status, older.cause).toBe('SUCCEEDED');
    expect(taggedKeys(h)).toEqual(olderObjects.map((object) => object.key).sort());
  });

  it('writes the generated object list when asked, and says where on the Submitted event', async () => {
    // Prepare
    const h = await harnesses.start();
    await seedSource(h);
    // Act
    const run = await h.run(
      generatorRequest({
        enableManifestOutput: true,
        manifestOutputLocation: { bucket: reportBucket, prefix: 'generated' },
        filter: { keyNameConstraint: { matchAnyPrefix: ['images/'] } },
      }),
    );
    // Assess
    expect(run.status, run.cause).toBe('SUCCEEDED');
    const [job] = h.aws.s3control.engine.jobs();
    const manifestKey = `generated/job-${job!.JobId}/manifest.json`;
    expect(job?.GeneratedManifestDescriptor?.Location.ObjectArn).toBe(
      `arn:aws:s3:::${reportBucket}/${manifestKey}`,
    );
    const manifest = JSON.parse(
      h.aws.s3.backend.getObjectBody({ bucket: reportBucket, key: manifestKey }).toString('utf8'),
    );
    const rows = manifest.files.flatMap((file: { key: string }) =>
      gunzipSync(h.aws.s3.backend.getObjectBody({ bucket: reportBucket, key: file.key }))
        .toString('utf8')
        .trim()
        .split('\n'),
    );
    expect(
      rows.map((row: string) => decodeURIComponent(row.split(',')[1]!.replace(/"/g, ''))).sort(),
    ).toEqual(['images/bird.png', 'images/cat.png', 'images/dog.jpg']);
    expect(h.event('Batch Job Submitted').manifestSource).toMatchObject({
      kind: 'generator',
      sourceBucket,
      manifestOutput: { bucket: reportBucket, prefix: 'generated' },
    });
  });

  it('on a versioned bucket, acts on the current version of each key and skips deleted keys', async () => {
    // Prepare
    const h = await harnesses.start();
    const s3 = h.aws.s3.backend;
    s3.ensureBucket(sourceBucket);
    s3.putBucketVersioning(sourceBucket, 'Enabled');
    const first = s3.putObject(sourceBucket, 'doc.txt', Buffer.from('v1'));
    const second = s3.putObject(sourceBucket, 'doc.txt', Buffer.from('v2'));
    s3.putObject(sourceBucket, 'gone.txt', Buffer.from('soon deleted'));
    s3.deleteObject(sourceBucket, 'gone.txt');
    // Act
    const run = await h.run(generatorRequest({}));
    // Assess
    expect(run.status, run.cause).toBe('SUCCEEDED');
    const tagsOf = (versionId?: string) =>
      s3.headObject({ bucket: sourceBucket, key: 'doc.txt', ...(versionId ? { versionId } : {}) }).tags;
    expect(tagsOf(second.versionId)).toEqual([tag]);
    expect(tagsOf(first.versionId)).toEqual([]);
    expect(h.aws.s3control.engine.jobs()[0]?.progress.total).toBe(1);
  });

  it('refuses a generator job over its budget before CreateJob, naming budget.maxUsd', async () => {
    // Prepare
    const h = await harnesses.start();
    await seedSource(h);
    const estimate = estimateJobCost({
      operation: { S3PutObjectTagging: { TagSet: [tag] } },
      objectCount: 3,
      region: 'us-east-1',
    }).totalUsd;
    // Act
    const run = await h.run(
      generatorRequest(
        { filter: { keyNameConstraint: { matchAnyPrefix: ['logs/'] } } },
        { budget: { maxUsd: estimate / 2 } },
      ),
    );
    // Assess
    expect(run.error).toBe('RequestRejected');
    expect(h.event('Batch Job Rejected')).toMatchObject({ field: 'budget.maxUsd' });
    expect(h.aws.s3control.engine.jobs()).toHaveLength(0);
    expect(taggedKeys(h)).toEqual([]);
  });
});
