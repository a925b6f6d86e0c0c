/**
 * Issue 11, "Duplicates": with CreateJob throttled (30 %) and failing (10 %), DescribeJob throttled and a
 * tenth of Lambda invocations failing, every execution creates exactly one job and ends.
 */
import { describe, expect, it } from 'vitest';
import { reliabilityProfile, testTimeoutMs } from './profile.js';
import { runDuplicatesScenario } from './scenarios/duplicates.js';

const profile = reliabilityProfile();

describe(`duplicates under faults (${profile.name} profile)`, () => {
  it(
    'creates exactly one job per execution, and every execution succeeds',
    async () => {
      // Act
      const figures = await runDuplicatesScenario({
        executions: profile.duplicates.executions,
        seed: 11,
        timeoutMs: profile.scenarioTimeoutMs,
      });

      // Assess: the faults were live (they got past the SDK and hit invocations), and none cost a job or a run
      console.info('duplicates', JSON.stringify(figures));
      expect(figures.executions).toBe(profile.duplicates.executions);
      expect(figures.taskFailures['Lambda.ServiceException'] ?? 0).toBeGreaterThan(0);
      expect(figures.taskFailures.ServiceThrottledError ?? 0).toBeGreaterThan(0);
      expect(figures.duplicateJobs).toBe(0);
      expect(figures.missingJobs).toBe(0);
      expect(figures.unfinished).toBe(0);
      expect({ otherEnds: figures.otherEnds, reasons: figures.failureReasons }).toEqual({
        otherEnds: {},
        reasons: {},
      });
      expect(figures.succeeded).toBe(figures.executions);
    },
    testTimeoutMs(profile),
  );
});
