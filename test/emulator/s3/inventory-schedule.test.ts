/**
 * Scheduled S3 Inventory delivery in emulated time: daily reports at 00:00 UTC, weekly ones on Sundays after
 * the first, nothing for disabled or ORC configurations, and no slot delivered twice across a restart.
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { EmulatorClock, Storage } from '../../../emulator/contracts.js';
import { createS3Service, type S3Service } from '../../../emulator/s3/index.js';
import { nextDeliverySlot } from '../../../emulator/s3/inventory-schedule.js';
import { ACCOUNT_ID, createMemoryStorage, heldClock, REGION, scaledClock } from '../kit.js';

/** Early on Friday 2026-03-06: about 143 real milliseconds to set up before the next midnight UTC. */
const FRIDAY_MORNING = new Date('2026-03-06T00:00:30.000Z');
/** One emulated day passes in 144 real milliseconds. */
const TIME_SCALE = 600_000;

const running: S3Service[] = [];
afterEach(() => {
  for (const service of running.splice(0)) service.close();
});

function startS3(storage: Storage, clock: EmulatorClock): S3Service {
  const service = createS3Service({ storage, clock, accountId: ACCOUNT_ID, region: REGION });
  running.push(service);
  return service;
}

function configXml(
  id: string,
  frequency: 'Daily' | 'Weekly',
  options: { enabled?: boolean; format?: string } = {},
) {
  return Buffer.from(
    `<InventoryConfiguration><Destination><S3BucketDestination><Bucket>arn:aws:s3:::reports</Bucket>` +
      `<Format>${options.format ?? 'CSV'}</Format></S3BucketDestination></Destination>` +
      `<IsEnabled>${options.enabled ?? true}</IsEnabled><Id>${id}</Id>` +
      `<IncludedObjectVersions>Current</IncludedObjectVersions>` +
      `<Schedule><Frequency>${frequency}</Frequency></Schedule></InventoryConfiguration>`,
  );
}

/** Source bucket `source` with one object, versioned destination `reports`. */
function seed(service: S3Service): void {
  const s3 = service.backend;
  s3.ensureBucket('source');
  s3.ensureBucket('reports');
  s3.putBucketVersioning('reports', 'Enabled');
  s3.putObject('source', 'photo.jpg', Buffer.from('pixels'));
}

/** Every version of every manifest.json of configuration `id`, oldest key first. */
function manifestVersions(service: S3Service, id: string): { key: string; versionId?: string }[] {
  return [...service.backend.listObjectVersions('reports', `source/${id}/`)]
    .filter((version) => version.key.endsWith('/manifest.json'))
    .map(({ key, versionId }) => ({ key, ...(versionId ? { versionId } : {}) }));
}

const folderOf = (key: string) => key.split('/')[2];

async function until(condition: () => boolean, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('timed out waiting for the scheduled delivery');
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

describe('nextDeliverySlot', () => {
  const created = '2026-03-06T10:00:00.000Z';
  it('is the next midnight UTC for a daily configuration', () => {
    const slot = nextDeliverySlot({ frequency: 'Daily', createdAt: created }, new Date(created));
    expect(slot.toISOString()).toBe('2026-03-07T00:00:00.000Z');
  });
  it('is the next midnight for the first weekly report, then Sundays', () => {
    expect(
      nextDeliverySlot({ frequency: 'Weekly', createdAt: created }, new Date(created)).toISOString(),
    ).toBe('2026-03-07T00:00:00.000Z');
    const afterFirst = {
      frequency: 'Weekly' as const,
      createdAt: created,
      lastDeliveredSlot: '2026-03-07T00:00:00.000Z',
    };
    expect(nextDeliverySlot(afterFirst, new Date('2026-03-07T00:00:01Z')).toISOString()).toBe(
      '2026-03-08T00:00:00.000Z',
    );
    const afterSunday = { ...afterFirst, lastDeliveredSlot: '2026-03-08T00:00:00.000Z' };
    expect(nextDeliverySlot(afterSunday, new Date('2026-03-08T00:00:00Z')).toISOString()).toBe(
      '2026-03-15T00:00:00.000Z',
    );
  });
  it('never returns a slot at or before the last delivered one, even when the clock is behind it', () => {
    const delivered = {
      frequency: 'Daily' as const,
      createdAt: created,
      lastDeliveredSlot: '2026-03-09T00:00:00.000Z',
    };
    expect(nextDeliverySlot(delivered, new Date(created)).toISOString()).toBe('2026-03-10T00:00:00.000Z');
  });
});

describe('scheduled inventory delivery', () => {
  it('delivers a daily report at each emulated midnight, in a folder named after the slot', async () => {
    // Prepare
    const clock = heldClock(TIME_SCALE, FRIDAY_MORNING);
    const service = startS3(createMemoryStorage(), clock);
    seed(service);

    // Act
    service.inventory.putConfiguration('source', 'daily', configXml('daily', 'Daily'));
    clock.run();
    await until(() => manifestVersions(service, 'daily').length >= 2);

    // Assess
    const manifests = manifestVersions(service, 'daily');
    expect(manifests.slice(0, 2).map((manifest) => manifest.key)).toEqual([
      'source/daily/2026-03-07T00-00Z/manifest.json',
      'source/daily/2026-03-08T00-00Z/manifest.json',
    ]);
    const first = JSON.parse(
      service.backend.getObjectBody({ bucket: 'reports', key: manifests[0]!.key }).toString(),
    );
    expect(first.creationTimestamp).toBe(String(Date.parse('2026-03-07T00:00:00Z')));
    expect(first.files).toHaveLength(1);
    const hive = service.backend.headObject({
      bucket: 'reports',
      key: 'source/daily/hive/dt=2026-03-07-00-00/symlink.txt',
    });
    expect(hive.size).toBeGreaterThan(0);
    // One delivery per day: consecutive midnights, no folder written twice.
    const days = manifests.map((manifest) =>
      Date.parse(folderOf(manifest.key)!.replace(/T(\d\d)-(\d\d)Z$/, 'T$1:$2:00Z')),
    );
    expect(days).toEqual(days.map((_, i) => days[0]! + i * 86_400_000));
  });

  it('delivers a weekly report at the first midnight, then on Sundays only', async () => {
    const clock = heldClock(TIME_SCALE, FRIDAY_MORNING);
    const service = startS3(createMemoryStorage(), clock);
    seed(service);
    service.inventory.putConfiguration('source', 'weekly', configXml('weekly', 'Weekly'));
    clock.run();
    await until(() => manifestVersions(service, 'weekly').length >= 3);
    expect(
      manifestVersions(service, 'weekly')
        .slice(0, 3)
        .map((manifest) => folderOf(manifest.key)),
    ).toEqual([
      '2026-03-07T00-00Z', // Saturday: the first report
      '2026-03-08T00-00Z', // Sunday
      '2026-03-15T00-00Z', // the Sunday after
    ]);
  });

  it('delivers nothing for a disabled or an ORC configuration, and stops when deleted', async () => {
    // Prepare
    const service = startS3(createMemoryStorage(), scaledClock(TIME_SCALE, FRIDAY_MORNING));
    seed(service);
    service.inventory.putConfiguration(
      'source',
      'disabled',
      configXml('disabled', 'Daily', { enabled: false }),
    );
    service.inventory.putConfiguration('source', 'orc', configXml('orc', 'Daily', { format: 'ORC' }));
    service.inventory.putConfiguration('source', 'deleted', configXml('deleted', 'Daily'));
    service.inventory.putConfiguration('source', 'daily', configXml('daily', 'Daily'));
    service.inventory.deleteConfiguration('source', 'deleted');

    // Act: three emulated days
    await until(() => manifestVersions(service, 'daily').length >= 3);

    // Assess
    expect(service.inventory.armedTimers).toBe(1);
    for (const id of ['disabled', 'orc', 'deleted']) expect(manifestVersions(service, id)).toEqual([]);
  });

  it('does not deliver a slot again after a restart whose clock starts before it', async () => {
    // Prepare: a first run delivers at least the first midnight, then stops
    const storage = createMemoryStorage();
    const first = startS3(storage, scaledClock(TIME_SCALE, FRIDAY_MORNING));
    seed(first);
    first.inventory.putConfiguration('source', 'daily', configXml('daily', 'Daily'));
    await until(() => manifestVersions(first, 'daily').length >= 1);
    first.close();
    expect(first.inventory.armedTimers).toBe(0);
    const delivered = manifestVersions(first, 'daily').map((manifest) => manifest.key);
    const lastSlot = first.inventory.getConfiguration('source', 'daily').lastDeliveredSlot!;
    expect(new Date(lastSlot).toISOString().slice(0, 16).replace(':', '-')).toBe(
      folderOf(delivered.at(-1)!)!.replace('Z', ''),
    );

    // Act: the restarted emulator's clock starts again early on Friday, before every delivered slot
    const second = startS3(storage, scaledClock(TIME_SCALE, FRIDAY_MORNING));
    await until(() => manifestVersions(second, 'daily').length >= delivered.length + 2);

    // Assess: each slot's manifest was written once (one version each), the new ones follow the last slot
    const manifests = manifestVersions(second, 'daily');
    expect(new Set(manifests.map((manifest) => manifest.key)).size).toBe(manifests.length);
    expect(manifests.slice(0, delivered.length).map((manifest) => manifest.key)).toEqual(delivered);
    const next = new Date(Date.parse(lastSlot) + 86_400_000).toISOString();
    expect(folderOf(manifests[delivered.length]!.key)).toBe(`${next.slice(0, 10)}T00-00Z`);
  });
});
