/**
 * When schedules fire, in emulated time: one timer per enabled schedule, armed for its next slot
 * (expressions.ts). A slot is recorded on the schedule (`lastFiredSlot`, durable) before its target is
 * invoked, and no slot at or before the recorded one ever fires again — also after a restart whose clock
 * starts earlier. Slots that passed while the emulator was stopped are not fired afterwards. A schedule with no
 * slot left has completed: with ActionAfterCompletion DELETE it is deleted once its last invocation is over.
 * FlexibleTimeWindow FLEXIBLE fires at the start of the window, the slot itself (our choice: deterministic).
 */
import type { EmulatorClock } from '../contracts.js';
import { type EmulatedTimer, timerAt } from '../emulated-timer.js';
import { nextSlot } from './expressions.js';
import type { TargetInvoker } from './invocation.js';
import type { ScheduleRecord } from './model.js';
import type { SchedulerStore } from './store.js';

export class ScheduleTimers {
  private readonly timers = new Map<string, EmulatedTimer>();
  private closed = false;

  constructor(
    private readonly store: SchedulerStore,
    private readonly clock: EmulatorClock,
    private readonly invoker: TargetInvoker,
  ) {}

  /** (Re)arms the schedule for its first slot after `afterMs` (and after its last fired slot). */
  arm(schedule: ScheduleRecord, afterMs: number): void {
    this.cancel(schedule.Arn);
    if (this.closed || schedule.State !== 'ENABLED') return;
    const slot = nextSlot(schedule, Math.max(afterMs, schedule.lastFiredSlot ?? Number.NEGATIVE_INFINITY));
    if (slot === undefined) return;
    this.timers.set(
      schedule.Arn,
      timerAt(this.clock, new Date(slot), () => {
        this.timers.delete(schedule.Arn);
        this.fire(schedule, slot);
      }),
    );
  }

  cancel(arn: string): void {
    this.timers.get(arn)?.cancel();
    this.timers.delete(arn);
  }

  close(): void {
    this.closed = true;
    for (const timer of this.timers.values()) timer.cancel();
    this.timers.clear();
  }

  /** How many schedules have a timer armed (for tests). */
  get size(): number {
    return this.timers.size;
  }

  private fire(armed: ScheduleRecord, slot: number): void {
    const current = this.store.getSchedule(armed.GroupName, armed.Name);
    // Updated, disabled or deleted since the timer was armed: the update re-armed it.
    if (!current || current.revision !== armed.revision || current.State !== 'ENABLED') return;
    if (current.lastFiredSlot !== undefined && slot <= current.lastFiredSlot) {
      this.arm(current, current.lastFiredSlot);
      return;
    }
    const fired: ScheduleRecord = { ...current, lastFiredSlot: slot };
    this.store.putSchedule(fired);
    const invocation = this.invoker.invoke(fired, slot);
    if (nextSlot(fired, slot) !== undefined) {
      this.arm(fired, slot);
      return;
    }
    if (fired.ActionAfterCompletion !== 'DELETE') return;
    invocation.finally(() => {
      const latest = this.store.getSchedule(fired.GroupName, fired.Name);
      if (latest?.revision === fired.revision) this.store.deleteSchedule(fired.GroupName, fired.Name);
    });
  }
}
