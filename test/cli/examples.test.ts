/** Every ready-to-run request in examples/ passes `s3bo validate` (schema + cross-field rules). */
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { s3bo } from './helpers.js';

const examplesDir = join(import.meta.dirname, '..', '..', 'examples');
const files = readdirSync(examplesDir)
  .filter((name) => name.endsWith('.json'))
  .sort();

describe('examples/', () => {
  it('holds the documented request files', () => {
    expect(files).toEqual(
      expect.arrayContaining([
        'copy-request.json',
        'lambda-request.json',
        'policy-request.json',
        'restore-request.json',
        'tag-request.json',
      ]),
    );
  });

  it.each(files)('%s is a valid job request', async (name) => {
    const file = join(examplesDir, name);
    const result = await s3bo(['validate', file]);
    expect(result).toMatchObject({ code: 0, stderr: '', stdout: `ok: ${file} is a valid job request\n` });
  });

  it('policy-request.json sets every policy the README describes', async () => {
    const result = await s3bo(['--json', 'validate', join(examplesDir, 'policy-request.json')]);
    expect(JSON.parse(result.stdout).request.policy).toMatchObject({
      autoCancel: { failureRateThreshold: 0.05, minTasksRun: 200 },
      reprioritize: { warnFailureRate: 0.02, recoverFailureRate: 0.01, loweredPriority: 1 },
      redrive: { maxAttempts: 2 },
    });
  });
});
