import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { aJobRequest } from '../builders/job-request.js';
import { s3bo } from './helpers.js';

const dir = mkdtempSync(join(tmpdir(), 's3bo-validate-'));
function requestFile(name: string, content: unknown): string {
  const path = join(dir, name);
  writeFileSync(path, typeof content === 'string' ? content : JSON.stringify(content));
  return path;
}

describe('s3bo validate', () => {
  it('accepts a valid request (exit 0)', async () => {
    const file = requestFile('good.json', aJobRequest());
    const result = await s3bo(['validate', file]);
    expect(result).toMatchObject({ code: 0, stderr: '' });
    expect(result.stdout).toBe(`ok: ${file} is a valid job request\n`);
  });

  it('prints the request with defaults filled in with --json', async () => {
    const result = await s3bo(['--json', 'validate', requestFile('good2.json', aJobRequest())]);
    expect(result.code).toBe(0);
    const output = JSON.parse(result.stdout);
    expect(output.valid).toBe(true);
    expect(output.request.manifest.fields).toEqual(['Bucket', 'Key']);
  });

  it('names the offending field and exits 2', async () => {
    const bad = aJobRequest() as unknown as { manifest: Record<string, unknown> };
    delete bad.manifest.bucket;
    const result = await s3bo(['validate', requestFile('bad.json', bad)]);
    expect(result.code).toBe(2);
    expect(result.stdout).toBe('');
    expect(result.stderr).toContain('manifest.bucket: is required');
  });

  it('applies the policy rules SubmitJob applies, so the workflow never rejects what validate accepts', async () => {
    const conflicting = aJobRequest({
      priority: 10,
      policy: {
        autoCancel: { failureRateThreshold: 0.05, minTasksRun: 200 },
        reprioritize: { warnFailureRate: 0.2, recoverFailureRate: 0.1, loweredPriority: 1 },
      },
    });
    const result = await s3bo(['validate', requestFile('policy.json', conflicting)]);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(
      'policy.reprioritize.warnFailureRate: must be below autoCancel.failureRateThreshold (0.05)',
    );
    const lowered = aJobRequest({
      priority: 10,
      policy: { reprioritize: { warnFailureRate: 0.2, loweredPriority: 10 } },
    });
    expect((await s3bo(['validate', requestFile('lowered.json', lowered)])).stderr).toContain(
      'policy.reprioritize.loweredPriority: must be below the job priority (10)',
    );
  });

  it('exits 2 naming the path on a request nested 5,000 levels deep (no stack overflow)', async () => {
    // Written as text: JSON.stringify itself recurses, and would overflow on this.
    const deep = `${'{"nested":'.repeat(5_000)}{"Key":"k","Value":"v"}${'}'.repeat(5_000)}`;
    const text = JSON.stringify(aJobRequest()).replace(/"TagSet":\[[^\]]*\]/, () => `"TagSet":[${deep}]`);
    const result = await s3bo(['validate', requestFile('deep.json', text)]);
    expect(result.code).toBe(2);
    expect(result.stdout).toBe('');
    expect(result.stderr).toContain(
      `invalid job request: operation.S3PutObjectTagging.TagSet[0]${'.nested'.repeat(28)}: is nested deeper than 32 levels`,
    );
    expect(result.stderr).not.toMatch(/call stack/i);
  });

  it.each([
    ['null', 'null'],
    ['an array', '[{"priority": 10}]'],
    ['a string', '"tag everything"'],
    ['a number', '42'],
  ])('exits 2 when the whole file is %s: the request must be an object', async (_name, text) => {
    const result = await s3bo(['validate', requestFile(`not-object-${_name.replace(' ', '-')}.json`, text)]);
    expect(result.code).toBe(2);
    expect(result.stdout).toBe('');
    expect(result.stderr).toContain('invalid job request: request: must be an object');
  });

  it('exits 2 on a file that is not JSON or does not exist', async () => {
    expect((await s3bo(['validate', requestFile('broken.json', '{ nope')])).code).toBe(2);
    const missing = await s3bo(['validate', join(dir, 'missing.json')]);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('ENOENT');
  });

  it.each([
    [
      'a generator S3 lists the objects with',
      { manifest: undefined, manifestGenerator: { sourceBucket: 'photos', filter: { olderThanDays: 30 } } },
    ],
    [
      'the newest report of an inventory configuration',
      { manifest: { inventory: { bucket: 'inventories', sourceBucket: 'photos', configId: 'daily-all' } } },
    ],
  ])('accepts %s as the source of objects (exit 0), defaults filled in', async (_name, source) => {
    const file = requestFile(`source-${_name.length}.json`, { ...aJobRequest(), ...source });
    const result = await s3bo(['--json', 'validate', file]);
    expect(result.code).toBe(0);
    const { request } = JSON.parse(result.stdout);
    if (request.manifestGenerator) expect(request.manifestGenerator.enableManifestOutput).toBe(false);
    else expect(request.manifest.inventory.maxAgeHours).toBe(48);
  });

  it.each([
    [
      'both a manifest and a generator',
      { manifestGenerator: { sourceBucket: 'photos' } },
      'manifest: and manifestGenerator are both given',
    ],
    [
      'a relative age beside its absolute twin',
      {
        manifest: undefined,
        manifestGenerator: {
          sourceBucket: 'photos',
          filter: { newerThanDays: 3, createdAfter: '2026-01-01T00:00:00Z' },
        },
      },
      'manifestGenerator.filter.newerThanDays: conflicts with createdAfter',
    ],
    [
      'a bad storage class',
      {
        manifest: undefined,
        manifestGenerator: { sourceBucket: 'photos', filter: { matchAnyStorageClass: ['TAPE'] } },
      },
      'manifestGenerator.filter.matchAnyStorageClass[0]: must be one of',
    ],
    [
      'a key beside inventory',
      {
        manifest: {
          key: 'm.csv',
          inventory: { bucket: 'inventories', sourceBucket: 'photos', configId: 'daily-all' },
        },
      },
      'manifest.key: does not go with manifest.inventory',
    ],
  ])('exits 2 on %s, naming the field', async (_name, patch, message) => {
    const result = await s3bo([
      'validate',
      requestFile(`bad-source-${_name.length}.json`, { ...aJobRequest(), ...patch }),
    ]);
    expect(result.code).toBe(2);
    expect(result.stdout).toBe('');
    expect(result.stderr).toContain(message);
  });

  it('exits 2 on a missing argument or an unknown command', async () => {
    expect((await s3bo(['validate'])).code).toBe(2);
    expect((await s3bo(['no-such-command'])).code).toBe(2);
  });
});
