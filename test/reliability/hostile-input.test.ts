import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { bindWarning, type LocalAws, startLocalAws } from '../../emulator/local-aws.js';
import { createS3Service } from '../../emulator/s3/index.js';
import { type RunningServer, type ServerLimits, startServer } from '../../emulator/server.js';
import { createEmulatorClock, createMemoryStorage } from '../emulator/kit.js';
import { sendRaw } from './scenarios/hostile.js';

/** Writes `text` on a raw socket and returns everything the server sends until it closes (10 s at most). */
function rawExchange(port: number, text: string, keepOpenMs = 0): Promise<string> {
  return new Promise((done, fail) => {
    const socket = connect(port, '127.0.0.1');
    const chunks: Buffer[] = [];
    const timer = setTimeout(() => socket.destroy(), 10_000);
    socket.on('data', (chunk) => chunks.push(chunk));
    socket.on('error', fail);
    socket.on('close', () => {
      clearTimeout(timer);
      done(Buffer.concat(chunks).toString('utf8'));
    });
    socket.write(text);
    if (keepOpenMs === 0) setTimeout(() => socket.end(), 500);
  });
}

function filesUnder(dir: string): string[] {
  return readdirSync(dir, { recursive: true, encoding: 'utf8' }).map((name) => resolve(dir, name));
}

/** A local server with only an in-memory S3, holding an empty bucket `data`, under `limits`. */
function serveS3(limits: ServerLimits): Promise<RunningServer> {
  const s3 = createS3Service({
    storage: createMemoryStorage(),
    clock: createEmulatorClock(),
    accountId: '123456789012',
    region: 'us-east-1',
  });
  s3.backend.ensureBucket('data');
  return startServer({ port: 0, services: { s3: s3.handler }, limits });
}

describe('the local server under hostile input', () => {
  let aws: LocalAws | undefined;
  let server: RunningServer | undefined;
  const dirs: string[] = [];
  afterEach(async () => {
    await aws?.stop();
    await server?.close();
    aws = undefined;
    server = undefined;
    for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
  });

  it('never reads or writes outside the data directory, whatever the bucket or key', async () => {
    const parent = mkdtempSync(join(tmpdir(), 's3bo-hostile-'));
    dirs.push(parent);
    const dataDir = join(parent, 'data');
    aws = await startLocalAws({ dataDir, port: 0 });
    aws.s3.backend.ensureBucket('data');
    const keys = [
      '../../escape',
      '..%2F..%2Fescape',
      'a/../../../escape',
      'nul%00key',
      `${'k'.repeat(1025)}`,
    ];
    const buckets = ['..', '..%2F..', 'data%2F..%2F..', 'x%00y', 'b'.repeat(300)];

    const answers: number[] = [];
    for (const key of keys)
      answers.push((await sendRaw(aws.url, { method: 'PUT', path: `/data/${key}`, body: 'x' })).status);
    for (const bucket of buckets) {
      const put = await sendRaw(aws.url, { method: 'PUT', path: `/${bucket}/k`, body: 'x' });
      expect(put.code).toBe('InvalidBucketName');
      const get = await sendRaw(aws.url, { method: 'GET', path: `/${bucket}/package.json` });
      expect(get.code).toBe('InvalidBucketName');
    }
    const tooLong = await sendRaw(aws.url, { method: 'GET', path: `/data/${'k'.repeat(1025)}` });

    expect(tooLong.code).toBe('KeyTooLongError');
    expect(answers.slice(0, 4).every((status) => status === 200)).toBe(true);
    expect(readdirSync(parent)).toEqual(['data']);
    expect(filesUnder(dataDir).every((file) => file.startsWith(`${resolve(dataDir)}/`))).toBe(true);
    const escaped = await sendRaw(aws.url, { method: 'GET', path: '/data/..%2F..%2Fescape' });
    expect(escaped.status).toBe(200);
  }, 60_000);

  it('refuses an oversized body from its Content-Length alone and keeps serving', async () => {
    server = await serveS3({ maxBodyBytes: { s3: 1024 } });

    // Headers only: the server must answer without waiting for the 1 GB it was promised.
    const answer = await rawExchange(
      server.port,
      'PUT /data/big HTTP/1.1\r\nHost: x\r\nContent-Length: 1000000000\r\n\r\n',
      1,
    );
    const chunked = await sendRaw(server.url, {
      method: 'PUT',
      path: '/data/chunked',
      headers: { 'transfer-encoding': 'chunked' },
      body: 'y'.repeat(4096),
    });
    const small = await sendRaw(server.url, { method: 'PUT', path: '/data/small', body: 'ok' });

    expect(answer).toMatch(/^HTTP\/1\.1 400/);
    expect(answer).toContain('<Code>EntityTooLarge</Code>');
    expect(chunked.code).toBe('EntityTooLarge');
    expect(small.status).toBe(200);
  }, 30_000);

  it('answers garbage and wrong Content-Length with 400 and keeps serving', async () => {
    server = await serveS3({ bodyIdleTimeoutMs: 300 });

    const garbage = await rawExchange(server.port, '\u0000\u0001 nonsense \r\n\r\n');
    const badLength = await rawExchange(
      server.port,
      'PUT /data/k HTTP/1.1\r\nHost: x\r\nContent-Length: ten\r\n\r\n',
    );
    const promisedMore = await rawExchange(
      server.port,
      'PUT /data/k HTTP/1.1\r\nHost: x\r\nContent-Length: 100\r\n\r\nshort',
      1,
    );
    const good = await sendRaw(server.url, { method: 'GET', path: '/data?list-type=2' });

    expect(garbage).toMatch(/^HTTP\/1\.1 400/);
    expect(badLength).toMatch(/^HTTP\/1\.1 400/);
    expect(promisedMore).toMatch(/^HTTP\/1\.1 400/);
    expect(promisedMore).toContain('<Code>RequestTimeout</Code>');
    expect(good.status).toBe(200);
  }, 30_000);

  it('answers others while a slow client trickles its headers, then cuts the slow one off', async () => {
    server = await serveS3({ headersTimeoutMs: 1_000, requestTimeoutMs: 2_000 });
    const port = server.port;
    const slow = connect(port, '127.0.0.1');
    const slowClosed = new Promise<string>((done) => {
      const chunks: Buffer[] = [];
      slow.on('data', (chunk) => chunks.push(chunk));
      slow.on('error', () => undefined);
      slow.on('close', () => done(Buffer.concat(chunks).toString('utf8')));
    });
    slow.write('GET / HTTP/1.1\r\n');
    let sent = 0;
    const trickle = setInterval(() => {
      if (sent++ < 20 && !slow.destroyed) slow.write('X');
    }, 200);

    const others = await Promise.all(
      Array.from({ length: 5 }, () => sendRaw(server!.url, { method: 'GET', path: '/' })),
    );
    const cutOff = await Promise.race([
      slowClosed,
      new Promise<string>((done) => setTimeout(() => done('still open'), 8_000)),
    ]);
    clearInterval(trickle);
    slow.destroy();

    expect(others.map((answer) => answer.status)).toEqual([200, 200, 200, 200, 200]);
    expect(cutOff).not.toBe('still open');
  }, 30_000);

  it('warns when bound beyond loopback, and only then', async () => {
    const lines: string[] = [];
    aws = await startLocalAws({ inMemory: true, port: 0, host: '0.0.0.0', log: (line) => lines.push(line) });

    expect(lines.some((line) => line.includes('beyond loopback'))).toBe(true);
    expect(bindWarning('127.0.0.1')).toBeUndefined();
    expect(bindWarning('::1')).toBeUndefined();
    expect(bindWarning('192.168.1.5')).toContain('192.168.1.5');
  }, 30_000);
});
