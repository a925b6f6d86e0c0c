import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { validateFaultConfig } from '../../emulator/faults.js';
import { validatePolicy } from '../../src/core/policy/policy-settings.js';
import { parseJobRequest } from '../../src/core/request-validation.js';

/** The README's JSON examples must stay valid: a reader copies them. */
const blocks = [...readFileSync('README.md', 'utf8').matchAll(/```json\n([\s\S]*?)\n```/g)].map((m) =>
  JSON.parse(m[1]!),
) as Record<string, unknown>[];

describe('README examples', () => {
  const requests = blocks.filter((b) => 'operation' in b);

  it('has job request examples', () => {
    expect(requests.length).toBeGreaterThanOrEqual(2);
  });

  it.each(requests.map((r, i) => [i, r] as const))(
    'request example %i is a valid job request',
    (_i, request) => {
      const parsed = parseJobRequest(request);
      expect(() => validatePolicy(parsed.policy, parsed.priority)).not.toThrow();
    },
  );

  it('has a valid fault configuration example', () => {
    const faults = blocks.filter((b) => 'taskFailures' in b);
    expect(faults).toHaveLength(1);
    expect(() => validateFaultConfig(faults[0])).not.toThrow();
  });
});
