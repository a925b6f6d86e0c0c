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
    expect(stdout).toContain('3 objects, prices for us-east-1');
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
