/**
 * Drives the WebAssembly row scanner (row-scanner.wat, compiled into src/generated/row-scanner-wasm.ts): copies a
 * buffer into the scanner's memory, asks it for up to `ROWS_PER_SCAN` rows at a time, and exposes the records it
 * wrote (layout in the .wat file's header). One scanner per parser: its memory holds that parser's bytes.
 *
 * Why WebAssembly: the scanner compares 16 bytes per instruction, where JavaScript compares one (or four, with
 * 32-bit word tricks); on the bench report it finds rows and fields several times faster than the JS scanner it
 * replaced (README, report-parse). WebAssembly SIMD is in every Node.js since 16.4, Lambda's included.
 */
import { rowScannerWasm } from '../../generated/row-scanner-wasm.js';

/** Records a scan writes at most; 64 KiB of memory. */
export const ROWS_PER_SCAN = 1024;
/** Int32 slots per record: field count, escape bits, then start and end of each of 7 fields. */
export const RECORD_SLOTS = 16;
const RECORD_BYTES = RECORD_SLOTS * 4;
/** Memory kept after the input, so a 16-byte load that starts inside it stays in bounds. */
const PADDING = 16;
const PAGE_BYTES = 65536;

/** How a scan stopped (row-scanner.wat's `parse` result). */
export const ScanStatus = {
  /** At the end of the bytes, or at a row they do not complete. */
  Ended: 0,
  /** `ROWS_PER_SCAN` records are written; scan again from `stop`. */
  Full: 1,
  /** A quoted field never closes in the final bytes. */
  Unterminated: 2,
} as const;
export type ScanStatus = (typeof ScanStatus)[keyof typeof ScanStatus];

interface ScannerExports {
  memory: WebAssembly.Memory;
  stop: WebAssembly.Global;
  rows: WebAssembly.Global;
  parse(len: number, from: number, final: number, out: number, maxRows: number): ScanStatus;
}

let compiled: WebAssembly.Module | undefined;

/** Compiled once per process, on first use (~1 KB: well under a millisecond). */
function scannerModule(): WebAssembly.Module {
  compiled ??= new WebAssembly.Module(Buffer.from(rowScannerWasm, 'base64'));
  return compiled;
}

export class RowScanner {
  readonly #wasm = new WebAssembly.Instance(scannerModule()).exports as unknown as ScannerExports;
  #length = 0;
  #out = 0;
  /** The records of the last scan; a new view whenever the memory grows (growing detaches the old buffer). */
  records = new Int32Array(0);

  /** Copies `bytes` into the scanner's memory for the scans that follow. */
  load(bytes: Uint8Array): void {
    const memory = this.#wasm.memory;
    const out = Math.ceil((bytes.length + PADDING) / RECORD_BYTES) * RECORD_BYTES;
    const needed = out + ROWS_PER_SCAN * RECORD_BYTES;
    if (memory.buffer.byteLength < needed) {
      memory.grow(Math.ceil((needed - memory.buffer.byteLength) / PAGE_BYTES));
    }
    new Uint8Array(memory.buffer).set(bytes);
    if (out !== this.#out || this.records.buffer !== memory.buffer) {
      this.records = new Int32Array(memory.buffer, out, ROWS_PER_SCAN * RECORD_SLOTS);
    }
    this.#length = bytes.length;
    this.#out = out;
  }

  /** Finds up to `ROWS_PER_SCAN` rows from `from` (a row start) in the loaded bytes. */
  scan(from: number, final: boolean): ScanStatus {
    return this.#wasm.parse(this.#length, from, final ? 1 : 0, this.#out, ROWS_PER_SCAN);
  }

  /** Where the next scan starts: the first row not recorded, or the end of the bytes. */
  get stop(): number {
    return this.#wasm.stop.value as number;
  }

  /** Records the last scan wrote. */
  get rows(): number {
    return this.#wasm.rows.value as number;
  }
}
