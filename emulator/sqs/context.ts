/**
 * What the SQS operations share: the store, the clock, queue lookup by URL / ARN / name, and the long-poll
 * waiters a send (or a visibility change) wakes.
 */
import type { EmulatorClock } from '../contracts.js';
import { timerAt } from '../emulated-timer.js';
import { queueDoesNotExist } from './errors.js';
import type { QueueRecord } from './model.js';
import type { SqsStore } from './store.js';

export class SqsContext {
  private readonly waiters = new Map<string, Set<() => void>>();
  closed = false;

  constructor(
    readonly store: SqsStore,
    readonly clock: EmulatorClock,
    readonly accountId: string,
    readonly region: string,
    /** Base of the queue URLs handed out in-process (the HTTP layer uses the request's host instead). */
    public endpoint: string,
  ) {}

  nowMs(): number {
    return this.clock.now().getTime();
  }

  arnOf(name: string): string {
    return `arn:aws:sqs:${this.region}:${this.accountId}:${name}`;
  }

  urlOf(name: string, endpoint = this.endpoint): string {
    return `${endpoint.replace(/\/+$/, '')}/${this.accountId}/${name}`;
  }

  /** A queue URL (any host: clients may rewrite it), a queue ARN or a bare name → the stored queue. */
  queue(reference: unknown): QueueRecord {
    const name = this.nameOf(reference);
    const queue = name === undefined ? undefined : this.store.getQueue(name);
    if (!queue) throw queueDoesNotExist();
    return queue;
  }

  nameOf(reference: unknown): string | undefined {
    if (typeof reference !== 'string' || reference === '') return undefined;
    const arn = /^arn:aws[\w-]*:sqs:[^:]*:(\d{12}):([^:]+)$/.exec(reference);
    if (arn) return arn[1] === this.accountId ? arn[2] : undefined;
    const url = /^[a-z]+:\/\/[^/]+\/(\d{12})\/([^/?#]+)\/?$/i.exec(reference);
    if (url) return url[1] === this.accountId ? url[2] : undefined;
    return /^[A-Za-z0-9_-]{1,80}$/.test(reference) ? reference : undefined;
  }

  /** Resolves when the queue may have a message to hand out, or when `untilMs` (emulated) passes. */
  waitForChange(queue: string, untilMs: number): Promise<void> {
    return new Promise((resolve) => {
      if (this.closed) {
        resolve();
        return;
      }
      let set = this.waiters.get(queue);
      if (!set) {
        set = new Set();
        this.waiters.set(queue, set);
      }
      const waiters = set;
      const done = () => {
        waiters.delete(done);
        timer.cancel();
        resolve();
      };
      waiters.add(done);
      const timer = timerAt(this.clock, new Date(untilMs), done);
    });
  }

  notify(queue: string): void {
    for (const waiter of [...(this.waiters.get(queue) ?? [])]) waiter();
  }

  /** Wakes every long poll (they then see `closed` and answer empty). */
  close(): void {
    this.closed = true;
    for (const queue of [...this.waiters.keys()]) this.notify(queue);
  }
}
