import { describe, expect, it } from 'vitest';
import { percentile } from '../../../bench/micro-batching.js';

describe('percentile (nearest rank)', () => {
  it('picks the value at rank ceil(p/100 × n), whatever the input order', () => {
    const values = [50, 10, 40, 20, 30];
    expect(percentile(values, 50)).toBe(30);
    expect(percentile(values, 95)).toBe(50);
    expect(percentile(values, 20)).toBe(10);
    expect(percentile(values, 100)).toBe(50);
    expect(values).toEqual([50, 10, 40, 20, 30]);
  });

  it('refuses no values and a p outside (0, 100]', () => {
    expect(() => percentile([], 50)).toThrow(/no values/);
    expect(() => percentile([1], 0)).toThrow(/p must be in \(0, 100\], got 0/);
    expect(() => percentile([1], 101)).toThrow(/got 101/);
  });
});
