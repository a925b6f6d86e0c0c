/**
 * An inventory report is a Batch Operations manifest: CreateJob (S3InventoryReport_CSV_20161130) over the
 * manifest.json the emulated S3 Inventory wrote tags exactly the object versions the report lists.
 */
import { CreateJobCommand } from '@aws-sdk/client-s3-control';
import { afterEach, describe, expect, it } from 'vitest';
import { S3Inventory } from '../../../emulator/s3/inventory.js';
import { ACCOUNT_ID, createTestEnv, ROLE_ARN, type TestEnv, waitFor } from '../s3control/helpers.js';

let env: TestEnv | undefined;
afterEach(async () => {
  await env?.close();
  env = undefined;
});

const CONFIG = `<InventoryConfiguration xmlns="http://s3.amazonaws.com/doc/2006-03-01/">
  <Destination><S3BucketDestination><Bucket>arn:aws:s3:::inventory</Bucket><Format>CSV</Format>
    <Prefix>reports</Prefix></S3BucketDestination></Destination>
  <IsEnabled>true</IsEnabled><Filter><Prefix>photos/</Prefix></Filter><Id>photos-all</Id>
  <IncludedObjectVersions>All</IncludedObjectVersions><Schedule><Frequency>Daily</Frequency></Schedule>
</InventoryConfiguration>`;

describe('a Batch Operations job over an inventory report', () => {
  it('acts on exactly the object versions the report lists (delete markers skipped)', async () => {
    // Prepare: a versioned catalog; photos/ is inventoried, other/ is not
    env = await createTestEnv();
    const s3 = env.s3;
    s3.ensureBucket('catalog');
    s3.ensureBucket('inventory');
    s3.putBucketVersioning('catalog', 'Enabled');
    const put = (key: string) => s3.putObject('catalog', key, Buffer.from(`body of ${key}`)).versionId!;
    const listed = [
      { key: 'photos/a b.txt', versionId: put('photos/a b.txt') },
      { key: 'photos/a b.txt', versionId: put('photos/a b.txt') },
      { key: 'photos/c+d.txt', versionId: put('photos/c+d.txt') },
      { key: 'photos/ü €.txt', versionId: put('photos/ü €.txt') },
      { key: 'photos/gone.txt', versionId: put('photos/gone.txt') },
    ];
    s3.deleteObject('catalog', 'photos/gone.txt');
    const outside = { key: 'other/x.txt', versionId: put('other/x.txt') };
    const inventory = new S3Inventory(s3, { scheduled: false });
    inventory.putConfiguration('catalog', 'photos-all', Buffer.from(CONFIG));
    const report = inventory.run('catalog', 'photos-all');
    const manifest = s3.headObject({ bucket: 'inventory', key: report.manifestKey });

    // Act
    const { JobId } = await env.client.send(
      new CreateJobCommand({
        AccountId: ACCOUNT_ID,
        Operation: { S3PutObjectTagging: { TagSet: [{ Key: 'inventoried', Value: 'yes' }] } },
        Report: { Enabled: false },
        Manifest: {
          Spec: { Format: 'S3InventoryReport_CSV_20161130' },
          Location: {
            ObjectArn: `arn:aws:s3:::inventory/${report.manifestKey}`,
            ETag: manifest.etag.replace(/"/g, ''),
          },
        },
        Priority: 10,
        RoleArn: ROLE_ARN,
        ConfirmationRequired: false,
      }),
    );
    const { job } = await waitFor(env, JobId!, (candidate) => candidate.Status === 'Complete');

    // Assess
    expect(report.rowCount).toBe(6);
    expect(job.ProgressSummary).toMatchObject({ TotalNumberOfTasks: 5, NumberOfTasksSucceeded: 5 });
    const tagsOf = (ref: { key: string; versionId: string }) =>
      s3.headObject({ bucket: 'catalog', ...ref }).tags;
    for (const ref of listed) expect(tagsOf(ref), ref.key).toEqual([{ Key: 'inventoried', Value: 'yes' }]);
    expect(tagsOf(outside)).toEqual([]);
  });
});
