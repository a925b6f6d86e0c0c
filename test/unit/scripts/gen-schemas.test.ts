import { describe, expect, it } from 'vitest';
import { mergeIdenticalDefinitions, withoutAnnotations } from '../../../scripts/gen-schemas.js';

/** A validator function as Ajv's standalone code (`lines: true`) writes it. */
const fn = (name: string, body: string): string =>
  `function ${name}(data, {instancePath=""}={}){\nlet errors = 0;\n${body}\n${name}.errors = null;\nreturn errors === 0;\n}\n`;

describe('mergeIdenticalDefinitions', () => {
  it('keeps one of each set of identical functions and points every reference at it', () => {
    // Prepare: two copies of one definition, each with its own copy of a callee.
    const code = [
      'export const validateA = validate1;',
      'export const validateB = validate3;',
      fn('validate1', 'validate2(data.x);'),
      fn('validate2', 'if(typeof data != "string") errors++;'),
      fn('validate3', 'validate4(data.x);'),
      fn('validate4', 'if(typeof data != "string") errors++;'),
    ].join('\n');

    // Act
    const merged = mergeIdenticalDefinitions(code);

    // Assess
    expect(merged).toContain('export const validateB = validate1;');
    expect(merged.match(/^function validate\d+/gm)).toEqual(['function validate1', 'function validate2']);
    expect(merged).not.toMatch(/validate[34]\b/);
  });

  it('leaves functions that differ alone', () => {
    const code = [fn('validate1', 'errors++;'), fn('validate2', 'errors += 2;')].join('\n');

    expect(mergeIdenticalDefinitions(code)).toBe(code);
  });
});

describe('withoutAnnotations', () => {
  it('drops documentation keywords but keeps properties that happen to share their names', () => {
    // Act
    const stripped = withoutAnnotations({
      title: 'Thing',
      description: 'A thing',
      properties: { description: { type: 'string', description: 'its description' } },
      enum: [{ title: 'data, not a keyword' }],
    });

    // Assess
    expect(stripped).toEqual({
      properties: { description: { type: 'string' } },
      enum: [{ title: 'data, not a keyword' }],
    });
  });
});
