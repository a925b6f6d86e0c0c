import { describe, expect, it } from 'vitest';
import {
  compileEventPattern,
  InvalidEventPatternError,
  matchesEventPattern,
} from '../../../emulator/events/pattern.js';
import { fixture } from './helpers.js';

type Case = [description: string, pattern: object, event: object, matches: boolean];

const event = (detail: object, extra: object = {}) => ({
  version: '0',
  id: 'e1',
  'detail-type': 'Batch Job Submitted',
  source: 's3-batch-orchestrator',
  account: '123456789012',
  time: '2017-10-02T16:24:49Z',
  region: 'us-east-1',
  resources: ['arn:aws:s3:::bucket-a', 'arn:aws:s3:::bucket-b'],
  detail,
  ...extra,
});

const cases: Record<string, Case[]> = {
  'exact values': [
    ['matches an equal string', { source: ['s3-batch-orchestrator'] }, event({}), true],
    ['is case-sensitive', { source: ['S3-Batch-Orchestrator'] }, event({}), false],
    ['ORs the values of one field', { source: ['other', 's3-batch-orchestrator'] }, event({}), true],
    ['ANDs fields', { source: ['s3-batch-orchestrator'], 'detail-type': ['Other'] }, event({}), false],
    ['matches numbers numerically', { detail: { n: [300] } }, event({ n: 300.0 }), true],
    [
      'does not match a number against a numeric string',
      { detail: { n: [300] } },
      event({ n: '300' }),
      false,
    ],
    ['matches booleans', { detail: { ok: [true] } }, event({ ok: true }), true],
    ['does not match "true" against true', { detail: { ok: ['true'] } }, event({ ok: true }), false],
    ['matches null', { detail: { v: [null] } }, event({ v: null }), true],
    ['null does not match a missing field', { detail: { v: [null] } }, event({}), false],
    ['matches the empty string', { detail: { v: [''] } }, event({ v: '' }), true],
    ['requires the field to exist', { detail: { missing: ['x'] } }, event({}), false],
  ],
  'arrays in the event': [
    ['match when any element matches', { resources: ['arn:aws:s3:::bucket-b'] }, event({}), true],
    ['do not match when no element matches', { resources: ['arn:aws:s3:::bucket-c'] }, event({}), false],
    [
      'are crushed into objects',
      { detail: { e: { name: ['Anna'] } } },
      event({ e: [{ name: 'John' }, { name: 'Anna' }] }),
      true,
    ],
    [
      'keep fields of one element together',
      { detail: { e: { first: ['Anna'], last: ['Jones'] } } },
      event({
        e: [
          { first: 'Anna', last: 'Smith' },
          { first: 'Peter', last: 'Jones' },
        ],
      }),
      false,
    ],
    ['flatten nested arrays', { detail: { v: ['b'] } }, event({ v: [['a'], ['b']] }), true],
  ],
  prefix: [
    ['matches a prefix', { time: [{ prefix: '2017-10-02' }] }, event({}), true],
    ['rejects another prefix', { time: [{ prefix: '2018' }] }, event({}), false],
    ['only matches strings', { detail: { n: [{ prefix: '1' }] } }, event({ n: 12 }), false],
    [
      'ignores case with equals-ignore-case',
      { source: [{ prefix: { 'equals-ignore-case': 'S3-BATCH' } }] },
      event({}),
      true,
    ],
    [
      'still needs the prefix when ignoring case',
      { source: [{ prefix: { 'equals-ignore-case': 'batch' } }] },
      event({}),
      false,
    ],
  ],
  suffix: [
    ['matches a suffix', { detail: { key: [{ suffix: '.png' }] } }, event({ key: 'a/b.png' }), true],
    ['is case-sensitive', { detail: { key: [{ suffix: '.png' }] } }, event({ key: 'a/b.PNG' }), false],
    [
      'ignores case with equals-ignore-case',
      { detail: { key: [{ suffix: { 'equals-ignore-case': '.png' } }] } },
      event({ key: 'a/b.PNG' }),
      true,
    ],
    ['rejects another suffix', { detail: { key: [{ suffix: '.png' }] } }, event({ key: 'a/b.jpg' }), false],
  ],
  'equals-ignore-case': [
    [
      'matches any casing',
      { 'detail-type': [{ 'equals-ignore-case': 'batch job SUBMITTED' }] },
      event({}),
      true,
    ],
    [
      'rejects other text',
      { 'detail-type': [{ 'equals-ignore-case': 'batch job failed' }] },
      event({}),
      false,
    ],
  ],
  'anything-but': [
    [
      'matches another string',
      { detail: { state: [{ 'anything-but': 'initializing' }] } },
      event({ state: 'running' }),
      true,
    ],
    [
      'rejects the excluded string',
      { detail: { state: [{ 'anything-but': 'initializing' }] } },
      event({ state: 'initializing' }),
      false,
    ],
    [
      'rejects every listed string',
      { detail: { state: [{ 'anything-but': ['stopped', 'overloaded'] }] } },
      event({ state: 'stopped' }),
      false,
    ],
    [
      'matches a number outside the list',
      { detail: { n: [{ 'anything-but': [100, 200] }] } },
      event({ n: 150 }),
      true,
    ],
    ['rejects a listed number', { detail: { n: [{ 'anything-but': 100 }] } }, event({ n: 100 }), false],
    ['needs the field to be present', { detail: { state: [{ 'anything-but': 'x' }] } }, event({}), false],
    ['with prefix rejects the prefix', { region: [{ 'anything-but': { prefix: 'us-' } }] }, event({}), false],
    [
      'with prefix matches other prefixes',
      { region: [{ 'anything-but': { prefix: 'eu-' } }] },
      event({}),
      true,
    ],
    [
      'with suffix rejects the suffix',
      { detail: { f: [{ 'anything-but': { suffix: '.png' } }] } },
      event({ f: 'a.png' }),
      false,
    ],
    [
      'with suffix matches other suffixes',
      { detail: { f: [{ 'anything-but': { suffix: '.png' } }] } },
      event({ f: 'a.jpg' }),
      true,
    ],
    [
      'with equals-ignore-case rejects any casing',
      { detail: { s: [{ 'anything-but': { 'equals-ignore-case': ['INIT'] } }] } },
      event({ s: 'init' }),
      false,
    ],
    [
      'with wildcard rejects matching paths',
      { detail: { p: [{ 'anything-but': { wildcard: '*/lib/*' } }] } },
      event({ p: 'src/lib/x.ts' }),
      false,
    ],
    [
      'with wildcard matches other paths',
      { detail: { p: [{ 'anything-but': { wildcard: '*/lib/*' } }] } },
      event({ p: 'src/bin/x.ts' }),
      true,
    ],
  ],
  numeric: [
    [
      'matches inside a closed range',
      { detail: { c: [{ numeric: ['>', 0, '<=', 5] }] } },
      event({ c: 5 }),
      true,
    ],
    ['rejects the open bound', { detail: { c: [{ numeric: ['>', 0, '<=', 5] }] } }, event({ c: 0 }), false],
    ['rejects above the range', { detail: { c: [{ numeric: ['>=', 0, '<', 5] }] } }, event({ c: 5 }), false],
    ['matches less-than', { detail: { c: [{ numeric: ['<', 10] }] } }, event({ c: -3.5 }), true],
    [
      'matches equals across notations',
      { detail: { c: [{ numeric: ['=', 3.018e2] }] } },
      event({ c: 301.8 }),
      true,
    ],
    ['rejects unequal numbers', { detail: { c: [{ numeric: ['=', 5] }] } }, event({ c: 6 }), false],
    ['only matches JSON numbers', { detail: { c: [{ numeric: ['>', 0] }] } }, event({ c: '5' }), false],
    [
      'matches any element of an array',
      { detail: { c: [{ numeric: ['>', 10] }] } },
      event({ c: [1, 20] }),
      true,
    ],
  ],
  exists: [
    ['true matches a present leaf', { detail: { c: [{ exists: true }] } }, event({ c: 1 }), true],
    ['true matches a null leaf', { detail: { c: [{ exists: true }] } }, event({ c: null }), true],
    ['true rejects a missing leaf', { detail: { c: [{ exists: true }] } }, event({}), false],
    [
      'true rejects an object (not a leaf)',
      { detail: { c: [{ exists: true }] } },
      event({ c: { c1: 100 } }),
      false,
    ],
    ['false matches a missing leaf', { detail: { c: [{ exists: false }] } }, event({}), true],
    [
      'false matches when the parent is missing too',
      { nothing: { c: [{ exists: false }] } },
      event({}),
      true,
    ],
    [
      'false matches an object (not a leaf)',
      { detail: { c: [{ exists: false }] } },
      event({ c: { c1: 100 } }),
      true,
    ],
    ['false matches an empty array', { detail: { c: [{ exists: false }] } }, event({ c: [] }), true],
    ['false rejects a present leaf', { detail: { c: [{ exists: false }] } }, event({ c: 'x' }), false],
  ],
  wildcard: [
    ['matches a star in the middle', { source: [{ wildcard: 's3-*-orchestrator' }] }, event({}), true],
    ['lets a star match nothing', { detail: { k: [{ wildcard: 'a*b' }] } }, event({ k: 'ab' }), true],
    ['rejects a non-matching value', { source: [{ wildcard: 'aws.*' }] }, event({}), false],
    [
      'treats an escaped star literally',
      { detail: { k: [{ wildcard: 'a\\*b' }] } },
      event({ k: 'a*b' }),
      true,
    ],
    [
      'does not expand an escaped star',
      { detail: { k: [{ wildcard: 'a\\*b' }] } },
      event({ k: 'axb' }),
      false,
    ],
    [
      'treats regex characters literally',
      { detail: { k: [{ wildcard: 'a.c*' }] } },
      event({ k: 'abcd' }),
      false,
    ],
  ],
  cidr: [
    [
      'matches an IPv4 address in the block',
      { detail: { ip: [{ cidr: '10.0.0.0/24' }] } },
      event({ ip: '10.0.0.255' }),
      true,
    ],
    [
      'rejects an IPv4 address outside it',
      { detail: { ip: [{ cidr: '10.0.0.0/24' }] } },
      event({ ip: '10.0.1.1' }),
      false,
    ],
    ['matches IPv6', { detail: { ip: [{ cidr: '2001:db8::/32' }] } }, event({ ip: '2001:db8::1' }), true],
    ['rejects non-addresses', { detail: { ip: [{ cidr: '10.0.0.0/8' }] } }, event({ ip: 'ten' }), false],
  ],
  $or: [
    [
      'matches when one branch matches',
      { source: ['s3-batch-orchestrator'], $or: [{ region: ['eu-west-1'] }, { account: ['123456789012'] }] },
      event({}),
      true,
    ],
    [
      'rejects when no branch matches',
      { $or: [{ region: ['eu-west-1'] }, { account: ['1'] }] },
      event({}),
      false,
    ],
    ['works nested', { detail: { $or: [{ a: [1] }, { b: [{ exists: true }] }] } }, event({ b: 'x' }), true],
    [
      'ANDs parallel ors',
      { $or: [{ region: ['us-east-1'] }, { account: ['1'] }], detail: { $or: [{ a: [1] }, { b: [2] }] } },
      event({ a: 3 }),
      false,
    ],
  ],
  'nested objects': [
    [
      'match deep fields',
      { detail: { object: { key: [{ prefix: 'manifests/' }] } } },
      event({ object: { key: 'manifests/a.csv' } }),
      true,
    ],
    [
      'reject when the structure differs',
      { detail: { object: { key: ['k'] } } },
      event({ object: 'k' }),
      false,
    ],
  ],
};

describe('event pattern matching', () => {
  for (const [operator, table] of Object.entries(cases)) {
    describe(operator, () => {
      it.each(table)('%s', (_description, pattern, input, expected) => {
        expect(matchesEventPattern(pattern, input)).toBe(expected);
      });
    });
  }

  it('matches the CloudTrail JobStatusChanged event with the batch job events fixture pattern', async () => {
    const pattern = (await fixture('eventbridge-pattern-batch-job-events.json')) as object;
    expect(matchesEventPattern(pattern, await fixture('cloudtrail-job-status-changed.json'))).toBe(true);
  });

  it('does not match the S3 Object Created event with the batch job events fixture pattern', async () => {
    const pattern = (await fixture('eventbridge-pattern-batch-job-events.json')) as object;
    expect(matchesEventPattern(pattern, await fixture('s3-object-created.json'))).toBe(false);
  });
});

describe('event pattern validation', () => {
  const invalid: [string, unknown, string][] = [
    ['non-JSON text', '{"source": [', 'Filter is not valid JSON'],
    ['a non-object', '["a"]', 'Filter is not an object'],
    ['an empty object', {}, 'Empty objects are not allowed'],
    ['an empty array', { source: [] }, 'Empty arrays are not allowed'],
    ['a bare value', { source: 'aws.s3' }, '"source" must be an object or an array'],
    ['a nested array', { source: [['a']] }, 'Match value must be String, number, true, false, or null'],
    ['an unknown operator', { source: [{ contains: 'a' }] }, 'Unrecognized match type contains'],
    [
      'two keys in one expression',
      { source: [{ prefix: 'a', suffix: 'b' }] },
      'Only one key allowed in match expression',
    ],
    ['a numeric prefix', { source: [{ prefix: 1 }] }, 'prefix match pattern must be a string'],
    [
      'a non-boolean exists',
      { source: [{ exists: 'yes' }] },
      'exists match pattern must be either true or false.',
    ],
    ['numeric without an array', { n: [{ numeric: 5 }] }, 'Value of numeric must be an array.'],
    [
      'an unknown numeric operator',
      { n: [{ numeric: ['!=', 5] }] },
      'Unrecognized numeric range operator: !=',
    ],
    ['a non-numeric operand', { n: [{ numeric: ['>', 'a'] }] }, 'Value of > must be numeric'],
    ['an inverted range', { n: [{ numeric: ['>', 5, '<', 1] }] }, 'Bottom must be less than top'],
    ['a range after <', { n: [{ numeric: ['<', 5, '>', 1] }] }, 'Too many elements in numeric expression'],
    [
      'mixed anything-but types',
      { s: [{ 'anything-but': ['a', 1] }] },
      'Inside anything but list, either all values are number or string, mixed type is not supported',
    ],
    [
      'anything-but null',
      { s: [{ 'anything-but': [null] }] },
      'Inside anything but list, start|null|boolean is not supported.',
    ],
    [
      'an unknown anything-but operator',
      { s: [{ 'anything-but': { numeric: 1 } }] },
      'Unsupported anything-but pattern: numeric',
    ],
    [
      'an empty anything-but prefix',
      { s: [{ 'anything-but': { prefix: '' } }] },
      'Null prefix/suffix not allowed',
    ],
    ['consecutive wildcards', { s: [{ wildcard: 'abc**def' }] }, 'Consecutive wildcard characters at pos 4'],
    ['a bad wildcard escape', { s: [{ wildcard: 'a\\bc' }] }, 'Invalid escape character at pos 2'],
    ['a CIDR without mask', { ip: [{ cidr: '10.0.0.0' }] }, "Malformed CIDR, one '/' required"],
    ['a CIDR with a bad address', { ip: [{ cidr: '10.0.0/8' }] }, 'Nonstandard IP address: 10.0.0'],
    [
      '$or with one branch',
      { $or: [{ a: ['1'] }] },
      'There must have at least 2 Objects in $or relationship.',
    ],
    ['$or without an array', { $or: { a: ['1'] } }, 'It must be an Array followed with $or.'],
    [
      'an operator name inside $or',
      { $or: [{ prefix: ['1'] }, { a: ['2'] }] },
      'prefix is Ruler reserved fieldName',
    ],
  ];

  it.each(invalid)('rejects %s', (_description, pattern, reason) => {
    const compile = () => compileEventPattern(pattern as string | object);
    expect(compile).toThrow(InvalidEventPatternError);
    expect(compile).toThrow(`Event pattern is not valid. Reason: ${reason}`);
  });
});
