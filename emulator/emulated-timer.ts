/**
 * A timer for an instant of emulated time (emulator/clock.ts). Real timers can end a little early in emulated
 * time (rounding) and cannot wait longer than 2^31-1 ms, so the timer re-arms until the instant has passed.
 * Timers are unref'd: they never keep the process alive.
 */
import type { EmulatorClock } from './contracts.js';

/** setTimeout's largest delay; longer waits re-arm when they end. */
const MAX_TIMER_MS = 2 ** 31 - 1;

export interface EmulatedTimer {
  cancel(): void;
}

export function timerAt(clock: EmulatorClock, at: Date, fire: () => void): EmulatedTimer {
  let timer: NodeJS.Timeout | undefined;
  let cancelled = false;
  const arm = () => {
    const remainingSeconds = (at.getTime() - clock.now().getTime()) / 1000;
    const delay = Math.min(MAX_TIMER_MS, Math.max(0, Math.ceil(clock.realMs(remainingSeconds))));
    timer = setTimeout(() => {
      if (cancelled) return;
      if (clock.now().getTime() < at.getTime()) arm();
      else fire();
    }, delay);
    timer.unref();
  };
  arm();
  return {
    cancel() {
      cancelled = true;
      clearTimeout(timer);
    },
  };
}
