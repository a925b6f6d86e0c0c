import { describe, expect, it } from 'vitest';
import { runRawBadCallsScenario } from './scenarios/hostile.js';

describe('raw bad calls at the local AWS', () => {
  it("answers every bad CreateJob, PutObject and PutEvents call with AWS's error code and keeps serving", async () => {
    const result = await runRawBadCallsScenario();

    expect(result.mismatches).toEqual([]);
    expect(result.answeredWithAwsCode).toBe(result.calls);
    expect(result.calls).toBeGreaterThanOrEqual(15);
    expect(result.serverStillServing).toBe(true);
  }, 60_000);
});
