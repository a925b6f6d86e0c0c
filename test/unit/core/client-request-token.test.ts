import { describe, expect, it } from 'vitest';
import { canonicalJson, clientRequestToken } from '../../../src/core/client-request-token.js';
import { aJobRequest, anExecution } from '../../builders/job-request.js';

describe('clientRequestToken', () => {
  it('is the same for the same execution and request, whatever the key order', () => {
    const a = aJobRequest();
    const b = JSON.parse(
      JSON.stringify({
        priority: a.priority,
        report: a.report,
        manifest: a.manifest,
        operation: a.operation,
      }),
    );
    expect(clientRequestToken(anExecution.arn, a)).toBe(clientRequestToken(anExecution.arn, b));
  });

  it('differs between executions and between requests', () => {
    const token = clientRequestToken(anExecution.arn, aJobRequest());
    expect(clientRequestToken(`${anExecution.arn}-2`, aJobRequest())).not.toBe(token);
    expect(clientRequestToken(anExecution.arn, aJobRequest({ priority: 1 }))).not.toBe(token);
  });

  it('fits CreateJob limit of 64 characters', () => {
    expect(clientRequestToken('x'.repeat(2000), aJobRequest())).toMatch(/^[0-9a-f]{64}$/);
  });

  it('sorts object keys recursively and leaves arrays in order', () => {
    expect(canonicalJson({ b: [2, { d: 1, c: 2 }], a: 'x' })).toBe('{"a":"x","b":[2,{"c":2,"d":1}]}');
  });
});
