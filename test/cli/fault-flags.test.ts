import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CliUsageError } from '../../cli/errors.js';
import { faultConfigFromFlags } from '../../cli/lib/fault-flags.js';

describe('s3bo local fault flags', () => {
  it('builds a fault configuration from flags', () => {
    expect(
      faultConfigFromFlags({
        throttle: ['s3control:CreateJob=0.2', 'events:*=0.05'],
        serverError: ['s3:PutObjectTagging=0.01'],
        latencyMs: '20',
        putEventsFailureRate: '0.1',
      }),
    ).toEqual({
      throttle: { 's3control:CreateJob': 0.2, 'events:*': 0.05 },
      serverError: { 's3:PutObjectTagging': 0.01 },
      latencyMs: 20,
      putEventsFailureRate: 0.1,
    });
  });

  it('layers flags over the file, a flag winning for the same operation', () => {
    const file = join(mkdtempSync(join(tmpdir(), 's3bo-faults-')), 'faults.json');
    writeFileSync(file, JSON.stringify({ throttle: { 's3control:CreateJob': 0.5, 's3:*': 0.1 }, seed: 3 }));
    expect(faultConfigFromFlags({ faults: file, throttle: ['s3control:CreateJob=0.2'] })).toEqual({
      throttle: { 's3control:CreateJob': 0.2, 's3:*': 0.1 },
      seed: 3,
    });
  });

  it('gives no configuration when no fault is asked for', () => {
    expect(faultConfigFromFlags({})).toBeUndefined();
  });

  it.each([
    ['--throttle', { throttle: ['CreateJob=0.2'] }],
    ['rate', { putEventsFailureRate: '2' }],
  ])('rejects a malformed %s as a usage error', (_name, flags) => {
    expect(() => faultConfigFromFlags(flags)).toThrow(CliUsageError);
  });
});
