/**
 * Reliability (issue 11): the scenarios of test/reliability/ at the heavy profile's sizes, as figures.
 *
 * - load: concurrent batch-job workflows on one in-memory local AWS (wall time, peak RSS of this process).
 * - duplicates: executions with CreateJob throttled 30 % and failing 10 %, DescribeJob throttled and a tenth
 *   of Lambda invocations failing; jobs created beyond one per execution.
 * - lost events: workflows with 20 % of PutEvents entries failing; expected lifecycle events missing.
 * - crash: a durable `s3bo local` child killed with SIGKILL mid-job and restarted on its data directory.
 * - bad input: the corpus of test/fixtures/bad-requests through `s3bo validate` and as executions, plus raw
 *   bad CreateJob/PutObject/PutEvents calls; refusals that do not name the field or the AWS error code.
 *
 * The same scenario functions run in `npm test` at the normal profile; here nothing is asserted, the
 * figures are printed (a broken property shows as a non-zero duplicateJobs, eventsLost, lostAfterCrash,
 * unclearRejections or unfinished). Load runs first, so its peak RSS is not the other scenarios' heap.
 */
import { reliabilityProfile } from '../test/reliability/profile.js';
import { runBadRequestsScenario } from '../test/reliability/scenarios/bad-requests.js';
import { runCrashScenario } from '../test/reliability/scenarios/crash.js';
import { runDuplicatesScenario } from '../test/reliability/scenarios/duplicates.js';
import { runRawBadCallsScenario } from '../test/reliability/scenarios/hostile.js';
import { runLoadScenario } from '../test/reliability/scenarios/load.js';
import { runLostEventsScenario } from '../test/reliability/scenarios/lost-events.js';
import type { Benchmark } from './benchmark.js';

export interface ReliabilityResult extends Record<string, number> {
  executions: number;
  duplicateJobs: number;
  eventsExpected: number;
  eventsLost: number;
  crashRestarts: number;
  lostAfterCrash: number;
  badInputs: number;
  unclearRejections: number;
  concurrentWorkflows: number;
  unfinished: number;
  loadWallSeconds: number;
  loadPeakRssMb: number;
  rawBadCalls: number;
  wallSeconds: number;
}

const heavy = reliabilityProfile({ S3BO_RELIABILITY: 'heavy' });
const seconds = (ms: number): number => Math.round(ms / 100) / 10;

export const benchmark: Benchmark<ReliabilityResult> = {
  name: 'reliability',
  async run(log) {
    const started = performance.now();
    const timeoutMs = heavy.scenarioTimeoutMs;

    log(`load: ${heavy.load.workflows} concurrent workflows`);
    const load = await runLoadScenario({ workflows: heavy.load.workflows, timeoutMs });
    log(`duplicates: ${heavy.duplicates.executions} executions under faults`);
    const duplicates = await runDuplicatesScenario({
      executions: heavy.duplicates.executions,
      seed: 11,
      timeoutMs,
    });
    log(`lost events: ${heavy.lostEvents.workflows} workflows, 20 % of PutEvents entries failing`);
    const lostEvents = await runLostEventsScenario({ workflows: heavy.lostEvents.workflows, timeoutMs });
    log(`crash: ${heavy.crash.jobs} jobs, ${heavy.crash.crashes} × kill -9 of s3bo local`);
    const crash = await runCrashScenario({ jobs: heavy.crash.jobs, crashes: heavy.crash.crashes, log });
    log('bad input: the bad-request corpus and raw bad calls');
    const badRequests = await runBadRequestsScenario();
    const rawCalls = await runRawBadCallsScenario();

    return {
      executions: load.concurrentWorkflows + duplicates.executions + lostEvents.workflows + crash.executions,
      duplicateJobs: duplicates.duplicateJobs + crash.duplicateJobs,
      eventsExpected: lostEvents.eventsExpected,
      eventsLost: lostEvents.eventsLost,
      crashRestarts: crash.crashRestarts,
      lostAfterCrash: crash.lostAfterCrash,
      badInputs: badRequests.badInputs,
      // A raw call answered without AWS's error code, or a server that stopped serving, is unclear too.
      unclearRejections:
        badRequests.unclearRejections +
        rawCalls.mismatches.length +
        (rawCalls.serverStillServing ? 0 : 1) +
        badRequests.jobsCreated,
      concurrentWorkflows: load.concurrentWorkflows,
      unfinished: load.unfinished + duplicates.unfinished + lostEvents.unfinished + crash.unfinished,
      loadWallSeconds: seconds(load.wallMs),
      loadPeakRssMb: load.peakRssMb,
      rawBadCalls: rawCalls.calls,
      wallSeconds: seconds(performance.now() - started),
    };
  },
  print(r, log) {
    log(`executions ${r.executions}, of which ${r.concurrentWorkflows} concurrent on one local AWS`);
    log(`  load: wall ${r.loadWallSeconds} s, peak RSS ${r.loadPeakRssMb} MB`);
    log(`  duplicate jobs ${r.duplicateJobs}, unfinished executions ${r.unfinished}`);
    log(`  lifecycle events expected ${r.eventsExpected}, lost ${r.eventsLost}`);
    log(`  crashes survived ${r.crashRestarts}, lost after a crash ${r.lostAfterCrash}`);
    log(
      `  bad inputs ${r.badInputs} + ${r.rawBadCalls} raw calls, unclear rejections ${r.unclearRejections}`,
    );
    log(`  wall ${r.wallSeconds} s`);
  },
};
