import { createHash } from 'node:crypto';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { estimateJobCost } from '../../src/core/cost/estimate.js';
import { localCliPerTest } from './local-aws.js';

const startLocalCli = localCliPerTest();

const operation = { S3PutObjectTagging: { TagSet: [{ Key: 'classification', Value: 'public' }] } };
const request = (budget?: number) => ({
  operation,
  manifest: { bucket: 'manifests', key: 'three.csv' },
  report: { enabled: false },
  ...(budget === undefined ? {} : { budget: { maxUsd: budget } }),
});

async function cliWithManifest() {
  const cli = await startLocalCli();
  cli.aws.s3.backend.ensureBucket('manifests');
  cli.aws.s3.backend.putObject('manifests', 'three.csv', Buffer.from('data,a\ndata,b\ndata,c\n'));
  return cli;
}

describe('s3bo estimate', () => {
  it('counts the manifest rows on the endpoint and prints the breakdown as a table', async () => {
    // Prepare
    const cli = await cliWithManifest();
    // Act
    const { code, stdout } = await cli.s3bo(['estimate', cli.file('request.json', request(0.01))]);
    // Assess
    expect(code).toBe(0);
    expect(stdout).toContain("3 objects, counted from the CSV manifest's rows, prices for us-east-1");
    expect(stdout).toMatch(/^PutObjectTagging requests\s+3 requests\s+\$0\.005 \/ 1000\s+\$0\.000015$/m);
    const total = estimateJobCost({ operation, objectCount: 3, region: 'us-east-1' }).totalUsd;
    expect(stdout).toMatch(new RegExp(`^Total\\s+\\$${String(total).replace('.', '\\.')}$`, 'm'));
    expect(stdout).toContain('over budget (maxUsd $0.01)');
  });

  it('prints the estimate as JSON with --json', async () => {
    // Prepare
    const cli = await cliWithManifest();
    // Act
    const { code, stdout } = await cli.s3bo(['--json', 'estimate', cli.file('request.json', request(5))]);
    // Assess
    expect(code).toBe(0);
    const printed = JSON.parse(stdout);
    expect(printed).toMatchObject({
      objectCount: 3,
      totalUsd: estimateJobCost({ operation, objectCount: 3, region: 'us-east-1' }).totalUsd,
      budget: { maxUsd: 5, withinBudget: true },
    });
    expect(printed.lines[0]).toMatchObject({ item: 'S3 Batch Operations job fee', usd: 0.25 });
  });

  it('exits 2 naming manifest.key when the manifest does not exist', async () => {
    const cli = await startLocalCli();
    cli.aws.s3.backend.ensureBucket('manifests');
    const { code, stderr } = await cli.s3bo(['estimate', cli.file('request.json', request())]);
    expect(code).toBe(2);
    expect(stderr).toContain('manifest.key');
  });
});

describe('s3bo estimate, other sources of objects', () => {
  const generatorRequest = (filter: Record<string, unknown>) => ({
    operation,
    manifestGenerator: { sourceBucket: 'gen-source', filter },
    report: { enabled: false },
  });

  async function cliWithSourceBucket() {
    const cli = await startLocalCli();
    const s3 = cli.aws.s3.backend;
    s3.ensureBucket('gen-source');
    for (const key of ['logs/a.log', 'logs/b.log', 'logs/c.txt', 'images/d.png']) {
      s3.putObject('gen-source', key, Buffer.from(`body of ${key}`));
    }
    return cli;
  }

  it("counts a generator's objects by listing its source bucket with the filter", async () => {
    // Prepare
    const cli = await cliWithSourceBucket();
    const request = generatorRequest({
      keyNameConstraint: { matchAnyPrefix: ['logs/'], matchAnySuffix: ['.log'] },
    });

    // Act
    const { code, stdout } = await cli.s3bo(['estimate', cli.file('generator.json', request)]);

    // Assess
    expect(code).toBe(0);
    expect(stdout).toContain(
      "2 objects, counted by listing the generator's source bucket, prices for us-east-1",
    );
  });

  it('says the count is an upper bound when the filter uses what a listing cannot show', async () => {
    const cli = await cliWithSourceBucket();
    const request = generatorRequest({
      keyNameConstraint: { matchAnyPrefix: ['logs/'] },
      eligibleForReplication: true,
    });

    const { code, stdout } = await cli.s3bo(['--json', 'estimate', cli.file('bounded.json', request)]);

    expect(code).toBe(0);
    expect(JSON.parse(stdout)).toMatchObject({
      objectCount: 3,
      objectCountSource: 'generatorListing',
      objectCountIsUpperBound: true,
      totalUsd: estimateJobCost({ operation, objectCount: 3, region: 'us-east-1' }).totalUsd,
    });
  });

  it("counts the rows of the newest inventory report's gzipped data files, delete markers left out", async () => {
    // Prepare: a report of now (the CLI ages it against its own clock), and an older one
    const cli = await startLocalCli();
    const s3 = cli.aws.s3.backend;
    s3.ensureBucket('inventories');
    const folderOf = (date: Date) => date.toISOString().slice(0, 16).replace(':', '-') + 'Z';
    const writeReport = (folder: string, rows: string[]) => {
      const dataKey = `inv/src/daily/data/${folder}.csv.gz`;
      s3.putObject('inventories', dataKey, gzipSync(rows.join('')));
      const manifest = JSON.stringify({
        sourceBucket: 'src',
        destinationBucket: 'arn:aws:s3:::inventories',
        version: '2016-11-30',
        fileFormat: 'CSV',
        fileSchema: 'Bucket, Key, IsDeleteMarker',
        files: [{ key: dataKey, size: 1, MD5checksum: 'x' }],
      });
      s3.putObject('inventories', `inv/src/daily/${folder}/manifest.json`, Buffer.from(manifest));
      const md5 = createHash('md5').update(manifest).digest('hex');
      s3.putObject('inventories', `inv/src/daily/${folder}/manifest.checksum`, Buffer.from(`${md5}\n`));
    };
    writeReport(folderOf(new Date(Date.now() - 86_400_000)), ['"src","old","false"\n']);
    writeReport(folderOf(new Date()), ['"src","a","false"\n', '"src","b","true"\n', '"src","c","false"\n']);
    const request = {
      operation,
      manifest: {
        inventory: { bucket: 'inventories', prefix: 'inv', sourceBucket: 'src', configId: 'daily' },
      },
      report: { enabled: false },
    };

    // Act
    const { code, stdout } = await cli.s3bo(['estimate', cli.file('inventory.json', request)]);

    // Assess
    expect(code).toBe(0);
    expect(stdout).toContain("2 objects, counted from the inventory report's rows, prices for us-east-1");
  });

  it('exits 2 naming manifest.inventory when no report was delivered', async () => {
    const cli = await startLocalCli();
    cli.aws.s3.backend.ensureBucket('inventories');
    const request = {
      operation,
      manifest: { inventory: { bucket: 'inventories', sourceBucket: 'src', configId: 'daily' } },
      report: { enabled: false },
    };
    const { code, stderr } = await cli.s3bo(['estimate', cli.file('none.json', request)]);
    expect(code).toBe(2);
    expect(stderr).toContain('manifest.inventory: no inventory report');
  });
});
