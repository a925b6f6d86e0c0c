/** `s3bo inventory run` against a running local AWS: a report now, through the emulator's admin route. */
import { createServer } from 'node:net';
import { describe, expect, it } from 'vitest';
import { s3bo } from './helpers.js';
import { type LocalCli, localCliPerTest } from './local-aws.js';

const startLocalCli = localCliPerTest();

const CONFIG = `<InventoryConfiguration xmlns="http://s3.amazonaws.com/doc/2006-03-01/">
  <Destination><S3BucketDestination><Bucket>arn:aws:s3:::inventory-reports</Bucket><Format>CSV</Format>
    <Prefix>inventory</Prefix></S3BucketDestination></Destination>
  <IsEnabled>true</IsEnabled><Id>nightly</Id><IncludedObjectVersions>Current</IncludedObjectVersions>
  <OptionalFields><Field>Size</Field></OptionalFields><Schedule><Frequency>Daily</Frequency></Schedule>
</InventoryConfiguration>`;

/** A `photos` bucket with three objects and the `nightly` configuration reporting to `inventory-reports`. */
function seed(cli: LocalCli): void {
  const s3 = cli.aws.s3.backend;
  s3.ensureBucket('photos');
  s3.ensureBucket('inventory-reports');
  for (const key of ['a.jpg', 'b.jpg', 'c d.jpg']) s3.putObject('photos', key, Buffer.from(key));
  cli.aws.s3.inventory.putConfiguration('photos', 'nightly', Buffer.from(CONFIG));
}

describe('s3bo inventory run', () => {
  it('writes a report now and prints where its manifest is (text and --json)', async () => {
    // Prepare
    const cli = await startLocalCli();
    seed(cli);

    // Act
    const text = await cli.s3bo(['inventory', 'run', 'photos', 'nightly']);
    const json = await cli.s3bo(['--json', 'inventory', 'run', 'photos', 'nightly']);

    // Assess
    expect(text.code, text.stderr).toBe(0);
    expect(text.stdout).toMatch(
      /^s3:\/\/inventory-reports\/inventory\/photos\/nightly\/\d{4}-\d\d-\d\dT\d\d-\d\dZ\/manifest\.json\n$/,
    );
    expect(json.code, json.stderr).toBe(0);
    const result = JSON.parse(json.stdout);
    expect(result).toEqual({
      manifestKey: expect.stringMatching(/^inventory\/photos\/nightly\/.+\/manifest\.json$/),
      destinationBucket: 'inventory-reports',
    });
    const manifest = JSON.parse(
      cli.aws.s3.backend.getObjectBody({ bucket: 'inventory-reports', key: result.manifestKey }).toString(),
    );
    expect(manifest).toMatchObject({ sourceBucket: 'photos', fileSchema: 'Bucket, Key, Size' });
    expect(manifest.files).toHaveLength(1);
  });

  it('fails clearly (exit 3) for a configuration the bucket does not have', async () => {
    const cli = await startLocalCli();
    seed(cli);
    const result = await cli.s3bo(['inventory', 'run', 'photos', 'weekly']);
    expect(result.code).toBe(3);
    expect(result.stdout).toBe('');
    expect(result.stderr).toContain(
      'error: inventory configuration "weekly" of bucket "photos": NoSuchConfiguration: The specified configuration does not exist.',
    );
  });

  it('refuses AWS endpoints (exit 2): only the local AWS runs inventory on demand', async () => {
    const onAws = await s3bo([
      '--stage',
      'prod',
      '--account-id',
      '123456789012',
      'inventory',
      'run',
      'b',
      'c',
    ]);
    const explicit = await s3bo([
      '--endpoint',
      'https://s3.us-east-1.amazonaws.com',
      'inventory',
      'run',
      'b',
      'c',
    ]);
    for (const result of [onAws, explicit]) {
      expect(result.code).toBe(2);
      expect(result.stderr).toMatch(/^error: inventory run needs the local AWS, but stage \w+ uses /);
    }
    expect(onAws.stderr).toContain('uses AWS itself');
  });

  it('says nothing answers (exit 3) when the local AWS is not running', async () => {
    const endpoint = `http://127.0.0.1:${await closedPort()}`;
    const result = await s3bo(['--endpoint', endpoint, 'inventory', 'run', 'photos', 'nightly']);
    expect(result.code).toBe(3);
    expect(result.stderr).toContain(`error: cannot reach the local AWS at ${endpoint}`);
    expect(result.stderr).toContain(`hint: nothing answers at ${endpoint}`);
  });
});

/** A loopback port nothing listens on (it was free a moment ago). */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}
