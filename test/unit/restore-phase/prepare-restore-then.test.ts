import { describe, expect, it } from 'vitest';
import { RequestValidationError } from '../../../src/core/errors.js';
import { childExecutionName } from '../../../src/core/restore-phase/child-names.js';
import { prepareRestoreThen } from '../../../src/core/restore-phase/prepare-restore-then.js';
import { input } from './builders.js';

const withChanges = (change: (copy: typeof input & Record<string, unknown>) => void) => {
  const copy = structuredClone(input) as typeof input & Record<string, unknown>;
  change(copy);
  return copy;
};

const rejection = (value: unknown) => {
  try {
    prepareRestoreThen(value);
  } catch (error) {
    expect(error).toBeInstanceOf(RequestValidationError);
    return `${(error as RequestValidationError).field}: ${(error as RequestValidationError).reason}`;
  }
  throw new Error('accepted');
};

describe('prepareRestoreThen', () => {
  it('names the child executions and waits the table time for every archive class plus the margin', () => {
    expect(prepareRestoreThen(input)).toEqual({
      restoreExecutionName: 'archive-20260301T1000Z-logs-restore',
      thenExecutionName: 'archive-20260301T1000Z-logs-then',
      deadlineHours: 15,
      deadlineSource: 'restoreTimes',
      storageClasses: ['GLACIER', 'DEEP_ARCHIVE', 'INTELLIGENT_TIERING'],
    });
  });

  it('takes restore.deadlineHours, and reads the archive classes of a generator filter', () => {
    const generator = withChanges((copy) => {
      copy.request = {
        ...copy.request,
        manifest: undefined,
        manifestGenerator: { sourceBucket: 'data', filter: { matchAnyStorageClass: ['GLACIER'] } },
      } as never;
      delete (copy.request as Record<string, unknown>).manifest;
    });
    expect(prepareRestoreThen(generator)).toMatchObject({ deadlineHours: 6.25, storageClasses: ['GLACIER'] });
    const overridden = withChanges((copy) => {
      copy.restore = { ...copy.restore, deadlineHours: 30 } as never;
    });
    expect(prepareRestoreThen(overridden)).toMatchObject({
      deadlineHours: 30,
      deadlineSource: 'deadlineHours',
    });
  });

  it.each([
    ['a null input', null, 'input: must be object'],
    [
      'a missing target',
      withChanges((c) => delete (c as Record<string, unknown>).target),
      'target: is required',
    ],
    ['an unknown field', withChanges((c) => (c.extra = 1)), 'extra: is not a known property'],
    [
      'a bad tier',
      withChanges((c) => ((c.restore as Record<string, unknown>).tier = 'EXPEDITED')),
      'restore.tier: must be one of "BULK", "STANDARD"',
    ],
    [
      'a request that is not a restore',
      withChanges((c) => (c.request.operation = { S3PutObjectTagging: { TagSet: [] } } as never)),
      'request.operation: must be S3InitiateRestoreObject in a restore-then run',
    ],
    [
      'an invalid request',
      withChanges((c) => ((c.request as Record<string, unknown>).priority = -1)),
      'request.priority: must be >= 0',
    ],
    [
      'a tier that contradicts the operation',
      withChanges((c) => (c.restore.tier = 'BULK')),
      'request.operation.S3InitiateRestoreObject.GlacierJobTier: is STANDARD but restore.tier is BULK',
    ],
    [
      'a restore without a report',
      withChanges((c) => (c.request.report = { enabled: false } as never)),
      "request.report.enabled: must be true: the restore job's succeeded report rows are the objects to wait for",
    ],
    [
      'a FailedTasksOnly report with then',
      withChanges((c) => (c.request.report.scope = 'FailedTasksOnly')),
      'request.report.scope: must be AllTasks with `then`: the restored objects are read from the succeeded report rows',
    ],
    [
      'then with its own manifest',
      withChanges((c) => ((c.then as Record<string, unknown>).manifest = { bucket: 'm', key: 'k.csv' })),
      'then.manifest: must be absent: phase 2 runs over the restored objects',
    ],
    [
      'then with a generator',
      withChanges((c) => ((c.then as Record<string, unknown>).manifestGenerator = { sourceBucket: 'data' })),
      'then.manifestGenerator: must be absent: phase 2 runs over the restored objects',
    ],
    [
      'an invalid then',
      withChanges((c) => ((c.then as Record<string, unknown>).report = {})),
      'then.report.bucket: is required',
    ],
    [
      'a second restore as then',
      withChanges((c) => (c.then.operation = { S3InitiateRestoreObject: { ExpirationInDays: 1 } } as never)),
      'then.operation: must not be S3InitiateRestoreObject: phase 1 restores',
    ],
  ])('refuses %s, naming the field', (_name, value, message) => {
    expect(rejection(value)).toBe(message);
  });

  it('accepts a FailedTasksOnly restore report without then (nothing to copy)', () => {
    const noThen = withChanges((c) => {
      delete (c as Record<string, unknown>).then;
      c.request.report.scope = 'FailedTasksOnly';
    });
    expect(prepareRestoreThen(noThen).restoreExecutionName).toBe('archive-20260301T1000Z-logs-restore');
  });
});

describe('childExecutionName', () => {
  it('keeps names of at most 80 characters, unique, with their suffix', () => {
    const runId = `${'c'.repeat(40)}-20260301T1000Z`;
    const restore = childExecutionName(runId, 't'.repeat(20), 'restore');
    const other = childExecutionName(runId, `${'t'.repeat(19)}u`, 'restore');
    expect(restore).toHaveLength(80);
    expect(restore).toMatch(/^c{40}-20260301T1000Z-t+-[0-9a-f]{12}-restore$/);
    expect(other).not.toBe(restore);
    expect(childExecutionName(runId, 't'.repeat(20), 'restore')).toBe(restore);
    expect(childExecutionName('run', 'logs', 'then')).toBe('run-logs-then');
  });
});
