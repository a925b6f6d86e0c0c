import type { EmulatorClock } from './contracts.js';

export interface EmulatorClockOptions {
  /** Emulated time at creation (default: the real time). Lets a restarted emulator continue where it stopped. */
  start?: Date;
}

/** Emulated time runs `timeScale` times faster than real time from the moment the clock is created. */
export function createEmulatorClock(timeScale = 1, options: EmulatorClockOptions = {}): EmulatorClock {
  if (!Number.isFinite(timeScale) || timeScale <= 0) {
    throw new Error(`timeScale must be a positive finite number, got ${timeScale}`);
  }
  const unknown = Object.keys(options).filter((key) => key !== 'start');
  if (unknown.length > 0) throw new Error(`Unknown clock option: ${unknown.join(', ')}`);
  const realStart = Date.now();
  const emulatedStart = options.start?.getTime() ?? realStart;
  return {
    timeScale,
    now: () => new Date(emulatedStart + (Date.now() - realStart) * timeScale),
    realMs: (emulatedSeconds: number) => Math.max(0, (emulatedSeconds * 1000) / timeScale),
  };
}
