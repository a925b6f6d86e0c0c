// biome-ignore-all lint/suspicious/noThenProperty: `then` is a restore campaign's second job (schemas/campaign.schema.json), a plain data field, never a function.
import { describe, expect, it } from 'vitest';
import { parseCampaign } from '../../../../src/core/campaign/parse-campaign.js';
import { RequestValidationError } from '../../../../src/core/errors.js';
import { aCampaign, aRestoreCampaign } from '../../../builders/campaign.js';

/** The field and reason parseCampaign refuses `input` with. */
function refusal(input: unknown): { field: string; reason: string } {
  try {
    parseCampaign(input);
  } catch (error) {
    if (error instanceof RequestValidationError) return { field: error.field, reason: error.reason };
    throw error;
  }
  throw new Error('parseCampaign accepted the campaign');
}

describe('parseCampaign', () => {
  it("fills the campaign's defaults: concurrency 1, schedule in UTC and enabled", () => {
    // Act
    const { campaign } = parseCampaign(
      aCampaign({ concurrency: undefined, schedule: { expression: 'rate(7 days)' } }),
    );

    // Assess
    expect(campaign.concurrency).toBe(1);
    expect(campaign.schedule).toEqual({ expression: 'rate(7 days)', timezone: 'UTC', enabled: true });
  });

  it('builds each target: the template, its overrides over it field by field, its source, the campaign tag', () => {
    // Prepare
    const input = aCampaign({
      job: {
        operation: { S3PutObjectTagging: { TagSet: [{ Key: 'classification', Value: 'internal' }] } },
        report: { bucket: 'reports', prefix: 'campaigns', scope: 'AllTasks' },
        wait: { minSeconds: 10 },
        priority: 10,
        tags: { team: 'data' },
      },
    });
    input.targets[1]!.overrides = { priority: 20, wait: { maxSeconds: 30 } };

    // Act
    const { targets } = parseCampaign(input);

    // Assess
    expect(targets.map((t) => [t.index, t.name, t.kind])).toEqual([
      [0, 'logs', 'batch-job'],
      [1, 'images', 'batch-job'],
      [2, 'exports', 'batch-job'],
    ]);
    expect(targets[1]!.request).toEqual({
      operation: { S3PutObjectTagging: { TagSet: [{ Key: 'classification', Value: 'internal' }] } },
      report: { bucket: 'reports', prefix: 'campaigns', scope: 'AllTasks' },
      // Shallow: the override replaces the whole wait section.
      wait: { maxSeconds: 30 },
      priority: 20,
      tags: { team: 'data', 's3bo:campaign': 'weekly-tagging' },
      manifestGenerator: {
        sourceBucket: 'data',
        filter: { keyNameConstraint: { matchAnySuffix: ['.jpg'] } },
      },
    });
    expect(targets[2]!.request.manifest).toEqual({ bucket: 'manifests', key: 'exports.csv' });
    expect(targets[2]!.request).not.toHaveProperty('manifestGenerator');
  });

  it("leaves request defaults to SubmitJob: the child's request is as written, the parsed copy is filled", () => {
    // Act
    const [first] = parseCampaign(aCampaign()).targets;

    // Assess
    expect(first!.request).not.toHaveProperty('confirmationRequired');
    expect(first!.parsed.confirmationRequired).toBe(false);
    expect(first!.parsed.wait.maxSeconds).toBe(600);
  });

  it.each([
    ['no name', { name: undefined }, 'name', 'is required'],
    ['an upper-case name', { name: 'Weekly' }, 'name', 'must match pattern'],
    ['no target', { targets: [] }, 'targets', 'must NOT have fewer than 1 items'],
    ['a concurrency of 41', { concurrency: 41 }, 'concurrency', 'must be <= 40'],
    ['an unknown field', { schedules: {} }, 'schedules', 'is not a known property'],
    ['a budget of 0', { budget: { maxUsd: 0 } }, 'budget.maxUsd', 'must be > 0'],
  ])('refuses %s, naming the field', (_case, override, field, reason) => {
    expect(refusal({ ...aCampaign(), ...override })).toEqual({
      field,
      reason: expect.stringContaining(reason),
    });
  });

  it.each([
    ['cron(0 3 * * SUN *)', 'exactly one of day-of-month and day-of-week must be "?"'],
    ['cron(0 3 ? * SUN)', 'six fields'],
    ['at(2026-02-30T03:00:00)', 'not a real date'],
    ['every sunday', 'must match pattern'],
    ['rate(0 days)', 'must match pattern'],
  ])('refuses the schedule expression %s', (expression, reason) => {
    expect(refusal(aCampaign({ schedule: { expression } }))).toEqual({
      field: 'schedule.expression',
      reason: expect.stringContaining(reason),
    });
  });

  it.each([
    'cron(0 3 ? * SUN *)',
    'cron(0/15 8-18 ? * MON-FRI *)',
    'rate(1 hour)',
    'at(2026-03-01T03:00:00)',
  ])('accepts the schedule expression %s', (expression) => {
    expect(parseCampaign(aCampaign({ schedule: { expression } })).campaign.schedule.expression).toBe(
      expression,
    );
  });

  it('refuses a time zone IANA does not know', () => {
    expect(
      refusal(aCampaign({ schedule: { expression: 'rate(1 day)', timezone: 'Europe/Atlantis' } })),
    ).toEqual({
      field: 'schedule.timezone',
      reason: expect.stringContaining('not an IANA time zone'),
    });
  });

  it('refuses two targets of the same name, naming the second', () => {
    // Prepare
    const input = aCampaign();
    input.targets[2]!.name = 'logs';

    // Act / Assess
    expect(refusal(input)).toEqual({
      field: 'targets[2].name',
      reason: expect.stringContaining('targets[0]'),
    });
  });

  it.each([
    [
      'job.tags',
      (c: ReturnType<typeof aCampaign>) => (c.job.tags = { 's3bo:campaign': 'x' }),
      'job.tags.s3bo:campaign',
    ],
    [
      'a target override',
      (c: ReturnType<typeof aCampaign>) => (c.targets[1]!.overrides = { tags: { 's3bo:stage': 'prod' } }),
      'targets[1].overrides.tags.s3bo:stage',
    ],
  ])('refuses the orchestrator job tags in %s', (_case, edit, field) => {
    // Prepare
    const input = aCampaign();
    edit(input);

    // Act / Assess
    expect(refusal(input)).toEqual({ field, reason: expect.stringContaining('reserved') });
  });

  it("refuses a target whose request is invalid, naming targets[i] and the request's field", () => {
    // Prepare: both sources of objects on one target
    const input = aCampaign();
    input.targets[1]!.manifest = { bucket: 'manifests', key: 'images.csv' };

    // Act / Assess
    expect(refusal(input)).toEqual({
      field: 'targets[1].manifest',
      reason: expect.stringContaining('manifestGenerator are both given'),
    });
  });

  it('refuses a target without a source of objects', () => {
    // Prepare
    const input = aCampaign();
    delete input.targets[2]!.manifest;

    // Act / Assess
    expect(refusal(input)).toEqual({
      field: 'targets[2].manifest',
      reason: expect.stringContaining('required'),
    });
  });

  it('names the override itself when the campaign schema already refuses it', () => {
    // Prepare
    const input = aCampaign();
    input.targets[0]!.overrides = { report: { enabled: true } };

    // Act / Assess
    expect(refusal(input)).toEqual({ field: 'targets[0].overrides.report.bucket', reason: 'is required' });
  });

  it("names the target's request field when only the built request breaks a rule", () => {
    // Prepare: each wait is well-formed; the request's cross-field rule fails
    const input = aCampaign();
    input.targets[1]!.overrides = { wait: { minSeconds: 120, maxSeconds: 60 } };

    // Act / Assess
    expect(refusal(input)).toEqual({
      field: 'targets[1].wait.minSeconds',
      reason: expect.stringContaining('must not exceed wait.maxSeconds'),
    });
  });

  describe('restore campaigns', () => {
    it("make restore.tier and restore.expirationDays the operation's GlacierJobTier and ExpirationInDays", () => {
      // Act
      const { targets } = parseCampaign(aRestoreCampaign());

      // Assess
      expect(targets[0]!.kind).toBe('restore-then');
      expect(targets[0]!.request.operation).toEqual({
        S3InitiateRestoreObject: { GlacierJobTier: 'BULK', ExpirationInDays: 7 },
      });
    });

    it('accept the same value written in the operation, and refuse a different one naming restore.tier', () => {
      // Prepare
      const same = aRestoreCampaign();
      same.job.operation = { S3InitiateRestoreObject: { GlacierJobTier: 'BULK' } };
      const other = aRestoreCampaign();
      other.job.operation = { S3InitiateRestoreObject: { GlacierJobTier: 'STANDARD' } };

      // Act / Assess
      expect(parseCampaign(same).targets[0]!.parsed.operation).toEqual({
        S3InitiateRestoreObject: { GlacierJobTier: 'BULK', ExpirationInDays: 7 },
      });
      expect(refusal(other)).toEqual({ field: 'restore.tier', reason: expect.stringContaining('STANDARD') });
    });

    it('must restore: another operation, in the template or a target override, is refused', () => {
      // Prepare
      const template = aRestoreCampaign();
      template.job.operation = { S3PutObjectTagging: { TagSet: [] } };
      const override = aRestoreCampaign();
      override.targets[0]!.overrides = { operation: { S3DeleteObjectTagging: {} } };

      // Act / Assess
      expect(refusal(template)).toEqual({
        field: 'job.operation',
        reason: expect.stringContaining('S3InitiateRestoreObject'),
      });
      expect(refusal(override)).toEqual({
        field: 'targets[0].overrides.operation',
        reason: expect.stringContaining('S3DeleteObjectTagging'),
      });
    });

    it('refuse a second job that restores again', () => {
      // Prepare
      const input = aRestoreCampaign();
      input.restore!.then = { operation: { S3InitiateRestoreObject: {} } };

      // Act / Assess
      expect(refusal(input)).toEqual({
        field: 'restore.then.operation',
        reason: expect.stringContaining('must not be'),
      });
    });

    it("build the second job from the restore job's fields under then's, without its objects or operation", () => {
      // Prepare
      const input = aRestoreCampaign();
      input.job.policy = { dryRun: true };
      input.restore!.then!.report = { bucket: 'reports', prefix: 'copies' };

      // Act
      const [target] = parseCampaign(input).targets;

      // Assess
      expect(target!.then).toEqual({
        report: { bucket: 'reports', prefix: 'copies' },
        policy: { dryRun: true },
        tags: { 's3bo:campaign': 'archive-restore' },
        operation: {
          S3PutObjectCopy: {
            TargetResource: 'arn:aws:s3:::archive',
            StorageClass: 'STANDARD',
            MetadataDirective: 'COPY',
          },
        },
      });
      expect(target!.thenParsed?.operation).toHaveProperty('S3PutObjectCopy');
    });

    it("write out RestoreObject's default tier, STANDARD, when neither the campaign nor the operation names one", () => {
      // Prepare
      const input = aRestoreCampaign();
      delete input.restore!.tier;

      // Act
      const [target] = parseCampaign(input).targets;

      // Assess
      expect(target!.request.operation).toEqual({
        S3InitiateRestoreObject: { GlacierJobTier: 'STANDARD', ExpirationInDays: 7 },
      });
      expect(target!.restore).toMatchObject({ tier: 'STANDARD', expirationDays: 7 });
    });

    it('need the restore report, listing succeeded tasks when a second job runs over them', () => {
      // Prepare
      const disabled = aRestoreCampaign();
      disabled.job.report = { enabled: false };
      const failedOnly = aRestoreCampaign();
      failedOnly.targets[0]!.overrides = { report: { bucket: 'reports', scope: 'FailedTasksOnly' } };

      // Act / Assess
      expect(refusal(disabled)).toEqual({
        field: 'job.report.enabled',
        reason: expect.stringContaining('must be true'),
      });
      expect(refusal(failedOnly)).toEqual({
        field: 'targets[0].overrides.report.scope',
        reason: expect.stringContaining('must be AllTasks'),
      });
    });

    it('refuse restore settings on a campaign that does not restore', () => {
      expect(refusal(aCampaign({ restore: { tier: 'BULK' } }))).toEqual({
        field: 'job.operation',
        reason: expect.stringContaining('must be S3InitiateRestoreObject'),
      });
    });
  });

  it('refuses what is not an object, and nesting past its bound, without overflowing', () => {
    // Prepare
    let deep: Record<string, unknown> = {};
    const root = deep;
    for (let i = 0; i < 10_000; i++) deep = deep.x = {};

    // Act / Assess
    expect(refusal([])).toEqual({ field: 'campaign', reason: 'must be a JSON object' });
    expect(refusal(root)).toEqual({ field: 'campaign', reason: expect.stringContaining('nested deeper') });
  });
});
