import { describe, expect, it } from 'vitest';
import { createEmulatorClock } from '../../../emulator/clock.js';

describe('createEmulatorClock', () => {
  it('runs emulated time timeScale times faster from creation', async () => {
    const clock = createEmulatorClock(3600);
    const start = clock.now().getTime();
    await new Promise((resolve) => setTimeout(resolve, 100));
    const elapsedEmulatedSeconds = (clock.now().getTime() - start) / 1000;
    expect(elapsedEmulatedSeconds).toBeGreaterThanOrEqual(300);
    expect(elapsedEmulatedSeconds).toBeLessThan(3600);
  });

  it('converts emulated seconds to real milliseconds', () => {
    expect(createEmulatorClock(60).realMs(60)).toBe(1000);
    expect(createEmulatorClock().realMs(2)).toBe(2000);
  });

  it('can continue from a given emulated time and rejects nonsense scales', () => {
    const start = new Date('2030-01-01T00:00:00Z');
    expect(Math.abs(createEmulatorClock(1, { start }).now().getTime() - start.getTime())).toBeLessThan(1000);
    expect(() => createEmulatorClock(0)).toThrow(/timeScale/);
    expect(() => createEmulatorClock(1, { begin: start } as never)).toThrow(/Unknown clock option: begin/);
  });
});
