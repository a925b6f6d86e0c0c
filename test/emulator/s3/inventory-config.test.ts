/** The bucket inventory configuration API through the real @aws-sdk/client-s3 against the emulated S3. */

import { request as httpRequest } from 'node:http';
import {
  CreateBucketCommand,
  DeleteBucketInventoryConfigurationCommand,
  GetBucketInventoryConfigurationCommand,
  type InventoryConfiguration,
  ListBucketInventoryConfigurationsCommand,
  PutBucketInventoryConfigurationCommand,
} from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type S3Harness, startS3Harness } from './harness.js';

let s3: S3Harness;
const SOURCE = 'inventory-source';
const DESTINATION = 'inventory-destination';

beforeAll(async () => {
  s3 = await startS3Harness();
  for (const bucket of [SOURCE, DESTINATION, 'paged-source', 'full-source']) {
    await s3.client.send(new CreateBucketCommand({ Bucket: bucket }));
  }
});
afterAll(async () => {
  await s3.close();
});

/** A valid configuration; `overrides` replace top-level members. */
function configuration(id: string, overrides: Partial<InventoryConfiguration> = {}): InventoryConfiguration {
  return {
    Id: id,
    IsEnabled: true,
    IncludedObjectVersions: 'Current',
    Schedule: { Frequency: 'Daily' },
    Destination: {
      S3BucketDestination: { Bucket: `arn:aws:s3:::${DESTINATION}`, Format: 'CSV' },
    },
    ...overrides,
  };
}

const put = (id: string, config: InventoryConfiguration, bucket = SOURCE) =>
  s3.client.send(
    new PutBucketInventoryConfigurationCommand({ Bucket: bucket, Id: id, InventoryConfiguration: config }),
  );

describe('Put/Get/DeleteBucketInventoryConfiguration', () => {
  it('stores a configuration and returns every member as it was put', async () => {
    // Prepare
    const full = configuration('weekly-all', {
      IsEnabled: false,
      IncludedObjectVersions: 'All',
      Schedule: { Frequency: 'Weekly' },
      Filter: { Prefix: 'logs/' },
      OptionalFields: ['Size', 'ETag', 'EncryptionStatus', 'ObjectOwner'],
      Destination: {
        S3BucketDestination: {
          Bucket: `arn:aws:s3:::${DESTINATION}`,
          Format: 'Parquet',
          AccountId: '123456789012',
          Prefix: 'reports',
          Encryption: { SSEKMS: { KeyId: 'arn:aws:kms:us-east-1:123456789012:key/abcd' } },
        },
      },
    });

    // Act
    await put('weekly-all', full);
    const got = await s3.client.send(
      new GetBucketInventoryConfigurationCommand({ Bucket: SOURCE, Id: 'weekly-all' }),
    );

    // Assess
    expect(got.InventoryConfiguration).toEqual(full);
  });

  it('replaces a configuration put again under the same Id', async () => {
    await put('replaced', configuration('replaced'));
    await put('replaced', configuration('replaced', { Schedule: { Frequency: 'Weekly' } }));
    const got = await s3.client.send(
      new GetBucketInventoryConfigurationCommand({ Bucket: SOURCE, Id: 'replaced' }),
    );
    expect(got.InventoryConfiguration?.Schedule).toEqual({ Frequency: 'Weekly' });
  });

  it('deletes a configuration; reading or deleting it again is NoSuchConfiguration (404)', async () => {
    // Prepare
    await put(
      'short-lived',
      configuration('short-lived', {
        Destination: {
          S3BucketDestination: {
            Bucket: `arn:aws:s3:::${DESTINATION}`,
            Format: 'CSV',
            Encryption: { SSES3: {} },
          },
        },
      }),
    );
    const get = () =>
      s3.client.send(new GetBucketInventoryConfigurationCommand({ Bucket: SOURCE, Id: 'short-lived' }));
    const before = await get();
    expect(before.InventoryConfiguration?.Destination?.S3BucketDestination?.Encryption).toEqual({
      SSES3: {},
    });

    // Act
    const deleted = await s3.client.send(
      new DeleteBucketInventoryConfigurationCommand({ Bucket: SOURCE, Id: 'short-lived' }),
    );

    // Assess
    expect(deleted.$metadata.httpStatusCode).toBe(204);
    await expect(get()).rejects.toMatchObject({
      name: 'NoSuchConfiguration',
      $metadata: { httpStatusCode: 404 },
    });
    await expect(
      s3.client.send(new DeleteBucketInventoryConfigurationCommand({ Bucket: SOURCE, Id: 'short-lived' })),
    ).rejects.toMatchObject({ name: 'NoSuchConfiguration' });
  });

  it('answers virtual-hosted requests too (Host: <bucket>.localhost)', async () => {
    // Prepare
    await put('virtual', configuration('virtual'));
    const port = new URL(s3.url).port;

    // Act
    const response = await new Promise<{ status: number; body: string }>((resolve, reject) => {
      const req = httpRequest(
        {
          host: '127.0.0.1',
          port,
          path: '/?inventory&id=virtual',
          headers: { host: `${SOURCE}.localhost:${port}` },
        },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (chunk: Buffer) => chunks.push(chunk));
          res.on('end', () => resolve({ status: res.statusCode!, body: Buffer.concat(chunks).toString() }));
        },
      );
      req.on('error', reject);
      req.end();
    });

    // Assess
    expect(response.status).toBe(200);
    expect(response.body).toContain('<Id>virtual</Id>');
    expect(response.body).toContain(`<Bucket>arn:aws:s3:::${DESTINATION}</Bucket>`);
  });

  it('answers NoSuchBucket for a bucket that does not exist', async () => {
    await expect(put('x', configuration('x'), 'no-such-bucket-here')).rejects.toMatchObject({
      name: 'NoSuchBucket',
      $metadata: { httpStatusCode: 404 },
    });
  });
});

describe('PutBucketInventoryConfiguration validation', () => {
  const destination = (overrides: Record<string, unknown>) => ({
    S3BucketDestination: { Bucket: `arn:aws:s3:::${DESTINATION}`, Format: 'CSV', ...overrides },
  });
  const cases: [string, InventoryConfiguration, string, RegExp][] = [
    [
      'an unknown Format',
      configuration('bad', { Destination: destination({ Format: 'JSON' }) as never }),
      'MalformedXML',
      /Format must be one of CSV, ORC, Parquet, got "JSON"/,
    ],
    [
      'an unknown Frequency',
      configuration('bad', { Schedule: { Frequency: 'Hourly' as never } }),
      'MalformedXML',
      /Schedule\/Frequency must be one of Daily, Weekly/,
    ],
    [
      'an unknown IncludedObjectVersions',
      configuration('bad', { IncludedObjectVersions: 'Latest' as never }),
      'MalformedXML',
      /IncludedObjectVersions must be one of All, Current/,
    ],
    [
      'an unknown optional field',
      configuration('bad', { OptionalFields: ['Size', 'Colour' as never] }),
      'MalformedXML',
      /OptionalFields\/Field must be one of .*got "Colour"/,
    ],
    [
      'an Id other than the query id',
      configuration('other-id'),
      'IdMismatch',
      /Document ID does not match the specified configuration ID/,
    ],
    [
      'a destination bucket that is not an ARN',
      configuration('bad', { Destination: destination({ Bucket: DESTINATION }) as never }),
      'InvalidS3DestinationBucket',
      /Invalid bucket ARN/,
    ],
  ];

  it.each(cases)('rejects %s', async (_name, config, code, message) => {
    const error = await put('bad', config).catch((caught) => caught);
    expect(error).toMatchObject({ name: code, $metadata: { httpStatusCode: 400 } });
    expect(error.message).toMatch(message);
  });

  it('rejects a configuration id with characters a report key cannot hold (InvalidArgument)', async () => {
    const error = await put('has space', configuration('has space')).catch((caught) => caught);
    expect(error).toMatchObject({ name: 'InvalidArgument', $metadata: { httpStatusCode: 400 } });
    expect(error.message).toMatch(/id must be 1-64 letters/);
  });

  it('refuses the 1,001st configuration of a bucket with TooManyConfigurations', async () => {
    // Prepare
    for (let i = 0; i < 1000; i++) {
      const id = `config-${String(i).padStart(4, '0')}`;
      s3.service.inventory.putConfiguration('full-source', id, Buffer.from(configurationXml(id)));
    }

    // Act
    const error = await put('one-too-many', configuration('one-too-many'), 'full-source').catch(
      (caught) => caught,
    );
    const replaced = await put('config-0000', configuration('config-0000'), 'full-source');

    // Assess
    expect(error).toMatchObject({ name: 'TooManyConfigurations', $metadata: { httpStatusCode: 400 } });
    expect(replaced.$metadata.httpStatusCode).toBe(200);
  });
});

describe('ListBucketInventoryConfigurations', () => {
  it('pages 100 configurations at a time in Id order with continuation tokens', async () => {
    // Prepare
    const ids = Array.from({ length: 205 }, (_, i) => `daily-${String(i).padStart(3, '0')}`);
    for (const id of [...ids].reverse()) await put(id, configuration(id), 'paged-source');

    // Act
    const pages = [];
    let token: string | undefined;
    for (let page = 0; page < 5; page++) {
      const listed = await s3.client.send(
        new ListBucketInventoryConfigurationsCommand({ Bucket: 'paged-source', ContinuationToken: token }),
      );
      pages.push(listed);
      token = listed.NextContinuationToken;
      if (!listed.IsTruncated) break;
    }

    // Assess
    expect(pages.map((page) => page.InventoryConfigurationList?.length)).toEqual([100, 100, 5]);
    expect(pages.map((page) => page.IsTruncated)).toEqual([true, true, false]);
    expect(pages[2]!.NextContinuationToken).toBeUndefined();
    expect(pages[1]!.ContinuationToken).toBe(pages[0]!.NextContinuationToken);
    expect(pages.flatMap((page) => page.InventoryConfigurationList!.map((config) => config.Id))).toEqual(ids);
    expect(pages[0]!.InventoryConfigurationList![0]).toEqual(configuration('daily-000'));
  });

  it('lists nothing for a bucket without configurations, and refuses a forged token', async () => {
    const empty = await s3.client.send(new ListBucketInventoryConfigurationsCommand({ Bucket: DESTINATION }));
    expect(empty.InventoryConfigurationList ?? []).toEqual([]);
    expect(empty.IsTruncated).toBe(false);
    await expect(
      s3.client.send(
        new ListBucketInventoryConfigurationsCommand({ Bucket: DESTINATION, ContinuationToken: '!!' }),
      ),
    ).rejects.toMatchObject({ name: 'InvalidArgument', $metadata: { httpStatusCode: 400 } });
  });
});

/** The XML the SDK sends for `configuration(id)`, for seeding many configurations in-process. */
function configurationXml(id: string): string {
  return `<InventoryConfiguration xmlns="http://s3.amazonaws.com/doc/2006-03-01/"><Destination><S3BucketDestination><Bucket>arn:aws:s3:::${DESTINATION}</Bucket><Format>CSV</Format></S3BucketDestination></Destination><IsEnabled>true</IsEnabled><Id>${id}</Id><IncludedObjectVersions>Current</IncludedObjectVersions><Schedule><Frequency>Daily</Frequency></Schedule></InventoryConfiguration>`;
}
