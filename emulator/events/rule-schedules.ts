/**
 * Fires enabled scheduled rules on the default bus in emulated time, with EventBridge's "Scheduled Event"
 * (`source: aws.events`, `resources: [ruleArn]`, `detail: {}`), delivered to that rule's targets only.
 * Scheduled events are not written to the event log.
 *
 * - `rate(...)`: every period from when the rule was put (or the emulator started), as a real interval.
 * - `cron(...)`: at each slot of the expression in UTC; the event's `time` is the slot. The last slot fired is
 *   kept per rule (durable, `events/schedule-slots`), so a restarted emulator — even one whose clock starts
 *   earlier — never fires a slot twice; slots that passed while it was stopped are not fired afterwards.
 */
import { randomUUID } from 'node:crypto';
import type { EmulatorClock, Storage } from '../contracts.js';
import { nextCronTime } from '../cron.js';
import { type EmulatedTimer, timerAt } from '../emulated-timer.js';
import type { Deliverer } from './delivery.js';
import type { EventEnvelope } from './input-transformer.js';
import { formatTime } from './put-events-entries.js';
import { parseRateSeconds, parseRuleCron } from './schedule.js';
import { DEFAULT_BUS, type EventsStore, type RuleRecord } from './store.js';

const SLOTS = 'events/schedule-slots';

interface SlotRecord {
  ruleArn: string;
  expression: string;
  lastSlot: string;
}

interface Running {
  expression: string;
  cancel(): void;
}

export class RuleScheduler {
  private readonly running = new Map<string, Running>();

  constructor(
    private readonly store: EventsStore,
    private readonly storage: Storage,
    private readonly clock: EmulatorClock,
    private readonly deliverer: Deliverer,
    private readonly accountId: string,
    private readonly region: string,
  ) {}

  /** Starts, restarts or stops timers to match the rules now stored. */
  sync(): void {
    const wanted = new Map<string, RuleRecord>();
    for (const rule of this.store.listRules(DEFAULT_BUS)) {
      if (rule.State !== 'DISABLED' && rule.ScheduleExpression) wanted.set(rule.Name, rule);
    }
    for (const [name, running] of this.running) {
      if (wanted.get(name)?.ScheduleExpression !== running.expression) {
        running.cancel();
        this.running.delete(name);
      }
    }
    for (const [name, rule] of wanted) {
      if (this.running.has(name)) continue;
      const expression = rule.ScheduleExpression!;
      const seconds = parseRateSeconds(expression);
      if (seconds !== undefined) {
        const timer = setInterval(
          () => this.fire(name, this.clock.now()),
          Math.max(1, this.clock.realMs(seconds)),
        );
        timer.unref();
        this.running.set(name, { expression, cancel: () => clearInterval(timer) });
      } else if (parseRuleCron(expression)) {
        const entry: Running & { timer?: EmulatedTimer } = {
          expression,
          cancel: () => entry.timer?.cancel(),
        };
        this.running.set(name, entry);
        this.armCron(name, rule, entry);
      }
    }
  }

  stop(): void {
    for (const running of this.running.values()) running.cancel();
    this.running.clear();
  }

  private armCron(name: string, rule: RuleRecord, entry: Running & { timer?: EmulatedTimer }): void {
    const cron = parseRuleCron(rule.ScheduleExpression!)!;
    const last = this.storage.getDoc<SlotRecord>(SLOTS, slotId(rule.Arn));
    const lastSlot = last && last.expression === rule.ScheduleExpression ? Date.parse(last.lastSlot) : 0;
    const after = new Date(Math.max(this.clock.now().getTime(), lastSlot));
    const slot = nextCronTime(cron, after, 'UTC');
    if (!slot) return;
    entry.timer = timerAt(this.clock, slot, () => {
      if (this.running.get(name) !== entry) return;
      const current = this.store.getRule(DEFAULT_BUS, name);
      if (current && current.ScheduleExpression === rule.ScheduleExpression && current.State !== 'DISABLED') {
        // Recorded before delivery: a crash in between loses this slot rather than firing it twice.
        this.storage.putDoc<SlotRecord>(SLOTS, slotId(rule.Arn), {
          ruleArn: rule.Arn,
          expression: rule.ScheduleExpression!,
          lastSlot: slot.toISOString(),
        });
        this.fire(name, slot);
      }
      this.armCron(name, current ?? rule, entry);
    });
  }

  private fire(name: string, time: Date): void {
    const rule = this.store.getRule(DEFAULT_BUS, name);
    if (!rule || rule.State === 'DISABLED' || rule.Targets.length === 0) return;
    const event: EventEnvelope = {
      version: '0',
      id: randomUUID(),
      'detail-type': 'Scheduled Event',
      source: 'aws.events',
      account: this.accountId,
      time: formatTime(time),
      region: this.region,
      resources: [rule.Arn],
      detail: {},
    };
    this.deliverer.deliver(event, rule, this.clock.now().toISOString());
  }
}

const slotId = (ruleArn: string) => encodeURIComponent(ruleArn);
