/**
 * `s3bo triggers list | status` against a local AWS with a coalescing trigger deployed: uploads flow through
 * EventBridge, SQS and the collector into jobs, and `status` reads what the collector keeps.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { type LocalAws, startLocalAws } from '../../emulator/index.js';
import { deployProject } from '../../local/deploy-local.js';
import { eventually } from '../workflow/harness.js';
import { fakeIo, s3bo } from './helpers.js';

const uploads = 'uploads-bucket';
const aTrigger = {
  name: 'thumbs',
  source: { buckets: [uploads], prefix: 'in/', suffix: '.jpg' },
  job: {
    operation: { S3PutObjectTagging: { TagSet: [{ Key: 'thumb', Value: 'pending' }] } },
    report: { enabled: false },
  },
  window: { maxObjects: 100, maxWaitSeconds: 120, minObjects: 10 },
};

const running: LocalAws[] = [];
afterEach(async () => {
  await Promise.all(running.splice(0).map((aws) => aws.stop()));
});

function cli(aws: LocalAws, stage = 'local') {
  return (argv: string[]) => {
    const fake = fakeIo();
    fake.onSleep = () => new Promise((resolve) => setTimeout(resolve, 10));
    return s3bo(['--endpoint', aws.url, '--stage', stage, '--account-id', aws.accountId, ...argv], { fake });
  };
}

describe('s3bo triggers', () => {
  it('list shows each trigger file with its source and window, and an invalid one with its error', async () => {
    // Prepare
    const aws = await startLocalAws({ inMemory: true, port: 0 });
    running.push(aws);
    const dir = mkdtempSync(join(tmpdir(), 's3bo-triggers-'));
    writeFileSync(join(dir, 'thumbs.json'), JSON.stringify(aTrigger));
    writeFileSync(
      join(dir, 'broken.json'),
      JSON.stringify({ ...aTrigger, name: 'broken', window: { maxObjects: 0 } }),
    );
    // Act
    const result = await cli(aws)(['triggers', 'list', '--dir', dir]);
    // Assess
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toMatch(
      /^thumbs\s+uploads-bucket\s+prefix in\/, suffix \.jpg\s+100 \/ 120s \/ 10\s+S3PutObjectTagging$/m,
    );
    expect(result.stdout).toMatch(/broken\.json\s+invalid: window/);
  });

  it('status shows what the collector holds and its last flushes, read from the state bucket', async () => {
    // Prepare: 250 uploads make two full windows of 100 and, after maxWaitSeconds, one of 50
    const aws = await startLocalAws({ inMemory: true, port: 0, timeScale: 600 });
    running.push(aws);
    aws.s3.backend.ensureBucket(uploads);
    const project = await deployProject(aws, { triggers: [aTrigger] });
    for (let i = 0; i < 250; i++) aws.s3.backend.putObject(uploads, `in/photo ${i}.jpg`, Buffer.from('jpeg'));
    await eventually(
      () => aws.events.readEventLog(project.busName).filter((e) => e['detail-type'] === 'Trigger Flushed'),
      (events) => new Set(events.map((e) => (e.detail as { eventId: string }).eventId)).size >= 3,
      60_000,
    );
    // Act
    const text = await cli(aws)(['triggers', 'status', 'thumbs']);
    const json = await cli(aws)(['--json', 'triggers', 'status', 'thumbs']);
    // Assess
    expect(text.code, text.stderr).toBe(0);
    expect(text.stdout).toMatch(/^Pending\s+0 objects$/m);
    const status = JSON.parse(json.stdout) as {
      pendingObjects: number;
      lastFlushes: { objects: number; executionName: string }[];
    };
    expect(status.pendingObjects).toBe(0);
    expect(status.lastFlushes.map((flush) => flush.objects).sort((a, b) => a - b)).toEqual([50, 100, 100]);
    for (const flush of status.lastFlushes)
      expect(flush.executionName).toMatch(/^trigger-thumbs-[0-9a-f]{40}$/);
  });

  it('status on an AWS stage needs --state-bucket (exit 2): CloudFormation names that bucket', async () => {
    const aws = await startLocalAws({ inMemory: true, port: 0 });
    running.push(aws);
    const result = await cli(aws, 'dev')(['triggers', 'status', 'thumbs']);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('--state-bucket');
  });
});
