/**
 * `s3bo demo` (what `npm start` runs): the embedded local AWS in-process, a seeded bucket, and a tagging job
 * through the real batch-job state machine, with live progress, the outcome, the report summary and the events.
 */
import type { Command } from 'commander';
import { startLocalAws } from '../../emulator/index.js';
import { deployProject } from '../../local/deploy-local.js';
import { createCliContext, resolveConfig } from '../context.js';
import { println } from '../io.js';
import { runCampaignDemo } from '../lib/campaign-demo-run.js';
import { demoFaults, demoKeys, demoRequest, seedDemoData } from '../lib/demo-data.js';
import { startBatchJob } from '../lib/execution.js';
import { followExecution } from '../lib/follow-execution.js';
import { parseSeconds } from '../lib/options.js';
import { renderEventsTable } from '../lib/render.js';
import type { CommandDeps } from '../program.js';

interface DemoOptions {
  objects: string;
  timeScale: string;
  campaign?: boolean;
}

export function registerDemoCommand(program: Command, deps: CommandDeps): void {
  program
    .command('demo')
    .description('run a tagging job end to end on an in-memory local AWS (what `npm start` does)')
    .option('--objects <n>', 'objects to seed and tag', '2000')
    .option(
      '--time-scale <x>',
      'emulated time runs this many times faster than real time (default 20; 3600 with --campaign)',
    )
    .option(
      '--campaign',
      'instead: a weekly tagging campaign and a restore campaign with phase 2, fired by their schedules',
    )
    .action(async (options: DemoOptions) => {
      if (options.campaign) {
        await runCampaignDemo(deps.io, parseSeconds('--time-scale', options.timeScale ?? '3600'));
        return;
      }
      const objectCount = Math.round(parseSeconds('--objects', options.objects));
      const timeScale = parseSeconds('--time-scale', options.timeScale ?? '20');
      const out = deps.io.stdout;
      const started = Date.now();

      const aws = await startLocalAws({ inMemory: true, port: 0, timeScale, faults: demoFaults });
      try {
        const project = await deployProject(aws);
        const keys = demoKeys(objectCount);
        seedDemoData(aws.s3.backend, keys);
        println(
          out,
          `Local AWS on ${aws.url} (in memory, time ×${timeScale}); ${keys.length} objects seeded.`,
        );

        const ctx = createCliContext(
          resolveConfig({ endpoint: aws.url, stage: project.stage, accountId: aws.accountId }, deps.io.env),
          deps.io,
        );
        const execution = await startBatchJob(ctx, demoRequest(), undefined);
        println(out, `Started ${execution.executionArn}`);
        println(out);
        try {
          await followExecution(ctx, execution.executionArn, { interval: '0.25' });
        } finally {
          println(out);
          println(out, `Events on ${project.busName}:`);
          println(out, renderEventsTable(aws.events.readEventLog(project.busName)));
          println(out);
          println(out, `Demo finished in ${((Date.now() - started) / 1000).toFixed(1)} s.`);
        }
      } finally {
        await aws.stop();
      }
    });
}
