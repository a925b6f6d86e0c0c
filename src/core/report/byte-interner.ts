/**
 * Remembers the strings of low-cardinality columns (bucket, status, error code) so they are decoded once
 * instead of once per row. Compares bytes; stops learning after `capacity` distinct values.
 */
export class ByteInterner {
  readonly #bytes: Buffer[] = [];
  readonly #strings: string[] = [];
  constructor(readonly capacity: number) {}

  get(buf: Buffer, start: number, end: number): string {
    const length = end - start;
    const all = this.#bytes;
    for (let i = 0; i < all.length; i++) {
      const known = all[i]!;
      if (known.length !== length) continue;
      let j = 0;
      while (j < length && known[j] === buf[start + j]) j++;
      if (j === length) return this.#strings[i]!;
    }
    const value = buf.toString('utf8', start, end);
    if (all.length < this.capacity) {
      all.push(Buffer.from(buf.subarray(start, end)));
      this.#strings.push(value);
    }
    return value;
  }
}
