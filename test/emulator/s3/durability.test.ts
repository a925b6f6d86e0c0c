import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  GetObjectCommand,
  ListObjectsV2Command,
  PutObjectCommand,
  RestoreObjectCommand,
} from '@aws-sdk/client-s3';
import { afterAll, describe, expect, it } from 'vitest';
import { createDirectoryStorage } from '../../../emulator/storage/index.js';
import { startS3Harness } from './harness.js';

const dir = mkdtempSync(join(tmpdir(), 's3bo-s3-durable-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('S3 on directory storage', () => {
  it('keeps buckets, objects and pending restores across a restart', async () => {
    // Prepare: first run writes objects and starts a restore that cannot finish before shutdown.
    const first = await startS3Harness({ storage: createDirectoryStorage(dir), timeScale: 36_000 });
    first.service.backend.ensureBucket('durable');
    await first.client.send(new PutObjectCommand({ Bucket: 'durable', Key: 'b/2.txt', Body: 'two' }));
    await first.client.send(new PutObjectCommand({ Bucket: 'durable', Key: 'a/1.txt', Body: 'one' }));
    await first.client.send(
      new PutObjectCommand({ Bucket: 'durable', Key: 'cold.txt', Body: 'ice', StorageClass: 'DEEP_ARCHIVE' }),
    );
    await first.client.send(
      new RestoreObjectCommand({ Bucket: 'durable', Key: 'cold.txt', RestoreRequest: { Days: 1 } }),
    );
    await first.close();

    // Act: a new emulator on the same directory.
    const second = await startS3Harness({ storage: createDirectoryStorage(dir), timeScale: 36_000 });
    try {
      const listed = await second.client.send(new ListObjectsV2Command({ Bucket: 'durable' }));
      const body = await (
        await second.client.send(new GetObjectCommand({ Bucket: 'durable', Key: 'a/1.txt' }))
      ).Body!.transformToString();
      // 12 emulated hours at 36,000x: the resumed restore completes after ~1.2 s plus clock drift.
      const deadline = Date.now() + 10_000;
      while (
        !second.events.some((e) => e.DetailType === 'Object Restore Completed') &&
        Date.now() < deadline
      ) {
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
      // Assess
      expect(listed.Contents?.map((c) => c.Key)).toEqual(['a/1.txt', 'b/2.txt', 'cold.txt']);
      expect(body).toBe('one');
      expect(second.events.map((event) => event.DetailType)).toContain('Object Restore Completed');
      const restored = await second.client.send(new GetObjectCommand({ Bucket: 'durable', Key: 'cold.txt' }));
      expect(await restored.Body!.transformToString()).toBe('ice');
    } finally {
      await second.close();
    }
  });
});
