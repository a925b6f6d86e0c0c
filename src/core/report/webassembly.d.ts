/**
 * The parts of the WebAssembly JavaScript API that row-scanner.ts uses, as Node.js provides them. TypeScript
 * declares WebAssembly only in its DOM and web-worker libraries, which this project does not load.
 */
declare namespace WebAssembly {
  class Module {
    constructor(bytes: Uint8Array);
  }
  class Instance {
    constructor(module: Module, imports?: Record<string, Record<string, unknown>>);
    readonly exports: Record<string, unknown>;
  }
  class Memory {
    readonly buffer: ArrayBuffer;
    /** Grows by `pages` of 64 KiB; the old `buffer` is detached. */
    grow(pages: number): number;
  }
  class Global {
    value: unknown;
  }
}
