import { describe, expect, it } from 'vitest';
import {
  compileRedriveMatcher,
  defaultRedriveErrorCodes,
  isRedrivable,
  redriveErrorCodes,
} from '../../../src/core/redrive/eligibility.js';

describe('defaultRedriveErrorCodes', () => {
  it('lists the transient failures and the 5xx pseudo code', () => {
    // Assess
    expect(defaultRedriveErrorCodes).toEqual([
      'TemporaryFailure',
      'SlowDown',
      'InternalError',
      'ServiceUnavailable',
      'RequestTimeout',
      '5xx',
    ]);
  });
});

describe('isRedrivable', () => {
  it.each([
    { errorCode: 'TemporaryFailure', httpStatus: 200, expected: true },
    { errorCode: 'SlowDown', httpStatus: 503, expected: true },
    { errorCode: 'RequestTimeout', httpStatus: 400, expected: true },
    { errorCode: 'SomethingNew', httpStatus: 502, expected: true },
    { errorCode: '', httpStatus: 500, expected: true },
    { errorCode: 'PermanentFailure', httpStatus: 200, expected: false },
    { errorCode: 'AccessDenied', httpStatus: 403, expected: false },
    { errorCode: 'NoSuchKey', httpStatus: 404, expected: false },
    { errorCode: 'slowdown', httpStatus: null, expected: false },
  ])(
    'with the default codes, $errorCode/$httpStatus qualifies: $expected',
    ({ errorCode, httpStatus, expected }) => {
      // Act
      const result = isRedrivable({ errorCode, httpStatus }, defaultRedriveErrorCodes);

      // Assess
      expect(result).toBe(expected);
    },
  );

  it('matches a status class case-insensitively and an exact status by its digits', () => {
    // Prepare
    const classes = ['4XX'];
    const exact = ['429'];

    // Act / Assess
    expect(isRedrivable({ errorCode: 'AccessDenied', httpStatus: 403 }, classes)).toBe(true);
    expect(isRedrivable({ errorCode: 'AccessDenied', httpStatus: 403 }, exact)).toBe(false);
    expect(isRedrivable({ errorCode: 'TooManyRequests', httpStatus: 429 }, exact)).toBe(true);
  });

  it('matches only the listed codes when the policy lists some, without the 5xx default', () => {
    // Prepare
    const matches = compileRedriveMatcher(['AccessDenied']);

    // Act / Assess
    expect(matches({ errorCode: 'AccessDenied', httpStatus: 403 })).toBe(true);
    expect(matches({ errorCode: 'InternalError', httpStatus: 500 })).toBe(false);
  });

  it('redrives nothing with an empty list', () => {
    // Act / Assess
    expect(isRedrivable({ errorCode: 'SlowDown', httpStatus: 503 }, [])).toBe(false);
  });
});

describe('redriveErrorCodes', () => {
  it('uses the defaults when the policy lists no codes, and the policy codes otherwise', () => {
    // Act / Assess
    expect(redriveErrorCodes(undefined)).toBe(defaultRedriveErrorCodes);
    expect(redriveErrorCodes({})).toBe(defaultRedriveErrorCodes);
    expect(redriveErrorCodes({ errorCodes: ['AccessDenied'] })).toEqual(['AccessDenied']);
  });
});
