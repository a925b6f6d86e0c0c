import { describe, expect, it } from 'vitest';
import { ReportIntegrityError } from '../../../src/core/errors.js';
import { defaultRedriveErrorCodes } from '../../../src/core/redrive/eligibility.js';
import {
  type WriteRedriveManifestInput,
  writeRedriveManifest,
} from '../../../src/core/redrive/redrive-manifest.js';
import type { MemoryObjectStore } from '../../doubles/memory-ports.js';
import { md5 } from '../../doubles/memory-ports.js';
import { givenReport, jobId, newStore, reportBucket, reportPrefix, row } from './builders.js';

const target = { bucket: reportBucket, key: `batch/s3bo-redrive/job-${jobId}/attempt-1.csv` };

const input = (store: MemoryObjectStore, overrides: Partial<WriteRedriveManifestInput> = {}) => ({
  store,
  reportBucket,
  reportPrefix,
  jobId,
  errorCodes: defaultRedriveErrorCodes,
  target,
  ...overrides,
});

const written = (store: MemoryObjectStore): string | undefined =>
  store.objects.get(`${target.bucket}/${target.key}`)?.toString('utf8');

const succeeded = row('photos/a.jpg', { status: 'succeeded', message: 'Successful' });
const failed =
  row('photos/my%20cat.jpg', {
    http: '503',
    code: 'SlowDown',
    message: 'Please reduce your request rate, then retry',
  }) +
  row('photos/b.jpg', {
    code: 'PermanentFailure',
    message: 'Lambda returned function error: {"errorMessage":"x, y"}',
  }) +
  row('photos/c.jpg', { http: '403', code: 'AccessDenied', message: 'Access Denied' }) +
  row('docs/r%C3%A9sum%C3%A9.pdf', {
    http: '500',
    code: 'InternalError',
    message: 'We encountered an internal error.\nRetry.',
  }) +
  row('x/y+z.bin', { code: 'TemporaryFailure', message: 'retry later' });

describe('writeRedriveManifest', () => {
  it('writes the qualifying failed tasks only, keys URL-encoded exactly as the report has them', async () => {
    // Prepare
    const store = newStore();
    const [succeededKey] = givenReport(store, [
      { status: 'succeeded', body: succeeded },
      { status: 'failed', body: failed },
    ]);

    // Act
    const manifest = await writeRedriveManifest(input(store));

    // Assess
    const body = 'data,photos/my%20cat.jpg\ndata,docs/r%C3%A9sum%C3%A9.pdf\ndata,x/y+z.bin\n';
    expect(written(store)).toBe(body);
    expect(manifest).toEqual({ taskCount: 3, fields: ['Bucket', 'Key'], etag: md5(body), ...target });
    expect(store.reads).not.toContain(`${reportBucket}/${succeededKey}`);
  });

  it('keeps version ids and gives versionless rows the version id null', async () => {
    // Prepare
    const store = newStore();
    givenReport(store, [
      { status: 'failed', body: row('a.jpg', { code: 'SlowDown', http: '503' }) },
      {
        status: 'failed',
        body:
          row('b.jpg', { code: 'SlowDown', http: '503', versionId: '3HL4kqtJlcpXroDTDmJ.rmSpXd3dIbrHY' }) +
          row('c.jpg', { code: 'SlowDown', http: '503' }),
      },
    ]);

    // Act
    const manifest = await writeRedriveManifest(input(store));

    // Assess
    expect(written(store)).toBe(
      'data,a.jpg,null\ndata,b.jpg,3HL4kqtJlcpXroDTDmJ.rmSpXd3dIbrHY\ndata,c.jpg,null\n',
    );
    expect(manifest?.fields).toEqual(['Bucket', 'Key', 'VersionId']);
    expect(manifest?.taskCount).toBe(3);
  });

  it('adds the version column to rows already flushed in earlier chunks', async () => {
    // Prepare: > 1 MiB of versionless rows before the first versioned one.
    const store = newStore(64 * 1024);
    let body = '';
    for (let i = 0; i < 40_000; i++) body += `data,k/${i},,failed,503,SlowDown,x\n`;
    body += row('last', { code: 'SlowDown', http: '503', versionId: 'v1' });
    givenReport(store, [{ status: 'failed', body }]);

    // Act
    const manifest = await writeRedriveManifest(input(store));

    // Assess
    const lines = written(store)!.trimEnd().split('\n');
    expect(manifest?.taskCount).toBe(40_001);
    expect(lines).toHaveLength(40_001);
    expect(lines.every((line) => line.split(',').length === 3)).toBe(true);
    expect(lines[0]).toBe('data,k/0,null');
    expect(lines[40_000]).toBe('data,last,v1');
  });

  it('percent-encodes a raw comma, quote or line break in a key instead of breaking the CSV', async () => {
    // Prepare
    const store = newStore();
    givenReport(store, [{ status: 'failed', body: 'data,"odd,""key""\n2",,failed,503,SlowDown,x\n' }]);

    // Act
    await writeRedriveManifest(input(store));

    // Assess
    expect(written(store)).toBe('data,odd%2C%22key%22%0A2\n');
  });

  it('uses the policy codes when given, matching exact HTTP statuses too', async () => {
    // Prepare
    const store = newStore();
    givenReport(store, [{ status: 'failed', body: failed }]);

    // Act
    const manifest = await writeRedriveManifest(input(store, { errorCodes: ['AccessDenied', '500'] }));

    // Assess
    expect(written(store)).toBe('data,photos/c.jpg\ndata,docs/r%C3%A9sum%C3%A9.pdf\n');
    expect(manifest?.taskCount).toBe(2);
  });

  it('writes nothing and returns undefined when no failed task qualifies', async () => {
    // Prepare
    const store = newStore();
    givenReport(store, [{ status: 'failed', body: row('p.jpg', { http: '403', code: 'AccessDenied' }) }]);
    const objectsBefore = store.objects.size;

    // Act
    const manifest = await writeRedriveManifest(input(store));

    // Assess
    expect(manifest).toBeUndefined();
    expect(store.objects.size).toBe(objectsBefore);
  });

  it('returns undefined when the job wrote no report', async () => {
    // Act
    const manifest = await writeRedriveManifest(input(newStore()));

    // Assess
    expect(manifest).toBeUndefined();
  });

  it('falls back to report.json when there is no manifest.json', async () => {
    // Prepare
    const store = newStore();
    givenReport(store, [{ status: 'failed', body: failed }], { name: 'report.json' });

    // Act
    const manifest = await writeRedriveManifest(input(store));

    // Assess
    expect(manifest?.taskCount).toBe(3);
  });

  it('rejects a result file whose MD5 does not match, writing nothing', async () => {
    // Prepare
    const store = newStore();
    givenReport(store, [{ status: 'failed', body: failed, md5: '0'.repeat(32) }]);

    // Act
    const result = writeRedriveManifest(input(store));

    // Assess
    await expect(result).rejects.toThrow(ReportIntegrityError);
    expect(written(store)).toBeUndefined();
  });

  it('rejects a result file the manifest lists but S3 no longer has', async () => {
    // Prepare
    const store = newStore();
    const [key] = givenReport(store, [{ status: 'failed', body: failed }]);
    store.objects.delete(`${reportBucket}/${key}`);

    // Act / Assess
    await expect(writeRedriveManifest(input(store))).rejects.toThrow(/listed in .* but missing/);
  });
});
