import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { generateWasmFiles, repoRoot } from '../../scripts/gen-wasm.js';
import { rowScannerWasm } from '../../src/generated/row-scanner-wasm.js';

describe('generated WebAssembly', () => {
  it('is what src/core/report/row-scanner.wat compiles to (npm run gen)', async () => {
    // Act
    const expected = await generateWasmFiles();

    // Assess
    const stale = Object.entries(expected)
      .filter(([path, content]) => readFileSync(join(repoRoot, path), 'utf8') !== content)
      .map(([path]) => path);
    expect(stale, 'stale generated files: run npm run gen').toEqual([]);
  });

  it('is a valid module with the exports row-scanner.ts calls, and nothing to import', () => {
    // Arrange
    const bytes = Buffer.from(rowScannerWasm, 'base64');

    // Act
    const module = new WebAssembly.Module(bytes);
    const instance = new WebAssembly.Instance(module);

    // Assess
    expect(Object.keys(instance.exports).sort()).toEqual(['memory', 'parse', 'rows', 'stop']);
  });
});
