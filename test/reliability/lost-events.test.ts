/** Issue 11, "Lost events": with a fifth of PutEvents entries failing, no lifecycle event is lost or doubled. */
import { describe, expect, it } from 'vitest';
import { reliabilityProfile, testTimeoutMs } from './profile.js';
import { runLostEventsScenario } from './scenarios/lost-events.js';

const profile = reliabilityProfile();

describe(`lifecycle events under PutEvents failures (${profile.name} profile)`, () => {
  it(
    'logs every expected event exactly once per eventId',
    async () => {
      // Act
      const figures = await runLostEventsScenario({
        workflows: profile.lostEvents.workflows,
        timeoutMs: profile.scenarioTimeoutMs,
      });

      // Assess: the fault was live, every workflow ended with its Submitted and Completed, none lost or doubled
      console.info('lost events', JSON.stringify(figures));
      expect(figures.probeFailureRate).toBeGreaterThan(0.1);
      expect(figures.unfinished).toBe(0);
      expect(figures.otherEnds).toEqual({});
      expect(figures.expectedByType['Batch Job Submitted']).toBe(figures.workflows);
      expect(figures.expectedByType['Batch Job Completed']).toBe(figures.workflows);
      expect(figures.eventsLost).toBe(0);
      expect(figures.eventsDuplicated).toBe(0);
    },
    testTimeoutMs(profile),
  );
});
