/**
 * Every campaign in campaigns/ is valid (the full check: schema and every target's job request), and the
 * schedule module builds the stage's schedules from them, refusing what a stage could not run.
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { buildScheduleResources, CampaignScheduleConfigError } from '../../../../campaigns/schedules.cjs';
import { parseCampaign } from '../../../../src/core/campaign/parse-campaign.js';
import { RequestValidationError } from '../../../../src/core/errors.js';
import { projectRoot } from '../../../contract/helpers/paths.js';

const campaignsDir = join(projectRoot, 'campaigns');
const files = readdirSync(campaignsDir)
  .filter((name) => name.endsWith('.json'))
  .sort();
const read = (file: string): Record<string, unknown> =>
  JSON.parse(readFileSync(join(campaignsDir, file), 'utf8')) as Record<string, unknown>;

describe('campaigns/', () => {
  it('holds the example campaigns', () => {
    expect(files).toEqual(expect.arrayContaining(['archive-restore.json', 'weekly-tagging.json']));
  });

  it.each(files)('%s is a valid campaign named after its file', (file) => {
    // Act
    const { campaign, targets } = parseCampaign(read(file));

    // Assess
    expect(`${campaign.name}.json`).toBe(file);
    expect(targets.length).toBeGreaterThan(0);
  });

  it.each(files)('%s would be refused with a broken target (the check is real)', (file) => {
    // Prepare: the first target loses its source of objects
    const campaign = read(file) as { targets: Record<string, unknown>[] };
    delete campaign.targets[0]!.manifest;
    delete campaign.targets[0]!.manifestGenerator;

    // Act / Assess
    expect(() => parseCampaign(campaign)).toThrow(RequestValidationError);
    expect(() => parseCampaign(campaign)).toThrow(/^targets\[0\]\.manifest/);
  });

  it('weekly-tagging: a weekly cron in a time zone, three targets with different sources, concurrency 2, a budget', () => {
    // Act
    const { campaign } = parseCampaign(read('weekly-tagging.json'));

    // Assess
    expect(campaign.schedule).toMatchObject({
      expression: expect.stringMatching(/^cron\(.* \? \* SUN \*\)$/),
      timezone: 'Europe/Paris',
    });
    expect(campaign.targets).toHaveLength(3);
    expect(new Set(campaign.targets.map((t) => JSON.stringify(t.manifest ?? t.manifestGenerator))).size).toBe(
      3,
    );
    expect(campaign.concurrency).toBe(2);
    expect(campaign.budget?.maxUsd).toBeGreaterThan(0);
  });

  it('archive-restore: a restore whose second job copies in place to STANDARD', () => {
    // Act
    const { campaign, targets } = parseCampaign(read('archive-restore.json'));

    // Assess
    expect(targets.every((t) => t.kind === 'restore-then')).toBe(true);
    const copy = campaign.restore?.then?.operation.S3PutObjectCopy;
    expect(copy).toMatchObject({ StorageClass: 'STANDARD' });
    const sources = campaign.targets.map((t) => `arn:aws:s3:::${t.manifestGenerator?.sourceBucket}`);
    expect(sources.every((arn) => arn === copy?.TargetResource)).toBe(true);
  });
});

describe('campaigns/schedules.cjs', () => {
  const devSettings = {
    stage: 'dev',
    campaigns: ['weekly-tagging'],
    batchOperations: ['S3PutObjectTagging'],
    allowedBuckets: ['s3-batch-orchestrator-dev-data'],
    reportBucket: 's3-batch-orchestrator-dev-reports',
  };
  const scratch = mkdtempSync(join(tmpdir(), 's3bo-campaigns-'));
  afterAll(() => rmSync(scratch, { recursive: true, force: true }));

  it('builds one schedule per enabled campaign, starting the campaign machine with the campaign as input', () => {
    // Act
    const { Resources } = buildScheduleResources(devSettings);

    // Assess
    expect(Object.keys(Resources)).toEqual(['CampaignScheduleWeeklyTagging']);
    const { Type, Properties } = Resources.CampaignScheduleWeeklyTagging!;
    expect(Type).toBe('AWS::Scheduler::Schedule');
    expect(Properties).toMatchObject({
      Name: 'weekly-tagging',
      GroupName: { Ref: 'CampaignScheduleGroup' },
      ScheduleExpression: 'cron(0 3 ? * SUN *)',
      ScheduleExpressionTimezone: 'Europe/Paris',
      FlexibleTimeWindow: { Mode: 'FLEXIBLE', MaximumWindowInMinutes: 15 },
      State: 'ENABLED',
      Target: {
        Arn: { Ref: 'CampaignStateMachine' },
        RoleArn: { 'Fn::GetAtt': ['CampaignSchedulerRole', 'Arn'] },
        RetryPolicy: { MaximumEventAgeInSeconds: 3600, MaximumRetryAttempts: 10 },
        DeadLetterConfig: { Arn: { 'Fn::GetAtt': ['TriggerDeadLetterQueue', 'Arn'] } },
      },
    });
    expect(JSON.parse(Properties.Target.Input)).toEqual({
      campaign: read('weekly-tagging.json'),
      scheduledTime: '<aws.scheduler.scheduled-time>',
      trigger: 'schedule',
    });
  });

  it('builds nothing for a stage that enables no campaign', () => {
    expect(buildScheduleResources({ ...devSettings, campaigns: [] })).toEqual({ Resources: {} });
  });

  it('keeps a campaign disabled in its file DISABLED, with the flexible window OFF when it has none', () => {
    // Prepare
    const campaign = {
      ...read('weekly-tagging.json'),
      name: 'paused',
      schedule: { expression: 'rate(1 day)', enabled: false },
    };
    writeFileSync(join(scratch, 'paused.json'), JSON.stringify(campaign));

    // Act
    const { Resources } = buildScheduleResources({ ...devSettings, campaigns: ['paused'] }, scratch);

    // Assess
    expect(Resources.CampaignSchedulePaused!.Properties).toMatchObject({
      State: 'DISABLED',
      FlexibleTimeWindow: { Mode: 'OFF' },
      ScheduleExpressionTimezone: 'UTC',
    });
  });

  it.each([
    [{ campaigns: ['nope'] }, 'campaigns lists "nope", but campaigns/nope.json does not exist'],
    [{ campaigns: ['weekly-tagging', 'weekly-tagging'] }, 'campaigns lists "weekly-tagging" twice'],
    [{ campaigns: 'weekly-tagging' }, 'campaigns must be a list'],
    [
      { campaigns: ['archive-restore'] },
      'campaign archive-restore runs S3InitiateRestoreObject, which batchOperations does not enable',
    ],
    [
      { allowedBuckets: ['elsewhere'] },
      'campaign weekly-tagging targets[0].manifestGenerator.sourceBucket is s3-batch-orchestrator-dev-data, which is not one of allowedBuckets',
    ],
    [
      { reportBucket: 'other-reports' },
      "campaign weekly-tagging job.report writes to s3-batch-orchestrator-dev-reports; the stage's batch role writes reports only to reportBucket (other-reports)",
    ],
  ])('refuses a campaign the stage could not run, naming it (%j)', (override, message) => {
    // Act
    const build = () => buildScheduleResources({ ...devSettings, ...override });

    // Assess
    expect(build).toThrow(CampaignScheduleConfigError);
    expect(build).toThrow(`serverless.yml params (stage dev): ${message}`);
  });

  it('refuses a campaign file that does not name itself', () => {
    // Prepare
    writeFileSync(join(scratch, 'renamed.json'), JSON.stringify({ ...read('weekly-tagging.json') }));

    // Act / Assess
    expect(() => buildScheduleResources({ ...devSettings, campaigns: ['renamed'] }, scratch)).toThrow(
      'campaigns/renamed.json must name itself "renamed"',
    );
  });
});
