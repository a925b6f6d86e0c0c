import { describe, expect, it } from 'vitest';
import { countManifestRows } from '../../../../src/core/cost/count-manifest-rows.js';
import { memoryObjectStore } from '../../../doubles/memory-ports.js';

describe('countManifestRows', () => {
  it('counts non-empty lines, with or without a final newline or CRLF endings', async () => {
    const objects = memoryObjectStore({
      'm/a.csv': 'b,k1\nb,k2\n\nb,k3',
      'm/b.csv': 'b,k1\r\nb,k2\r\n',
    });

    expect(await countManifestRows(objects, { bucket: 'm', key: 'a.csv' })).toBe(3);
    expect(await countManifestRows(objects, { bucket: 'm', key: 'b.csv' })).toBe(2);
  });

  it('rejects a missing manifest naming manifest.key', async () => {
    const objects = memoryObjectStore({});

    await expect(countManifestRows(objects, { bucket: 'm', key: 'none.csv' })).rejects.toMatchObject({
      name: 'RequestValidationError',
      field: 'manifest.key',
    });
  });
});
