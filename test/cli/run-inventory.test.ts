/**
 * `s3bo run` sends the request file as written: the defaults `validate` fills in (e.g. manifest.fields)
 * are not the user's and must not reach the workflow, which validates the request again itself.
 */
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { localCliPerTest } from './local-aws.js';

const startLocalCli = localCliPerTest();

const dataBucket = 'inventoried-data';
const inventoryBucket = 'inventory-reports';
const manifestKey = `${dataBucket}/daily/2026-11-25T01-00Z/manifest.json`;

describe('s3bo run with an S3 Inventory manifest', () => {
  it('starts a job over the inventory (no manifest.fields in the request) and tags its objects', async () => {
    // Prepare: objects, one gzipped inventory CSV and the inventory manifest.json listing it (AWS-FACTS, Inventory)
    const cli = await startLocalCli();
    const s3 = cli.aws.s3.backend;
    const keys = ['photos/a.jpg', 'photos/b c.jpg', 'docs/readme.txt'];
    for (const bucket of [dataBucket, inventoryBucket, 'reports']) s3.ensureBucket(bucket);
    for (const key of keys) s3.putObject(dataBucket, key, Buffer.from(`body of ${key}`));
    const dataKey = `${dataBucket}/daily/data/0001.csv.gz`;
    const csv = keys.map((key) => `"${dataBucket}","${encodeURIComponent(key)}"\n`).join('');
    s3.putObject(inventoryBucket, dataKey, gzipSync(csv));
    s3.putObject(
      inventoryBucket,
      manifestKey,
      Buffer.from(
        JSON.stringify({
          sourceBucket: dataBucket,
          destinationBucket: `arn:aws:s3:::${inventoryBucket}`,
          version: '2016-11-30',
          creationTimestamp: '1764032400000',
          fileFormat: 'CSV',
          fileSchema: 'Bucket, Key',
          files: [{ key: dataKey, size: 1, MD5checksum: 'd41d8cd98f00b204e9800998ecf8427e' }],
        }),
      ),
    );
    const request = cli.file('inventory-request.json', {
      operation: { S3PutObjectTagging: { TagSet: [{ Key: 'inventoried', Value: 'yes' }] } },
      manifest: { bucket: inventoryBucket, key: manifestKey, format: 'S3InventoryReport_CSV_20161130' },
      report: { bucket: 'reports', prefix: 'batch', scope: 'AllTasks' },
      priority: 10,
      wait: { minSeconds: 5, maxSeconds: 60, timeoutSeconds: 3600 },
    });
    expect((await cli.s3bo(['validate', request])).code).toBe(0);

    // Act
    const result = await cli.s3bo(['--json', 'run', request]);

    // Assess
    expect(result.stderr).not.toContain('RequestRejected');
    expect(result.code, result.stderr).toBe(0);
    expect(JSON.parse(result.stdout)).toMatchObject({ status: 'SUCCEEDED', outcome: 'Succeeded' });
    expect(cli.aws.s3control.engine.jobs()).toHaveLength(1);
    for (const key of keys) {
      expect(s3.headObject({ bucket: dataBucket, key }).tags).toEqual([{ Key: 'inventoried', Value: 'yes' }]);
    }
    expect(cli.events('Batch Job Completed')[0]).toMatchObject({
      outcome: 'Succeeded',
      summary: { totalTasks: 3, succeededTasks: 3, failedTasks: 0 },
    });
  });
});
