/**
 * Counts the rows of an S3 Inventory CSV data file fed a chunk at a time, so a file of millions of rows needs
 * no more memory than a chunk. Inventory CSVs quote every field and have no header row; a row whose
 * IsDeleteMarker column reads `true` lists a delete marker, which is no object a task could act on (S3 Batch
 * Operations, and the emulator, skip it), so it is not counted. Fields are read as RFC 4180 says (quoted
 * commas, newlines and doubled quotes), and only the one column that matters is kept.
 */
const quote = 0x22;
const comma = 0x2c;
const newline = 0x0a;
const carriageReturn = 0x0d;
/** Bytes of `true`; a longer value is no `true`, so no more is kept. */
const trueBytes = [0x74, 0x72, 0x75, 0x65];

export class InventoryRowCounter {
  #rows = 0;
  #column = 0;
  #inQuotes = false;
  /** A quote was just read inside quotes: the next byte says whether it closed them or was doubled. */
  #quoteSeen = false;
  #rowHasContent = false;
  /** The skip column's bytes so far, up to one more than `true` has. */
  #value: number[] = [];

  /** @param skipColumn index of the IsDeleteMarker column; -1 when the inventory has none. */
  constructor(private readonly skipColumn: number) {}

  push(chunk: Uint8Array): void {
    for (const byte of chunk) this.#read(byte);
  }

  /** The count, once every chunk was pushed. */
  end(): number {
    this.#quoteSeen = false;
    this.#inQuotes = false;
    this.#endRow();
    return this.#rows;
  }

  #read(byte: number): void {
    if (this.#inQuotes) {
      if (this.#quoteSeen) {
        this.#quoteSeen = false;
        if (byte === quote) {
          this.#keep(byte);
          return;
        }
        this.#inQuotes = false;
        // The quote closed the field: this byte is read as outside quotes, below.
      } else if (byte === quote) {
        this.#quoteSeen = true;
        return;
      } else {
        this.#keep(byte);
        return;
      }
    }
    if (byte === newline) {
      this.#endRow();
    } else if (byte === comma) {
      this.#rowHasContent = true;
      this.#column++;
    } else if (byte === quote) {
      this.#rowHasContent = true;
      this.#inQuotes = true;
    } else if (byte !== carriageReturn) {
      this.#keep(byte);
    }
  }

  #keep(byte: number): void {
    this.#rowHasContent = true;
    if (this.#column === this.skipColumn && this.#value.length <= trueBytes.length) this.#value.push(byte);
  }

  #endRow(): void {
    const skipped =
      this.#value.length === trueBytes.length && this.#value.every((byte, i) => byte === trueBytes[i]);
    if (this.#rowHasContent && !skipped) this.#rows++;
    this.#rowHasContent = false;
    this.#column = 0;
    this.#value = [];
  }
}
