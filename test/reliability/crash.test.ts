/**
 * Issue 11, "Crash": `kill -9` of a durable `s3bo local` in the middle of five running batch-job workflows,
 * a restart on the same data directory, three times. Nothing written before a crash is lost, no execution
 * gets a second job, and every execution ends (the heavier profile runs from bench/reliability.ts).
 */
import type { ChildProcess } from 'node:child_process';
import { afterEach, describe, expect, it } from 'vitest';
import { reliabilityProfile } from './profile.js';
import { type CrashFigures, runCrashScenario } from './scenarios/crash.js';
import { killAll } from './scenarios/local-process.js';

const profile = reliabilityProfile();
const children = new Set<ChildProcess>();
afterEach(() => killAll(children));

describe(`a durable s3bo local killed with SIGKILL mid-job (${profile.name} profile)`, () => {
  const { jobs, crashes } = profile.crash;
  it(
    `loses no object, job, execution or event over ${crashes} crashes, and every execution ends`,
    async () => {
      // Prepare + Act: five workflows (normal profile), three crashes while their jobs run
      const figures: CrashFigures = await runCrashScenario({ jobs, crashes, children });

      // Assess
      const summary = JSON.stringify(figures);
      console.info('crash', summary);
      expect(figures.crashRestarts, summary).toBe(crashes);
      expect(figures.crashesMidJob, summary).toBe(crashes);
      expect(figures.executions, summary).toBe(jobs);
      expect(figures.jobs, summary).toBe(jobs);
      expect(figures.lostAfterCrash, summary).toBe(0);
      expect(figures.duplicateJobs, summary).toBe(0);
      expect(figures.unfinished, summary).toBe(0);
      expect(figures.succeededExecutions, summary).toBe(jobs);
      expect(figures.untaggedObjects, summary).toBe(0);
      expect(figures.consoleJobs, summary).toBe(jobs);
      expect(figures.corruptEventLines, summary).toBe(0);
      expect(figures.lifecycleMismatches, summary).toBe(0);
      // A restarted execution resumes at the state it was in: only a crash between an event's PutEvents and
      // the next state can repeat it (same eventId), at most one state per execution and crash.
      expect(figures.repeatedEvents, summary).toBeLessThanOrEqual(figures.crashRestarts * figures.executions);
    },
    60_000 * (crashes + 1),
  );
});
