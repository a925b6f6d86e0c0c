import { describe, expect, it } from 'vitest';
import { RequestValidationError } from '../../../src/core/errors.js';
import { maxRequestDepth, parseJobRequest } from '../../../src/core/request-validation.js';
import { aJobRequest } from '../../builders/job-request.js';

function rejection(input: unknown): RequestValidationError {
  try {
    parseJobRequest(input);
  } catch (error) {
    if (error instanceof RequestValidationError) return error;
    throw error;
  }
  throw new Error('expected the request to be rejected');
}

/** `levels` objects, each the `child` of the one before, the innermost holding `leaf`. */
function nestedObjects(levels: number, leaf: unknown = 'x'): unknown {
  let value: unknown = leaf;
  for (let i = 0; i < levels; i++) value = { child: value };
  return value;
}

function nestedArrays(levels: number): unknown {
  let value: unknown = [];
  for (let i = 1; i < levels; i++) value = [value];
  return value;
}

describe('parseJobRequest on deeply nested input', () => {
  it('rejects a request nested 5,000 levels deep with a validation error, not a stack overflow', () => {
    const request = aJobRequest({
      operation: { S3PutObjectTagging: { TagSet: [nestedObjects(5_000) as { Key: string; Value: string }] } },
    });
    const error = rejection(request);
    expect(error.reason).toBe(`is nested deeper than ${maxRequestDepth} levels`);
    // The request is level 1: the value at level 33 is where the limit is passed.
    const childHops =
      maxRequestDepth + 1 - 'operation.S3PutObjectTagging.TagSet[0]'.split(/\.|\[/).length - 1;
    expect(error.field).toBe(`operation.S3PutObjectTagging.TagSet[0]${'.child'.repeat(childHops)}`);
  });

  it('names the path through arrays and through keys that are not identifiers', () => {
    const error = rejection({ ...aJobRequest(), 'odd key': nestedArrays(50) });
    expect(error.field).toBe(`odd key${'[0]'.repeat(maxRequestDepth - 1)}`);
    expect(error.reason).toMatch(/is nested deeper than 32 levels/);
  });

  it('rejects the depth before the schema: the unknown property deep down is not what it reports', () => {
    expect(rejection({ ...aJobRequest(), extra: nestedObjects(40) }).reason).toMatch(/nested deeper/);
  });

  it('leaves nesting up to the limit to the schema', () => {
    // 32 levels: the request, then 31 nested objects under an unknown property.
    const error = rejection({ ...aJobRequest(), extra: nestedObjects(maxRequestDepth - 1) });
    expect(error.field).toBe('extra');
    expect(error.reason).toBe('is not a known property');
  });

  it("accepts the schema's deepest legitimate path (an ACL grantee, 8 levels)", () => {
    const request = aJobRequest({
      operation: {
        S3PutObjectAcl: {
          AccessControlPolicy: {
            AccessControlList: {
              Owner: { ID: 'owner-canonical-id' },
              Grants: [{ Grantee: { TypeIdentifier: 'id', Identifier: 'grantee-id' }, Permission: 'READ' }],
            },
          },
        },
      } as never,
    });
    expect(() => parseJobRequest(request)).not.toThrow();
  });

  it('does not follow a reference cycle forever', () => {
    const looped: Record<string, unknown> = { ...aJobRequest() };
    looped.self = looped;
    expect(rejection(looped).reason).toMatch(/nested deeper than 32 levels/);
  });
});

describe('parseJobRequest on a request that is not an object', () => {
  it.each([
    ['null', null],
    ['undefined', undefined],
    ['an array', [aJobRequest()]],
    ['a string', '{"priority": 1}'],
    ['a number', 42],
    ['a boolean', true],
  ])('rejects %s as the whole request', (_name, input) => {
    const error = rejection(input);
    expect(error.field).toBe('request');
    expect(error.reason).toBe('must be an object');
    expect(error.message).toBe('request: must be an object');
  });
});
