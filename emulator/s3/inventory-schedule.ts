/**
 * When scheduled S3 Inventory reports are delivered, in emulated time (emulator/clock.ts).
 *
 * AWS: reports are daily or weekly; "it may take up to 48 hours to deliver the first report"; "if weekly, a
 * report is generated every Sunday (UTC) after the initial report". The emulator's choices: a report's slot is
 * 00:00 UTC; the first report of a configuration comes at the first midnight after it was created (daily and
 * weekly alike), later weekly reports on Sundays at 00:00 UTC. A slot that passed while the emulator was not
 * running is not delivered afterwards. Each configuration keeps its last delivered slot (durable, on the
 * bucket), and a slot is never delivered twice, also across restarts.
 */
import type { EmulatorClock } from '../contracts.js';
import type { InventoryConfig } from './inventory-config.js';

const DAY_MS = 86_400_000;
/** setTimeout's largest delay; longer waits re-arm when they end. */
const MAX_TIMER_MS = 2 ** 31 - 1;

/** The first 00:00 UTC strictly after `after`. */
export function nextMidnight(after: Date): Date {
  return new Date(Math.floor(after.getTime() / DAY_MS) * DAY_MS + DAY_MS);
}

/** The first Sunday 00:00 UTC strictly after `after`. */
export function nextSundayMidnight(after: Date): Date {
  const midnight = nextMidnight(after);
  const daysToSunday = (7 - midnight.getUTCDay()) % 7;
  return new Date(midnight.getTime() + daysToSunday * DAY_MS);
}

/** The slot of a configuration's next scheduled report, strictly after `now` and after its last delivery. */
export function nextDeliverySlot(
  config: Pick<InventoryConfig, 'frequency' | 'createdAt' | 'lastDeliveredSlot'>,
  now: Date,
): Date {
  const since = Math.max(
    now.getTime(),
    new Date(config.createdAt).getTime(),
    config.lastDeliveredSlot === undefined ? 0 : new Date(config.lastDeliveredSlot).getTime(),
  );
  const after = new Date(since);
  if (config.frequency === 'Daily' || config.lastDeliveredSlot === undefined) return nextMidnight(after);
  return nextSundayMidnight(after);
}

/** Whether the configuration gets scheduled reports: enabled, and in the one format the emulator writes. */
export function isScheduled(config: InventoryConfig): boolean {
  return config.isEnabled && config.destination.format === 'CSV';
}

/**
 * One timer per scheduled configuration, armed for its next slot. When a timer ends the owner's `deliver`
 * runs with the slot (it re-checks the configuration and records the delivery, then calls `arm` again).
 * Timers are unref'd and stopped by close().
 */
export class InventoryTimers {
  private readonly timers = new Map<string, NodeJS.Timeout>();

  constructor(
    private readonly clock: EmulatorClock,
    private readonly deliver: (bucket: string, id: string, slot: Date) => void,
  ) {}

  /** (Re)arms the configuration's timer, or stops it when the configuration gets no scheduled reports. */
  arm(bucket: string, config: InventoryConfig): void {
    this.cancel(bucket, config.id);
    if (!isScheduled(config)) return;
    this.wait(bucket, config.id, nextDeliverySlot(config, this.clock.now()));
  }

  cancel(bucket: string, id: string): void {
    const name = timerName(bucket, id);
    clearTimeout(this.timers.get(name));
    this.timers.delete(name);
  }

  close(): void {
    for (const timer of this.timers.values()) clearTimeout(timer);
    this.timers.clear();
  }

  /** How many timers are armed (for tests). */
  get size(): number {
    return this.timers.size;
  }

  private wait(bucket: string, id: string, slot: Date): void {
    const name = timerName(bucket, id);
    const remainingSeconds = (slot.getTime() - this.clock.now().getTime()) / 1000;
    const delay = Math.min(MAX_TIMER_MS, Math.ceil(this.clock.realMs(remainingSeconds)));
    const timer = setTimeout(() => {
      this.timers.delete(name);
      // Real timers can end a little early in emulated time (rounding) or at the cap: wait for the rest.
      if (this.clock.now().getTime() < slot.getTime()) this.wait(bucket, id, slot);
      else this.deliver(bucket, id, slot);
    }, delay);
    timer.unref();
    this.timers.set(name, timer);
  }
}

const timerName = (bucket: string, id: string) => `${bucket}\u0000${id}`;
