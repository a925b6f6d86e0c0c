/**
 * S3 Inventory reports on demand: AWS's key layout, manifest.json / manifest.checksum / Hive symlink, the
 * gzipped all-quoted CSV rows, versions, Filter.Prefix, optional field order and encryption, read back
 * through the real @aws-sdk/client-s3.
 */
import { createHash } from 'node:crypto';
import { gunzipSync } from 'node:zlib';
import {
  CreateBucketCommand,
  DeleteObjectCommand,
  GetObjectCommand,
  HeadObjectCommand,
  type InventoryConfiguration,
  ListObjectsV2Command,
  PutBucketInventoryConfigurationCommand,
  PutBucketVersioningCommand,
  PutObjectCommand,
} from '@aws-sdk/client-s3';
import { parse } from 'csv-parse/sync';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAdminHandler } from '../../../emulator/s3/inventory-admin.js';
import { routeRequest } from '../../../emulator/server.js';
import { serveServices } from '../kit.js';
import { type S3Harness, startS3Harness } from './harness.js';

let s3: S3Harness;
const SOURCE = 'photos';
const VERSIONED = 'versioned-docs';
const DESTINATION = 'inventory-reports';
/** Keys that need URL encoding: a space, a plus, non-ASCII letters and a euro sign. */
const PHOTO_KEYS = ['a b.txt', 'c+d.txt', 'dir/ünïcode €.txt', 'logs/1.log', 'logs/2.log'];

beforeAll(async () => {
  s3 = await startS3Harness();
  for (const bucket of [SOURCE, VERSIONED, DESTINATION, 'empty-source']) {
    await s3.client.send(new CreateBucketCommand({ Bucket: bucket }));
  }
  for (const key of PHOTO_KEYS) {
    await s3.client.send(new PutObjectCommand({ Bucket: SOURCE, Key: key, Body: `body of ${key}` }));
  }
});
afterAll(async () => {
  await s3.close();
});

function configuration(id: string, overrides: Partial<InventoryConfiguration> = {}): InventoryConfiguration {
  return {
    Id: id,
    IsEnabled: true,
    IncludedObjectVersions: 'Current',
    Schedule: { Frequency: 'Daily' },
    Destination: { S3BucketDestination: { Bucket: `arn:aws:s3:::${DESTINATION}`, Format: 'CSV' } },
    ...overrides,
  };
}

async function putConfiguration(bucket: string, config: InventoryConfiguration): Promise<void> {
  await s3.client.send(
    new PutBucketInventoryConfigurationCommand({
      Bucket: bucket,
      Id: config.Id,
      InventoryConfiguration: config,
    }),
  );
}

async function getBytes(bucket: string, key: string): Promise<Buffer> {
  const response = await s3.client.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
  return Buffer.from(await response.Body!.transformToByteArray());
}

const md5 = (bytes: Buffer) => createHash('md5').update(bytes).digest('hex');
const decodeKey = (key: string) => decodeURIComponent(key.replace(/\+/g, ' '));

interface Manifest {
  sourceBucket: string;
  destinationBucket: string;
  version: string;
  creationTimestamp: string;
  fileFormat: string;
  fileSchema: string;
  files: { key: string; size: number; MD5checksum: string }[];
}

/** The manifest, each data file's raw CSV text, and the rows of all files. */
async function readReport(manifestKey: string) {
  const manifestBytes = await getBytes(DESTINATION, manifestKey);
  const manifest = JSON.parse(manifestBytes.toString('utf8')) as Manifest;
  const texts: string[] = [];
  for (const file of manifest.files) texts.push(gunzipSync(await getBytes(DESTINATION, file.key)).toString());
  const rows = texts.flatMap((text) => parse(text) as string[][]);
  return { manifestBytes, manifest, texts, rows };
}

describe('an inventory report on demand', () => {
  it('writes data files, manifest.json, manifest.checksum and the Hive symlink at AWS keys', async () => {
    // Prepare: every optional field the emulator fills, asked for in a shuffled order.
    await putConfiguration(
      SOURCE,
      configuration('all-fields', {
        OptionalFields: [
          'ObjectOwner',
          'ETag',
          'Size',
          'EncryptionStatus',
          'StorageClass',
          'LastModifiedDate',
          'IsMultipartUploaded',
          'BucketKeyStatus',
        ],
        Destination: {
          S3BucketDestination: { Bucket: `arn:aws:s3:::${DESTINATION}`, Format: 'CSV', Prefix: 'inv' },
        },
      }),
    );
    const started = Date.now();

    // Act: two rows per data file, so five objects take three files.
    const report = s3.service.inventory.run(SOURCE, 'all-fields', { rowsPerFile: 2 });

    // Assess: the manifest
    const { manifestBytes, manifest, texts, rows } = await readReport(report.manifestKey);
    const created = Number(manifest.creationTimestamp);
    expect(created).toBeGreaterThanOrEqual(started);
    expect(created).toBeLessThanOrEqual(Date.now());
    const iso = new Date(created).toISOString();
    const folder = `inv/photos/all-fields/${iso.slice(0, 10)}T${iso.slice(11, 13)}-${iso.slice(14, 16)}Z`;
    expect(report).toMatchObject({ destinationBucket: DESTINATION, manifestKey: `${folder}/manifest.json` });
    expect(manifest).toEqual({
      sourceBucket: SOURCE,
      destinationBucket: `arn:aws:s3:::${DESTINATION}`,
      version: '2016-11-30',
      creationTimestamp: String(created),
      fileFormat: 'CSV',
      fileSchema:
        'Bucket, Key, Size, LastModifiedDate, ETag, StorageClass, IsMultipartUploaded, EncryptionStatus, BucketKeyStatus, ObjectOwner',
      files: expect.any(Array),
    });
    const checksum = (await getBytes(DESTINATION, `${folder}/manifest.checksum`)).toString('utf8');
    expect(checksum.trim()).toBe(md5(manifestBytes));

    // Assess: the data files match their manifest entries
    expect(manifest.files).toHaveLength(3);
    for (const file of manifest.files) {
      expect(file.key).toMatch(/^inv\/photos\/all-fields\/data\/[0-9a-f-]{36}\.csv\.gz$/);
      const bytes = await getBytes(DESTINATION, file.key);
      expect(file.size).toBe(bytes.length);
      expect(file.MD5checksum).toBe(md5(bytes));
    }

    // Assess: every field quoted, keys URL-encoded, rows = the bucket's objects in key order
    for (const line of texts.join('').trimEnd().split('\n')) expect(line).toMatch(/^"[^"]*"(,"[^"]*")*$/);
    expect(rows.map((row) => row[1])).toEqual([
      'a+b.txt',
      'c%2Bd.txt',
      'dir/%C3%BCn%C3%AFcode+%E2%82%AC.txt',
      'logs/1.log',
      'logs/2.log',
    ]);
    expect(rows.map((row) => decodeKey(row[1]!))).toEqual(PHOTO_KEYS);
    const head = await s3.client.send(new HeadObjectCommand({ Bucket: SOURCE, Key: 'a b.txt' }));
    expect(rows[0]).toEqual([
      SOURCE,
      'a+b.txt',
      String('body of a b.txt'.length),
      expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/),
      md5(Buffer.from('body of a b.txt')),
      'STANDARD',
      'false',
      'SSE-S3',
      'DISABLED',
      s3.service.backend.owner.ID,
    ]);
    // HeadObject's Last-Modified is the same instant, to the second.
    expect(Math.floor(Date.parse(rows[0]![3]!) / 1000) * 1000).toBe(head.LastModified!.getTime());

    // Assess: the Hive symlink lists the data files
    const symlinkKey = `inv/photos/all-fields/hive/dt=${iso.slice(0, 10)}-${iso.slice(11, 13)}-${iso.slice(14, 16)}/symlink.txt`;
    const symlink = (await getBytes(DESTINATION, symlinkKey)).toString('utf8');
    expect(symlink.trimEnd().split('\n')).toEqual(
      manifest.files.map((file) => `s3://${DESTINATION}/${file.key}`),
    );

    // Assess: nothing else was written
    const listed = await s3.client.send(new ListObjectsV2Command({ Bucket: DESTINATION, Prefix: 'inv/' }));
    expect(listed.Contents!.map((object) => object.Key).sort()).toEqual(
      [
        ...manifest.files.map((file) => file.key),
        report.manifestKey,
        `${folder}/manifest.checksum`,
        symlinkKey,
      ].sort(),
    );
  });

  it('lists every version and delete marker with All, only under Filter.Prefix, with the KMS encryption', async () => {
    // Prepare: docs/a.txt twice, docs/b.txt deleted (a marker over its version), other/c.txt outside the filter
    await s3.client.send(
      new PutBucketVersioningCommand({ Bucket: VERSIONED, VersioningConfiguration: { Status: 'Enabled' } }),
    );
    const put = (key: string, body: string) =>
      s3.client.send(new PutObjectCommand({ Bucket: VERSIONED, Key: key, Body: body }));
    const a1 = await put('docs/a.txt', 'first');
    const a2 = await put('docs/a.txt', 'second, longer');
    const b1 = await put('docs/b.txt', 'bee');
    const marker = await s3.client.send(new DeleteObjectCommand({ Bucket: VERSIONED, Key: 'docs/b.txt' }));
    await put('other/c.txt', 'not listed');
    const keyArn = 'arn:aws:kms:us-east-1:123456789012:key/inventory-key';
    await putConfiguration(
      VERSIONED,
      configuration('all-versions', {
        IncludedObjectVersions: 'All',
        Filter: { Prefix: 'docs/' },
        OptionalFields: ['Size'],
        Destination: {
          S3BucketDestination: {
            Bucket: `arn:aws:s3:::${DESTINATION}`,
            Format: 'CSV',
            Encryption: { SSEKMS: { KeyId: keyArn } },
          },
        },
      }),
    );

    // Act
    const report = s3.service.inventory.run(VERSIONED, 'all-versions');

    // Assess: no destination prefix, so the keys start at the source bucket
    expect(report.manifestKey).toMatch(
      /^versioned-docs\/all-versions\/\d{4}-\d\d-\d\dT\d\d-\d\dZ\/manifest\.json$/,
    );
    const { manifest, rows } = await readReport(report.manifestKey);
    expect(manifest.fileSchema).toBe('Bucket, Key, VersionId, IsLatest, IsDeleteMarker, Size');
    expect(rows).toEqual([
      [VERSIONED, 'docs/a.txt', a2.VersionId, 'true', 'false', '14'],
      [VERSIONED, 'docs/a.txt', a1.VersionId, 'false', 'false', '5'],
      [VERSIONED, 'docs/b.txt', marker.VersionId, 'true', 'true', ''],
      [VERSIONED, 'docs/b.txt', b1.VersionId, 'false', 'false', '3'],
    ]);
    for (const key of [report.manifestKey, manifest.files[0]!.key]) {
      const head = await s3.client.send(new HeadObjectCommand({ Bucket: DESTINATION, Key: key }));
      expect(head).toMatchObject({ ServerSideEncryption: 'aws:kms', SSEKMSKeyId: keyArn });
    }
  });

  it('lists only current versions with Current', async () => {
    await putConfiguration(VERSIONED, configuration('current-only', { Filter: { Prefix: 'docs/' } }));
    const { manifest, rows } = await readReport(
      s3.service.inventory.run(VERSIONED, 'current-only').manifestKey,
    );
    expect(manifest.fileSchema).toBe('Bucket, Key');
    expect(rows).toEqual([[VERSIONED, 'docs/a.txt']]);
  });

  it('writes a manifest with no files for an empty bucket', async () => {
    await putConfiguration('empty-source', configuration('nothing'));
    const report = s3.service.inventory.run('empty-source', 'nothing');
    const { manifest } = await readReport(report.manifestKey);
    expect(manifest.files).toEqual([]);
    expect(report.rowCount).toBe(0);
  });

  it("refuses with S3's errors: unknown configuration, ORC, missing destination bucket", async () => {
    await putConfiguration(
      SOURCE,
      configuration('orc', {
        Destination: { S3BucketDestination: { Bucket: `arn:aws:s3:::${DESTINATION}`, Format: 'ORC' } },
      }),
    );
    await putConfiguration(
      SOURCE,
      configuration('nowhere', {
        Destination: { S3BucketDestination: { Bucket: 'arn:aws:s3:::no-such-destination', Format: 'CSV' } },
      }),
    );
    expect(() => s3.service.inventory.run(SOURCE, 'missing')).toThrow(
      expect.objectContaining({ code: 'NoSuchConfiguration', httpStatus: 404 }),
    );
    expect(() => s3.service.inventory.run(SOURCE, 'orc')).toThrow(
      expect.objectContaining({ code: 'NotImplemented', httpStatus: 501 }),
    );
    expect(() => s3.service.inventory.run(SOURCE, 'nowhere')).toThrow(
      expect.objectContaining({ code: 'NoSuchBucket', httpStatus: 404 }),
    );
  });
});

describe('the admin route POST /_s3bo/inventory/run', () => {
  it('is routed to the admin only for hosts that do not name a bucket', () => {
    const route = (host: string) => routeRequest({ path: '/_s3bo/inventory/run', headers: {}, host });
    expect(route('127.0.0.1:4599')).toBe('admin');
    expect(route('localhost:4599')).toBe('admin');
    // Virtual-hosted: `_s3bo/inventory/run` is a key in bucket `photos`.
    expect(route('photos.localhost:4599')).toBe('s3');
    expect(route('photos.s3.us-east-1.amazonaws.com')).toBe('s3');
  });

  it('runs a report and answers its manifest key and destination bucket as JSON', async () => {
    // Prepare
    await putConfiguration(SOURCE, configuration('via-admin'));
    const server = await serveServices({
      s3: s3.service.handler,
      admin: createAdminHandler(s3.service.inventory),
    });
    const post = (query: string, method = 'POST') =>
      fetch(`${server.url}/_s3bo/inventory/run${query}`, { method });

    try {
      // Act
      const ran = await post(`?bucket=${SOURCE}&id=via-admin`);
      const missing = await post(`?bucket=${SOURCE}&id=no-such-config`);
      const incomplete = await post(`?bucket=${SOURCE}`);
      const wrongMethod = await post(`?bucket=${SOURCE}&id=via-admin`, 'GET');

      // Assess
      expect(ran.status).toBe(200);
      const body = (await ran.json()) as { manifestKey: string };
      expect(body).toEqual({
        manifestKey: expect.stringMatching(/^photos\/via-admin\/.+\/manifest\.json$/),
        destinationBucket: DESTINATION,
      });
      expect((await getBytes(DESTINATION, body.manifestKey)).length).toBeGreaterThan(0);
      expect(missing.status).toBe(404);
      expect(await missing.json()).toEqual({
        code: 'NoSuchConfiguration',
        message: 'The specified configuration does not exist.',
      });
      expect(incomplete.status).toBe(400);
      expect(await incomplete.json()).toMatchObject({
        code: 'InvalidArgument',
        message: expect.stringMatching(/id/),
      });
      expect(wrongMethod.status).toBe(405);
    } finally {
      await server.close();
    }
  });
});
