import { appendFileSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { fakeIo, s3bo } from './helpers.js';

function envelope(detailType: string, detail: object, time = '2026-11-26T10:00:00Z') {
  return {
    version: '0',
    id: `id-${detailType}`,
    'detail-type': detailType,
    source: 's3-batch-orchestrator',
    account: '000000000000',
    time,
    region: 'us-east-1',
    resources: [],
    detail,
  };
}

/** A data dir whose log for bus `s3-batch-orchestrator-local` holds `events` (plus one torn line). */
function dataDirWith(events: object[]): { dataDir: string; log: string } {
  const dataDir = mkdtempSync(join(tmpdir(), 's3bo-events-'));
  mkdirSync(join(dataDir, 'events'));
  const log = join(dataDir, 'events', 's3-batch-orchestrator-local.jsonl');
  writeFileSync(log, events.map((e) => `${JSON.stringify(e)}\n`).join(''));
  return { dataDir, log };
}

const submitted = envelope('Batch Job Submitted', {
  jobId: 'job-1',
  operation: 'S3PutObjectTagging',
  priority: 10,
});
const changed = envelope('Batch Job Status Changed', {
  jobId: 'job-1',
  previousStatus: 'Ready',
  status: 'Active',
});
const completed = envelope('Batch Job Completed', {
  jobId: 'job-1',
  outcome: 'Succeeded',
  progress: { failedTasks: 0 },
});

describe('s3bo events', () => {
  it("prints the stage bus's log as a table", async () => {
    const { dataDir } = dataDirWith([submitted, changed, completed]);
    const result = await s3bo(['events', '--data-dir', dataDir]);
    expect(result.code).toBe(0);
    const lines = result.stdout.trimEnd().split('\n');
    expect(lines).toHaveLength(4);
    expect(lines[1]).toMatch(
      /Batch Job Submitted\s+s3-batch-orchestrator\s+job-1\s+S3PutObjectTagging, priority 10$/,
    );
    expect(lines[3]).toMatch(/Batch Job Completed .*Succeeded, 0 failed$/);
  });

  it('filters by detail type and keeps the last --limit events, as JSON with --json', async () => {
    const { dataDir } = dataDirWith([submitted, changed, { ...changed, id: 'b' }, completed]);
    const result = await s3bo([
      '--json',
      'events',
      '--data-dir',
      dataDir,
      '--detail-type',
      'Batch Job Status Changed',
      '--limit',
      '1',
    ]);
    expect(result.code).toBe(0);
    expect(JSON.parse(result.stdout)).toEqual([{ ...changed, id: 'b' }]);
  });

  it('reads another bus with --bus and skips malformed lines', async () => {
    const { dataDir } = dataDirWith([]);
    writeFileSync(join(dataDir, 'events', 'default.jsonl'), `${JSON.stringify(submitted)}\nnot json\n`);
    const result = await s3bo(['events', '--data-dir', dataDir, '--bus', 'default']);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('Batch Job Submitted');
    expect(result.stderr).toContain('skipped 1 malformed line');
  });

  it('says so when there is no log yet (exit 0)', async () => {
    const result = await s3bo(['events', '--data-dir', join(tmpdir(), 'no-such-s3bo-dir')]);
    expect(result.code).toBe(0);
    expect(result.stderr).toContain('no event log at');
  });

  it('--follow prints events appended later, only once complete, and stops at --timeout', async () => {
    const { dataDir, log } = dataDirWith([submitted]);
    const fake = fakeIo();
    let polls = 0;
    fake.onSleep = () => {
      polls++;
      if (polls === 1) appendFileSync(log, JSON.stringify(changed).slice(0, 20)); // torn write
      if (polls === 2) appendFileSync(log, `${JSON.stringify(changed).slice(20)}\n`);
      if (polls === 3) appendFileSync(log, `${JSON.stringify(completed)}\n`);
    };
    const result = await s3bo(['--json', 'events', '--data-dir', dataDir, '--follow', '--timeout', '2'], {
      fake,
    });
    expect(result.code).toBe(0);
    const printed = result.stdout
      .trimEnd()
      .split('\n')
      .map((line) => JSON.parse(line)['detail-type']);
    expect(printed).toEqual(['Batch Job Submitted', 'Batch Job Status Changed', 'Batch Job Completed']);
    expect(polls).toBe(8); // 2 s at 250 ms
  });

  it('rejects a bad --limit (exit 2)', async () => {
    expect((await s3bo(['events', '--limit', 'ten'])).code).toBe(2);
  });
});
