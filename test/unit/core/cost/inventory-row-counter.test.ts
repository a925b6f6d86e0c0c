import { describe, expect, it } from 'vitest';
import { InventoryRowCounter } from '../../../../src/core/cost/inventory-row-counter.js';

/** Counts `text` fed `chunkSize` bytes at a time, so every row and quote meets a chunk boundary somewhere. */
function count(text: string, skipColumn: number, chunkSize = 1): number {
  const counter = new InventoryRowCounter(skipColumn);
  const bytes = Buffer.from(text, 'utf8');
  for (let i = 0; i < bytes.length; i += chunkSize) counter.push(bytes.subarray(i, i + chunkSize));
  return counter.end();
}

describe('InventoryRowCounter', () => {
  it('counts quoted rows and leaves out those whose IsDeleteMarker column is true', () => {
    const rows = [
      '"src","a.txt","v1","true","false"\n',
      '"src","b.txt","v2","false","true"\n',
      '"src","c.txt","v3","true","false"\n',
    ].join('');
    expect(count(rows, 4)).toBe(2);
    expect(count(rows, -1)).toBe(3);
  });

  it('reads commas, newlines and doubled quotes inside quotes as data, at any chunk size', () => {
    const rows = '"src","a,\n""b""","v1","true"\n"src","x","v2","false"\n';
    for (const chunkSize of [1, 2, 3, 64]) {
      expect(count(rows, 3, chunkSize), `chunks of ${chunkSize}`).toBe(1);
    }
  });

  it('takes only an exact `true` for a delete marker', () => {
    expect(count('"src","a","truer"\n"src","b","TRUE"\n"src","c",""\n', 2)).toBe(3);
    expect(count('src,a,true\n', 2)).toBe(0);
  });

  it('counts a last row without a newline, ignores empty lines and CRLF line ends', () => {
    expect(count('"src","a","false"\r\n\r\n\n"src","b","false"', 2)).toBe(2);
    expect(count('', 2)).toBe(0);
  });
});
