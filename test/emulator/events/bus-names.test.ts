/**
 * Bus names AWS accepts that are no file names (`..`, `.hidden`, `aws.partner/…`): on the durable store each
 * gets a log of its own inside `<data-dir>/events/`, and CreateEventBus / PutEvents answer 200, not 500.
 */
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CreateEventBusCommand, EventBridgeClient, PutEventsCommand } from '@aws-sdk/client-eventbridge';
import { afterEach, describe, expect, it } from 'vitest';
import { eventLogName } from '../../../emulator/events/event-log.js';
import { type LocalAws, startLocalAws } from '../../../emulator/local-aws.js';

const awkward = ['..', '.hidden', 'aws.partner/example.com/123/bus'];

describe('event bus names on the durable store', () => {
  let aws: LocalAws | undefined;
  let parent: string | undefined;
  afterEach(async () => {
    await aws?.stop();
    if (parent) rmSync(parent, { recursive: true, force: true });
  });

  it('keeps plain names as they are and gives every other name a distinct file under events/', () => {
    expect(eventLogName('s3-batch-orchestrator-dev')).toBe('events/s3-batch-orchestrator-dev.jsonl');
    const names = [...awkward, '_2e2e', 'a..b'].map(eventLogName);
    expect(new Set(names).size).toBe(names.length);
    for (const name of names) expect(name).toMatch(/^events\/[A-Za-z0-9_][A-Za-z0-9._-]*\.jsonl$/);
  });

  it('creates the buses, logs their events apart and writes nothing outside its events directory', async () => {
    // Prepare
    parent = mkdtempSync(join(tmpdir(), 's3bo-bus-names-'));
    const dataDir = join(parent, 'data');
    aws = await startLocalAws({ dataDir, port: 0 });
    const client = new EventBridgeClient({
      endpoint: aws.url,
      region: aws.region,
      credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
    });

    // Act
    for (const [i, name] of awkward.entries()) {
      if (!name.startsWith('aws.partner/')) await client.send(new CreateEventBusCommand({ Name: name }));
      const sent = await client.send(
        new PutEventsCommand({
          Entries: [
            { EventBusName: name, Source: 'test', DetailType: 'Probe', Detail: JSON.stringify({ i }) },
          ],
        }),
      );
      expect(sent.FailedEntryCount, name).toBe(0);
    }
    client.destroy();

    // Assess: one event in each created bus's own log; nothing next to the data directory
    for (const [i, name] of awkward.entries()) {
      if (name.startsWith('aws.partner/')) continue;
      expect(
        aws.events.readEventLog(name).map((event) => event.detail),
        name,
      ).toEqual([{ i }]);
    }
    expect(readdirSync(parent)).toEqual(['data']);
  });
});

describe('a torn event log line on the durable store', () => {
  let aws: LocalAws | undefined;
  let dataDir: string | undefined;
  afterEach(async () => {
    await aws?.stop();
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  });

  it('keeps the events after it whole and skips it when the log is read', async () => {
    // Prepare: a log whose last line was cut mid-write (no newline), as a machine crash can leave it
    dataDir = mkdtempSync(join(tmpdir(), 's3bo-torn-'));
    mkdirSync(join(dataDir, 'events'), { recursive: true });
    const log = join(dataDir, eventLogName('torn'));
    writeFileSync(
      log,
      '{"version":"0","id":"whole","detail-type":"Probe","detail":{}}\n{"version":"0","id":"cut","det',
    );
    aws = await startLocalAws({ dataDir, port: 0 });
    const client = new EventBridgeClient({
      endpoint: aws.url,
      region: aws.region,
      credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
    });

    // Act
    await client.send(new CreateEventBusCommand({ Name: 'torn' }));
    await client.send(
      new PutEventsCommand({
        Entries: [{ EventBusName: 'torn', Source: 'test', DetailType: 'After', Detail: '{}' }],
      }),
    );
    client.destroy();

    // Assess
    expect(aws.events.readEventLog('torn').map((event) => event.id)).toEqual([
      'whole',
      expect.stringMatching(/^[0-9a-f-]{36}$/),
    ]);
    expect(readFileSync(log, 'utf8').split('\n')[1]).toBe('{"version":"0","id":"cut","det');
  });
});
