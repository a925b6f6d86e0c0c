import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  CreateBucketCommand,
  GetObjectCommand,
  PutObjectCommand,
  S3ServiceException,
} from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createFaultInjector, loadFaultConfig } from '../../../emulator/faults.js';
import { type S3Harness, startS3Harness } from './harness.js';

describe('fault injection through S3', () => {
  let s3: S3Harness;
  beforeAll(async () => {
    s3 = await startS3Harness({
      faults: createFaultInjector({ throttleFirst: { 's3:GetObject': 1 } }),
      maxAttempts: 1,
    });
    await s3.client.send(new CreateBucketCommand({ Bucket: 'faulty' }));
    await s3.client.send(new PutObjectCommand({ Bucket: 'faulty', Key: 'k', Body: 'v' }));
  });
  afterAll(async () => {
    await s3.close();
  });

  it('surfaces a throttle as SlowDown (503), exactly once', async () => {
    const error = await s3.client.send(new GetObjectCommand({ Bucket: 'faulty', Key: 'k' })).catch((e) => e);
    expect(error).toBeInstanceOf(S3ServiceException);
    expect(error.name).toBe('SlowDown');
    expect(error.$metadata.httpStatusCode).toBe(503);
    const retried = await s3.client.send(new GetObjectCommand({ Bucket: 'faulty', Key: 'k' }));
    expect(await retried.Body!.transformToString()).toBe('v');
  });
});

describe('createFaultInjector', () => {
  it("answers with each service's own throttling error", async () => {
    const faults = createFaultInjector({
      throttle: { 's3control:*': 1, 'lambda:Invoke': 1, 'events:PutEvents': 1 },
    });
    expect(await faults.before('s3control', 'CreateJob')).toMatchObject({
      code: 'TooManyRequestsException',
      httpStatus: 400,
    });
    expect(await faults.before('lambda', 'Invoke')).toMatchObject({
      code: 'TooManyRequestsException',
      httpStatus: 429,
    });
    expect(await faults.before('events', 'PutEvents')).toMatchObject({
      code: 'ThrottlingException',
      httpStatus: 400,
    });
    expect(await faults.before('lambda', 'GetFunction')).toBeUndefined();
  });

  it('is deterministic for a seed', async () => {
    const run = async () => {
      const faults = createFaultInjector({ serverError: { 's3:*': 0.5 }, seed: 42 });
      const outcomes: boolean[] = [];
      for (let i = 0; i < 50; i++) outcomes.push((await faults.before('s3', 'PutObject')) !== undefined);
      return outcomes;
    };
    const first = await run();
    expect(await run()).toEqual(first);
    expect(first.filter(Boolean).length).toBeGreaterThan(10);
    expect(first.filter(Boolean).length).toBeLessThan(40);
  });

  it('fails tasks by key pattern, permanently or for the first N attempts', () => {
    const faults = createFaultInjector({
      taskFailures: [
        { keyPattern: 'broken/*', code: 'AccessDenied', httpStatus: 403, permanent: true },
        { keyPattern: '/^flaky-\\d+$/', code: 'SlowDown', httpStatus: 503, transientAttempts: 2 },
      ],
    });
    expect(faults.taskFailure('b', 'broken/a/b.txt', 5)).toEqual({
      code: 'AccessDenied',
      httpStatus: 403,
      permanent: true,
    });
    expect(faults.taskFailure('b', 'flaky-7', 1)).toEqual({
      code: 'SlowDown',
      httpStatus: 503,
      permanent: false,
    });
    expect(faults.taskFailure('b', 'flaky-7', 2)).toBeDefined();
    expect(faults.taskFailure('b', 'flaky-7', 3)).toBeUndefined();
    expect(faults.taskFailure('b', 'fine.txt', 1)).toBeUndefined();
  });

  it('rejects unknown keys, naming them', () => {
    expect(() => createFaultInjector({ throtle: {} } as never)).toThrow(/unknown key "throtle"/);
    expect(() => createFaultInjector({ throttle: { 's3:GetObject': 2 } })).toThrow(/0\.\.1/);
    expect(() =>
      createFaultInjector({
        taskFailures: [{ keyPattern: '*', code: 'X', permanent: true, bogus: 1 } as never],
      }),
    ).toThrow(/taskFailures\[0\]\.bogus/);
  });

  it('loads a config file', () => {
    const file = join(mkdtempSync(join(tmpdir(), 'faults-')), 'faults.json');
    writeFileSync(file, JSON.stringify({ putEventsFailureRate: 0.25, latencyMs: 5 }));
    expect(createFaultInjector(loadFaultConfig(file)).putEventsFailureRate).toBe(0.25);
  });
});
