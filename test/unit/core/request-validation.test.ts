import { describe, expect, it } from 'vitest';
import { RequestValidationError } from '../../../src/core/errors.js';
import { parseJobRequest, pointerToField } from '../../../src/core/request-validation.js';
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

describe('parseJobRequest', () => {
  it('fills the schema defaults without touching the caller object', () => {
    const input = aJobRequest({ priority: undefined });
    delete (input as { priority?: number }).priority;
    const parsed = parseJobRequest(input);
    expect(parsed.priority).toBe(10);
    expect(parsed.manifest?.fields).toEqual(['Bucket', 'Key']);
    expect(input).not.toHaveProperty('priority');
  });

  it.each([
    ['an unknown property', { ...aJobRequest(), prority: 5 }, 'prority'],
    ['a missing manifest', { ...aJobRequest(), manifest: undefined }, 'manifest'],
    ['a negative priority', { ...aJobRequest(), priority: -1 }, 'priority'],
    [
      'a bad report scope',
      aJobRequest({ report: { bucket: 'reports-bucket', scope: 'Some' as 'AllTasks' } }),
      'report.scope',
    ],
    [
      'a manifest field list without Key',
      aJobRequest({ manifest: { bucket: 'abc', key: 'k', fields: ['Bucket'] } }),
      'manifest.fields',
    ],
    [
      'min wait above max wait',
      aJobRequest({ wait: { minSeconds: 100, maxSeconds: 10 } }),
      'wait.minSeconds',
    ],
    ['not an object', 'tag everything', 'request'],
  ])('rejects %s naming the field', (_name, input, field) => {
    expect(rejection(input).field).toBe(field);
  });
});

describe('pointerToField', () => {
  it('turns JSON pointers into dotted paths with indexes', () => {
    expect(pointerToField('/manifest/fields/0')).toBe('manifest.fields[0]');
    expect(pointerToField('')).toBe('');
  });
});

describe('parseJobRequest defaults', () => {
  it('fills the redrive error codes from the schema: transient failures only', () => {
    // Act
    const request = parseJobRequest(aJobRequest({ policy: { redrive: {} } }));

    // Assess
    expect(request.policy?.redrive).toEqual({
      maxAttempts: 1,
      errorCodes: [
        'TemporaryFailure',
        'SlowDown',
        'InternalError',
        'ServiceUnavailable',
        'RequestTimeout',
        '5xx',
      ],
    });
  });

  it("keeps the caller's own error codes", () => {
    // Act
    const request = parseJobRequest(aJobRequest({ policy: { redrive: { errorCodes: ['AccessDenied'] } } }));

    // Assess
    expect(request.policy?.redrive?.errorCodes).toEqual(['AccessDenied']);
  });
});
