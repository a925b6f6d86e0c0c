/** Issue 11, "Load": many concurrent workflows on one local AWS all end, none lost; wall time and RSS reported. */
import { describe, expect, it } from 'vitest';
import { reliabilityProfile, testTimeoutMs } from './profile.js';
import { runLoadScenario } from './scenarios/load.js';

const profile = reliabilityProfile();

describe(`concurrent workflows (${profile.name} profile)`, () => {
  it(
    'ends every workflow with its objects tagged by its one job',
    async () => {
      // Act
      const figures = await runLoadScenario({
        workflows: profile.load.workflows,
        timeoutMs: profile.scenarioTimeoutMs,
      });

      // Assess (wall time and RSS are figures, measured in bench/, not asserted)
      console.info('load', JSON.stringify(figures));
      expect(figures.concurrentWorkflows).toBe(profile.load.workflows);
      expect(figures.unfinished).toBe(0);
      expect(figures.lost).toBe(0);
      expect(figures.peakRssMb).toBeGreaterThanOrEqual(figures.rssBeforeMb);
    },
    testTimeoutMs(profile),
  );
});
