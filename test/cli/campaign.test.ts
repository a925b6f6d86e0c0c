/**
 * `s3bo campaign list | validate | run | status` on a real embedded local AWS with the project deployed:
 * the run starts the campaign machine, follows each target's child execution and prints the table.
 */
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { aTaggingCampaign, seedTaggingLayout, taggingLayout, tagsOf } from '../workflow/campaign-helpers.js';
import { reportBucket } from '../workflow/harness.js';
import { type LocalCli, localCliPerTest } from './local-aws.js';

const startLocalCli = localCliPerTest();
const campaignsDir = join(import.meta.dirname, '..', '..', 'campaigns');

async function seeded(): Promise<LocalCli> {
  const cli = await startLocalCli();
  cli.aws.s3.backend.ensureBucket(reportBucket);
  seedTaggingLayout(cli);
  return cli;
}

describe('s3bo campaign', () => {
  it('validate accepts every campaign in campaigns/ and names the field of a bad one (exit 2)', async () => {
    // Prepare
    const cli = await startLocalCli();
    const names = readdirSync(campaignsDir)
      .filter((file) => file.endsWith('.json'))
      .map((file) => file.replace(/\.json$/, ''));
    const bad = aTaggingCampaign();
    (bad.targets[1] as { manifestGenerator: { filter: object } }).manifestGenerator.filter = {
      objectSizeGreaterThanBytes: -1,
    };
    // Act
    const good = await Promise.all(names.map((name) => cli.s3bo(['campaign', 'validate', name])));
    const refused = await cli.s3bo(['campaign', 'validate', cli.file('bad.json', bad)]);
    // Assess
    expect(names.length).toBeGreaterThanOrEqual(2);
    for (const result of good) expect(result.code, result.stderr).toBe(0);
    expect(good[0]!.stdout).toContain('is a valid campaign');
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain('targets[1]');
    expect(refused.stderr).toContain('objectSizeGreaterThanBytes');
  });

  it('list shows each campaign file with its schedule and targets, and an invalid one with its error', async () => {
    // Prepare
    const cli = await startLocalCli();
    const dir = join(cli.file('weekly-tagging.json', aTaggingCampaign()), '..');
    cli.file('broken.json', { name: 'broken' });
    // Act
    const text = await cli.s3bo(['campaign', 'list', '--dir', dir]);
    const json = await cli.s3bo(['--json', 'campaign', 'list', '--dir', dir]);
    // Assess
    expect(text.code, text.stderr).toBe(0);
    expect(text.stdout).toContain('cron(0 3 ? * SUN *) Europe/Paris');
    expect(text.stdout).toContain('logs (batch-job), images (batch-job), large (batch-job)');
    expect(text.stdout).toMatch(/broken\.json\s+invalid: /);
    const rows = JSON.parse(json.stdout) as { name?: string; error?: string }[];
    expect(rows.map((row) => row.name ?? 'invalid')).toEqual(['invalid', 'weekly-tagging']);
  });

  it('run starts the campaign now, shows a line per target and ends with the table; status lists the run', async () => {
    // Prepare
    const cli = await seeded();
    const file = cli.file('weekly-tagging.json', aTaggingCampaign());
    // Act
    const run = await cli.s3bo(['campaign', 'run', file, '--interval', '0.05']);
    const status = await cli.s3bo(['--json', 'campaign', 'status', 'weekly-tagging']);
    // Assess: the objects, the progress lines and the table
    expect(run.code, run.stderr).toBe(0);
    for (const key of taggingLayout.images) {
      expect(tagsOf(cli, key)).toEqual([{ Key: 'classification', Value: 'public' }]);
    }
    for (const key of taggingLayout.untouched) expect(tagsOf(cli, key)).toEqual([]);
    for (const target of ['logs', 'images', 'large'])
      expect(run.stderr).toMatch(new RegExp(`^${target}\\s+job\\s+`, 'm'));
    expect(run.stdout).toMatch(/Outcome\s+Succeeded/);
    expect(run.stdout).toMatch(/^logs\s+Succeeded\s+\S+\s+3\s+3\s+0\s/m);
    expect(run.stdout).toMatch(/^images\s+Succeeded\s+\S+\s+2\s+2\s+0\s/m);
    // Assess: status
    expect(status.code, status.stderr).toBe(0);
    const runs = JSON.parse(status.stdout) as { trigger: string; outcome: string; status: string }[];
    expect(runs).toHaveLength(1);
    expect(runs[0]).toMatchObject({ trigger: 'manual', outcome: 'Succeeded', status: 'SUCCEEDED' });
  });

  it('run exits 1 with the reason when the run fails: over budget, no job started', async () => {
    // Prepare
    const cli = await seeded();
    const file = cli.file('weekly-tagging.json', aTaggingCampaign({ budget: { maxUsd: 0.01 } }));
    // Act
    const run = await cli.s3bo(['--json', 'campaign', 'run', file, '--interval', '0.05']);
    // Assess
    expect(run.code).toBe(1);
    const result = JSON.parse(run.stdout) as { outcome: string; result: { reason: string; field?: string } };
    expect(result.outcome).toBe('Failed');
    expect(result.result.field).toBe('budget.maxUsd');
    expect(cli.aws.s3control.engine.jobs()).toHaveLength(0);
  });
});
